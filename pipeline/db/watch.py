"""`chitieu ingest --watch DIR`: ingest the files already in DIR, then each file that appears or
changes, until ``stop`` is set or Ctrl-C; a changed file is ingested again and replaces its
earlier version.

Half-written files are not read. A file is taken once it has been quiet for ``settle`` seconds and
no writer holds it open (inotify's open and close-write events, on Linux: a writer that pauses
for minutes is still waited for; elsewhere quiet time alone decides). A JSONL file whose last line
is cut short (no newline, not JSON) is one still being written: it waits, up to ``stale`` seconds
of quiet, before that line is reported as a rejection. The totals are those of what was stored,
also when Ctrl-C stops the watch (it is then re-raised: the caller has the counts in ``total``)."""
from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Callable, Optional

from ..limits import Limits
from .base import BaseStore
from .errors import StoreError
from .load import IngestReport, Rejection, ingest_items, iter_file

_TEMP_SUFFIXES = ("~", ".tmp", ".part", ".swp", ".crdownload", ".partial")


def _wanted(path: Path, root: Path) -> bool:
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return False
    return not any(p.startswith(".") for p in parts) and not path.name.endswith(_TEMP_SUFFIXES)


class _Pending:
    """Paths with recent events, when they were last touched, and how many handles hold them open
    (fed by the watchdog thread)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: dict[Path, float] = {}
        self._open: dict[Path, int] = {}

    def touch(self, path: Path) -> None:
        with self._lock:
            self._seen[path] = time.monotonic()

    def opened(self, path: Path, delta: int) -> None:
        with self._lock:
            count = max(0, self._open.get(path, 0) + delta)
            if count:
                self._open[path] = count
            else:
                self._open.pop(path, None)

    def settled(self, settle: float) -> list[Path]:
        now = time.monotonic()
        with self._lock:
            ready = sorted(p for p, t in self._seen.items() if now - t >= settle and p not in self._open)
            for p in ready:
                del self._seen[p]
        return ready


def _observer(root: Path, pending: _Pending):
    try:
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer
    except ImportError as exc:
        raise StoreError("--watch needs watchdog: pip install watchdog") from exc

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event) -> None:
            if event.is_directory:
                return
            path = Path(getattr(event, "dest_path", "") or event.src_path)
            if not _wanted(path, root):
                return
            if event.event_type == "opened":
                pending.opened(path, +1)
            elif event.event_type in ("closed", "closed_no_write"):
                pending.opened(path, -1)
            if event.event_type in ("created", "modified", "moved", "closed"):
                pending.touch(path)

    observer = Observer()
    observer.schedule(Handler(), str(root), recursive=True)
    return observer


def watch(store: BaseStore, folder, *, stop: threading.Event, settle: float = 0.5, poll: float = 0.1,
          stale: float = 10.0, total: Optional[IngestReport] = None, limits: Optional[Limits] = None,
          on_file: Optional[Callable[[Path, IngestReport], None]] = None,
          on_rejection: Optional[Callable[[Rejection], None]] = None) -> IngestReport:
    """Ingest ``folder``'s files, then new or changed ones, until ``stop`` is set; returns the totals
    (``total``, when given, is filled as files are stored: it holds them after Ctrl-C too)."""
    root = Path(folder).resolve()
    if not root.is_dir():
        raise StoreError(f"{folder}: not a folder (--watch needs a folder)")
    pending = _Pending()
    observer = _observer(root, pending)
    observer.start()  # before listing, so a file that appears meanwhile is not missed
    total = total if total is not None else IngestReport()
    done: dict[Path, tuple[int, int]] = {}
    cut_since: dict[Path, float] = {}  # files whose last JSONL line is cut short, since when

    def process(path: Path) -> None:
        try:
            st = path.stat()
        except OSError:
            return  # gone again
        if done.get(path) == (st.st_mtime_ns, st.st_size):
            return
        if _cut_short(path):
            first = cut_since.setdefault(path, time.monotonic())
            if time.monotonic() - first < stale:
                pending.touch(path)  # look again once it has been quiet a while longer
                return
        cut_since.pop(path, None)
        report = IngestReport()
        ingest_items(store, iter_file(path, limits), on_rejection=on_rejection, report=report, into=total)
        done[path] = (st.st_mtime_ns, st.st_size)
        if on_file:
            on_file(path, report)

    try:
        for path in sorted(p for p in root.rglob("*") if p.is_file() and _wanted(p, root)):
            if stop.is_set():
                break
            if _quiet(path, settle, stop):
                process(path)
            else:
                pending.touch(path)
        while not stop.is_set():
            for path in pending.settled(settle):
                if path.is_file():
                    process(path)
            stop.wait(poll)
    finally:
        observer.stop()
        observer.join(timeout=5)
    return total


def _quiet(path: Path, settle: float, stop: threading.Event) -> bool:
    """A file already there when the watch starts: True when it was last written more than
    ``settle`` seconds ago, or is unchanged in size and time after waiting that long."""
    def state():
        try:
            st = path.stat()
        except OSError:
            return None
        return st.st_mtime_ns, st.st_size

    before = state()
    if before is None:
        return False
    if time.time() - before[0] / 1e9 >= settle:
        return True
    stop.wait(settle)
    return state() == before


def _cut_short(path: Path, tail: int = 1 << 16) -> bool:
    """A JSONL file (it starts with '{') whose last line has no newline and is not JSON yet."""
    try:
        with path.open("rb") as fh:
            if fh.read(1) != b"{":
                return False
            size = fh.seek(0, 2)
            fh.seek(max(0, size - tail))
            end = fh.read()
    except OSError:
        return False
    if end.endswith(b"\n"):
        return False
    last = end.rsplit(b"\n", 1)[-1]
    if len(last) >= tail:  # a line longer than what was read: read it whole
        last = path.read_bytes().rsplit(b"\n", 1)[-1]
    try:
        json.loads(last)
    except ValueError:
        return True
    return False
