"""Read gold and prediction files (JSONL) into plain dicts; a bad line is an error naming file:line."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional, Union

from pydantic import ValidationError

from schemas.gold import GoldDocument

from ..errors import GoldError, InputError


def _why(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        err = exc.errors()[0]
        where = ".".join(str(part) for part in err["loc"])
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        msg = err["msg"].removeprefix("Value error, ")
        return f"{where}: {msg}{more}" if where else f"{msg}{more}"
    return str(exc)


def _parse_line(line: str) -> dict:
    obj = json.loads(line)
    if not isinstance(obj, dict):
        raise ValueError(f"expected a JSON object, got {type(obj).__name__}")
    return GoldDocument.model_validate(obj).model_dump(mode="json")


def _read_jsonl(path: Union[str, Path], error: type) -> list[tuple[int, dict]]:
    def fail(lineno: int, why: str):
        if error is InputError:
            return InputError(why, path=str(path), line=lineno)
        return error(f"{path}:{lineno}: {why}")

    docs = []
    try:
        fh = Path(path).open("rb")
    except OSError as exc:
        raise error(f"{path}: cannot read ({exc.strerror or exc})") from exc
    with fh:
        for lineno, raw in enumerate(fh, 1):
            try:
                line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raise fail(lineno, f"not UTF-8 (byte 0x{raw[exc.start]:02x} at column {exc.start + 1})") from None
            if not line.strip():
                continue
            try:
                docs.append((lineno, _parse_line(line)))
            except (ValueError, ValidationError) as exc:
                raise fail(lineno, _why(exc)) from exc
    return docs


SPLITS = ("dev", "test", "holdout")


def load_gold(path: Union[str, Path], *, split: Optional[str] = None) -> list[dict]:
    """The gold documents of a file (CONTRACT.md section 3), optionally only those of one ``split``.

    Raises GoldError("file:line: why") on a malformed line or a repeated doc_id, and GoldError
    when the file holds no document, ``split`` is not a split, or no line has it.
    """
    if split is not None and split not in SPLITS:
        raise GoldError(f"unknown split {split!r}: use one of {', '.join(SPLITS)}")
    seen: dict[str, int] = {}
    docs = []
    splits: set[str] = set()
    for lineno, doc in _read_jsonl(path, GoldError):
        if doc["doc_id"] in seen:
            raise GoldError(f"{path}:{lineno}: doc_id {doc['doc_id']!r} repeats line {seen[doc['doc_id']]}")
        seen[doc["doc_id"]] = lineno
        splits.add(doc.get("split") or "none")
        if split is None or doc.get("split") == split:
            docs.append(doc)
    if not seen:
        raise GoldError(f"{path}: no gold document in the file (it is empty)")
    if not docs:
        raise GoldError(f"{path}: no gold document has split {split!r} (splits here: {', '.join(sorted(splits))})")
    return docs


def load_predictions(path: Union[str, Path]) -> list[dict]:
    """Predicted document records (e.g. `chitieu extract` output). Raises InputError on a bad line."""
    return [doc for _, doc in _read_jsonl(path, InputError)]
