"""DOCX -> text with python-docx: body paragraphs and table cells in document order, one per line.

python-docx reads the OOXML package (numbering, tables, runs split anywhere inside a word) which a
regex over word/document.xml would get wrong. Headers and footers are page furniture: skipped.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator, Optional


def read_docx(path: Path) -> tuple[str, Optional[str]]:
    """(text, title from the core properties or None). Raises ValueError for a broken package."""
    try:
        import docx
    except ImportError as exc:  # pragma: no cover - python-docx is a core dependency
        raise ImportError("reading .docx needs python-docx: pip install 'python-docx>=1.1'") from exc
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds for a broken package
        raise ValueError(f"not a readable .docx ({type(exc).__name__}: {exc})") from exc
    lines = [line for line in _lines(document) if line.strip()]
    title = (document.core_properties.title or "").strip() or None
    return "\n".join(lines), title


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
