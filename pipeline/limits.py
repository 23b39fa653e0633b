"""Limits on one document: its size, what an archive may unzip to, and the time it may take.

    Limits(max_bytes=..., max_unzipped=..., doc_timeout=...)
    with time_budget(seconds): ...      # raises DocumentTimeout when the block runs too long

Anything beyond a limit becomes an error for that document only (batch: a line in --errors); the
batch goes on. ``None`` or 0 turns a limit off.

The time budget interrupts Python code: in the main thread by SIGALRM (a real-time interval timer),
in any other thread (a Dask worker's task thread, a web server's) by an exception posted to that
thread. Neither kills a process, so nothing already written is lost and a worker keeps its loaded
models. A single call into C that never returns to Python is not interrupted until it does; every
such call on a document's text is linear in its size (see bench/adversarial.py).
"""
from __future__ import annotations

import ctypes
import signal
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator, Optional

MiB = 1 << 20


class DocumentTimeout(BaseException):
    """A document ran over its time budget.

    A BaseException (like KeyboardInterrupt) so that no library's ``except Exception`` swallows it
    on the way out; the places that own a document (ingest, the batch worker) catch it by name.
    """


@dataclass(frozen=True)
class Limits:
    """Per-document limits. ``max_bytes``: a file, a JSONL line, standard input, or the text read
    from a .docx/.pdf. ``max_unzipped``: what a .docx's parts declare they unzip to, in total.
    ``doc_timeout``: seconds to read a document, and again to extract it."""

    max_bytes: Optional[int] = 16 * MiB
    max_unzipped: Optional[int] = 64 * MiB
    doc_timeout: Optional[float] = 60.0

    def check_size(self, size: int, what: str) -> None:
        """ValueError when ``size`` bytes of ``what`` are over ``max_bytes``."""
        if self.max_bytes and size > self.max_bytes:
            raise ValueError(f"{what} is {size:,} bytes, over the limit of {self.max_bytes:,} (--max-bytes)")

    def timeout_message(self, stage: str) -> str:
        return f"{stage} took more than {self.doc_timeout:g} s (--doc-timeout): stopped"


NO_LIMITS = Limits(max_bytes=None, max_unzipped=None, doc_timeout=None)


@contextmanager
def time_budget(seconds: Optional[float]) -> Iterator[None]:
    """Raise DocumentTimeout in this thread when the block runs longer than ``seconds``."""
    if not seconds or seconds <= 0:
        yield
        return
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        with _alarm(seconds):
            yield
    else:
        with _posted(seconds):
            yield


# After the budget, the exception is raised again every AGAIN seconds until the block is left: the
# first one can land in code that swallows whatever it raises (a __del__, a garbage collector
# callback such as hypothesis installs: "Exception ignored in ..."), and a block still running that
# long after it was raised did not get it (leaving the block takes microseconds).
AGAIN = 0.25


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    armed = [True]

    def on_alarm(signum, frame):  # noqa: ARG001
        if armed[0]:
            raise DocumentTimeout()

    start = time.monotonic()
    old_handler = signal.signal(signal.SIGALRM, on_alarm)
    old_delay, _ = signal.setitimer(signal.ITIMER_REAL, seconds, AGAIN)
    try:
        yield
    finally:
        armed[0] = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old_handler)
        if old_delay:  # an outer timer was running: give it back what it has left
            signal.setitimer(signal.ITIMER_REAL, max(1e-3, old_delay - (time.monotonic() - start)))


@contextmanager
def _posted(seconds: float) -> Iterator[None]:
    thread_id = ctypes.c_ulong(threading.get_ident())
    lock = threading.Lock()
    state = {"armed": True, "fired": False}

    left = threading.Event()

    def fire() -> None:
        wait = seconds
        while not left.wait(wait):  # until the block is left: again every AGAIN seconds
            with lock:
                if not state["armed"]:
                    return
                state["fired"] = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(thread_id, ctypes.py_object(DocumentTimeout))
            wait = AGAIN

    timer = threading.Thread(target=fire, daemon=True, name="chitieu-time-budget")
    timer.start()
    try:
        yield
    finally:
        with lock:
            state["armed"] = False
        left.set()
        if state["fired"]:  # not raised yet (the block was already leaving): withdraw it
            ctypes.pythonapi.PyThreadState_SetAsyncExc(thread_id, None)
