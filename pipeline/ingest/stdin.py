"""``-`` as an input: JSONL when its first non-blank line is a JSON object, else one text document."""
from __future__ import annotations

import itertools
import json
import sys
from typing import IO, Iterator, Optional, Union

from ..errors import InputError
from ..limits import Limits
from ..source import SourceDocument
from .document import build, refuse_nul
from .encodings import UndecodableError, decode_bytes
from .jsonl import iter_jsonl_byte_lines, iter_jsonl_lines

NAME = "<stdin>"


def iter_stdin(stream: Optional[IO], *, limits: Optional[Limits] = None) -> Iterator[Union[SourceDocument, InputError]]:
    """Documents read from ``stream`` (text or binary); default: the process's standard input.
    JSONL is streamed line by line as it arrives; plain text is read whole (one document), up to
    ``limits.max_bytes``."""
    limits = limits or Limits()
    if stream is None:
        stream = getattr(sys.stdin, "buffer", sys.stdin)
    first_line = stream.readline()
    lines = itertools.chain([first_line], iter(stream.readline, b"" if isinstance(first_line, bytes) else ""))
    head: list = []
    for line in lines:
        head.append(line)
        if line.strip():
            break
    if not head or not head[-1].strip():
        yield InputError("standard input is empty", path=NAME)
        return
    first = head[-1].decode("utf-8", "replace") if isinstance(head[-1], bytes) else head[-1]
    if _is_json_object(first.lstrip("\ufeff")):
        if isinstance(head[-1], bytes):
            yield from iter_jsonl_byte_lines(itertools.chain(head, lines), NAME, limits=limits)
        else:
            yield from iter_jsonl_lines((ln.lstrip("\ufeff") for ln in itertools.chain(head, lines)), NAME,
                                        limits=limits)
        return
    empty = b"" if isinstance(head[-1], bytes) else ""
    data = empty.join(head)
    rest = stream.read(max(0, limits.max_bytes + 1 - len(data))) if limits.max_bytes else stream.read()
    data += rest
    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8", "surrogatepass"))
    if limits.max_bytes and size > limits.max_bytes:
        yield InputError(f"standard input is over the limit of {limits.max_bytes:,} bytes (--max-bytes); "
                         "not read further", path=NAME)
        return
    warnings: list[str] = []
    if isinstance(data, bytes):
        try:
            decoded = decode_bytes(data, repair=False)
        except UndecodableError as exc:
            yield InputError(str(exc), path=NAME)
            return
        data, warnings = decoded.text, decoded.warnings
    try:
        refuse_nul(data)
    except ValueError as exc:
        yield InputError(str(exc), path=NAME)
        return
    yield build(data.lstrip("\ufeff"), warnings=warnings, doc_id=None, source=NAME, path=NAME)


def _is_json_object(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False
