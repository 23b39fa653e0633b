"""Compiled-pattern cache for the small fixed regexes of the hot path (regex's own cache costs
~10 µs a lookup, which adds up over every sentence of a large batch)."""
from __future__ import annotations

from functools import lru_cache

import regex


@lru_cache(maxsize=None)
def P(pattern: str, flags: int = 0) -> regex.Pattern:
    return regex.compile(pattern, flags)
