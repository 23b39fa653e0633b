"""Apply a trained target model: for every candidate of an analysed document, the probability that
it is a target of a public plan; kept when it reaches the model's threshold, with a calibrated
`confidence`. The model is a small JSON file shipped in the package (`pipeline/models/`), written by
`chitieu train`; nothing is downloaded."""
from __future__ import annotations

import bisect
import json
import math
from itertools import repeat
from operator import mul
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional

from ..analysis import Analysis
from ..errors import ChitieuError
from ..discourse import drop_relative_deadline, period_deadline
from ..link import Candidate
from .features import DocContext, candidate_features
from .shipped import model_file

MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / "target_judge.json"


@dataclass
class TargetModel:
    """Logistic weights over a candidate's features. ``weights`` give the probability that it is a gold
    target right in every field; with ``target_weights`` and ``fields_weights`` too, the probability is
    the mean of that and a two-stage estimate: P(its quantity is a gold target's) x P(its deadline,
    group and op are right | it is one), each learned from its own label (see train.fit_model)."""
    weights: dict[str, float]
    threshold: float                       # a candidate the rules dropped is kept from this probability on
    calibration_x: list[float] = field(default_factory=list)   # raw probabilities, increasing
    calibration_y: list[float] = field(default_factory=list)   # observed share of correct targets
    info: dict = field(default_factory=dict)
    drop_below: Optional[float] = None     # a candidate the rules kept is dropped below this (default: threshold)
    target_weights: Optional[dict[str, float]] = None   # P(the quantity is a gold target's)
    fields_weights: Optional[dict[str, float]] = None   # P(right in every field | the quantity is a target's)

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
                       target_weights=data.get("target_weights"), fields_weights=data.get("fields_weights"))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ChitieuError(f"{path}: not a target model ({exc})") from exc

    def to_json(self) -> dict:
        out = {"info": self.info, "threshold": self.threshold, "drop_below": self.drop_below,
               "calibration": {"x": self.calibration_x, "y": self.calibration_y},
               "weights": self.weights}
        if self.target_weights is not None:
            out.update(target_weights=self.target_weights, fields_weights=self.fields_weights)
        return out

    def weight_count(self) -> int:
        """How many weights the model holds, in all its regressions."""
        return sum(len(w) for w in (self.weights, self.target_weights, self.fields_weights) if w is not None)

    def probability(self, features: dict[str, float]) -> float:
        p = _logistic(self.weights, features)
        if self.target_weights is None:
            return p
        return (p + _logistic(self.target_weights, features) * _logistic(self.fields_weights, features)) / 2

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


def _logistic(weights: dict[str, float], features: dict[str, float]) -> float:
    z = sum(map(mul, map(weights.get, features, repeat(0.0)), features.values()))  # in the features' order
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


class LearnedJudge:
    """Decides with a TargetModel; the rules' decision is one of its features."""

    def __init__(self, model: TargetModel) -> None:
        self.model = model

    def scores(self, a: Analysis) -> list[float]:
        ctx = DocContext(a)
        return [self.model.probability(candidate_features(ctx, c)) for c in a.cands]

    def __call__(self, a: Analysis, scores: Optional[list[float]] = None) -> list[Candidate]:
        scores = self.scores(a) if scores is None else scores
        period_end = a.period_end
        for c, p in zip(a.cands, scores):
            keep = self.model.keeps(p, c.keep)
            if keep and not c.keep:  # dropped early by the rules (a title, a past result): settle its deadline
                c.rules.append("judge.kept")
                drop_relative_deadline(c)
                period_deadline(c, period_end)
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
