"""Across sentences: which candidates are targets, the deadline a passage hands on, groups the
text elides, anaphora ("các con số trên đều đạt 100%"), and one target per aim stated twice.
"""
from __future__ import annotations

import bisect
import itertools
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterator, Optional


from .patterns import P

from .link import Candidate, lead_cue
from .match import DeadlineCue, Matchers
from .segment import Sentence


@dataclass
class PassageState:
    passage: int = -1
    cue: Optional[DeadlineCue] = None
    aim: bool = False
    chain: bool = False
    trainees: bool = False
    funding: bool = False
    past: bool = False      # the passage has reported a result: what follows in it is no aim by default


@dataclass(slots=True)
class SentenceResult:
    sentence: Sentence
    cands: list[Candidate]
    cues: list[DeadlineCue]
    aim_cue: bool
    quantities: list = field(default_factory=list)
    lead_in: bool = False
    anaphora: bool = False
    training: bool = False
    continues_list: bool = False
    follows_plan: bool = False      # "Theo đó, ..." right after a sentence reporting a plan's adoption
    reports_past: bool = False      # a past cue before its aim word: "đã hoàn thành những chỉ tiêu đề ra"
    funding_ctx: bool = False
    extra: dict = field(default_factory=dict)
    doc: Any = None                 # the sentence's words (tokenize.WordDoc), kept for the learned group reader


def tokens(s: Optional[str]) -> list[str]:
    return list(_tokens(s)) if s else []


@lru_cache(maxsize=1024)  # dedupe compares each group with up to _AimIndex.MAX_TARGETS others
def _tokens(s: str) -> tuple[str, ...]:
    return tuple(t for t in P(r"[\s\p{P}]+").split(unicodedata.normalize("NFC", s).lower()) if t)


def token_f1(a: Optional[str], b: Optional[str]) -> float:
    ta, tb = (_tokens(a) if a else ()), (_tokens(b) if b else ())
    if not ta or not tb:
        return 0.0
    common = 0
    pool = list(tb)
    for t in ta:
        if t in pool:
            pool.remove(t)
            common += 1
    if not common:
        return 0.0
    p, r = common / len(ta), common / len(tb)
    return 2 * p * r / (p + r)


def decide(results: list[SentenceResult], m: Matchers, period_end: Optional[int], *, official: bool = False,
           regulatory: bool = False, news_of_plan: Optional[int] = None) -> list[Candidate]:
    """Walk the sentences in order, carrying passage state; mark each candidate kept or not.
    `news_of_plan`: the index of the sentence by which a news item reports a plan's adoption."""
    state = PassageState()
    kept: list[Candidate] = []
    for res in results:
        s = res.sentence
        if s.passage != state.passage:
            state = PassageState(passage=s.passage)
        for c in res.cands:
            _decide_one(c, res, state, m, period_end, official and not regulatory,
                        news_of_plan is not None and s.index > news_of_plan)
            if regulatory and c.keep and not m.past_strong_override.search(c.view, 0, c.q.start):
                c.keep = False  # a law's thresholds are rules; only what it states as an aim counts
        _fill_elided_groups(res.cands)
        kept.extend(res.cands)
        cue = lead_cue(res.cues, res.quantities)
        if cue is not None and not s.is_title and (not s.list_item or s.opens_list):
            state.cue = cue  # an item's own cue dates that item only (unless it leads a list of its own)
        kept_here = any(c.keep for c in res.cands)
        dated_past = cue is not None and cue.kind == "at" and res.reports_past  # "năm học 2015-2016, ... đã hoàn thành chỉ tiêu"
        if (res.aim_cue and not dated_past and (cue is not None or res.lead_in or kept_here)) or res.lead_in:
            state.aim = True
        if kept_here or res.lead_in or (res.aim_cue and cue is not None and not res.cands):
            state.chain = True
        elif res.quantities:
            state.chain = False  # numbers that are not aims end a list of aims
        state.past = state.past or any(c.past for c in res.cands)
        if res.quantities:  # a sentence without numbers (a caption, a remark) does not end a breakdown
            state.trainees = any(c.keep and c.q.kind == "count" for c in res.cands)
            state.funding = any(c.keep and c.q.kind == "money" for c in res.cands)
    return kept


def _decide_one(c: Candidate, res: SentenceResult, state: PassageState, m: Matchers, period_end: Optional[int],
                official: bool = False, after_plan_news: bool = False) -> None:
    s = res.sentence
    if c.past and c.q.kind == "money" and _allocation(c, m) and m.past_strong.search(c.view, 0, c.q.start) is None:
        c.past = False  # money allocated to the plan counts even when reported in the past tense
    if s.is_title or c.past or c.baseline:
        c.keep = False
        return
    if not drop_relative_deadline(c) and c.deadline is None and state.cue is not None:
        if state.cue.kind == "relative":
            c.deadline_how = "relative"
        else:
            c.deadline, c.deadline_how = state.cue, "passage"
    # an aim carries over from the sentence before (a lead-in, or a sentence that set aims) when
    # this one has no cue of its own and takes the passage's deadline
    reasons = [name for name, ok in (
        ("aim.sentence", c.aim),
        ("aim.passage", state.aim and state.chain and c.deadline_how in ("passage", "")),
        ("aim.section", s.section == "aim"),
        ("aim.follows_plan", res.follows_plan),
        ("aim.official_text", official and s.section == "" and not s.is_title),
        ("aim.plan_news", after_plan_news and s.section == "" and not state.past
         and not any(o.past for o in res.cands)),
    ) if ok]
    if s.section == "past" and not c.aim:
        reasons = []
    aim = bool(reasons)
    if reasons:
        c.rules.append(reasons[0])  # why this number was read as an aim
    kind = c.q.kind
    if kind == "percent":
        c.keep = aim
    elif kind == "money":
        breakdown = (res.continues_list and state.funding) or any(
            o.keep and (o.q.kind == "money" or ";" not in c.view.match[min(o.q.end, c.q.end):max(o.q.start, c.q.start)])
            for o in res.cands if o is not c)  # a breakdown, or the money that pays for an aim of its clause
        plan_budget = m.funding_plan_nouns.search(c.view, max(0, c.q.start - 90), c.q.start) is not None
        c.keep = _funding_near(c, m) and (aim or _allocation(c, m) or plan_budget or breakdown) and not _not_funding(c, m)
    else:
        c.keep = aim and (res.training or (state.trainees and res.continues_list)) and not _founded(c, m)
    if c.keep:
        period_deadline(c, period_end)
    c.rules.append(f"deadline.{c.deadline_how or 'none'}")


def drop_relative_deadline(c: Candidate) -> bool:
    """A relative cue ("trong 3 năm tới") gives no year: True when c had one (now dropped)."""
    if c.deadline is not None and c.deadline.kind == "relative":
        c.deadline, c.deadline_how = None, "relative"
        return True
    return False


def period_deadline(c: Candidate, period_end: Optional[int]) -> None:
    """A target with no deadline of its own, not relative nor repeated every year, is due at the end
    of the plan period."""
    if c.deadline is None and c.deadline_how != "relative" and not c.every_year and period_end:
        c.deadline_how = "period"


def settle_deadline(c: Candidate, period_end: Optional[int]) -> None:
    """The deadline a candidate has once a judge keeps it: no year from a relative cue; with no
    deadline of its own, the end of the plan period (what the rules already gave the ones they kept)."""
    drop_relative_deadline(c)
    period_deadline(c, period_end)


def _founded(c: Candidate, m: Matchers) -> bool:
    """'thành lập mới 30 hợp tác xã', 'bố trí ít nhất 1 bác sĩ': organizations founded or staff
    assigned are not people reached."""
    start = max(0, c.q.start - 30)
    hit = None
    for h in m.not_reach.finditer(c.view, start, c.q.start):
        hit = h
    return hit is not None and len(c.view.match[hit.end:c.q.start].split()) <= 3


def _allocation(c: Candidate, m: Matchers) -> bool:
    return m.funding_allocation.search(c.view, 0, c.q.start) is not None


def _funding_near(c: Candidate, m: Matchers) -> bool:
    """Money is funding when a funding word stands in its clause, shortly before it (anywhere
    before it for a rate: "mức hỗ trợ tính theo ... nhưng tối đa không quá 4.500.000 đồng/người/khóa"),
    or its source follows it ("gần 36 tỷ đồng từ nguồn xã hội hóa")."""
    semi = c.view.match.rfind(";", 0, c.q.start)
    start = semi + 1 if c.q.per else max(semi + 1, c.q.start - 90)
    source = m.funding_source_after.search(c.view, c.q.end, min(len(c.view.match), c.q.end + 16))
    return (m.funding_context.search(c.view, start, c.q.start) is not None
            or m.funding_allocation.search(c.view, start, c.q.start) is not None
            or (source is not None and c.view.match[c.q.end:source.start].strip(" ,") == ""))


def _not_funding(c: Candidate, m: Matchers) -> bool:
    """Money that is not spent on a plan: a not-funding word ("doanh thu", "nợ vay") is the last
    money word before it; or a result "đạt 41.000 tỷ đồng" with no aim word before it."""
    start = max(0, c.q.start - 120)
    hits = list(m.not_funding.finditer(c.view, start, c.q.start))
    if not hits:
        return _reached_amount(c, m)
    hit = hits[-1]
    ctx = None
    for h in m.funding_context.finditer(c.view, start, c.q.start):
        if not any(n.start <= h.start < n.end for n in hits):  # "vay" inside "nợ vay" is no funding word
            ctx = h
    return ctx is None or ctx.start < hit.start or _reached_amount(c, m)


def _reached_amount(c: Candidate, m: Matchers) -> bool:
    before = c.view.match[max(0, c.q.start - 20):c.q.start]
    return bool(P(r"\bđạt(?:\s+(?:khoảng|gần|hơn|trên|mức))?\s*$").search(before)) and not c.aim


def _fill_elided_groups(cands: list[Candidate]) -> None:
    """A percentage with no group: the group written later in its list, else the first group of its line."""
    for i, c in enumerate(cands):
        if not c.keep or c.group is not None or c.q.kind != "percent":
            continue
        later = next((n for n in cands[i + 1:] if n.q.kind == "percent" and n.group is not None), None)
        if later is not None and ";" not in c.view.match[c.q.end:later.q.start]:
            c.group = later.group
            c.rules.append("group.from_later")
            if c.indicator is None:
                c.indicator = later.indicator
            continue
        earlier = next((p for p in cands[:i] if p.group is not None and (p.q.kind == "percent" or "trong đó" in c.view.match[p.q.end:c.q.start])), None)
        if earlier is not None:
            c.group = earlier.group
            c.rules.append("group.from_earlier")


def _group_from_count(cands: list[Candidate]) -> None:
    """'cử 10 - 15 công chức trẻ ... với kinh phí khoảng 2 tỷ đồng/năm': money with no group pays
    for the people counted just before it in its clause."""
    for i, c in enumerate(cands):
        if c.q.kind != "money" or c.group is not None or not c.keep:
            continue
        for p in reversed(cands[:i]):
            if p.view is c.view and p.q.kind == "count" and p.group is not None and ";" not in c.view.match[p.q.end:c.q.start]:
                c.group = p.group
                c.rules.append("group.from_count")
                break


def merge_pairs(cands: list[Candidate]) -> list[Candidate]:
    """Funding and the trainee count it pays for, in one clause, form one target; so do a
    percentage and the head count in brackets after it ("20% người DTTS (khoảng 11.700 người)")."""
    _group_from_count(cands)
    out: list[Candidate] = []
    skip: set[int] = set()
    for i, c in enumerate(cands):
        if i in skip:
            continue
        if i + 1 < len(cands):
            n = cands[i + 1]
            same = n.view is c.view and ";" not in c.view.match[c.q.end:n.q.start]
            gap = c.view.match[c.q.end:n.q.start]
            if same and c.keep and c.q.kind == "money" and n.q.kind == "count" and len(gap.split()) <= 30:
                c.trainees = n.q
                if n.group is not None:
                    c.group = n.group
                skip.add(i + 1)
            elif same and c.keep and c.q.kind == "percent" and n.q.kind == "count" and P(r"[^()]*\(\s*(?:khoảng|gần|hơn|trên|với)?\s*").fullmatch(gap):
                c.trainees = n.q
                skip.add(i + 1)
        if c.keep:
            out.append(c)
    return out


def dedupe(cands: list[Candidate], rank) -> list[Candidate]:
    """A target stated twice is one target, read from its best statement (body over lead,
    heading or caption; the more precise number for money).

    Each statement is compared only with earlier ones of the same kind whose value could match
    (`_AimIndex`), the earliest target first, as an all-pairs scan would; `rank` runs once each."""
    ranks = [rank(c) for c in cands]
    out: list[Candidate] = []
    best: list[int] = []  # index in cands of the statement out[i] is read from
    index = _AimIndex()
    for k, c in enumerate(cands):
        i = next((g for g, members in index.near(c)
                  if any(_same_aim(cands[j], c, restated=min(ranks[j], ranks[k]) < 3) for j in members)), None)
        if i is None:
            i = len(out)
            out.append(c)
            best.append(k)
        else:
            d = best[i]
            if ranks[k] > ranks[d] or (ranks[k] == ranks[d] and cands[d].inferred and not c.inferred):
                out[i], best[i] = c, k
        index.add(c, k, i)
    return out


class _AimIndex:
    """Statements merged so far, by kind (and currency) and value, so that a new statement meets
    only those `_same_aim` could accept: a value within 0.01 (10% for money).

    `near` yields (target, statements of it with such a value) by target in order of appearance,
    at most `MAX_TARGETS` of them: a text repeating one value for thousands of different groups
    costs linear time, not quadratic (no real text comes near it)."""

    MAX_TARGETS = 256

    def __init__(self) -> None:
        self.values: dict[tuple, list[float]] = {}  # sorted distinct values per kind
        self.at: dict[tuple, dict[int, list[int]]] = {}  # (kind, value) -> target -> statements

    @staticmethod
    def _kind(c: Candidate) -> tuple:
        return (c.q.kind, c.q.currency if c.q.kind == "money" else None)

    @staticmethod
    def _range(c: Candidate) -> tuple[float, float]:
        v = c.q.value
        if c.q.kind == "money":  # (hi - lo) / hi <= 0.1, with room for rounding
            return v * 0.9 * (1 - 1e-9), v / 0.9 * (1 + 1e-9)
        return v - 0.01 - 1e-9, v + 0.01 + 1e-9

    def add(self, c: Candidate, k: int, target: int) -> None:
        kind = self._kind(c)
        key = kind + (c.q.value,)
        if key not in self.at:
            self.at[key] = {}
            bisect.insort(self.values.setdefault(kind, []), c.q.value)
        self.at[key].setdefault(target, []).append(k)

    def near(self, c: Candidate) -> Iterator[tuple[int, Iterator[int]]]:
        kind = self._kind(c)
        values = self.values.get(kind, [])
        lo, hi = self._range(c)
        first = bisect.bisect_left(values, lo)
        last = min(bisect.bisect_right(values, hi), first + self.MAX_TARGETS)
        buckets = [self.at[kind + (v,)] for v in values[first:last]]
        targets: set[int] = set()
        for bucket in buckets:
            targets.update(itertools.islice(bucket, self.MAX_TARGETS))
        for t in sorted(targets)[:self.MAX_TARGETS]:
            yield t, itertools.chain.from_iterable(b.get(t, ()) for b in buckets)


def _same_aim(a: Candidate, b: Candidate, *, restated: bool = False) -> bool:
    """Same kind, value and deadline, and groups that agree. `restated`: one of the two is a
    headline, subheading or lead, where a group left unsaid does not make another aim."""
    if a.q.kind != b.q.kind:
        return False
    if a.sentence_index == b.sentence_index and not (a.inferred or b.inferred):
        return False  # a sentence does not restate its own aims
    if a.q.kind == "money":
        if a.q.currency != b.q.currency:
            return False
        hi, lo = max(a.q.value, b.q.value), min(a.q.value, b.q.value)
        if hi == 0 or (hi - lo) / hi > (0.005 if a.q.op == b.q.op == "=" else 0.1):
            return False
    elif abs(a.q.value - b.q.value) > 0.01:
        return False
    ya = a.deadline.year if a.deadline else None
    yb = b.deadline.year if b.deadline else None
    if ya is not None and yb is not None and ya != yb:
        return False
    ga, gb = a.group.text if a.group else None, b.group.text if b.group else None
    if ga and gb:  # one group inside the other, with the same head ("Chi hội trưởng" / "Chi hội trưởng
        # Phụ nữ"; not "xã" / "trạm y tế xã"), or very close
        la, lb = _tokens(ga), _tokens(gb)
        ta, tb = set(la), set(lb)
        return ((ta <= tb or tb <= ta) and la[:1] == lb[:1]) or token_f1(ga, gb) >= 0.75
    if a.q.kind == "percent" and (ga or gb) and not (a.inferred or b.inferred) and not restated:
        return (a.indicator and b.indicator and token_f1(a.indicator.text, b.indicator.text) >= 0.5) or False
    return True
