"""A pasted text or an uploaded file -> SourceDocument -> (record, normalized text), through the
same readers and extractor as `chitieu extract`."""
from __future__ import annotations

import hashlib
import re
import tempfile
from pathlib import Path
from typing import Optional

from ..errors import InputError
from ..source import SourceDocument


def from_text(text: str, *, doc_id: Optional[str] = None, title: Optional[str] = None) -> SourceDocument:
    return SourceDocument(text=text, doc_id=doc_id or None, title=title or None, source=None)


def _safe_name(filename: str) -> str:
    """The upload's own file name (its extension tells the format), reduced to harmless characters."""
    name = Path(filename.replace("\\", "/")).name
    name = re.sub(r"[^\w.\-]+", "_", name).lstrip(".") or "upload"
    return name[:120]


def from_upload(filename: Optional[str], data: bytes) -> SourceDocument:
    """One uploaded document in any format `chitieu extract` reads (a JSONL file must hold one document)."""
    from ..ingest import iter_sources

    name = _safe_name(filename or "upload")
    if not data:
        raise InputError("the uploaded file is empty", path=name)
    with tempfile.TemporaryDirectory(prefix="chitieu-upload-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        items = []
        for item in iter_sources([path]):
            if isinstance(item, InputError):
                raise InputError(item.reason, path=name, line=item.line)
            items.append(item)
            if len(items) > 1:
                raise InputError("holds several documents: send them one by one (or use chitieu ingest)", path=name)
    if not items:
        raise InputError("holds no document", path=name)
    doc = items[0]
    doc.source = doc.source if doc.source and doc.source != str(path) else name
    doc.path = name
    return doc


def extract_with_text(doc: SourceDocument):
    """(record, normalized text): the text every evidence offset indexes."""
    from ..api import extract_document
    from ..normalize import normalize

    record = extract_document(doc)
    text = normalize(doc.text).text
    if record.text_sha256 and hashlib.sha256(text.encode("utf-8")).hexdigest() != record.text_sha256:
        return record, None  # cannot happen with this extractor; without the text the view shows passages
    return record, text
