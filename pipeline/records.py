"""Turn a linked candidate into a validated Target (schemas/records.py). Evidence offsets index the
normalized text exactly, and carry the raw-input offsets as well."""
from __future__ import annotations

from typing import Optional

from schemas import Deadline, Evidence, Funding, Percentage, Target, Trainees

from .link import Candidate
from .normalize import NormalizedText
from .numbers import Quantity
from .segment import Sentence


def _number(v: float) -> float:
    r = round(v, 4)
    return int(r) if r == int(r) else r


def _percentage(q: Quantity) -> Percentage:
    return Percentage(value=_number(q.value), op=q.op, value_max=_number(q.value_max) if q.value_max is not None else None)


def _funding(q: Quantity) -> Funding:
    return Funding(amount=_number(q.value), currency=q.currency or "VND", op=q.op, per=q.per,
                   amount_max=_number(q.value_max) if q.value_max else None)


def _trainees(q: Quantity) -> Trainees:
    return Trainees(count=int(q.value), op=q.op, unit=q.unit or "người",
                    count_max=int(q.value_max) if q.value_max else None)


def _deadline(c: Candidate, period_end: Optional[int]) -> Optional[Deadline]:
    if c.deadline is not None:
        d = c.deadline
        return Deadline(year=d.year, month=d.month, day=d.day, text=d.text)
    if c.deadline_how == "period" and period_end:
        return Deadline(year=period_end)
    return None


def build_target(c: Candidate, sentence: Sentence, norm: NormalizedText, period_end: Optional[int]) -> Target:
    q = c.q
    percentage = funding = trainees = None
    if q.kind == "percent":
        percentage = _percentage(q)
    elif q.kind == "money":
        funding = _funding(q)
    else:
        trainees = _trainees(q)
    if c.trainees is not None:
        trainees = _trainees(c.trainees)
    start, end = sentence.start, sentence.end
    raw_start, raw_end = norm.to_raw(start, end)
    return Target(
        percentage=percentage,
        target_group=c.group.text if c.group else None,
        deadline=_deadline(c, period_end),
        funding=funding,
        trainees=trainees,
        indicator=c.indicator.text if c.indicator else None,
        evidence=Evidence(text=norm.text[start:end], start=start, end=end, raw_start=raw_start, raw_end=raw_end),
        inferred=c.inferred,
        confidence=None if c.confidence is None else round(c.confidence, 3),
        rules=[f"{q.kind}"] + c.rules,
    )
