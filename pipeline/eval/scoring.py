"""The scorer (CONTRACT.md section 4): gold and predicted documents in, a Report out. Pure: no I/O.

Conventions where a ratio has an empty denominator: precision with no predicted target is 1.0 only
when there is no gold target either (else 0.0); recall with no gold target is 1.0; the ratios over
matched pairs (deadline, group, op) and doc-number recall are None ("n/a") when nothing was counted.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any, Iterable, Optional

from .matching import KINDS, DocMatch, as_dict, match_targets, primary_kind


@dataclass
class PRF:
    """Precision / recall / F1 from counts."""

    matched: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        if self.predicted == 0:
            return 1.0 if self.gold == 0 else 0.0
        return self.matched / self.predicted

    @property
    def recall(self) -> float:
        return 1.0 if self.gold == 0 else self.matched / self.gold

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)

    def to_dict(self) -> dict:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1,
                "matched": self.matched, "predicted": self.predicted, "gold": self.gold}


@dataclass
class Ratio:
    """A mean or accuracy: ``total`` (a count or a sum of scores) over ``count`` items."""

    total: float = 0.0
    count: int = 0

    @property
    def value(self) -> Optional[float]:
        return None if self.count == 0 else self.total / self.count

    def to_dict(self) -> dict:
        return {"value": self.value, "total": self.total, "count": self.count}


@dataclass
class Report:
    """Every figure of a run, overall and per field, with the per-document matches behind them."""

    documents: list[DocMatch] = field(default_factory=list)
    targets: PRF = field(default_factory=PRF)
    full_record: PRF = field(default_factory=PRF)
    per_kind: dict[str, PRF] = field(default_factory=lambda: {k: PRF() for k in KINDS})
    deadline: Ratio = field(default_factory=Ratio)
    group_f1: Ratio = field(default_factory=Ratio)
    group_ok: Ratio = field(default_factory=Ratio)
    op: Ratio = field(default_factory=Ratio)
    doc_numbers: Ratio = field(default_factory=Ratio)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "documents": len(self.documents),
            "headline_full_record_f1": self.full_record.f1,
            "targets": self.targets.to_dict(),
            "full_record": self.full_record.to_dict(),
            "per_kind": {k: v.to_dict() for k, v in self.per_kind.items()},
            "deadline_accuracy": self.deadline.to_dict(),
            "group_f1": self.group_f1.to_dict(),
            "group_ok": self.group_ok.to_dict(),
            "op_accuracy": self.op.to_dict(),
            "doc_number_recall": self.doc_numbers.to_dict(),
            "per_document": [_doc_counts(d) for d in self.documents],
            "notes": list(self.notes),
        }


def _doc_counts(doc: DocMatch) -> dict:
    return {"doc_id": doc.doc_id, "gold": len(doc.gold), "predicted": len(doc.pred),
            "matched": len(doc.pairs), "full": sum(p.full_ok for p in doc.pairs),
            "has_prediction": doc.has_prediction}


def _norm_doc_number(number: str) -> str:
    return "".join(unicodedata.normalize("NFC", number).split()).casefold()


def doc_number_hits(gold_numbers: list[str], pred_numbers: list[str]) -> int:
    """How many gold document numbers occur among the predicted ones (no spaces, any case)."""
    predicted = {_norm_doc_number(n) for n in pred_numbers}
    return sum(_norm_doc_number(n) in predicted for n in gold_numbers)


def _index_predictions(pred_docs: Iterable[Any], gold_ids: set[str], notes: list[str]) -> dict[str, dict]:
    index: dict[str, dict] = {}
    ignored: list[str] = []
    for doc in pred_docs:
        doc = as_dict(doc)
        doc_id = doc.get("doc_id")
        if doc_id not in gold_ids:
            ignored.append(str(doc_id))
        elif doc_id in index:
            notes.append(f"duplicate prediction for {doc_id}: the first one is scored")
        else:
            index[doc_id] = doc
    if ignored:
        shown = ", ".join(ignored[:5]) + (", ..." if len(ignored) > 5 else "")
        notes.append(f"{len(ignored)} predicted document(s) absent from gold were ignored ({shown})")
    return index


def _add_document(report: Report, doc: DocMatch) -> None:
    report.documents.append(doc)
    report.targets.matched += len(doc.pairs)
    report.targets.predicted += len(doc.pred)
    report.targets.gold += len(doc.gold)
    report.full_record.matched += sum(p.full_ok for p in doc.pairs)
    report.full_record.predicted += len(doc.pred)
    report.full_record.gold += len(doc.gold)
    for target in doc.gold:
        report.per_kind[primary_kind(target)].gold += 1
    for target in doc.pred:
        report.per_kind[primary_kind(target)].predicted += 1
    for pair in doc.pairs:
        report.per_kind[primary_kind(doc.gold[pair.gold])].matched += 1
        report.deadline.total += pair.deadline_ok
        report.deadline.count += 1
        report.op.total += pair.op_ok
        report.op.count += 1
        report.group_ok.total += pair.group_ok
        report.group_ok.count += 1
        if not pair.gold_group_null:
            report.group_f1.total += pair.group_f1
            report.group_f1.count += 1


def score(gold_docs: Iterable[Any], pred_docs: Iterable[Any]) -> Report:
    """Score predicted documents against gold ones (dicts or pydantic models, keyed by ``doc_id``).

    Gold documents with no prediction count as all-missed; predicted documents absent from gold
    are ignored, and both facts are written into ``Report.notes``.
    """
    gold_list = [as_dict(g) for g in gold_docs]
    report = Report()
    index = _index_predictions(pred_docs, {g["doc_id"] for g in gold_list}, report.notes)
    unpredicted = []
    for gold in gold_list:
        pred = index.get(gold["doc_id"])
        if pred is None:
            unpredicted.append(gold["doc_id"])
        pred_targets = [] if pred is None else [as_dict(t) for t in pred.get("targets") or []]
        gold_targets = [as_dict(t) for t in gold.get("targets") or []]
        doc = match_targets(gold["doc_id"], gold_targets, pred_targets, has_prediction=pred is not None)
        _add_document(report, doc)
        gold_numbers = ((gold.get("plan") or {}).get("doc_numbers")) or []
        pred_numbers = (((pred or {}).get("plan") or {}).get("doc_numbers")) or []
        report.doc_numbers.total += doc_number_hits(gold_numbers, pred_numbers)
        report.doc_numbers.count += len(gold_numbers)
    if unpredicted:
        shown = ", ".join(unpredicted[:5]) + (", ..." if len(unpredicted) > 5 else "")
        report.notes.append(f"{len(unpredicted)} gold document(s) had no prediction and count as all-missed ({shown})")
    return report
