"""Batch extraction: many documents in, one JSONL record per document out, in input order.

    run_batch(paths, output="out.jsonl", workers=4, resume=True, errors="errors.jsonl") -> BatchSummary

What it guarantees (the CLI ``chitieu extract`` is a thin wrapper):

- **Order and memory.** Records are written in input order. Input and output stream: at most a
  bounded window of chunks is in flight (engines/base.py), so memory stays flat whatever the input
  size; what grows is one doc id and two 16-byte text digests per document (for resume and dedup).
- **Crash safety.** Each record is one line written by one write call and flushed (``fsync=True``
  forces it to disk). With ``resume=True`` a partial last line left by a killed run is dropped
  (output.repair_tail) and documents whose ``doc_id`` is already in the output are skipped, so
  SIGKILL then resume gives exactly one record per document.
- **Failures.** A document that cannot be read (InputError from ingest), that is over a limit
  (``limits``: its size, what a .docx unzips to, the seconds to read it and again to extract it;
  see pipeline/limits.py) or whose extraction raises becomes one line in the errors file
  ``{"path", "line", "doc_id", "error"}`` (or a message on stderr without one); the batch goes on
  and the summary counts it.
- **Duplicates.** Identical documents are extracted once: the first gets the record, a later one
  gets **no record** and is counted as a duplicate (listed in the ``duplicates`` file when one is
  given). Two checks: before extraction, on a cheap key of the text as read (NFC, outer spaces
  stripped), so exact copies are never extracted twice; after extraction, on the record's
  ``text_sha256`` (``text_fingerprint``: sha256 of the text after ``pipeline.normalize``, filled by
  the extractor or else by the worker), so copies that differ only in what normalization removes
  (spaces, zero-width characters, tone-mark spelling, furniture) are extracted but not written.
  On resume, the ``text_sha256`` values already in the output count as seen. A later document that
  reuses an earlier ``doc_id`` with a different text is a failure (its id would not be unique).
- **doc_id.** A document without an id (stdin or JSONL without ``id``) gets the contract's fallback
  ``sha256:`` + 16 hex digits of its fingerprint before extraction, so resume can recognise it.
"""
from __future__ import annotations

import hashlib
import os
import sys
import time
import unicodedata
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import IO, Callable, Iterable, Iterator, Optional, Sequence, Union

from .engines.work import error_dict, input_error_result
from .errors import ChitieuError, InputError
from .limits import Limits
from .output import JsonlWriter, iter_fields, repair_tail
from .source import SourceDocument

PathLike = Union[str, os.PathLike]


class BatchError(ChitieuError):
    """The batch cannot start (bad combination of options, output inside the input...)."""


# --------------------------------------------------------------------------------------------
# Fingerprints
# --------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _normalizer() -> Optional[Callable[[str], object]]:
    """``pipeline.normalize.normalize`` when that module exists, else None."""
    try:
        from . import normalize as module  # type: ignore[attr-defined]
    except ImportError:
        return None
    return getattr(module, "normalize", None) or getattr(module, "normalize_text", None)


def _normalized(text: str) -> str:
    fn = _normalizer()
    if fn is not None:
        result = fn(text)
        result = result if isinstance(result, str) else getattr(result, "text", None)
        if isinstance(result, str):
            return result
    return unicodedata.normalize("NFC", text).strip()


def text_fingerprint(text: str) -> str:
    """Hex sha256 of the normalized text: ``pipeline.normalize`` when present, else NFC + strip.

    Two documents with the same fingerprint are the same document for the batch.
    """
    return hashlib.sha256(_normalized(text).encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------------------------
# Summary
# --------------------------------------------------------------------------------------------
@dataclass
class BatchSummary:
    done: int = 0  # records written by this run
    skipped: int = 0  # already in the output (resume)
    duplicates: int = 0  # same text as an earlier document: no record
    failed: int = 0  # unreadable input or extraction error
    elapsed: float = 0.0
    interrupted: bool = False

    @property
    def docs_per_s(self) -> float:
        return self.done / self.elapsed if self.elapsed > 0 else 0.0

    def line(self) -> str:
        text = (f"chitieu extract: {self.done} done, {self.skipped} skipped, {self.duplicates} duplicates, "
                f"{self.failed} failed in {self.elapsed:.1f} s ({self.docs_per_s:.1f} docs/s)")
        return text + (" [interrupted]" if self.interrupted else "")

    def to_dict(self) -> dict:
        return {"done": self.done, "skipped": self.skipped, "duplicates": self.duplicates,
                "failed": self.failed, "elapsed": round(self.elapsed, 3),
                "docs_per_s": round(self.docs_per_s, 2), "interrupted": self.interrupted}


# --------------------------------------------------------------------------------------------
# Dispatch: what to extract, what to skip
# --------------------------------------------------------------------------------------------
def _raw_key(text: str) -> bytes:
    """Cheap pre-extraction key: 16 bytes of sha256 of the NFC text with outer spaces stripped."""
    return hashlib.sha256(unicodedata.normalize("NFC", text).strip().encode("utf-8")).digest()[:16]


class _Seen:
    """Doc ids and text digests met so far (the only state that grows with the input)."""

    def __init__(self, done: Iterable[tuple]) -> None:
        self.done_ids: set[str] = set()  # in the output before this run
        self.run_ids: set[str] = set()  # met in this run
        self.raw: set[bytes] = set()  # _raw_key of documents sent to extraction or skipped
        self.fingerprints: set[bytes] = set()  # text_sha256 of records written (now or before)
        for doc_id, sha in done:
            if isinstance(doc_id, str):
                self.done_ids.add(doc_id)
            if isinstance(sha, str):
                self.add_fingerprint(sha)

    def add_fingerprint(self, sha: str) -> bool:
        """Register a text_sha256; False when it was already there."""
        try:
            digest = bytes.fromhex(sha)[:16]
        except ValueError:  # not hex: an extractor's own convention, still a key
            digest = hashlib.sha256(sha.encode("utf-8")).digest()[:16]
        if digest in self.fingerprints:
            return False
        self.fingerprints.add(digest)
        return True

    def classify(self, doc: SourceDocument) -> str:
        """'extract', 'skip' (done before), 'duplicate' (same text) or 'conflict' (id reused)."""
        key = _raw_key(doc.text)
        if key in self.raw:
            return "duplicate"
        self.raw.add(key)
        if doc.doc_id in self.run_ids:
            return "conflict"
        self.run_ids.add(doc.doc_id)
        if doc.doc_id in self.done_ids:
            self.done_ids.discard(doc.doc_id)
            return "skip"
        return "extract"


def _chunks(items: Iterator[object], size: int) -> Iterator[list]:
    chunk: list = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# --------------------------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------------------------
class _Run:
    """State of one batch run: writers, seen ids/digests, counters, progress bar."""

    def __init__(self, *, out: JsonlWriter, err: Optional[JsonlWriter], dup: Optional[JsonlWriter],
                 seen: _Seen, bar, log: IO[str]) -> None:
        self.out, self.err, self.dup, self.seen, self.bar, self.log = out, err, dup, seen, bar, log
        self.summary = BatchSummary()

    def items(self, sources: Iterable[Union[SourceDocument, InputError]]) -> Iterator[object]:
        """What goes to the engine: documents to extract and (in order) errors already known."""
        for src in sources:
            if isinstance(src, InputError):
                yield input_error_result(src)
                continue
            if not src.doc_id:
                src.doc_id = "sha256:" + text_fingerprint(src.text)[:16]
            kind = self.seen.classify(src)
            if kind == "extract":
                yield src
            elif kind == "conflict":
                yield ("error", error_dict(path=src.path or src.source, line=src.line, doc_id=src.doc_id,
                                           error="doc_id already used by an earlier document with a different text"))
            elif kind == "skip":
                self.summary.skipped += 1
                self.bar.update(1)
            else:
                self._duplicate(src)
                self.bar.update(1)

    def _duplicate(self, doc: SourceDocument) -> None:
        self.summary.duplicates += 1
        if self.dup is not None:
            self.dup.write_obj({"path": doc.path or doc.source, "line": doc.line, "doc_id": doc.doc_id})

    def take(self, chunk: list, results) -> None:
        """Write the results of one chunk (in order)."""
        if isinstance(results, BaseException):
            results = [_task_failed(item, results) for item in chunk]
        for item, result in zip(chunk, results):
            if result[0] == "ok":
                self._record(item, result)
            else:
                self._failure(result[1])
            self.bar.update(1)

    def _record(self, doc: SourceDocument, result: tuple) -> None:
        _, doc_id, line, text_sha256 = result
        if text_sha256 and not self.seen.add_fingerprint(text_sha256):
            self._duplicate(doc)
            return
        self.out.write_line(line)
        self.summary.done += 1

    def _failure(self, error: dict) -> None:
        self.summary.failed += 1
        if self.err is not None:
            self.err.write_obj(error)
        else:
            where = error.get("path") or "<input>"
            if error.get("line") is not None:
                where = f"{where}:{error['line']}"
            self.bar.write(f"error: {where}: {error['error']}", file=self.log)


def _task_failed(item, exc: BaseException):
    if not isinstance(item, SourceDocument):
        return item
    return ("error", error_dict(path=item.path or item.source, line=item.line, doc_id=item.doc_id,
                                error=f"worker failed: {type(exc).__name__}: {exc}"))


def run_batch(
    paths: Sequence[PathLike],
    *,
    output: Optional[PathLike] = None,
    errors: Optional[PathLike] = None,
    duplicates: Optional[PathLike] = None,
    resume: bool = False,
    engine: str = "local",
    workers: Optional[int] = None,
    scheduler: Optional[str] = None,
    chunk_size: Optional[int] = None,
    fsync: bool = False,
    progress: Optional[bool] = None,
    stdin: Optional[IO[str]] = None,
    log: Optional[IO[str]] = None,
    limits: Optional[Limits] = None,
    written_in: Optional[int] = None,
) -> BatchSummary:
    """Extract every document under ``paths`` into ``output`` (JSONL; None or '-' = stdout).
    ``limits`` (default ``Limits()``) bound each document's size and time; ``written_in``: the year
    the documents were written in, for those without a date of their own (`ingest.assume_written_in`).

    ``progress=None`` shows a bar only when ``log`` (stderr) is a terminal. Returns the summary; the
    caller decides the exit status (``summary.failed``).
    """
    from .engines import make_engine
    from .engines.work import process_chunk
    from .ingest import assume_written_in, iter_sources

    log = log or sys.stderr
    limits = limits or Limits()
    _check_paths(paths, output, errors, duplicates, resume)
    start = time.perf_counter()
    seen = _Seen(_prepare(output, errors, duplicates, resume, log))
    enabled = log.isatty() if progress is None else progress
    with _progress_bar(enabled, paths, log) as bar, \
            JsonlWriter(output, append=resume, fsync=fsync) as out, \
            _optional_writer(errors, resume, fsync) as err, \
            _optional_writer(duplicates, resume, fsync) as dup:
        run = _Run(out=out, err=err, dup=dup, seen=seen, bar=bar, log=log)
        try:
            work = partial(process_chunk, doc_timeout=limits.doc_timeout)
            with make_engine(engine, workers=workers, scheduler=scheduler, fn=work) as eng:
                size = chunk_size or _default_chunk_size(engine, eng.workers)
                items = run.items(assume_written_in(iter_sources(paths, stdin=stdin, limits=limits), written_in))
                for chunk, results in eng.imap(_chunks(items, size)):
                    run.take(chunk, results)
        except KeyboardInterrupt:
            run.summary.interrupted = True
    run.summary.elapsed = time.perf_counter() - start
    return run.summary


def _default_chunk_size(engine: str, workers: int) -> int:
    if engine == "dask":
        return 16
    return 1 if workers == 1 else 4


def _check_paths(paths, output, errors, duplicates, resume) -> None:
    to_stdout = output is None or str(output) == "-"
    if resume and to_stdout:
        raise BatchError("--resume needs an output file (-o out.jsonl)")
    written = [Path(p).resolve() for p in (output, errors, duplicates) if p is not None and str(p) != "-"]
    if len(set(written)) != len(written):
        raise BatchError("the output, errors and duplicates files must be different files")
    for p in paths:
        if str(p) == "-":
            continue
        src = Path(p).resolve()
        for w in written:
            if w == src or (src.is_dir() and src in w.parents):
                raise BatchError(f"{w} is inside the input {p}: it would be read back as input")


def _prepare(output, errors, duplicates, resume, log) -> Iterator[tuple]:
    """Repair tails; stream (doc_id, text_sha256) of the records already done."""
    if not resume:
        return iter(())
    for path in (output, errors, duplicates):
        if path is not None and str(path) != "-":
            dropped = repair_tail(path)
            if dropped:
                log.write(f"chitieu extract: dropped a partial last line ({dropped} bytes) from {path}\n")
    return iter_fields(output, "doc_id", "text_sha256")


class _NullWriter:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return None


def _optional_writer(path, resume: bool, fsync: bool):
    return JsonlWriter(path, append=resume, fsync=fsync) if path is not None else _NullWriter()


class _NoBar:
    """What a disabled tqdm bar does, without importing tqdm (a fiftieth of a second at startup):
    nothing, except ``write``, which prints the line (tqdm.write, with no bar on the screen to
    clear and redraw)."""

    def __enter__(self) -> "_NoBar":
        return self

    def __exit__(self, *exc) -> None:
        return None

    def update(self, n: int = 1) -> None:
        return None

    @staticmethod
    def write(s: str, file=None, end: str = "\n") -> None:
        fp = file if file is not None else sys.stdout
        if fp is None:
            return
        fp.write(s)
        fp.write(end)


def _progress_bar(enabled: bool, paths, log):
    if not enabled:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=estimate_total(paths), file=log, unit="doc", dynamic_ncols=True,
                smoothing=0.05, desc="extract")


def estimate_total(paths: Iterable[PathLike]) -> Optional[int]:
    """How many documents the inputs hold (files, plus lines of JSONL files); None with stdin."""
    total = 0
    for p in paths:
        if str(p) == "-":
            return None
        path = Path(p)
        files = (f for f in path.rglob("*") if f.is_file()) if path.is_dir() else [path]
        for f in files:
            total += _count_lines(f) if f.suffix == ".jsonl" else 1
    return total


def _count_lines(path: Path) -> int:
    count, last = 0, b"\n"
    try:
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                count += block.count(b"\n")
                last = block[-1:]
    except OSError:
        return 1
    return count + (last != b"\n")
