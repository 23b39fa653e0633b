"""Features of one candidate quantity, as a sparse dict name -> value.

The rules' decision and trace are features, so the model learns when to trust them; the words
around the number, of its sentence and of the headline say whose aim it is and whether it is an aim
(a company's plan, a forecast, a price, a past result) in wording no hand list anticipates.
"""
from __future__ import annotations

import bisect
import math
from functools import lru_cache
from typing import Optional

import regex

from ..analysis import Analysis
from ..discourse import SentenceResult
from ..link import Candidate

_WORD = regex.compile(r"[\p{L}\p{N}]+")
LEFT, RIGHT = 8, 6           # syllables read before and after the number
CHUNK = 512                  # candidates whose features are held at once (a target-dense text has tens of thousands)


@lru_cache(maxsize=256)  # a sentence written again, its groups
def words(text: str) -> tuple[str, ...]:
    return tuple(w.lower() for w in _WORD.findall(text))


@lru_cache(maxsize=64)  # the sentences of the candidates of a text
def word_runs(text: str) -> tuple[list[int], list[int], tuple[str, ...]]:
    """Starts, ends and lower-cased texts of the words of `text` (what `words` finds)."""
    found = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    return [a for a, _ in found], [b for _, b in found], tuple(text[a:b].lower() for a, b in found)


def words_before(text: str, at: int, n: int) -> tuple[str, ...]:
    """words(text[:at])[-n:], from the words of the whole text (a word cut at `at` is cut there too)."""
    starts, ends, lowered = word_runs(text)
    k = bisect.bisect_left(ends, at + 1)  # words ending at or before `at`: [0, k)
    out = lowered[max(0, k - n):k]
    if k < len(starts) and starts[k] < at:  # the word around `at`, cut
        out = (out + (text[starts[k]:at].lower(),))[-n:]
    return out


def words_after(text: str, at: int, n: int) -> tuple[str, ...]:
    """words(text[at:])[:n], from the words of the whole text."""
    starts, ends, lowered = word_runs(text)
    k = bisect.bisect_left(starts, at)  # words starting at or after `at`: [k, ...)
    if k > 0 and ends[k - 1] > at:  # the word around `at`, cut
        return ((text[at:ends[k - 1]].lower(),) + lowered[k:k + n])[:n]
    return lowered[k:k + n]


def _year_gap(year: Optional[int], ref: Optional[int]) -> str:
    if year is None:
        return "none"
    if ref is None:
        return "noref"
    gap = year - ref
    if gap < -1:
        return "past"
    if gap > 5:
        return "far"
    return str(gap) if gap <= 1 else "2-5"


def _magnitude(c: Candidate) -> str:
    q = c.q
    if q.kind == "percent":
        v = q.value
        return "100" if v == 100 else ("ge50" if v >= 50 else ("ge10" if v >= 10 else "lt10"))
    if q.value <= 0:
        return "zero"
    return str(min(int(math.log10(q.value)), 14))


class DocContext:
    """What is shared by every candidate of a document: computed once."""

    def __init__(self, a: Analysis) -> None:
        self.a = a
        self.by_sentence: dict[int, SentenceResult] = {r.sentence.index: r for r in a.results}
        title = next((s for s in a.sentences if s.is_title), None)
        self.title_words = set(words(a.norm.match_text[title.start:title.end])) if title else set()
        self._words: dict[int, set[str]] = {}
        self.title_features = {f"T={w}": 0.5 for w in self.title_words}
        self.n_cands = len(a.cands)
        self.n_rule_kept = sum(1 for c in a.cands if c.keep)
        self.doc_flags = [name for name, on in (
            ("official", a.official), ("regulatory", a.regulatory), ("plan_news", a.news_of_plan is not None),
            ("doc_type", a.meta.doc_type is not None), ("doc_numbers", bool(a.meta.doc_numbers)),
            ("period", a.meta.period is not None), ("location", a.meta.names_province),
        ) if on]
        self.doc_features = {f"doc={flag}": 1 for flag in self.doc_flags}

    def sentence_words(self, index: int) -> set[str]:
        if index < 0:
            return set()
        if index not in self._words:
            s = self.a.sentences[index]
            self._words[index] = set(words(self.a.norm.match_text[s.start:s.end]))
        return self._words[index]


READER_PREFIXES = ("gconf", "flag=group", "trace=group.learned", "ghead=", "glast=", "glen=", "G=")


def reader_feature(name: str) -> bool:
    """Whether the feature can change with what the learned group reader says (see ceiling.py)."""
    return name.startswith(READER_PREFIXES)


def _flags(f: dict[str, float], prefix: str, flags) -> None:
    """f["prefix=name"] = 1 for every (name, on) that is on."""
    for name, on in flags:
        if on:
            f[f"{prefix}={name}"] = 1


def group_features(f: dict[str, float], group: str) -> dict[str, float]:
    """The features of a candidate's group text (its words; its first, last, length), added to f."""
    gw = words(group)
    if gw:
        f[f"ghead={gw[0]}"] = 1
        f[f"glast={gw[-1]}"] = 1
        f[f"glen={min(len(gw), 8)}"] = 1
    for w in gw:
        f[f"G={w}"] = 0.5
    return f


def candidate_features(ctx: DocContext, c: Candidate) -> dict[str, float]:
    a = ctx.a
    f: dict[str, float] = {"bias": 1.0}
    kind = c.q.kind
    keep = "keep" if c.keep else "drop"
    f[f"rule={keep}"] = 1
    f[f"kind={kind}|{keep}"] = 1
    for r in c.rules:
        f[f"trace={r}"] = 1
        f[f"trace={r}|{kind}"] = 1
    _flags(f, "flag", (("past", c.past), ("baseline", c.baseline), ("aim", c.aim), ("every_year", c.every_year),
                       ("inferred", c.inferred), ("group", c.group is not None),
                       ("indicator", c.indicator is not None), ("per", bool(c.q.per)),
                       ("range", c.q.value_max is not None), ("in_words", c.q.words)))
    f[f"op={c.op}"] = 1
    f[f"mag={kind}|{_magnitude(c)}"] = 1
    f[f"dl_how={c.deadline_how or 'none'}"] = 1
    gap = _year_gap(c.deadline.year if c.deadline is not None else None, a.ref_year)
    f[f"dl_gap={gap}"] = 1
    f[f"dl_gap={gap}|{kind}"] = 1
    if c.deadline is not None:
        f[f"dl_kind={c.deadline.kind}"] = 1
    # What the learned group reader changes: gconf, flag=group, group_features and the trace
    # group.learned (READER_PREFIXES). ceiling.py bounds exactly these; a new feature that depends on
    # the reader's result must be bounded there too and named there (tests/test_group_ceiling.py).
    if c.group_confidence is not None:  # how sure the learned group reader is of its reading
        f["gconf"] = c.group_confidence
        f[f"gconf={min(int(c.group_confidence * 5), 4)}"] = 1
    if c.group is not None:
        group_features(f, c.group.text)
    s = a.sentences[c.sentence_index]
    _flags(f, "sent", (("heading", s.is_heading), ("title", s.is_title), ("opens_list", s.opens_list),
                       ("list_item", s.list_item)))
    f[f"section={s.section or 'none'}"] = 1
    f[f"pos={'lead' if s.paragraph <= 1 else 'body'}"] = 1
    res = ctx.by_sentence.get(c.sentence_index)
    if res is not None:
        _flags(f, "sres", (("aim_cue", res.aim_cue), ("reports_past", res.reports_past), ("training", res.training),
                           ("funding_ctx", res.funding_ctx), ("continues_list", res.continues_list),
                           ("follows_plan", res.follows_plan), ("lead_in", res.lead_in)))
        f["n_quantities"] = min(len(res.quantities), 10) / 10
    f.update(ctx.doc_features)
    f["doc_cands"] = min(ctx.n_cands, 40) / 40
    f["doc_rule_kept"] = min(ctx.n_rule_kept, 40) / 40
    match = c.view.match
    left = words_before(match, c.q.start, LEFT)
    right = words_after(match, c.q.end, RIGHT)
    for i, w in enumerate(reversed(left)):
        f[f"L={w}"] = 1
        f[f"L={w}|{kind}"] = 1
        if i < 3:
            f[f"L{i}={w}"] = 1
    for a_, b_ in zip(left, left[1:]):
        f[f"L2={a_}_{b_}"] = 1
    for i, w in enumerate(right):
        f[f"R={w}"] = 1
        if i < 2:
            f[f"R{i}={w}"] = 1
    for w in ctx.sentence_words(c.sentence_index):
        f[f"S={w}"] = 0.5
    f.update(ctx.title_features)  # the same for every candidate: made once
    for w in ctx.sentence_words(c.sentence_index - 1):   # the sentence before: who speaks, whose plan
        f[f"P={w}"] = 0.5
    return f
