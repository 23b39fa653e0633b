"""Train the target model from real gold, deterministically, and measure it honestly.

    examples = dataset.build(sets, extractor)      # every candidate of every gold document
    cv = cross_validate(examples, folds=5)         # out-of-fold scores, by document
    model = train(examples, cv)                    # threshold and calibration from the folds

The thresholds are those with the best pooled full-record F1 on the held-out folds among those that
let at most ``NewsCheck.limit`` targets per 100 articles through a sample of random real news (where
almost no article states an aim: pipeline.learn.news), when such a sample is given.

``negatives``: candidates of another sample of random real news, learned as non-targets by every
model (each fold's and the shipped one) and never scored: the numbers ordinary news is full of
(results, prices, companies' figures) that the gold documents, chosen for their aims, hold few of.

Cross-validation is by document: a fold's documents are scored by a model that never saw them, and
the whole pipeline (judge, then pair merging and de-duplication) runs on them before scoring, so the
figure is the one a user would get on new text of the same kinds.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from itertools import repeat
from typing import Optional, Sequence

from ..analysis import Analysis
from ..eval import score
from ..eval.scoring import Report
from .dataset import DocExamples
from .judge import LearnedJudge, TargetModel
from .logistic import fit_logistic
from .trees import TREES, TreeEnsemble, fit_trees

C_GRID = (0.1, 0.3, 1.0)
THRESHOLDS = tuple(round(0.2 + 0.05 * i, 2) for i in range(13))      # keep what the rules dropped: 0.2 .. 0.8
DROP_BELOW = tuple(round(0.05 + 0.05 * i, 2) for i in range(10))     # drop what the rules kept: 0.05 .. 0.5
MIN_WEIGHT = 3e-3  # smaller weights are not kept: the same cross-validated figures, a model file 40 % smaller (README)


def examples(docs: list[DocExamples], label: str = "full", among: Optional[str] = None) -> tuple[list[dict], list[int]]:
    """The feature dicts and one label of the candidates (``full``: the candidate is a gold target
    with its deadline year, group and op right; ``target``: its quantity is a gold target's), of
    those whose label ``among`` is 1 when given."""
    X, y = [], []
    for d in docs:
        keep = getattr(d, among) if among else repeat(1)
        for f, lab, k in zip(d.features, getattr(d, label), keep):
            if k:
                X.append(f)
                y.append(lab)
    return X, y


def fit(docs: list[DocExamples], c: float, label: str = "full", among: Optional[str] = None) -> dict[str, float]:
    """Logistic regression (scikit-learn, liblinear: deterministic) of one label of the candidates
    (see ``examples``)."""
    X, y = examples(docs, label, among)
    if len(set(y)) < 2:
        raise ValueError("training data needs both targets and non-targets")
    return fit_logistic(X, y, c, MIN_WEIGHT)


def fit_tree_model(docs: list[DocExamples], trees: int = TREES) -> Optional[TreeEnsemble]:
    """Gradient-boosted trees of the full label (None when ``trees`` is 0, or nothing to learn)."""
    return fit_trees(*examples(docs), trees=trees) if trees else None


def fit_model(docs: list[DocExamples], c: float, threshold: float = 0.5,
              trees: Optional[TreeEnsemble] = None, **kwargs) -> TargetModel:
    """The judge's three logistic regressions (TargetModel): the full label; whether the quantity is a
    gold target's; whether its fields are right among those that are. The mean of the first and the
    product of the other two cross-validated above each alone and above two full-label models of
    different C (README, "Two stages beside the full label"). ``trees`` (fit_tree_model, on the same
    documents) are averaged with them."""
    full = fit(docs, c)
    try:
        target, fields = fit(docs, c, "target"), fit(docs, c, "full", among="target")
    except ValueError:  # a stage's label has one value here (every target right in every field): the full label alone
        target = fields = None
    return TargetModel(weights=full, target_weights=target, fields_weights=fields, threshold=threshold, trees=trees,
                       **kwargs)


def folds_of(docs: list[DocExamples], k: int, seed: int = 13) -> list[int]:
    """A fold number per document; documents are shuffled with a fixed seed, then dealt round-robin."""
    order = list(range(len(docs)))
    random.Random(seed).shuffle(order)
    fold = [0] * len(docs)
    for rank, i in enumerate(order):
        fold[i] = rank % k
    return fold


def _fresh(a: Analysis) -> Analysis:
    """A copy whose candidates can be decided again (finish() mutates them)."""
    return replace(a, cands=[replace(c, rules=list(c.rules)) for c in a.cands])


def records(docs: list[DocExamples], scores: Optional[list[list[float]]], model: Optional[TargetModel], extractor) -> list[dict]:
    """The records the pipeline gives with these scores (None: the rules alone)."""
    out = []
    judge = LearnedJudge(model) if scores is not None else None
    for i, d in enumerate(docs):
        a = _fresh(d.analysis)
        if judge is None:
            rec = extractor.finish(a, judge=lambda x: x.cands)
        else:
            rec = extractor.finish(a, judge=lambda x, s=scores[i]: judge(x, s))
        r = rec.model_dump(mode="json")
        r["doc_id"] = d.doc_id
        out.append(r)
    return out


@dataclass
class NewsCheck:
    """Random real news without gold: the judge may let at most ``limit`` targets per 100 of its
    ``articles`` through (``docs``: those with a candidate, from dataset.unlabelled).

    ``own``: the indexes, among the training documents, of articles that were picked out of this
    sample to be annotated (because the judge kept targets there): they still count as the
    sample's, with the targets their held-out scores keep, or the sample would have lost exactly the
    articles it exists to count."""
    docs: list[DocExamples]
    articles: int
    limit: float = 5.0
    own: list[int] = field(default_factory=list)

    @property
    def total(self) -> int:
        """The articles the rate is over: those read without gold and the sample's own gold ones."""
        return self.articles + len(self.own)

    def rate(self, scores: list[list[float]], model: TargetModel, extractor,
             doc_records: Optional[list[dict]] = None) -> float:
        """Targets per 100 articles with these scores and thresholds; ``doc_records``: the training
        documents' records at the same thresholds (held-out scores), for ``own``."""
        found = sum(len(r["targets"]) for r in records(self.docs, scores, model, extractor))
        if self.own:
            if doc_records is None:
                raise ValueError("the news check holds gold documents: their records are needed")
            found += sum(len(doc_records[i]["targets"]) for i in self.own)
        return 100.0 * found / max(1, self.total)


@dataclass
class CrossValidation:
    c: float
    folds: list[int]
    scores: list[list[float]]                      # out-of-fold probability per candidate, per document
    threshold: float = 0.5
    drop_below: float = 0.5
    reports: dict[str, Report] = field(default_factory=dict)
    news_rate: Optional[float] = None              # targets per 100 articles of the NewsCheck, at these thresholds
    trees: Optional[TreeEnsemble] = None           # the trees fitted on every document (and the negatives)

    def key(self, news: Optional[NewsCheck]) -> tuple:
        """Better is larger: within the news limit first (the lower the rate the better outside it),
        then the pooled full-record F1."""
        within = news is None or self.news_rate <= news.limit + 1e-9
        return (within, self.reports["all"].full_record.f1 if within else -self.news_rate)


def cross_validate(docs: list[DocExamples], extractor, k: int = 5, c_grid=C_GRID,
                   news: Optional[NewsCheck] = None, negatives: Sequence[DocExamples] = (),
                   trees: int = TREES, seed: int = 13) -> CrossValidation:
    """The C of ``c_grid`` and thresholds with the best held-out figures (CrossValidation.key); the
    trees (``trees`` rounds, 0: none) do not depend on C: fitted once per fold, and once on all.
    ``seed``: the fold seed (folds_of)."""
    folds = folds_of(docs, k, seed)
    negatives = list(negatives)
    training = [[d for d, fd in zip(docs, folds) if fd != f] + negatives for f in range(k)]
    fold_trees = [fit_tree_model(t, trees) for t in training]
    all_trees = fit_tree_model(docs + negatives, trees)
    best: Optional[CrossValidation] = None
    for c in c_grid:
        scores: list[list[float]] = [[] for _ in docs]
        for f in range(k):
            model = fit_model(training[f], c, trees=fold_trees[f])
            for i, d in enumerate(docs):
                if folds[i] == f:
                    scores[i] = model.probabilities(d.features)
        news_scores = None
        if news is not None:  # the news are scored by the model fitted on every gold document, as shipped
            shipped = fit_model(docs + negatives, c, trees=all_trees)
            news_scores = [shipped.probabilities(d.features) for d in news.docs]
        cv = best_threshold(CrossValidation(c=c, folds=folds, scores=scores, trees=all_trees), docs, extractor, news,
                            news_scores)
        if best is None or cv.key(news) > best.key(news):
            best = cv
    return best


def best_threshold(cv: CrossValidation, docs, extractor, news: Optional[NewsCheck] = None,
                   news_scores: Optional[list[list[float]]] = None) -> CrossValidation:
    """``cv`` with the best (keep, drop) thresholds by ``CrossValidation.key`` on the held-out folds,
    the report of that run and its news rate; a rules' target is dropped below `drop`, a candidate
    the rules dropped is kept from `keep` on, and `keep` >= `drop` (keeping from 0.2 what the rules
    dropped while dropping below 0.3 what they kept would trust their "no" less than their "yes")."""
    gold = [d.gold for d in docs]
    best: Optional[CrossValidation] = None
    for t in THRESHOLDS:
        for drop in DROP_BELOW:
            if t < drop:  # the rules' rejection never makes a candidate easier to keep than their acceptance
                continue
            model = TargetModel({}, t, drop_below=drop)
            recs = records(docs, cv.scores, model, extractor)
            trial = replace(cv, threshold=t, drop_below=drop, reports={"all": score(gold, recs)},
                            news_rate=news.rate(news_scores, model, extractor, recs) if news is not None else None)
            if best is None or trial.key(news) > best.key(news):
                best = trial
    return best


def calibration(docs: list[DocExamples], scores: list[list[float]]) -> tuple[list[float], list[float]]:
    """Isotonic map from out-of-fold probability to the share of candidates that are right in every field."""
    from sklearn.isotonic import IsotonicRegression

    x = [p for s in scores for p in s]
    y = [lab for d in docs for lab in d.full]
    iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(x, y)
    return [round(float(v), 4) for v in iso.X_thresholds_], [round(float(v), 4) for v in iso.y_thresholds_]


def reliability(docs: list[DocExamples], cv: CrossValidation, model: TargetModel, extractor, bins: int = 5) -> list[dict]:
    """Predicted confidence against the observed share of full-record matches, on held-out folds."""
    from ..eval.matching import match_targets

    recs = records(docs, cv.scores, model, extractor)
    rows = [{"lo": i / bins, "hi": (i + 1) / bins, "n": 0, "mean_confidence": 0.0, "correct": 0} for i in range(bins)]
    for d, r in zip(docs, recs):
        m = match_targets(d.doc_id, d.gold["targets"], r["targets"])
        ok = {p.pred for p in m.pairs if p.full_ok}
        for j, t in enumerate(r["targets"]):
            conf = t.get("confidence") or 0.0
            row = rows[min(int(conf * bins), bins - 1)]
            row["n"] += 1
            row["mean_confidence"] += conf
            row["correct"] += j in ok
    for row in rows:
        if row["n"]:
            row["observed"] = round(row["correct"] / row["n"], 3)
            row["mean_confidence"] = round(row["mean_confidence"] / row["n"], 3)
    return rows


@dataclass
class TrainingResult:
    model: TargetModel
    cv: CrossValidation
    rules_only: dict[str, Report]
    learned: dict[str, Report]
    reliability: list[dict]
    news: Optional[NewsCheck] = None

    def summary(self) -> dict:
        def figs(r: Report) -> dict:
            return {"documents": len(r.documents), "target_p": round(r.targets.precision, 3),
                    "target_r": round(r.targets.recall, 3), "target_f1": round(r.targets.f1, 3),
                    "full_f1": round(r.full_record.f1, 3), "group_f1": round(r.group_f1.value or 0, 3),
                    "deadline_acc": round(r.deadline.value or 0, 3)}
        return {"c": self.cv.c, "trees": self.model.info.get("trees", 0), "threshold": self.cv.threshold, "drop_below": self.cv.drop_below, "folds": max(self.cv.folds) + 1,
                "sets": {name: {"rules_only": figs(self.rules_only[name]), "learned_cv": figs(self.learned[name])}
                         for name in self.learned},
                "reliability": self.reliability,
                "negatives": self.model.info.get("negatives"),
                "news_check": None if self.news is None else news_summary(self.news, self.cv)}


def news_summary(news: NewsCheck, cv: CrossValidation) -> dict:
    """The news check as the report and the model file record it."""
    out = {"articles": news.total, "limit_per_100": news.limit, "targets_per_100": round(cv.news_rate, 2)}
    if news.own:
        out["annotated"] = len(news.own)
    return out


def run(docs: list[DocExamples], extractor, k: int = 5, c_grid=C_GRID, news: Optional[NewsCheck] = None,
        negatives: Sequence[DocExamples] = (), trees: int = TREES) -> TrainingResult:
    """Cross-validate, then fit the shipped model on every document (and the ``negatives``) with the
    folds' C, threshold and calibration."""
    negatives = list(negatives)
    cv = cross_validate(docs, extractor, k, c_grid, news, negatives, trees)
    cx, cy = calibration(docs, cv.scores)
    info = {"trained_on": sorted({d.source for d in docs}), "documents": len(docs),
            "candidates": sum(len(d.features) for d in docs), "c": cv.c, "folds": k, "trees": trees if cv.trees else 0}
    if negatives:
        info["negatives"] = {"documents": len(negatives), "candidates": sum(len(d.features) for d in negatives)}
    if news is not None:
        info["news_check"] = news_summary(news, cv)
    model = fit_model(docs + negatives, cv.c, threshold=cv.threshold, calibration_x=cx, calibration_y=cy, info=info,
                      drop_below=cv.drop_below, trees=cv.trees)
    held_out = TargetModel({}, cv.threshold, cx, cy, drop_below=cv.drop_below)
    names = ["all"] + sorted({d.source for d in docs})

    def by_set(scores) -> dict[str, Report]:
        recs = records(docs, scores, held_out, extractor)
        return {n: score([d.gold for d in docs if n in ("all", d.source)],
                         [r for d, r in zip(docs, recs) if n in ("all", d.source)]) for n in names}
    return TrainingResult(model=model, cv=cv, rules_only=by_set(None), learned=by_set(cv.scores),
                          reliability=reliability(docs, cv, held_out, extractor), news=news)


def render(result: TrainingResult) -> str:
    s = result.summary()
    trees = f", {s['trees']} trees" if s["trees"] else ""
    lines = [f"{s['folds']}-fold cross-validation by document (C={s['c']}{trees}, keep from {s['threshold']}, "
             f"drop below {s['drop_below']}): "
             "rules alone -> rules + learned judge, on held-out folds",
             f"{'set':28s} {'docs':>5s}  {'target P':>15s}  {'target R':>15s}  {'full-record F1':>15s}"]
    for name, row in s["sets"].items():
        a, b = row["rules_only"], row["learned_cv"]
        lines.append(f"{name:28s} {a['documents']:5d}  {a['target_p']:.3f} -> {b['target_p']:.3f}  "
                     f"{a['target_r']:.3f} -> {b['target_r']:.3f}  {a['full_f1']:.3f} -> {b['full_f1']:.3f}")
    if s["news_check"]:
        n = s["news_check"]
        own = f", {n['annotated']} of them annotated since and scored out of fold" if n.get("annotated") else " without gold"
        lines.append(f"random real news ({n['articles']} articles{own}): {n['targets_per_100']:.1f} targets "
                     f"per 100 with these thresholds (limit {n['limit_per_100']:g})")
    if s["negatives"]:
        n = s["negatives"]
        lines.append(f"learned as non-targets by every model: {n['candidates']} candidates of {n['documents']} random "
                     "news articles (never scored)")
    lines.append("")
    lines.append("reliability of `confidence` (held-out folds): bin, targets, mean confidence, share right in every field")
    for row in s["reliability"]:
        if row["n"]:
            lines.append(f"  {row['lo']:.1f}-{row['hi']:.1f}  {row['n']:5d}  {row['mean_confidence']:.3f}  {row['observed']:.3f}")
    return "\n".join(lines)
