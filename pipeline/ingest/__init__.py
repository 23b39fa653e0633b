"""Ingest: bytes on disk (or stdin) -> SourceDocument (Unicode text + metadata).

Public interface (kept stable for batch, eval and db):
    iter_sources(paths, *, stdin=None) -> Iterator[SourceDocument | InputError]
    read_file(path) -> SourceDocument            (raises InputError)
    assume_written_in(items, year) -> the same items, undated documents told the year they were written in
A bad document is yielded as an InputError (never raised), so a batch goes on.

Formats, by content first (magic bytes) then extension: plain text, HTML (trafilatura), DOCX
(python-docx), PDF with a text layer (pypdf), JSONL (``text`` or ``html``), directories
(recursive, sorted, hidden entries skipped) and ``-`` for stdin. Encodings: UTF-8 (BOM or not),
UTF-16/32, Windows-1258, TCVN3 and VNI as bytes or as Windows-1252 mojibake (see encodings.py).
"""
from __future__ import annotations

from pathlib import Path
from typing import IO, Callable, Iterable, Iterator, Optional, Union

from ..errors import InputError
from ..limits import DocumentTimeout, Limits, time_budget
from ..source import SourceDocument
from . import detect
from .document import build
from .encodings import UndecodableError
from .stdin import iter_stdin

PathLike = Union[str, Path]
Item = Union[SourceDocument, InputError]

__all__ = ["assume_written_in", "expand_paths", "iter_sources", "read_file"]


def expand_paths(paths: Iterable[PathLike]) -> Iterator[tuple[str, Optional[Path]]]:
    """Each input in order: ("stdin", None) for "-", ("file", path) for a file and for every file
    under a folder (in `walk` order), ("missing", path) for a path that does not exist."""
    for p in paths:
        if str(p) == "-":
            yield "stdin", None
            continue
        path = Path(p)
        if path.is_dir():
            for file in walk(path):
                yield "file", file
        elif path.exists():
            yield "file", path
        else:
            yield "missing", path


def iter_sources(paths: Iterable[PathLike], *, stdin: Optional[IO] = None,
                 limits: Optional[Limits] = None) -> Iterator[Item]:
    """Every document under ``paths`` in a deterministic order; bad ones as InputError items.
    ``limits`` (default ``Limits()``): a document over one of them is an InputError too."""
    limits = limits or Limits()
    for kind, path in expand_paths(paths):
        if kind == "stdin":
            yield from iter_stdin(stdin, limits=limits)
        elif kind == "missing":
            yield InputError("no such file or directory", path=str(path))
        else:
            yield from _iter_file(path, limits)


def assume_written_in(items: Iterable[Item], year: Optional[int]) -> Iterator[Item]:
    """The items, each document told that it was written in ``year`` (None: as they are). The
    extractor reads it only for a document without a date of its own: a date line or a JSONL
    ``published`` still wins."""
    for item in items:
        if year is not None and isinstance(item, SourceDocument):
            item.written_in = year
        yield item


def read_file(path: PathLike, *, limits: Optional[Limits] = None) -> SourceDocument:
    """One document file (not JSONL, which holds many: use iter_sources). Raises InputError."""
    path = Path(path)
    limits = limits or Limits()
    kind = _sniff(path)
    if kind == detect.JSONL:
        raise InputError("a JSONL file holds several documents: read it with iter_sources", path=str(path))
    return _read_within(path, kind, limits)


def walk(root: Path) -> Iterator[Path]:
    """Files under ``root``, recursively, sorted by name at each level; dot-files are skipped."""
    seen: set[Path] = set()

    def visit(directory: Path) -> Iterator[Path]:
        real = directory.resolve()
        if real in seen:  # a symlink loop
            return
        seen.add(real)
        for child in sorted(directory.iterdir(), key=lambda entry: entry.name):
            if child.name.startswith("."):
                continue
            if child.is_dir():
                yield from visit(child)
            elif child.is_file():
                yield child

    yield from visit(root)


def _iter_file(path: Path, limits: Limits) -> Iterator[Item]:
    try:
        kind = _sniff(path)
        if kind == detect.JSONL:
            from .jsonl import iter_jsonl_file

            yield from iter_jsonl_file(path, limits=limits)  # streamed: a JSONL file is never read whole
            return
        yield _read_within(path, kind, limits)
    except InputError as exc:
        yield exc
    except OSError as exc:
        yield InputError(f"cannot read file ({exc.strerror or exc})", path=str(path))


def _read_within(path: Path, kind: str, limits: Limits) -> SourceDocument:
    """Read one document file within ``limits``: its size (the text's, for .docx and .pdf), what
    a .docx unzips to, and the time budget."""
    try:
        if kind not in (detect.DOCX, detect.PDF):
            limits.check_size(path.stat().st_size, "the file")
        with time_budget(limits.doc_timeout):
            doc = _read(path, b"" if kind in (detect.DOCX, detect.PDF) else _read_bytes(path), kind, limits)
        if kind in (detect.DOCX, detect.PDF):
            limits.check_size(len(doc.text.encode("utf-8")), "its text")
        return doc
    except DocumentTimeout:
        raise InputError(limits.timeout_message("reading it"), path=str(path)) from None
    except ValueError as exc:
        raise InputError(str(exc), path=str(path)) from None


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except IsADirectoryError:
        raise InputError("is a directory: pass it to iter_sources", path=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read file ({exc.strerror or exc})", path=str(path)) from None


def _sniff(path: Path) -> str:
    """The file's kind from its name and its first 4 KiB."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except IsADirectoryError:
        raise InputError("is a directory: pass it to iter_sources", path=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read file ({exc.strerror or exc})", path=str(path)) from None
    try:
        return detect.sniff(path, head)
    except detect.BinaryFileError as exc:
        raise InputError(f"{exc}: {path.name}", path=str(path)) from None


def _read(path: Path, data: bytes, kind: str, limits: Limits) -> SourceDocument:
    try:
        return _READERS[kind](path, data, limits)
    except (UndecodableError, ValueError) as exc:
        raise InputError(str(exc), path=str(path)) from None


def _read_text(path: Path, data: bytes, limits: Limits) -> SourceDocument:
    from .text import read_text

    return read_text(path, data)


def _read_html(path: Path, data: bytes, limits: Limits) -> SourceDocument:
    from .text import read_html

    return read_html(path, data)


def _read_docx(path: Path, data: bytes, limits: Limits) -> SourceDocument:
    from .docx import read_docx

    text, title = read_docx(path, max_unzipped=limits.max_unzipped)
    return build(text, title=title, doc_id=path.stem, source=str(path), path=str(path))


def _read_pdf(path: Path, data: bytes, limits: Limits) -> SourceDocument:
    from .pdf import read_pdf

    text, title, warnings = read_pdf(path)
    return build(text, title=title, warnings=warnings, doc_id=path.stem, source=str(path), path=str(path))


_READERS: dict[str, Callable[[Path, bytes, Limits], SourceDocument]] = {
    detect.TEXT: _read_text, detect.HTML: _read_html, detect.DOCX: _read_docx, detect.PDF: _read_pdf,
}
