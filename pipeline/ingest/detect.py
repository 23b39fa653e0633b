"""Which reader a file needs: by content first (magic bytes), then by extension."""
from __future__ import annotations

import zipfile
from pathlib import Path

TEXT, HTML, DOCX, PDF, JSONL = "text", "html", "docx", "pdf", "jsonl"

_EXTENSIONS = {
    ".txt": TEXT, ".text": TEXT, ".md": TEXT,
    ".html": HTML, ".htm": HTML, ".xhtml": HTML,
    ".docx": DOCX, ".pdf": PDF,
    ".jsonl": JSONL, ".ndjson": JSONL,
}

# Magic numbers of binary formats we cannot read, named in the error message.
_BINARY_MAGIC = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy MS Office/OLE2 file such as .doc or .xls; save it as .docx"),
    (b"\x89PNG", "PNG image"), (b"\xff\xd8\xff", "JPEG image"), (b"GIF8", "GIF image"),
    (b"\x1f\x8b", "gzip archive"), (b"BZh", "bzip2 archive"), (b"\xfd7zXZ", "xz archive"),
    (b"7z\xbc\xaf", "7-Zip archive"), (b"Rar!", "RAR archive"), (b"\x7fELF", "ELF executable"),
    (b"MZ", "Windows executable"), (b"{\\rtf", "RTF document; save it as .docx"),
)
_TEXT_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


class BinaryFileError(ValueError):
    """Not a document format chitieu reads; the message names what it looks like."""


def sniff(path: Path, head: bytes) -> str:
    """The format of ``path`` whose first bytes are ``head``; BinaryFileError for binary files."""
    if head.startswith(b"%PDF"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(path)
    if _looks_like_html(head):
        return HTML
    for magic, what in _BINARY_MAGIC:
        if head.startswith(magic):
            raise BinaryFileError(f"binary file ({what})")
    kind = _EXTENSIONS.get(path.suffix.lower(), TEXT)
    if kind in (DOCX, PDF):
        raise BinaryFileError(f"binary file (named {path.suffix} but not a {path.suffix[1:].upper()} file)")
    # JSONL is checked line by line instead, so one bad line does not cost the whole file.
    if kind != JSONL and b"\x00" in head and not head.startswith(_TEXT_BOMS) and not _mostly_utf16(head):
        raise BinaryFileError("binary file (contains NUL bytes; not a text document)")
    return kind


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise BinaryFileError(f"binary file (broken zip archive: {exc})") from exc
    if "word/document.xml" in names:
        return DOCX
    raise BinaryFileError("binary file (zip archive without word/document.xml, so not a .docx)")


def _looks_like_html(head: bytes) -> bool:
    for bom, codec in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            start = head[2:202].decode(codec, errors="ignore")
            break
    else:
        start = head[:300].decode("latin-1")
    start = start.lstrip("\ufeff\xef\xbb\xbf \t\r\n").lower()
    return start.startswith(("<!doctype html", "<html")) or (start.startswith("<?xml") and "<html" in start)


def _mostly_utf16(head: bytes) -> bool:
    """UTF-16 without a BOM: NULs in most even (or most odd) bytes and almost none in the others."""
    sample = head[:2048]
    if len(sample) < 4:
        return False
    even, odd = sample[0::2].count(0) / (len(sample) / 2), sample[1::2].count(0) / (len(sample) / 2)
    return (even > 0.5 and odd < 0.02) or (odd > 0.5 and even < 0.02)
