"""Local engine: in-process for one worker, else a pool of worker processes on this machine.

Worker processes start with ``forkserver`` on Linux (``spawn`` elsewhere): no state is inherited
from the parent by fork, so threads or open clusters in the parent are safe. Each worker loads the
models once, in the pool initializer, and exits by itself when the parent process is killed. A worker that dies (segfault, out of memory) breaks the pool:
the pool is restarted, the chunk that was running is retried one document at a time, and a document
that kills a worker again is reported as failed; the batch goes on.
"""
from __future__ import annotations

import os
import sys
import threading
import time
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Optional

from .base import ChunkResult, Engine, ordered_window
from .work import error_dict, load_models, process_chunk

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor


def default_workers() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def _init_worker(parent_pid: int) -> None:
    """Pool initializer: load the models once, and exit when the parent is gone.

    A parent killed with SIGKILL cannot stop its pool, and pool workers keep each other's pipes
    open, so without this watchdog they would live on as orphans.
    """
    threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True, name="chitieu-watchdog").start()
    load_models()


def _watch_parent(parent_pid: int, interval: float = 1.0) -> None:
    while True:
        time.sleep(interval)
        try:
            os.kill(parent_pid, 0)
        except ProcessLookupError:
            os._exit(1)
        except PermissionError:  # pid reused by another user's process: ours is gone
            os._exit(1)


def _start_method() -> str:
    return "forkserver" if sys.platform.startswith("linux") else "spawn"


class LocalEngine(Engine):
    name = "local"

    def __init__(self, *, workers: Optional[int] = None, fn: Callable[[list], list] = process_chunk,
                 window: Optional[int] = None) -> None:
        super().__init__(fn=fn)
        self._workers = workers or default_workers()
        self.window = window or 4 * self._workers
        self._pool: Optional[ProcessPoolExecutor] = None
        self._generation = 0

    @property
    def workers(self) -> int:
        return self._workers

    def imap(self, chunks: Iterable[list]) -> Iterator[tuple[list, ChunkResult]]:
        if self._workers == 1:
            load_models()
            for chunk in chunks:
                yield chunk, self.fn(chunk)
            return
        self._start()
        yield from ordered_window(chunks, self._submit, lambda h: h[1].done(), self._collect, self.window)

    # -- pool management ---------------------------------------------------------------------
    def _start(self) -> None:
        if self._pool is None:  # the pool's modules are imported here: one worker in-process needs none
            import multiprocessing as mp
            from concurrent.futures import ProcessPoolExecutor

            ctx = mp.get_context(_start_method())
            self._pool = ProcessPoolExecutor(self._workers, mp_context=ctx, initializer=_init_worker,
                                             initargs=(os.getpid(),))
            self._generation += 1

    def _restart(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
        self._start()

    def _submit(self, chunk: list) -> tuple[int, Future]:
        return self._generation, self._pool.submit(self.fn, chunk)

    def _collect(self, chunk: list, handle: tuple[int, Future]) -> ChunkResult:
        from concurrent.futures.process import BrokenProcessPool

        generation, future = handle
        try:
            return future.result()
        except BrokenProcessPool:
            if generation == self._generation:  # this pool just broke: suspect this chunk
                self._restart()
                return self._one_by_one(chunk)
            return self._collect(chunk, self._submit(chunk))  # broken earlier by another chunk: rerun
        except Exception as exc:  # noqa: BLE001 - e.g. a result that cannot be pickled
            return exc

    def _one_by_one(self, chunk: list) -> list:
        from concurrent.futures.process import BrokenProcessPool

        results = []
        for item in chunk:
            try:
                results.extend(self._pool.submit(self.fn, [item]).result())
            except BrokenProcessPool:
                self._restart()
                results.append(("error", error_dict(
                    path=getattr(item, "path", None), line=getattr(item, "line", None),
                    doc_id=getattr(item, "doc_id", None), error="worker process died on this document")))
            except Exception as exc:  # noqa: BLE001
                results.append(("error", error_dict(
                    path=getattr(item, "path", None), line=getattr(item, "line", None),
                    doc_id=getattr(item, "doc_id", None), error=f"{type(exc).__name__}: {exc}")))
        return results

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
