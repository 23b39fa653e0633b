"""Target-group token F1 (CONTRACT.md section 4): lower-cased, NFC, split on whitespace and punctuation."""
from __future__ import annotations

import unicodedata
from collections import Counter
from typing import Optional

import regex

_SPLIT = regex.compile(r"[\s\p{P}]+")


def tokens(text: Optional[str]) -> list[str]:
    """The tokens of a group: NFC, lower-cased, split on whitespace and Unicode punctuation."""
    if not text:
        return []
    norm = unicodedata.normalize("NFC", text).lower()
    return [t for t in _SPLIT.split(norm) if t]


def token_f1(pred: Optional[str], gold: Optional[str]) -> float:
    """Multiset token F1 between two groups. Two empty (or null) groups agree (1.0); one empty gives 0.0."""
    p, g = Counter(tokens(pred)), Counter(tokens(gold))
    if not p and not g:
        return 1.0
    common = sum((p & g).values())
    if common == 0:
        return 0.0
    precision = common / sum(p.values())
    recall = common / sum(g.values())
    return 2 * precision * recall / (precision + recall)
