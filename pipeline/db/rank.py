"""The ranking of SQLite's filtered full-text candidates in Python (see SQLiteStore.scored).

BM25 term saturation and length normalization (k1=1.2, b=0.75) with the field weights of
schema.FTS_FIELDS; no IDF (every candidate holds every word). A target's score is 0.0 plus its terms,
added one by one, field by field (group, indicator, evidence, title), each field's terms in the order
of the query's words; a word missing from a field adds nothing (adding 0.0 changes no float).

The work is done a column at a time, by map() over all candidates (no Python loop per target): a
group and indicator pair, and their sum, repeat; so do titles. A word w is counted in a field's text
as the occurrences of " w " in " text ": every fts_* text is words joined by single spaces (see
sqlite._with_dj_words), so each occurrence is one word, unless two occurrences overlap (w right after
w): where the texts hold "w w", the texts are split instead. The number of words of a text is its
spaces plus one (a text that starts with a space, which _with_dj_words writes only when none of the
folded words are left, holds none of the query's words: its length is never used).
"""
from __future__ import annotations

from bisect import bisect_right
from itertools import repeat
from operator import add, neg
from typing import Optional, Sequence

from . import schema

AVG_LEN = (4.0, 6.0, 25.0, 12.0)  # typical words per field (group, indicator, evidence, title)
_SEP = "\0"  # between texts joined for one split; no word holds it


class _Terms(dict):
    """(tf, spaces) -> the term of a word found tf times in a text of spaces + 1 words, in one field."""

    def __init__(self, field: int) -> None:
        super().__init__()
        self.weight = schema.FTS_FIELDS[field][2]
        self.avg = AVG_LEN[field]

    def __missing__(self, key: tuple[int, int]) -> float:
        tf, spaces = key
        norm = 1.2 * (0.25 + 0.75 * (spaces + 1) / self.avg)
        value = self[key] = self.weight * tf * 2.2 / (tf + norm) if tf else 0.0
        return value


def field_terms(words: Sequence[str], texts: Sequence[str], field: int) -> list[list[float]]:
    """For each word, its term in each of ``texts`` (strings, "" for none) of one field."""
    if not texts:
        return [[] for _ in words]
    terms = _Terms(field)
    joined = f" {_SEP} ".join(texts)
    if joined.count(_SEP) == len(texts) - 1:
        padded = f" {joined} ".split(_SEP)
    else:  # pragma: no cover - no fts_* text holds the separator
        padded = [f" {t} " for t in texts]
    spaces = list(map(str.count, texts, repeat(" ")))
    out = []
    joined = f" {joined} "  # a text's first and last words are between spaces too
    for w in words:
        if f" {w} {w} " in joined:
            tfs = [t.split().count(w) for t in texts]
        else:
            tfs = map(str.count, padded, repeat(f" {w} "))
        out.append(list(map(terms.__getitem__, zip(tfs, spaces))))
    return out


def _add(scores: list[float], terms: list[list[float]]) -> list[float]:
    for column in terms:
        scores = list(map(add, scores, column))
    return scores


def _by_value(words: Sequence[str], values: Sequence[str], field: int) -> list[list[float]]:
    """field_terms of texts that repeat: computed once per distinct text."""
    distinct = list(set(values))
    return [list(map(dict(zip(distinct, column)).__getitem__, values))
            for column in field_terms(words, distinct, field)]


def _most(words: Sequence[str], field: int) -> float:
    """More than the terms of ``words`` in any text of one field can add up to: a word's term grows with
    its count tf, toward weight * 2.2 / (1 + 1.2 * 0.75 / avg) (tf words in a text of tf words)."""
    weight = schema.FTS_FIELDS[field][2]
    return len(words) * weight * 2.2 / (1 + 1.2 * 0.75 / AVG_LEN[field])


def ranking(words: Sequence[str], ids: Sequence[int], doc_ids: Sequence[str], positions: Sequence[int],
            groups: Sequence[Optional[str]], indicators: Sequence[Optional[str]],
            evidences: Sequence[Optional[str]], titles: Sequence[Optional[str]],
            top: Optional[int] = None) -> list[tuple]:
    """(-score, doc_id, position, id) of the targets (columns of candidates), best first: the first
    ``top`` of them (all when None).

    With ``top``, only the candidates that may be among the first ``top`` get their evidence counted:
    the group, indicator and title of every candidate are scored (they repeat), the evidence adds at
    most ``_most`` (a bound independent of the text); the candidates with the highest group,
    indicator and title are scored in full first, and the ``top``-th best of those full scores is
    a score that at least ``top`` candidates reach, so a candidate whose bound stays below it cannot
    be among the first ``top``."""
    n = len(ids)
    groups, indicators, evidences, titles = (
        [t or "" for t in column] if None in column else column for column in (groups, indicators, evidences, titles))
    pairs = list(zip(groups, indicators))
    distinct = list(set(pairs))
    pair_sums = _add([0.0] * len(distinct), field_terms(words, [g for g, _ in distinct], 0)
                     + field_terms(words, [i for _, i in distinct], 1))
    base = list(map(dict(zip(distinct, pair_sums)).__getitem__, pairs))
    title_terms = _by_value(words, titles, 3)
    if top is None or top >= n:
        chosen: Sequence[int] = range(n)
        scores = _scores(words, chosen, base, evidences, title_terms)
    else:
        bound = _add(base, title_terms)  # group + indicator + title (summed in another order: a bound only)
        chosen = sorted(range(n), key=bound.__getitem__, reverse=True)
        scores = _scores(words, chosen[:top], base, evidences, title_terms)
        least = min(scores)
        least -= _most(words, 2) + 1e-9 * (1 + abs(least))  # (a margin for the other order of the sums)
        cut = bisect_right(sorted(map(neg, bound)), -least)  # the candidates whose bound reaches least
        scores += _scores(words, chosen[top:cut], base, evidences, title_terms)
        chosen = chosen[:cut]
    ranked = sorted(zip(map(neg, scores), *(list(map(c.__getitem__, chosen)) for c in (doc_ids, positions, ids))))
    return ranked if top is None else ranked[:top]


def _scores(words: Sequence[str], chosen: Sequence[int], base: list[float], evidences: Sequence[str],
            title_terms: list[list[float]]) -> list[float]:
    """The full scores of the candidates ``chosen`` (indexes), from their group + indicator sums."""
    scores = list(map(base.__getitem__, chosen))
    scores = _add(scores, field_terms(words, list(map(evidences.__getitem__, chosen)), 2))
    return _add(scores, [list(map(column.__getitem__, chosen)) for column in title_terms])


def score(words: Sequence[str], group: Optional[str], indicator: Optional[str], evidence: Optional[str],
          title: Optional[str]) -> float:
    """The score of one target (what ``ranking`` computes for many)."""
    return -ranking(words, [0], [""], [0], [group], [indicator], [evidence], [title])[0][0]
