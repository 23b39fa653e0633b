"""DOCX -> text with python-docx: body paragraphs and table cells in document order, one per line.

python-docx reads the OOXML package (numbering, tables, runs split anywhere inside a word) which a
regex over word/document.xml would get wrong. Headers and footers are page furniture: skipped.
"""
from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any, Iterator, Optional


def read_docx(path: Path, *, max_unzipped: Optional[int] = None) -> tuple[str, Optional[str]]:
    """(text, title from the core properties or None). Raises ValueError for a broken package, or
    one whose parts unzip to more than ``max_unzipped`` bytes (python-docx loads every part)."""
    try:
        import docx
    except ImportError as exc:  # pragma: no cover - python-docx is a core dependency
        raise ImportError("reading .docx needs python-docx: pip install 'python-docx>=1.1'") from exc
    if max_unzipped:
        check_unzipped_size(path, max_unzipped)
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds for a broken package
        raise ValueError(f"not a readable .docx ({type(exc).__name__}: {exc})") from exc
    lines = [line for line in _lines(document) if line.strip()]
    title = (document.core_properties.title or "").strip() or None
    return "\n".join(lines), title


def check_unzipped_size(path: Path, limit: int) -> None:
    """ValueError when the archive's members declare more than ``limit`` bytes in all. zipfile
    never inflates a member past its declared size (it fails on the CRC), so a zip bomb cannot
    hide behind small declared sizes."""
    try:
        with zipfile.ZipFile(path) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise ValueError(f"not a readable .docx ({type(exc).__name__}: {exc})") from exc
    if total > limit:
        raise ValueError(f"the .docx unzips to {total:,} bytes, over the limit of {limit:,} (--max-unzipped)")


def _lines(container: Any) -> Iterator[str]:
    """Paragraph texts of a document or table cell, tables flattened cell by cell, row by row."""
    for block in container.iter_inner_content():
        if hasattr(block, "rows"):
            yield from _table_lines(block)
        else:
            yield block.text


def _table_lines(table: Any) -> Iterator[str]:
    seen: set[Any] = set()  # the <w:tc> elements themselves: kept alive, so lxml keeps one proxy each
    for row in table.rows:
        for cell in row.cells:
            if cell._tc in seen:  # a merged cell is returned once per grid column/row it spans
                continue
            seen.add(cell._tc)
            yield from _lines(cell)
