"""The Python API: text or file in, validated DocumentRecord out.

    extract(text_or_path, *, doc_id=None, ...) -> DocumentRecord
    extract_document(SourceDocument) -> DocumentRecord

Models (underthesea CRF, the matchers) load once per process, on first use.
"""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Optional, Union

from schemas import DocumentRecord

from .source import SourceDocument


def extract(
    source: Union[str, os.PathLike, SourceDocument],
    *,
    doc_id: Optional[str] = None,
    title: Optional[str] = None,
    published: Optional[date] = None,
) -> DocumentRecord:
    """Extract one document. A ``str`` is the document text; a ``Path`` is a file to read
    (any supported format); a SourceDocument is used as it is."""
    if isinstance(source, SourceDocument):
        doc = source
    elif isinstance(source, os.PathLike):
        from .ingest import read_file

        doc = read_file(Path(source))
    else:
        doc = SourceDocument(text=source)
    if doc_id is not None:
        doc.doc_id = doc_id
    if title is not None:
        doc.title = title
    if published is not None:
        doc.published = published
    return extract_document(doc)


def extract_document(doc: SourceDocument) -> DocumentRecord:
    """Run every stage on one decoded document and return its validated record."""
    from .extractor import get_extractor

    return get_extractor().extract(doc)
