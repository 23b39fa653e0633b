"""Crash-safe JSONL output: one whole line per write call, a truncated tail repaired on start.

A run that is killed (SIGKILL, power loss) can leave at most one partial line at the end of the
file, because every record is written with a single ``write`` call on a file opened in append mode.
``repair_tail`` drops that partial line; ``iter_ids`` streams the ``doc_id`` of every complete line,
so ``--resume`` knows what is done without holding the records in memory.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import BinaryIO, Iterator, Optional, Union

PathLike = Union[str, os.PathLike]

_BLOCK = 1 << 16


def repair_tail(path: PathLike) -> int:
    """Truncate ``path`` to its last newline; return how many bytes were dropped (0 if none).

    A missing or empty file, or one that ends with a newline, is left alone.
    """
    try:
        size = os.path.getsize(path)
    except FileNotFoundError:
        return 0
    if size == 0:
        return 0
    with open(path, "r+b") as fh:
        keep = _end_of_last_line(fh, size)
        if keep == size:
            return 0
        fh.truncate(keep)
        fh.flush()
        os.fsync(fh.fileno())
    return size - keep


def _end_of_last_line(fh: BinaryIO, size: int) -> int:
    """Offset just after the last b"\\n" in the file (0 when there is none), reading backwards."""
    pos = size
    while pos > 0:
        start = max(0, pos - _BLOCK)
        fh.seek(start)
        block = fh.read(pos - start)
        idx = block.rfind(b"\n")
        if idx >= 0:
            return start + idx + 1
        pos = start
    return 0


def iter_ids(path: PathLike, *, key: str = "doc_id") -> Iterator[str]:
    """Stream ``key`` from each complete JSONL line of ``path`` (lines that do not parse are skipped)."""
    for (value,) in iter_fields(path, key):
        if isinstance(value, str):
            yield value


def iter_fields(path: PathLike, *keys: str) -> Iterator[tuple]:
    """Stream the values of ``keys`` (None when absent) from each complete JSONL line of ``path``."""
    try:
        fh = open(path, "rb")
    except FileNotFoundError:
        return
    with fh:
        for line in fh:
            if not line.endswith(b"\n"):
                break  # a partial last line is not a finished record
            try:
                obj = json.loads(line)
            except ValueError:
                continue
            if isinstance(obj, dict):
                yield tuple(obj.get(k) for k in keys)


class JsonlWriter:
    """Append whole JSONL lines to a file (or stdout), one write call and one flush per line.

    ``append=False`` starts the file afresh; ``append=True`` keeps what is there (after
    ``repair_tail``). ``fsync=True`` also forces each line to disk (slower; survives power loss).
    """

    def __init__(self, path: Optional[PathLike], *, append: bool = False, fsync: bool = False) -> None:
        self.path = None if path is None or str(path) == "-" else Path(path)
        self.fsync = fsync
        self.lines = 0
        if self.path is None:
            self._fd = None
            self._stream = sys.stdout.buffer
        else:
            flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | (0 if append else os.O_TRUNC)
            self._fd = os.open(self.path, flags, 0o644)
            self._stream = None

    def write_line(self, line: str) -> None:
        """Write ``line`` (no newline inside) followed by a newline, as one write."""
        data = (line + "\n").encode("utf-8")
        if self._fd is None:
            self._stream.write(data)
            self._stream.flush()
        else:
            written = os.write(self._fd, data)
            while written < len(data):  # short writes do not happen on regular files; be safe anyway
                written += os.write(self._fd, data[written:])
            if self.fsync:
                os.fsync(self._fd)
        self.lines += 1

    def write_obj(self, obj: dict) -> None:
        self.write_line(json.dumps(obj, ensure_ascii=False))

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> "JsonlWriter":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
