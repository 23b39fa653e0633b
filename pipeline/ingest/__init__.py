"""Ingest: bytes on disk (or stdin) -> SourceDocument (Unicode text + metadata).

Public interface (kept stable for batch, eval and db):
    iter_sources(paths, *, stdin=None) -> Iterator[SourceDocument | InputError]
    read_file(path) -> SourceDocument
A bad document is yielded as an InputError (never raised), so a batch goes on.

MINIMAL VERSION: plain UTF-8 text and JSONL only; the full formats/encodings land later.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import IO, Iterable, Iterator, Optional, Union

from ..errors import InputError
from ..source import SourceDocument

PathLike = Union[str, Path]


def read_file(path: Path) -> SourceDocument:
    text = Path(path).read_bytes().decode("utf-8-sig")
    return SourceDocument(text=text, doc_id=Path(path).stem, source=str(path), path=str(path))


def _iter_jsonl(lines: Iterable[str], name: str) -> Iterator[Union[SourceDocument, InputError]]:
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            text = obj["text"]
        except (ValueError, KeyError, TypeError) as exc:
            yield InputError(f"malformed JSONL line ({exc})", path=name, line=lineno)
            continue
        title = obj.get("title")
        full = f"{title or ''}\n{text}" if "title" in obj else text
        yield SourceDocument(text=full, doc_id=str(obj.get("id")) if obj.get("id") is not None else None,
                             source=obj.get("url") or name, title=title, url=obj.get("url"),
                             path=name, line=lineno, title_in_text="title" in obj)


def iter_sources(paths: Iterable[PathLike], *, stdin: Optional[IO[str]] = None) -> Iterator[Union[SourceDocument, InputError]]:
    for p in paths:
        if str(p) == "-":
            yield from _iter_jsonl(stdin or sys.stdin, "<stdin>")
            continue
        path = Path(p)
        files = sorted(f for f in path.rglob("*") if f.is_file()) if path.is_dir() else [path]
        for f in files:
            if f.suffix == ".jsonl":
                with f.open(encoding="utf-8") as fh:
                    yield from _iter_jsonl(fh, str(f))
            else:
                try:
                    yield read_file(f)
                except (OSError, UnicodeDecodeError) as exc:
                    yield InputError(str(exc), path=str(f))
