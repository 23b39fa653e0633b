"""`chitieu ingest --watch DIR`: ingest the files already in DIR, then each file that appears or
changes, until ``stop`` is set (Ctrl-C in the CLI). A file is taken once it has been quiet for
``settle`` seconds, so half-written files are not read; a changed file is ingested again and
replaces its earlier version."""
from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Callable, Optional

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
    """Paths with recent events and when they were last touched (fed by the watchdog thread)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: dict[Path, float] = {}

    def touch(self, path: Path) -> None:
        with self._lock:
            self._seen[path] = time.monotonic()

    def settled(self, settle: float) -> list[Path]:
        now = time.monotonic()
        with self._lock:
            ready = sorted(p for p, t in self._seen.items() if now - t >= settle)
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
            if event.is_directory or event.event_type not in ("created", "modified", "moved", "closed"):
                return
            path = Path(getattr(event, "dest_path", "") or event.src_path)
            if _wanted(path, root):
                pending.touch(path)

    observer = Observer()
    observer.schedule(Handler(), str(root), recursive=True)
    return observer


def watch(store: BaseStore, folder, *, stop: threading.Event, settle: float = 0.5, poll: float = 0.1,
          on_file: Optional[Callable[[Path, IngestReport], None]] = None,
          on_rejection: Optional[Callable[[Rejection], None]] = None) -> IngestReport:
    """Ingest ``folder``'s files, then new or changed ones, until ``stop`` is set; returns the totals."""
    root = Path(folder).resolve()
    if not root.is_dir():
        raise StoreError(f"{folder}: not a folder (--watch needs a folder)")
    pending = _Pending()
    observer = _observer(root, pending)
    observer.start()  # before listing, so a file that appears meanwhile is not missed
    total = IngestReport()
    done: dict[Path, tuple[int, int]] = {}

    def process(path: Path) -> None:
        try:
            st = path.stat()
        except OSError:
            return  # gone again
        if done.get(path) == (st.st_mtime_ns, st.st_size):
            return
        report = ingest_items(store, iter_file(path), on_rejection=on_rejection)
        done[path] = (st.st_mtime_ns, st.st_size)
        total.add(report)
        total.rejected.extend(report.rejected)
        if on_file:
            on_file(path, report)

    try:
        for path in sorted(p for p in root.rglob("*") if p.is_file() and _wanted(p, root)):
            if stop.is_set():
                break
            process(path)
        while not stop.is_set():
            for path in pending.settled(settle):
                if path.is_file():
                    process(path)
            stop.wait(poll)
    finally:
        observer.stop()
        observer.join(timeout=5)
    return total
