"""Apply a trained target model: for every candidate of an analysed document, the probability that
it is a target of a public plan; kept when it reaches the model's threshold, with a calibrated
`confidence`. The model is a small JSON file shipped in the package (`pipeline/models/`), written by
`chitieu train`; nothing is downloaded."""
from __future__ import annotations

import bisect
import json
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain, repeat
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

from ..analysis import Analysis
from ..errors import ChitieuError
from ..discourse import settle_deadline
from ..link import Candidate
from .ceiling import GroupCeiling
from .features import CHUNK as FEATURE_CHUNK, DocContext, candidate_features
from .shipped import model_file
from .trees import TreeEnsemble

MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / "target_judge.json"


@dataclass
class TargetModel:
    """Logistic weights over a candidate's features. ``weights`` give the probability that it is a gold
    target right in every field; with ``target_weights`` and ``fields_weights`` too, the probability is
    the mean of that and a two-stage estimate: P(its quantity is a gold target's) x P(its deadline,
    group and op are right | it is one), each learned from its own label (see train.fit_model). With
    ``trees``, the mean of that and the trees' probability of the full label (trees.py)."""
    weights: dict[str, float]
    threshold: float                       # a candidate the rules dropped is kept from this probability on
    calibration_x: list[float] = field(default_factory=list)   # raw probabilities, increasing
    calibration_y: list[float] = field(default_factory=list)   # observed share of correct targets
    info: dict = field(default_factory=dict)
    drop_below: Optional[float] = None     # a candidate the rules kept is dropped below this (default: threshold)
    target_weights: Optional[dict[str, float]] = None   # P(the quantity is a gold target's)
    fields_weights: Optional[dict[str, float]] = None   # P(right in every field | the quantity is a target's)
    trees: Optional[TreeEnsemble] = None                 # gradient-boosted trees of the full label
    _table: Optional["_WeightTable"] = field(default=None, init=False, repr=False, compare=False)
    _ceiling: Optional[GroupCeiling] = field(default=None, init=False, repr=False, compare=False)

    def keeps(self, p: float, rules_keep: bool) -> bool:
        if rules_keep:
            return p >= (self.threshold if self.drop_below is None else self.drop_below)
        return p >= self.threshold

    @classmethod
    def load(cls, path: Path) -> "TargetModel":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(weights=data["weights"], threshold=float(data["threshold"]), drop_below=data.get("drop_below"),
                       calibration_x=data.get("calibration", {}).get("x", []),
                       calibration_y=data.get("calibration", {}).get("y", []), info=data.get("info", {}),
                       target_weights=data.get("target_weights"), fields_weights=data.get("fields_weights"),
                       trees=TreeEnsemble.from_json(data["trees"]) if data.get("trees") else None)
        except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
            raise ChitieuError(f"{path}: not a target model ({exc})") from exc

    def to_json(self) -> dict:
        out = {"info": self.info, "threshold": self.threshold, "drop_below": self.drop_below,
               "calibration": {"x": self.calibration_x, "y": self.calibration_y},
               "weights": self.weights}
        if self.target_weights is not None:
            out.update(target_weights=self.target_weights, fields_weights=self.fields_weights)
        if self.trees is not None:
            out["trees"] = self.trees.to_json()
        return out

    def weight_count(self) -> int:
        """How many weights the model holds, in all its regressions."""
        return sum(len(w) for w in (self.weights, self.target_weights, self.fields_weights) if w is not None)

    def probability(self, features: dict[str, float]) -> float:
        return self.probabilities([features])[0]

    def probabilities(self, examples: Sequence[dict[str, float]]) -> list[float]:
        """``probability`` of each feature dict: one lookup per feature for all the regressions and
        the trees, and one matrix product per document (see _WeightTable)."""
        if not examples:
            return []
        return combine(*self.table().sums(examples)).tolist()

    def table(self) -> "_WeightTable":
        if self._table is None:
            self._table = _WeightTable([w for w in (self.weights, self.target_weights, self.fields_weights)
                                        if w is not None], self.trees)
        return self._table

    def ceiling(self) -> GroupCeiling:
        """The bound on a candidate's probability over what the group reader can say (made once)."""
        if self._ceiling is None:
            self._ceiling = GroupCeiling(self.table(), combine, self.threshold, self.drop_below)
        return self._ceiling

    def calibrate(self, p: float) -> float:
        """Piecewise-linear map from the raw probability to the observed rate (isotonic fit on held-out folds)."""
        xs, ys = self.calibration_x, self.calibration_y
        if not xs:
            return p
        if p <= xs[0]:
            return ys[0]
        if p >= xs[-1]:
            return ys[-1]
        i = bisect.bisect_right(xs, p)
        x0, x1, y0, y1 = xs[i - 1], xs[i], ys[i - 1], ys[i]
        return y0 if x1 == x0 else y0 + (y1 - y0) * (p - x0) / (x1 - x0)


def combine(z: "np.ndarray", raw: Optional["np.ndarray"] = None) -> "np.ndarray":
    """Probabilities from weighted sums (one row per example, one column per regression): the
    logistic of one regression, or the mean of the first's and the product of the other two's;
    with the trees' raw scores, the mean of that and the trees' logistic. Increasing in every sum."""
    p = _logistic(z)
    p = p[:, 0] if p.shape[1] == 1 else (p[:, 0] + p[:, 1] * p[:, 2]) / 2
    return p if raw is None else (p + _logistic(raw)) / 2


def _logistic(z: "np.ndarray") -> "np.ndarray":
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))


class _WeightTable:
    """The weights of one or more regressions as a matrix: a row per feature name (a last row of zeros
    for names no regression knows), a column per regression. A candidate's weighted sums are its
    feature values times its rows: the feature names are looked up once, not once per regression,
    and the same lookup gives the trees' columns (``column``: -1 for a name they do not read)."""

    def __init__(self, weight_dicts: list[dict[str, float]], trees: Optional[TreeEnsemble] = None) -> None:
        names = dict.fromkeys(chain(chain.from_iterable(weight_dicts), trees.features if trees is not None else ()))
        self.row = dict(zip(names, range(len(names))))
        self.trees = trees
        if trees is not None:
            self.column = np.full(len(self.row) + 1, -1, dtype=np.intp)
            self.column[[self.row[n] for n in trees.features]] = np.arange(len(trees.features))
        self.matrix = np.zeros((len(self.row) + 1, len(weight_dicts)))
        for j, weights in enumerate(weight_dicts):
            rows = np.fromiter(map(self.row.__getitem__, weights), dtype=np.intp, count=len(weights))
            self.matrix[rows, j] = np.fromiter(weights.values(), dtype=float, count=len(weights))

    def sums(self, examples: Sequence[dict[str, float]], trees: bool = True) -> tuple["np.ndarray", Optional["np.ndarray"]]:
        """The weighted sums, one row per example, one column per regression; and the trees' raw
        score of each example (None without trees, or when ``trees`` is False)."""
        unknown = len(self.row)
        examples = [f if f else {"": 0.0} for f in examples]  # (an empty one sums to 0 like the others)
        sizes = [len(f) for f in examples]
        n = sum(sizes)
        rows = np.fromiter(chain.from_iterable(map(self.row.get, f, repeat(unknown)) for f in examples),
                           dtype=np.intp, count=n)
        values = np.fromiter(chain.from_iterable(f.values() for f in examples), dtype=float, count=n)
        starts = np.zeros(len(examples), dtype=np.intp)
        np.cumsum(sizes[:-1], out=starts[1:])
        z = np.add.reduceat(self.matrix[rows] * values[:, None], starts, axis=0)
        if self.trees is None or not trees:
            return z, None
        example = np.repeat(np.arange(len(examples)), sizes)
        return z, self.trees.raw_sparse(example, self.column[rows], values, len(examples))


class LearnedJudge:
    """Decides with a TargetModel; the rules' decision is one of its features."""

    CHUNK = FEATURE_CHUNK  # candidates whose features are held at once

    def __init__(self, model: TargetModel) -> None:
        self.model = model

    def scores(self, a: Analysis) -> list[float]:
        """The probability of each candidate, scored a chunk at a time (each row's sum is its own,
        so the chunks change no value). A candidate whose group was left unread because this model
        could not keep it (`unreachable`) scores 0."""
        if a.unreachable and a.unreachable_by is not self.model:
            raise ChitieuError("the analysis left groups unread for another target model: analyse the document again")
        ctx = DocContext(a)
        scored = [j for j in range(len(a.cands)) if j not in a.unreachable]
        out = [0.0] * len(a.cands)
        for i in range(0, len(scored), self.CHUNK):
            chunk = scored[i:i + self.CHUNK]
            for j, p in zip(chunk, self.model.probabilities([candidate_features(ctx, a.cands[j]) for j in chunk])):
                out[j] = p
        return out

    def unreachable(self, a: Analysis, indexes: Sequence[int]) -> set[int]:
        """Of the candidates at ``indexes`` (those the group reader would read), the ones this
        model drops whatever group the reader gives them (see ceiling.GroupCeiling)."""
        if not indexes:
            return set()
        out = self.model.ceiling().unreachable(DocContext(a), [a.cands[i] for i in indexes])
        return {i for i, no in zip(indexes, out) if no}

    def __call__(self, a: Analysis, scores: Optional[list[float]] = None) -> list[Candidate]:
        scores = self.scores(a) if scores is None else scores
        period_end = a.period_end
        for c, p in zip(a.cands, scores):
            keep = self.model.keeps(p, c.keep)
            if keep and not c.keep:  # dropped early by the rules (a title, a past result): settle its deadline
                c.rules.append("judge.kept")
                settle_deadline(c, period_end)
            elif c.keep and not keep:
                c.rules.append("judge.dropped")
            c.keep = keep
            c.confidence = self.model.calibrate(p)
        return a.cands


@lru_cache(maxsize=2)
def load_judge(path: Optional[str] = None) -> Optional[LearnedJudge]:
    """The shipped judge, or None when no model file is there or CHITIEU_JUDGE=rules (the rules decide alone)."""
    p = model_file(MODEL_PATH, path, "CHITIEU_JUDGE")
    return LearnedJudge(TargetModel.load(p)) if p is not None else None
