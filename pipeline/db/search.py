"""The search model shared by both backends: diacritic folding, tokens, and the query.

Folding and tokenizing happen here, in Python, for SQLite and PostgreSQL alike, so both backends
index and query exactly the same tokens (the parity the tests check). A query is always a list
of plain words: FTS syntax characters (quotes, ``*``, ``-``, ``:``, parentheses, NEAR, AND/OR)
are separators or ordinary words, never operators.
"""
from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, Optional

Kind = Literal["percentage", "funding", "trainees"]
KINDS: tuple[str, ...] = ("percentage", "funding", "trainees")
KIND_COLUMNS = {"percentage": "pct_value", "funding": "funding_amount", "trainees": "trainees_count"}  # set for that kind

MAX_TOKEN_CHARS = 100  # longer "words" (blobs, URLs without punctuation) are not indexed nor searched
_PROVINCE_PREFIXES = ("tinh ", "thanh pho ", "tp ")


@lru_cache(maxsize=1)
def _strip_table() -> dict[int, object]:
    """str.translate table: every non-spacing mark (tone and vowel marks after NFKD) removed, đ -> d."""
    table: dict[int, object] = {cp: None for cp in range(sys.maxunicode + 1)
                                if unicodedata.category(chr(cp)) == "Mn"}
    table[ord("đ")] = "d"
    return table


def fold(text: str) -> str:
    """Lower-case, strip tone and vowel marks, map đ to d: "Cán bộ Đắk Nông" -> "can bo dak nong"."""
    if text.isascii():
        return text.lower()
    return unicodedata.normalize("NFKD", text).lower().translate(_strip_table())


_WORD = re.compile(r"[^\W_]+")  # runs of letters and digits (Unicode categories L*, N*)


def tokens(text: Optional[str]) -> list[str]:
    """The folded words of ``text``, in order (what is indexed and what is searched)."""
    if not text:
        return []
    if len(text) < 120:
        return list(_short_tokens(text))
    return [w for w in _WORD.findall(fold(text)) if len(w) <= MAX_TOKEN_CHARS]


@lru_cache(maxsize=100_000)
def _short_tokens(text: str) -> tuple[str, ...]:  # groups, indicators and titles repeat a lot
    return tuple(w for w in _WORD.findall(fold(text)) if len(w) <= MAX_TOKEN_CHARS)


def key(text: Optional[str]) -> Optional[str]:
    """A folded comparison key: the words joined by single spaces (None when there are none)."""
    joined = " ".join(tokens(text))
    return joined or None


def province_key(location: Optional[str]) -> Optional[str]:
    """The key of a province: folded, without "tỉnh"/"thành phố"/"TP" in front ("Tỉnh Đắk Nông" -> "dak nong")."""
    k = key(location)
    for prefix in _PROVINCE_PREFIXES:
        if k and k.startswith(prefix) and len(k) > len(prefix):
            return k[len(prefix):]
    return k


def group_head(group: Optional[str]) -> Optional[str]:
    """The first one or two words of a target group, lower-case, as written: "cán bộ", "công chức", "gdp"."""
    if not group:
        return None
    first = re.split(r"[,;:()\[\]/]", unicodedata.normalize("NFC", group), maxsplit=1)[0]
    words = re.findall(r"[^\W_]+", first.lower())
    return " ".join(words[:2]) or None


@dataclass(frozen=True)
class SearchQuery:
    """What `chitieu search` asks: plain words plus filters; every filter is optional."""

    text: Optional[str] = None
    group: Optional[str] = None
    year_from: Optional[int] = None
    year_to: Optional[int] = None
    min_pct: Optional[float] = None
    max_pct: Optional[float] = None
    province: Optional[str] = None
    kind: Optional[Kind] = None
    doc_type: Optional[str] = None
    min_confidence: Optional[float] = None   # targets the learned judge gave at least this confidence
    limit: Optional[int] = 20

    # filters the full-text index holds no token for: only SQL applies them
    SQL_ONLY_FILTERS = ("group", "min_pct", "max_pct", "min_confidence")

    def words(self) -> list[str]:
        return tokens(self.text)

    def has_sql_only_filter(self) -> bool:
        return any(getattr(self, name) is not None for name in self.SQL_ONLY_FILTERS)

    def matches_nothing(self) -> bool:
        """Words were given but none can match: each is longer than MAX_TOKEN_CHARS, so never
        indexed (the query must then find nothing, not fall back to the filters alone)."""
        return bool(self.text) and not self.words() and _WORD.search(fold(self.text)) is not None


def filter_sql(q: SearchQuery, ph: str, alias: str = "t") -> tuple[list[str], list]:
    """WHERE conditions (without the full-text part) and their parameters; ``ph`` is the placeholder."""
    conds: list[str] = []
    params: list = []

    def add(cond: str, *values) -> None:
        conds.append(cond.replace("?", ph))
        params.extend(values)

    if q.group and key(q.group):
        add(f"(' ' || {alias}.group_key || ' ') LIKE ? ESCAPE '\\'", f"% {_like_escape(key(q.group))} %")
    if q.year_from is not None:
        add(f"{alias}.deadline_year >= ?", q.year_from)
    if q.year_to is not None:
        add(f"{alias}.deadline_year <= ?", q.year_to)
    if q.min_pct is not None:
        add(f"{alias}.pct_value >= ?", q.min_pct)
    if q.max_pct is not None:
        add(f"{alias}.pct_value <= ?", q.max_pct)
    if q.min_confidence is not None:
        add(f"{alias}.confidence >= ?", q.min_confidence)
    if q.province:
        add(f"{alias}.province_key = ?", province_key(q.province) or "")
    if q.doc_type:
        add(f"{alias}.doc_type_key = ?", key(q.doc_type) or "")
    if q.kind:
        add(f"{alias}.{KIND_COLUMNS[q.kind]} IS NOT NULL")
    return conds, params


def _like_escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
