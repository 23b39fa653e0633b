"""The engine interface: run ``work.process_chunk`` on chunks, give results back in input order.

An engine keeps at most ``window`` chunks in flight, so memory stays flat however long the input:
the in-flight queue and the reorder buffer are the same bounded deque of (chunk, future) pairs.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections import deque
from typing import Callable, Iterable, Iterator, Optional, Union

from .work import process_chunk

ChunkResult = Union[list, BaseException]  # the chunk's results, or why the whole task failed


class Engine(ABC):
    """Runs ``fn`` (default ``process_chunk``) on chunks of documents somewhere."""

    name = "engine"

    def __init__(self, *, fn: Callable[[list], list] = process_chunk) -> None:
        self.fn = fn

    @abstractmethod
    def imap(self, chunks: Iterable[list]) -> Iterator[tuple[list, ChunkResult]]:
        """Yield ``(chunk, results)`` for each chunk, in the order the chunks came in."""

    @property
    def workers(self) -> int:
        return 1

    def close(self) -> None:
        """Release processes or cluster connections."""

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def ordered_window(chunks: Iterable[list], submit: Callable, is_done: Callable, collect: Callable,
                   window: int) -> Iterator[tuple[list, ChunkResult]]:
    """Submit chunks with at most ``window`` in flight; yield results in submission order.

    Finished heads are written out before the next chunk is pulled from the input, so a slow input
    (a pipe) still sees its output stream.
    """
    pending: deque = deque()
    for chunk in chunks:
        pending.append((chunk, submit(chunk)))
        while pending and (len(pending) >= window or is_done(pending[0][1])):
            head_chunk, handle = pending.popleft()
            yield head_chunk, collect(head_chunk, handle)
    while pending:
        head_chunk, handle = pending.popleft()
        yield head_chunk, collect(head_chunk, handle)


def make_engine(name: str = "local", *, workers: Optional[int] = None, scheduler: Optional[str] = None,
                fn: Callable[[list], list] = process_chunk) -> Engine:
    """``local`` (1 = in-process, N = N processes) or ``dask`` (``scheduler`` address, else a
    LocalCluster of ``workers`` processes)."""
    if name == "local":
        from .local import LocalEngine

        return LocalEngine(workers=workers, fn=fn)
    if name == "dask":
        from .dask import DaskEngine

        return DaskEngine(workers=workers, scheduler=scheduler, fn=fn)
    raise ValueError(f"unknown engine {name!r} (choose 'local' or 'dask')")
