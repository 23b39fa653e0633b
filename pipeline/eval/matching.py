"""One document: match predicted targets one-to-one to gold targets (CONTRACT.md section 4).

A candidate pair has the same primary quantity (the first non-null of percentage, funding, trainees
on both sides): percentage values within 0.01, else funding amounts within 0.5% of the gold amount,
else equal trainee counts. A pair's preference is its group token F1, plus 0.1 when the deadline years
are equal (both null counts as equal). Pairs are taken greedily, best first; ties go to text order
(gold index, then predicted index).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from .tokens import token_f1

KINDS = ("percentage", "funding", "trainees")
PERCENT_TOLERANCE = 0.01
FUNDING_TOLERANCE = 0.005
DEADLINE_BONUS = 0.1
GROUP_THRESHOLD = 0.5


def primary_kind(target: dict) -> Optional[str]:
    """The kind of a target's primary quantity: the first non-null of percentage, funding, trainees."""
    return next((k for k in KINDS if target.get(k) is not None), None)


def _value(target: dict, kind: str) -> float:
    key = {"percentage": "value", "funding": "amount", "trainees": "count"}[kind]
    return float(target[kind][key])


def same_quantity(pred: dict, gold: dict) -> bool:
    """True when both targets have the same primary quantity (kind and value, within tolerance)."""
    kind = primary_kind(gold)
    if kind is None or primary_kind(pred) != kind:
        return False
    p, g = _value(pred, kind), _value(gold, kind)
    if kind == "percentage":
        return abs(p - g) <= PERCENT_TOLERANCE + 1e-9
    if kind == "funding":
        return abs(p - g) <= FUNDING_TOLERANCE * abs(g) + 1e-9
    return p == g


def deadline_year(target: dict) -> Optional[int]:
    deadline = target.get("deadline")
    return None if not deadline else deadline.get("year")


def primary_op(target: dict) -> Optional[str]:
    kind = primary_kind(target)
    return None if kind is None else (target[kind].get("op") or "=")


@dataclass(frozen=True)
class Pair:
    """A matched (gold, predicted) pair and how its fields compare."""

    gold: int
    pred: int
    group_f1: float
    gold_group_null: bool
    deadline_ok: bool
    op_ok: bool

    @property
    def group_ok(self) -> bool:
        return self.gold_group_null or self.group_f1 >= GROUP_THRESHOLD

    @property
    def full_ok(self) -> bool:
        """The pair counts for full-record F1: deadline year, group (unless gold null) and op agree."""
        return self.deadline_ok and self.group_ok and self.op_ok


@dataclass
class DocMatch:
    """The outcome of matching one document."""

    doc_id: str
    gold: list[dict]
    pred: list[dict]
    pairs: list[Pair] = field(default_factory=list)
    has_prediction: bool = True

    @property
    def missed(self) -> list[int]:
        taken = {p.gold for p in self.pairs}
        return [i for i in range(len(self.gold)) if i not in taken]

    @property
    def spurious(self) -> list[int]:
        taken = {p.pred for p in self.pairs}
        return [j for j in range(len(self.pred)) if j not in taken]


def make_pair(gi: int, pj: int, gold: dict, pred: dict) -> Pair:
    """How predicted target pj compares with gold target gi (whether or not they are matched)."""
    return Pair(gold=gi, pred=pj,
                group_f1=token_f1(pred.get("target_group"), gold.get("target_group")),
                gold_group_null=not gold.get("target_group"),
                deadline_ok=deadline_year(pred) == deadline_year(gold),
                op_ok=primary_op(pred) == primary_op(gold))


def match_targets(doc_id: str, gold: list[dict], pred: list[dict], *, has_prediction: bool = True) -> DocMatch:
    """Match one document's targets greedily, best pairs first, ties in text order."""
    candidates = []
    for gi, g in enumerate(gold):
        for pj, p in enumerate(pred):
            if same_quantity(p, g):
                pair = make_pair(gi, pj, g, p)
                preference = pair.group_f1 + (DEADLINE_BONUS if pair.deadline_ok else 0.0)
                candidates.append((-round(preference, 9), gi, pj, pair))
    candidates.sort(key=lambda c: c[:3])
    result = DocMatch(doc_id=doc_id, gold=gold, pred=pred, has_prediction=has_prediction)
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    for _, gi, pj, pair in candidates:
        if gi not in used_gold and pj not in used_pred:
            used_gold.add(gi)
            used_pred.add(pj)
            result.pairs.append(pair)
    result.pairs.sort(key=lambda p: p.gold)
    return result


def as_dict(obj: Any) -> dict:
    """A gold or predicted document (or target) as a plain dict; pydantic models are dumped."""
    if hasattr(obj, "model_dump"):
        return obj.model_dump(mode="json")
    return obj
