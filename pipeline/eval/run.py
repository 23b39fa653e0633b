"""Produce predictions for the gold documents found under some paths, by running the extractor."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Optional

from schemas import DocumentRecord

from ..errors import InputError
from ..source import SourceDocument

Extract = Callable[[SourceDocument], DocumentRecord]


@dataclass
class Predictions:
    """Predicted records keyed by the source's doc_id, plus what happened on the way."""

    records: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _default_extract(doc: SourceDocument) -> DocumentRecord:
    from .. import api

    return api.extract_document(doc)


def predict(paths: Iterable[str], gold_ids: set[str], *, extract: Optional[Extract] = None,
            written_in: Optional[int] = None) -> Predictions:
    """Extract every document under ``paths`` whose doc_id (file stem or JSONL id) is in ``gold_ids``.

    Documents not in gold are skipped before extraction; ``written_in``: the year the documents were
    written in, for those without a date of their own (`ingest.assume_written_in`). A document that cannot be read or whose
    extraction fails gives no prediction (its gold targets count as missed) and a note.
    """
    from ..ingest import assume_written_in, iter_sources

    extract = extract or _default_extract
    out = Predictions()
    seen: set[str] = set()
    skipped = 0
    for item in assume_written_in(iter_sources(list(paths)), written_in):
        if isinstance(item, InputError):
            out.notes.append(f"unreadable input: {item}")
            continue
        if item.doc_id not in gold_ids:
            skipped += 1
            continue
        if item.doc_id in seen:
            out.notes.append(f"{item.doc_id}: appears twice in the input; the first one is scored")
            continue
        seen.add(item.doc_id)
        try:
            record = extract(item).model_dump(mode="json")
        except Exception as exc:  # noqa: BLE001 - one failing document must not stop the measurement
            out.notes.append(f"{item.doc_id}: extraction failed ({type(exc).__name__}: {exc})")
            continue
        record["doc_id"] = item.doc_id
        out.records.append(record)
    if skipped:
        out.notes.append(f"{skipped} input document(s) not in gold were skipped before extraction")
    return out
