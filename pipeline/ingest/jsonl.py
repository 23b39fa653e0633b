"""JSONL: one document per line, ``{"id", "text" or "html", "url"?, "title"?, "published"?}``.

A bad line (undecodable bytes, invalid JSON, no text) is yielded as an InputError carrying the
path and line number; the lines after it are still read.
"""
from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Iterable, Iterator, Optional, Union

from ..errors import InputError
from ..limits import DocumentTimeout, Limits, time_budget
from ..source import SourceDocument
from .document import build, from_html, parse_published, refuse_nul
from .encodings import UndecodableError, decode_bytes

Item = Union[SourceDocument, InputError]


def iter_jsonl_bytes(data: bytes, name: str, *, limits: Optional[Limits] = None) -> Iterator[Item]:
    """Documents of JSONL bytes held in memory (see iter_jsonl_file for a file on disk)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 (with BOM) as a whole
        try:
            yield from iter_jsonl_lines(decode_bytes(data, repair=False).text.splitlines(), name, limits=limits)
        except UndecodableError as exc:
            yield InputError(str(exc), path=name)
        return
    yield from iter_jsonl_byte_lines(data.split(b"\n"), name, limits=limits)


def iter_jsonl_file(path: Path, *, limits: Optional[Limits] = None) -> Iterator[Item]:
    """Documents of a JSONL file, streamed line by line (memory stays flat however large it is)."""
    name = str(path)
    with open(path, "rb") as fh:
        if fh.read(2) in (b"\xff\xfe", b"\xfe\xff"):
            fh.seek(0)
            yield from iter_jsonl_lines(io.TextIOWrapper(fh, encoding="utf-16"), name, limits=limits)
            return
        fh.seek(0)
        yield from iter_jsonl_byte_lines(fh, name, limits=limits)


def iter_jsonl_byte_lines(lines: Iterable[bytes], name: str, *, first_line: int = 1,
                          limits: Optional[Limits] = None) -> Iterator[Item]:
    """Decode and parse line by line, so that one bad line names its number and the rest go on."""
    limits = limits or Limits()
    for lineno, raw in enumerate(lines, first_line):
        if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if not raw.strip():
            continue
        try:
            raw = raw.rstrip(b"\r\n")
            limits.check_size(len(raw), "the line")
            decoded = decode_bytes(raw, repair=False)
        except (UndecodableError, ValueError) as exc:
            yield InputError(str(exc), path=name, line=lineno)
            continue
        yield _parse_line(decoded.text, name, lineno, decoded.warnings, limits)


def iter_jsonl_lines(lines: Iterable[str], name: str, *, first_line: int = 1,
                     limits: Optional[Limits] = None) -> Iterator[Item]:
    """Documents of already-decoded JSONL lines (stdin, UTF-16 files)."""
    limits = limits or Limits()
    for lineno, line in enumerate(lines, first_line):
        if not line.strip():
            continue
        try:
            limits.check_size(len(line.rstrip("\r\n").encode("utf-8", "surrogatepass")), "the line")
        except ValueError as exc:
            yield InputError(str(exc), path=name, line=lineno)
            continue
        yield _parse_line(line, name, lineno, [], limits)


def _parse_line(line: str, name: str, lineno: int, warnings: list[str], limits: Limits) -> Item:
    try:
        obj = json.loads(line)
    except ValueError as exc:
        return InputError(f"malformed JSONL line ({exc})", path=name, line=lineno)
    try:
        with time_budget(limits.doc_timeout):  # an "html" field is parsed here
            return document_from_object(obj, name=name, line=lineno, warnings=warnings)
    except ValueError as exc:
        return InputError(str(exc), path=name, line=lineno)
    except DocumentTimeout:
        return InputError(limits.timeout_message("reading it"), path=name, line=lineno)


def document_from_object(obj: object, *, name: str, line: Optional[int], warnings: list[str]) -> SourceDocument:
    """One JSONL object -> SourceDocument; ValueError says what is wrong with it."""
    if not isinstance(obj, dict):
        raise ValueError(f"malformed JSONL line (a JSON object is needed, got {type(obj).__name__})")
    text, html = obj.get("text"), obj.get("html")
    if not isinstance(text, str) and not isinstance(html, str):
        raise ValueError('malformed JSONL line (needs a string "text" or "html" field)')
    for key in ("title", "url"):
        if obj.get(key) is not None and not isinstance(obj[key], str):
            raise ValueError(f'malformed JSONL line ("{key}" must be a string or null)')
    published, date_warning = parse_published(obj.get("published"))
    warnings = warnings + ([date_warning] if date_warning else [])
    doc_id = str(obj["id"]) if obj.get("id") is not None else None
    url = obj.get("url")
    meta = dict(doc_id=doc_id, source=url or name, url=url, path=name, line=line, published=published)
    if not isinstance(text, str):
        from .html import extract_html

        doc = from_html(extract_html(html, url=url), title_key="title" in obj, title=obj.get("title"), **meta)
        doc.warnings[:0] = warnings
        return doc
    refuse_nul(text)
    title = obj.get("title")
    if "title" in obj:
        return build(f"{title or ''}\n{text}", title=title,
                     title_in_text=True, warnings=warnings, **meta)
    return build(text, warnings=warnings, **meta)
