"""Train the learned choice of the plan period (pipeline.learn.period) from real gold and measure it
by document-level cross-validation on the judge's folds.

    examples = period_examples(docs, reader)        # every period candidate of every gold document
    cv = cross_validate(examples, folds)            # a model per fold, the out-of-fold choices
    reanalyze(docs, cv, extractor)                  # the judge then learns on out-of-fold periods
    model = fit_model(examples)                     # the shipped model, on every document

Only documents with gold targets teach it: a document without targets has no period to give them,
and its annotators did not always write one.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Optional, Sequence

from .dataset import DocExamples, features, label
from .logistic import fit_logistic
from .period import Period, PeriodCandidate, PeriodModel, PeriodReader

MIN_WEIGHT = 1e-4   # the model is small: 1,173 weights on the 1,256 documents
C = 1.0   # out of fold, 5 folds, 3 fold seeds: C 0.3 / 1 / 3 agree with the gold period in 0.783 / 0.788 / 0.793 (README)


@dataclass
class PeriodExample:
    source: str                          # the gold file's name (to report per set)
    cands: list[PeriodCandidate]
    feats: list[dict[str, float]]
    labels: list[int]                    # 1: the candidate is the gold period
    gold: Optional[Period]
    rules: Optional[Period]
    teaches: bool                        # the document has gold targets


def _gold_period(gold: dict) -> Optional[Period]:
    p = (gold.get("plan") or {}).get("period")
    return (int(p["start"]), int(p["end"])) if p else None


def period_examples(docs: list[DocExamples], reader: PeriodReader) -> list[PeriodExample]:
    """One example per document, from its analysis by an extractor without a period model (the
    rules' period in `meta.period`)."""
    out = []
    for d in docs:
        a = d.analysis
        text, gold = a.norm.text, _gold_period(d.gold)
        cands = reader.candidates(text)
        feats = reader.features(text, cands, a.meta.period, a.published.year if a.published else None)
        out.append(PeriodExample(d.source, cands, feats, [int(c.period == gold) for c in cands], gold,
                                 a.meta.period, bool(d.gold.get("targets"))))
    return out


def fit(examples: Sequence[tuple[list[dict[str, float]], list[int]]], c: float = C) -> dict[str, float]:
    """Weights of "this candidate is the gold period" over the candidates of documents ``(features, labels)``."""
    y = [lab for _, labels in examples for lab in labels]
    if len(set(y)) < 2:
        raise ValueError("period training data needs candidates that are the gold period and ones that are not")
    return fit_logistic([f for feats, _ in examples for f in feats], y, c, MIN_WEIGHT)


def fit_model(examples: list[PeriodExample], c: float = C, info: Optional[dict] = None) -> PeriodModel:
    return PeriodModel(fit([(e.feats, e.labels) for e in examples if e.teaches], c), info=dict(info or {}))


@dataclass
class PeriodCV:
    models: list[PeriodModel]                   # one per fold, trained on the others
    folds: list[int]
    chosen: list[Optional[Period]]              # out of fold, per document
    agreement: dict[str, tuple[int, int, int]] = field(default_factory=dict)   # set -> (documents with targets, rules right, learned right)


def cross_validate(examples: list[PeriodExample], folds: list[int], c: float = C) -> PeriodCV:
    k = max(folds) + 1
    models = [fit_model([e for e, f in zip(examples, folds) if f != fold], c) for fold in range(k)]
    chosen = [e.cands[models[f].best(e.feats)].period for e, f in zip(examples, folds)]
    agree: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for e, got in zip(examples, chosen):
        if e.teaches:
            for name in ("all", e.source):
                row = agree[name]
                row[0] += 1
                row[1] += e.rules == e.gold
                row[2] += got == e.gold
    return PeriodCV(models, folds, chosen, {n: (r[0], r[1], r[2]) for n, r in agree.items()})


def reanalyze(docs: list[DocExamples], cv: PeriodCV, extractor) -> int:
    """Analyse again, with its fold's model, every document whose out-of-fold period is not the
    rules' one, then label and featurize it again; how many were."""
    changed = 0
    saved = extractor.period_model
    try:
        for d, fold, got in zip(docs, cv.folds, cv.chosen):
            if got == d.analysis.meta.period or not d.analysis.cands:  # (one without candidates keeps the rules')
                continue
            extractor.period_model = cv.models[fold]
            d.analysis = extractor.analyze(d.analysis.doc)
            d.target, d.full = label(d.analysis, d.gold)
            d.features = features(d.analysis)
            changed += 1
    finally:
        extractor.period_model = saved
    return changed


def render(cv: PeriodCV) -> str:
    lines = ["plan period, documents with gold targets: agreement with the gold period, rules -> learned (out of fold)"]
    for name, (n, rules, learned) in sorted(cv.agreement.items(), key=lambda kv: (kv[0] != "all", kv[0])):
        lines.append(f"  {name:28s} {n:5d}  {rules / n:.3f} -> {learned / n:.3f}")
    return "\n".join(lines)
