"""Legacy Vietnamese encodings (TCVN3, VNI, Windows-1258) loaded from rules/encodings/*.yaml.

Each file is one of three kinds:
  bytemap    one byte -> one Unicode letter (TCVN3)
  sequences  base letter + diacritic byte(s) -> one Unicode letter (VNI)
  codec      a Python codec, with examples only (Windows-1258)
A ``LegacyEncoding`` decodes bytes, converts the "already-Unicode" mojibake form (the bytes shown
as Windows-1252/Latin-1 characters) and counts the characters that betray that form.
"""
from __future__ import annotations

import re
from functools import cached_property, lru_cache
from typing import Literal, Optional

from pydantic import Field, field_validator, model_validator

from ..rules_io import StrictModel, load_rule_file
from .encodings import VIETNAMESE_LATIN1 as _VIETNAMESE_LATIN1

ENCODING_FILES = ("encodings/tcvn3.yaml", "encodings/vni.yaml", "encodings/windows1258.yaml")

_HEX_BYTE = re.compile(r"[0-9A-F]{2}")
_ASCII_UPPER = re.compile(r"[A-Z]")
_ASCII_LOWER = re.compile(r"[a-z]")


class EncodingExample(StrictModel):
    input: str = Field(description="the bytes as a Windows-1252 viewer shows them")
    expected: str


class EncodingFile(StrictModel):
    name: str
    warning: str = Field(pattern=r"^decoded as ")
    kind: Literal["bytemap", "sequences", "codec"]
    byte_map: Optional[dict[str, str]] = None
    sequences: Optional[dict[str, str]] = None
    codec: Optional[str] = None
    capitals_fix: bool = False
    examples: list[EncodingExample] = Field(min_length=1)

    @field_validator("byte_map")
    @classmethod
    def _check_byte_map(cls, value: Optional[dict[str, str]]) -> Optional[dict[str, str]]:
        for key, char in (value or {}).items():
            if not _HEX_BYTE.fullmatch(key) or int(key, 16) < 0xA0:
                raise ValueError(f"key {key!r}: must be a byte 'A0'..'FF' in upper-case hex")
            if len(char) != 1:
                raise ValueError(f"key {key!r}: must map to exactly one character, not {char!r}")
        return value

    @field_validator("sequences")
    @classmethod
    def _check_sequences(cls, value: Optional[dict[str, str]]) -> Optional[dict[str, str]]:
        for key, char in (value or {}).items():
            if not 1 <= len(key) <= 2 or any(ord(ch) > 0xFF for ch in key) or len(char) != 1:
                raise ValueError(f"key {key!r}: must be 1-2 Latin-1 characters mapping to one character")
        return value

    @model_validator(mode="after")
    def _check_kind(self) -> "EncodingFile":
        needed = {"bytemap": "byte_map", "sequences": "sequences", "codec": "codec"}[self.kind]
        if getattr(self, needed) is None:
            raise ValueError(f"kind {self.kind!r} needs the field {needed!r}")
        if self.codec is not None:
            import codecs

            try:
                codecs.lookup(self.codec)
            except LookupError:
                raise ValueError(f"codec {self.codec!r}: Python has no such codec") from None
        return self


class LegacyEncoding:
    """One legacy encoding, ready to decode bytes and repair mojibake text."""

    def __init__(self, spec: EncodingFile) -> None:
        self.spec = spec
        self.name = spec.name
        self.warning = spec.warning
        self.has_text_form = spec.kind != "codec"

    @cached_property
    def _char_map(self) -> dict[int, str]:
        """Latin-1 code point (= byte) -> Unicode letter, for ``str.translate``."""
        return {int(key, 16): char for key, char in (self.spec.byte_map or {}).items()}

    @cached_property
    def _sequence_re(self) -> re.Pattern[str]:
        keys = sorted(self.spec.sequences or {}, key=len, reverse=True)
        return re.compile("|".join(re.escape(key) for key in keys))

    @cached_property
    def telltales(self) -> frozenset[str]:
        """Characters of the mojibake form that proper Vietnamese text does not use."""
        if self.spec.kind == "bytemap":
            chars = {chr(code) for code in self._char_map}
        else:
            chars = {ch for key in self.spec.sequences or {} for ch in key if ord(ch) >= 0x80}
        return frozenset(chars - _VIETNAMESE_LATIN1)

    @cached_property
    def _telltale_re(self) -> re.Pattern[str]:
        return re.compile("[" + "".join(re.escape(ch) for ch in sorted(self.telltales)) + "]" if self.telltales else "(?!)")

    def count_telltales(self, text: str) -> int:
        return len(self._telltale_re.findall(text))

    def convert_text(self, text: str) -> str:
        """Mojibake form (bytes shown as Windows-1252 characters) -> Unicode."""
        if self.spec.kind == "bytemap":
            out = text.translate(self._char_map)
            return _fix_capitals(out) if self.spec.capitals_fix else out
        if self.spec.kind == "sequences":
            table = self.spec.sequences or {}
            return self._sequence_re.sub(lambda m: table[m.group(0)], text)
        return text

    def decode_bytes(self, data: bytes) -> Optional[str]:
        """Decode raw bytes, or None when this encoding cannot decode them at all."""
        if self.spec.kind == "codec":
            try:
                return data.decode(self.spec.codec or "")
            except UnicodeDecodeError:
                return None
        return self.convert_text(_as_cp1252(data))


def _as_cp1252(data: bytes) -> str:
    """Bytes as a Windows-1252 viewer shows them (Latin-1 for the five bytes cp1252 leaves undefined)."""
    return data.decode("cp1252", errors="surrogateescape").translate(_UNDEFINED_CP1252)


_UNDEFINED_CP1252 = {0xDC00 + byte: chr(byte) for byte in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}


def _fix_capitals(text: str) -> str:
    """Capitals typed in a .VnTimeH font decode as small letters: "HOạCH" -> "HOẠCH"."""
    return "\n".join(_fix_capitals_line(line) for line in text.split("\n"))


def _fix_capitals_line(line: str) -> str:
    if len(_ASCII_UPPER.findall(line)) >= 4 and not _ASCII_LOWER.search(line):
        return line.upper()
    return re.sub(r"\S+", _fix_capitals_word, line)


def _fix_capitals_word(match: re.Match[str]) -> str:
    word = match.group(0)
    if len(_ASCII_UPPER.findall(word)) >= 2 and not _ASCII_LOWER.search(word) and word != word.upper():
        return word.upper()
    return word


@lru_cache(maxsize=1)
def legacy_encodings() -> tuple[LegacyEncoding, ...]:
    """The encodings of rules/encodings, in the order of ENCODING_FILES (loaded once)."""
    return tuple(LegacyEncoding(load_rule_file(rel, EncodingFile)) for rel in ENCODING_FILES)
