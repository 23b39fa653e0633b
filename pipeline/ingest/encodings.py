"""Bytes -> Unicode for Vietnamese documents, legacy font encodings included.

Two entry points:

* ``decode_bytes(data)``: BOM (UTF-8, UTF-16, UTF-32) -> UTF-8 -> the best of Windows-1258, TCVN3
  and VNI by share of valid Vietnamese syllables; then ``repair_text``.
* ``repair_text(text)``: Unicode text that is really TCVN3 or VNI shown through Windows-1252
  ("KÕ ho¹ch", "Keá hoaïch") is converted when the conversion makes clearly more words valid
  syllables.

Every conversion adds a warning starting with "decoded as <NAME>". The tables are data in
rules/encodings/*.yaml (see ``legacy.py``).
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional

from .syllables import syllable_score

if TYPE_CHECKING:
    from .legacy import LegacyEncoding

# A decoding is accepted when at least this share of its words are Vietnamese syllables...
MIN_SCORE = 0.6
# ...and, for a repair of Unicode text, when it beats the text as it is by this margin.
MIN_GAIN = 0.15
# Mojibake is only looked for when the text holds at least this many telltale characters.
MIN_TELLTALES = 3

# Latin-1 letters that Vietnamese itself uses: never evidence of mojibake on their own.
VIETNAMESE_LATIN1 = frozenset("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
# Every telltale of every legacy encoding is one of these (legacy.py: the telltales are Latin-1
# characters from U+0080 up, outside VIETNAMESE_LATIN1; EncodingFile's validators keep byte_map and
# sequences keys within Latin-1). A text with fewer than MIN_TELLTALES of them has no candidate
# repair, and is passed without loading the encodings (rules/encodings, read with pydantic models).
_ANY_TELLTALE = re.compile("[" + "".join(re.escape(chr(c)) for c in range(0x80, 0x100)
                                         if chr(c) not in VIETNAMESE_LATIN1) + "]")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class UndecodableError(ValueError):
    """The bytes fit no supported encoding; the message says why (callers add path and line)."""


@dataclass
class Decoded:
    text: str
    warnings: list[str] = field(default_factory=list)
    encoding: str = "utf-8"


def decode_bytes(data: bytes, *, repair: bool = True) -> Decoded:
    """Decode a whole document's bytes; raise UndecodableError when nothing fits."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise UndecodableError(f"invalid {codec} after its byte-order mark ({exc.reason} at byte {exc.start})") from exc
            return _repaired(Decoded(text, [], codec.replace("-sig", "")), repair)
    try:
        return _repaired(Decoded(data.decode("utf-8")), repair)
    except UnicodeDecodeError as exc:
        utf8_error = exc
    utf16 = _guess_utf16(data)
    if utf16 is not None:
        return _repaired(Decoded(utf16, ["decoded as UTF-16 (no byte-order mark)"], "utf-16"), repair)
    return _decode_legacy(data, utf8_error)


def _repaired(decoded: Decoded, repair: bool) -> Decoded:
    if not repair:
        return decoded
    text, warnings = repair_text(decoded.text)
    return Decoded(text, decoded.warnings + warnings, decoded.encoding)


def _decode_legacy(data: bytes, utf8_error: UnicodeDecodeError) -> Decoded:
    from .legacy import legacy_encodings

    scored = []
    for enc in legacy_encodings():
        text = enc.decode_bytes(data)
        if text is not None:
            scored.append((syllable_score(text), enc, text))
    scored.sort(key=lambda item: item[0], reverse=True)
    if scored and scored[0][0] >= MIN_SCORE:
        score, enc, text = scored[0]
        text = unicodedata.normalize("NFC", text)
        return Decoded(text, [f"{enc.warning} (not valid UTF-8; {score:.0%} of words are Vietnamese syllables)"], enc.name)
    tried = ", ".join(f"{enc.name} {score:.0%}" for score, enc, _ in scored) or "none could decode it"
    raise UndecodableError(
        f"undecodable bytes: not UTF-8 ({utf8_error.reason} at byte {utf8_error.start}) and no legacy "
        f"Vietnamese encoding fits (share of valid syllables: {tried}; need {MIN_SCORE:.0%})"
    )


def _guess_utf16(data: bytes) -> Optional[str]:
    """UTF-16 without a BOM: text with a NUL in (almost) every other byte."""
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:4096]
    even_nuls = sample[0::2].count(0) / (len(sample) / 2)
    odd_nuls = sample[1::2].count(0) / (len(sample) / 2)
    codec = "utf-16-le" if odd_nuls > 0.5 and even_nuls < 0.02 else "utf-16-be" if even_nuls > 0.5 and odd_nuls < 0.02 else None
    if codec is None:
        return None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    printable = sum(1 for ch in text[:2048] if ch.isprintable() or ch in "\r\n\t")
    return text if printable >= 0.95 * min(len(text), 2048) else None


def repair_text(text: str) -> tuple[str, list[str]]:
    """Convert TCVN3/VNI mojibake in Unicode text to proper Vietnamese (NFC), with a warning."""
    if not _may_hold_telltales(text):
        return text, []
    from .legacy import legacy_encodings

    candidates = [enc for enc in legacy_encodings() if enc.has_text_form and enc.count_telltales(text) >= MIN_TELLTALES]
    if not candidates:
        return text, []
    baseline = syllable_score(text)
    best: Optional[tuple[float, LegacyEncoding, str]] = None
    for enc in candidates:
        converted = unicodedata.normalize("NFC", enc.convert_text(text))
        score = syllable_score(converted)
        if score >= MIN_SCORE and score >= baseline + MIN_GAIN and (best is None or score > best[0]):
            best = (score, enc, converted)
    if best is None:
        return text, []
    score, enc, converted = best
    return converted, [f"{enc.warning} (Unicode text was {enc.name} shown as Windows-1252 characters; "
                       f"valid syllables {baseline:.0%} -> {score:.0%})"]


def _may_hold_telltales(text: str) -> bool:
    """Could ``text`` hold MIN_TELLTALES telltales of some legacy encoding?"""
    found = 0
    for _ in _ANY_TELLTALE.finditer(text):
        found += 1
        if found >= MIN_TELLTALES:
            return True
    return False
