"""Plain-text and HTML files: bytes -> Unicode (any supported encoding) -> SourceDocument."""
from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path
from typing import Optional

from ..source import SourceDocument
from .document import build, from_html, refuse_nul
from .encodings import Decoded, decode_bytes
from .html import extract_html

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def read_text(path: Path, data: bytes) -> SourceDocument:
    """A plain-text document; raises UndecodableError when no encoding fits."""
    decoded = decode_bytes(data, repair=False)
    return build(refuse_nul(decoded.text), warnings=decoded.warnings, doc_id=path.stem, source=str(path), path=str(path))


def read_html(path: Path, data: bytes) -> SourceDocument:
    """An HTML page: its main content, title and date (trafilatura)."""
    decoded = decode_html_bytes(data)
    doc = from_html(extract_html(decoded.text), doc_id=path.stem, source=str(path), path=str(path))
    doc.warnings[:0] = decoded.warnings
    return doc


def decode_html_bytes(data: bytes) -> Decoded:
    """BOM or UTF-8 first; then the charset the page declares; then the legacy heuristics."""
    if _is_utf(data):
        return decode_bytes(data, repair=False)
    return _declared(data) or decode_bytes(data, repair=False)


def _is_utf(data: bytes) -> bool:
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _declared(data: bytes) -> Optional[Decoded]:
    match = _META_CHARSET.search(data[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii").lower()
    try:
        codec = codecs.lookup(name).name
        text = data.decode(codec)
    except (LookupError, UnicodeDecodeError):
        return None
    if codec in ("utf-8", "ascii"):
        return None  # declared UTF-8 but not UTF-8: let the heuristics find what it really is
    return Decoded(unicodedata.normalize("NFC", text), [f"decoded as {name} (declared by the page)"], codec)
