"""The unit of work every engine runs: a chunk of documents in, one result per document out.

Runs inside worker processes. Models load once per process (``load_models``) and are reused for
every chunk. A failure inside one document becomes an error result for that document only; so
does a document that runs over ``doc_timeout`` seconds (pipeline.limits.time_budget: the worker
stops that document and goes on with the next, nothing is killed).
"""
from __future__ import annotations

import gc
import threading
from typing import Optional, Union

from ..errors import InputError
from ..limits import DocumentTimeout, Limits, time_budget
from ..source import SourceDocument

# A result is a plain tuple (cheap to pickle):
#   ("ok", doc_id, json_line, text_sha256)
#   ("error", {"path", "line", "doc_id", "error"})
Result = tuple
Item = Union[SourceDocument, Result]  # a Result here is already resolved and passes through

_lock = threading.Lock()
_extractor = None


def load_models():
    """Load the extractor (and its models) once per process; later calls return the same object."""
    global _extractor
    if _extractor is None:
        with _lock:
            if _extractor is None:
                from ..extractor import get_extractor

                extractor = get_extractor()
                _settle(extractor)
                _extractor = extractor
    return _extractor


_WARM_UP = "Đến năm 2025, 80% cán bộ được bồi dưỡng."


def _settle(extractor) -> None:
    """Load what the extractor loads on first use (the word segmenter and the POS tagger) with a
    one-sentence document, then hand every object alive to the garbage collector's permanent
    generation (gc.freeze): they live as long as the process, and each full collection during a
    large document would walk them all again (on a 1 MB document of short targets, 0.3 of its
    0.5 s of collections). No collection first: loading makes next to no garbage, and a full
    collection of everything loaded costs a fortieth of a second of every process's startup."""
    extractor.extract(SourceDocument(text=_WARM_UP, doc_id="warm-up"))
    gc.freeze()


def error_dict(*, path, line, doc_id, error: str) -> dict:
    return {"path": path, "line": line, "doc_id": doc_id, "error": error}


def input_error_result(exc: InputError) -> Result:
    return ("error", error_dict(path=exc.path, line=exc.line, doc_id=None, error=exc.reason))


def extract_one(doc: SourceDocument, doc_timeout: Optional[float] = None) -> Result:
    """Extract one document and validate the JSON line that will be written.

    The record always carries ``text_sha256`` (the batch uses it to find duplicates): the
    extractor's own when it fills it, else ``batch.text_fingerprint`` of the text (a second
    normalization, which an extractor avoids by filling the field).
    """
    from schemas import DocumentRecord

    from ..batch import text_fingerprint

    extractor = load_models()  # outside the budget: a document does not pay for loading models
    try:
        with time_budget(doc_timeout):
            record = extractor.extract(doc)
        if record.text_sha256 is None:
            record = record.model_copy(update={"text_sha256": text_fingerprint(doc.text)})
        line = record.model_dump_json()
        doc_id, digest = record.doc_id, record.text_sha256
        del record  # not held beside its copy below: a document with many targets would need both
        DocumentRecord.model_validate_json(line)  # the line as written must satisfy the contract
    except DocumentTimeout:
        return ("error", error_dict(path=doc.path or doc.source, line=doc.line, doc_id=doc.doc_id,
                                    error=Limits(doc_timeout=doc_timeout).timeout_message("extraction")))
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop the batch
        return ("error", error_dict(path=doc.path or doc.source, line=doc.line, doc_id=doc.doc_id,
                                    error=f"{type(exc).__name__}: {exc}"))
    return ("ok", doc_id, line, digest)


def process_chunk(items: list, doc_timeout: Optional[float] = None) -> list:
    """Results for ``items`` (documents to extract, or resolved results passed through), in order;
    each document within ``doc_timeout`` seconds (None: no limit)."""
    return [extract_one(it, doc_timeout) if isinstance(it, SourceDocument) else it for it in items]
