"""Inputs -> DocumentRecords -> a store.

A file (or stdin) whose first lines are JSON objects with "schema_version" and "targets" is read as
record JSONL: each line is validated (DocumentRecord.model_validate) and a bad line is rejected with
its file and line number, nothing of it stored. Anything else is a raw document: it goes through
``pipeline.ingest.iter_sources`` and ``pipeline.api.extract_document``.
"""
from __future__ import annotations

import io
import itertools
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Callable, Iterable, Iterator, Optional, Union

from pydantic import ValidationError

from schemas import DocumentRecord

from ..limits import DocumentTimeout, Limits, time_budget
from .base import BaseStore, IngestCounts

_PROBE_LINES = 5


@dataclass
class Rejection:
    """An input that was not stored: where it is and why."""

    path: str
    line: Optional[int]
    error: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.error}"


@dataclass
class IngestReport(IngestCounts):
    rejected: list[Rejection] = field(default_factory=list)


Item = Union[DocumentRecord, Rejection]


def looks_like_records(lines: list[str]) -> bool:
    """True when one of ``lines`` is a document record (has "schema_version" and "targets")."""
    for line in lines:
        try:
            obj = json.loads(line)
        except ValueError:
            if '"schema_version"' in line and '"targets"' in line:
                return True  # a broken record line: still a record file, the line is rejected
            continue
        if isinstance(obj, dict) and "schema_version" in obj and "targets" in obj:
            return True
    return False


def _validation_message(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:3]:
        loc = ".".join(str(p) for p in err["loc"]) or "record"
        parts.append(f"{loc}: {err['msg']}")
    more = len(exc.errors()) - 3
    return "invalid record: " + "; ".join(parts) + (f" (+{more} more)" if more > 0 else "")


def iter_record_lines(lines: Iterable[str], name: str, *, first_line: int = 1) -> Iterator[Item]:
    """Record JSONL -> DocumentRecord per valid line, Rejection (with line number) per bad one."""
    for lineno, line in enumerate(lines, first_line):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError as exc:
            yield Rejection(name, lineno, f"not JSON ({exc})")
            continue
        try:
            yield DocumentRecord.model_validate(obj)
        except ValidationError as exc:
            yield Rejection(name, lineno, _validation_message(exc))


def _extract(sources: Iterable, limits: Limits) -> Iterator[Item]:
    from ..api import extract_document
    from ..errors import InputError

    for item in sources:
        if isinstance(item, InputError):
            yield Rejection(item.path or "<input>", item.line, item.reason)
            continue
        where = (item.path or item.source or "<input>", item.line)
        try:
            with time_budget(limits.doc_timeout):
                record = extract_document(item)
        except DocumentTimeout:
            yield Rejection(*where, limits.timeout_message("extraction"))
        except Exception as exc:  # one document's failure must not stop the batch
            yield Rejection(*where, f"extraction failed: {exc}")
        else:
            yield record


def _probe(lines: Iterator[str]) -> list[str]:
    head: list[str] = []
    for line in lines:
        head.append(line)
        if sum(1 for h in head if h.strip()) >= _PROBE_LINES:
            break
    return head


def iter_file(path: Path, limits: Optional[Limits] = None) -> Iterator[Item]:
    """One input file: record JSONL (validated) or a raw document (extracted within ``limits``)."""
    limits = limits or Limits()
    try:
        with path.open("r", encoding="utf-8-sig", errors="replace") as fh:
            head = _probe(iter(lambda: fh.readline(4_000_000), ""))
    except OSError as exc:
        yield Rejection(str(path), None, str(exc))
        return
    if looks_like_records([h for h in head if h.strip()]):
        with path.open("r", encoding="utf-8-sig", errors="strict") as fh:
            try:
                yield from iter_record_lines(fh, str(path))
            except UnicodeDecodeError as exc:
                yield Rejection(str(path), None, f"not UTF-8 ({exc})")
        return
    from ..ingest import iter_sources

    yield from _extract(iter_sources([path], limits=limits), limits)


def iter_stdin(stdin: Optional[IO[str]] = None, limits: Optional[Limits] = None) -> Iterator[Item]:
    """Standard input: record JSONL, or input JSONL ({"id", "text", ...}) to extract."""
    limits = limits or Limits()
    stream = stdin if stdin is not None else sys.stdin
    lines = iter(stream)
    head = _probe(lines)
    everything = itertools.chain(head, lines)
    if looks_like_records([h for h in head if h.strip()]):
        yield from iter_record_lines(everything, "<stdin>")
        return
    from ..ingest import iter_sources

    yield from _extract(iter_sources(["-"], stdin=_LineStream(everything), limits=limits), limits)


class _LineStream(io.TextIOBase):
    """An iterator of lines passed where a text stream is expected."""

    def __init__(self, lines: Iterator[str]) -> None:
        self._lines = lines

    def __iter__(self):
        return self._lines

    def __next__(self) -> str:
        return next(self._lines)


def iter_inputs(paths: Iterable[Union[str, Path]], *, stdin: Optional[IO[str]] = None,
                limits: Optional[Limits] = None) -> Iterator[Item]:
    """Every record (or rejection) from ``paths``: files, folders (recursively, hidden files skipped), "-"."""
    from ..ingest import expand_paths  # the same order and skipping rules as `chitieu extract`

    for kind, path in expand_paths(paths):
        if kind == "stdin":
            yield from iter_stdin(stdin, limits)
        elif kind == "missing":
            yield Rejection(str(path), None, "no such file or folder")
        else:
            yield from iter_file(path, limits)


def ingest_items(store: BaseStore, items: Iterable[Item], *, batch_size: int = 500, max_wait: float = 2.0,
                 on_rejection: Optional[Callable[[Rejection], None]] = None,
                 report: Optional[IngestReport] = None, into: Optional[IngestReport] = None) -> IngestReport:
    """Store the records of ``items`` in batches (one transaction each); collect the rejections.

    ``report`` (a new one by default) is filled as each batch commits, and so is ``into`` (a
    running total), so both hold what was stored even when an exception (Ctrl-C) stops the loop."""
    report = report if report is not None else IngestReport()
    reports = [report] if into is None else [report, into]
    batch: list[DocumentRecord] = []
    started = time.monotonic()

    def commit() -> None:
        counts = store.ingest_batch(batch)
        for r in reports:
            r.add(counts)

    for item in items:
        if isinstance(item, Rejection):
            for r in reports:
                r.rejected.append(item)
            if on_rejection:
                on_rejection(item)
            continue
        if not batch:
            started = time.monotonic()
        batch.append(item)
        if len(batch) >= batch_size or time.monotonic() - started > max_wait:
            commit()
            batch = []
    commit()
    return report


def ingest_paths(store: BaseStore, paths: Iterable[Union[str, Path]], *, stdin: Optional[IO[str]] = None,
                 batch_size: int = 500, on_rejection: Optional[Callable[[Rejection], None]] = None,
                 report: Optional[IngestReport] = None, limits: Optional[Limits] = None) -> IngestReport:
    """`chitieu ingest PATH...`: read, validate or extract (within ``limits``: pipeline.limits), and
    store; see the module docstring."""
    return ingest_items(store, iter_inputs(paths, stdin=stdin, limits=limits), batch_size=batch_size,
                        on_rejection=on_rejection, report=report)
