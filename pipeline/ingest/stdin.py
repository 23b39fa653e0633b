"""``-`` as an input: JSONL when its first non-blank line is a JSON object, else one text document."""
from __future__ import annotations

import json
import sys
from typing import IO, Iterator, Optional, Union

from ..errors import InputError
from ..source import SourceDocument
from .document import build
from .encodings import UndecodableError, decode_bytes
from .jsonl import iter_jsonl_lines

NAME = "<stdin>"


def iter_stdin(stream: Optional[IO]) -> Iterator[Union[SourceDocument, InputError]]:
    """Documents read from ``stream`` (text or binary); default: the process's standard input."""
    if stream is None:
        stream = getattr(sys.stdin, "buffer", sys.stdin)
    data = stream.read()
    warnings: list[str] = []
    if isinstance(data, bytes):
        try:
            decoded = decode_bytes(data, repair=False)
        except UndecodableError as exc:
            yield InputError(str(exc), path=NAME)
            return
        data, warnings = decoded.text, decoded.warnings
    data = data.lstrip("\ufeff")
    lines = data.splitlines()
    first = next((line for line in lines if line.strip()), None)
    if first is None:
        yield InputError("standard input is empty", path=NAME)
    elif _is_json_object(first):
        yield from iter_jsonl_lines(lines, NAME)
    else:
        yield build(data, warnings=warnings, doc_id=None, source=NAME, path=NAME)


def _is_json_object(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False
