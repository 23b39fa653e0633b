"""Request parameters -> SearchQuery, with errors that name the parameter (the API and the pages share it)."""
from __future__ import annotations

from typing import Mapping, Optional

from ..db import SearchQuery
from ..db.search import KINDS

TEXT_PARAMS = ("q", "group", "province", "kind", "doc_type")
INT_PARAMS = ("year_from", "year_to")
FILTERS = ("group", "year_from", "year_to", "min_pct", "max_pct", "province", "kind", "doc_type", "min_confidence")
MAX_OFFSET = 10_000  # deeper pages: narrow the search, or `chitieu export`
MAX_TEXT = 500


class BadParameter(ValueError):
    """A request parameter has a value that cannot be used; the message names it."""

    def __init__(self, name: str, message: str) -> None:
        self.name = name
        super().__init__(f"{name}: {message}")


def _number(params: Mapping[str, str], name: str, cast, lo: float, hi: float):
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    try:
        value = cast(raw.replace(",", ".") if cast is float else raw)
    except ValueError:
        raise BadParameter(name, f"{raw[:40]!r} is not a {'whole ' if cast is int else ''}number") from None
    if not lo <= value <= hi:
        raise BadParameter(name, f"{value} is outside {lo:g}..{hi:g}")
    return value


def search_query(params: Mapping[str, str], *, limit: Optional[int]) -> SearchQuery:
    """The SearchQuery of ``params`` (empty values are no filter)."""
    values: dict = {}
    for name in TEXT_PARAMS:
        raw = (params.get(name) or "").strip()
        if len(raw) > MAX_TEXT:
            raise BadParameter(name, f"longer than {MAX_TEXT} characters")
        values[name] = raw or None
    if values["kind"] and values["kind"] not in KINDS:
        raise BadParameter("kind", f"{values['kind'][:40]!r} is not one of {', '.join(KINDS)}")
    for name in INT_PARAMS:
        values[name] = _number(params, name, int, 1900, 2200)
    for name in ("min_pct", "max_pct"):
        values[name] = _number(params, name, float, 0, 100)
    values["min_confidence"] = _number(params, "min_confidence", float, 0, 1)
    text = values.pop("q")
    return SearchQuery(text=text, limit=limit, **values)


def paging(params: Mapping[str, str], *, default: int, most: int) -> tuple[int, int]:
    """(offset, limit) from ``offset``/``limit`` or a 1-based ``page``."""
    limit = _number(params, "limit", int, 1, most) or default
    if params.get("page"):
        offset = (_number(params, "page", int, 1, MAX_OFFSET) - 1) * limit
    else:
        offset = _number(params, "offset", int, 0, MAX_OFFSET) or 0
    if offset > MAX_OFFSET:
        raise BadParameter("page", f"deeper than {MAX_OFFSET} hits: narrow the search")
    return offset, limit
