"""The plan period, chosen by a learned model among every period the text may state.

The rules (pipeline.metadata) take the first match of their first period pattern that matches,
else a one-year plan in the text's head. Real texts state several spans ("giai đoạn 2021-2025" of
the plan beside "2016-2020" of the last one, "năm 2024" of a one-year plan beside the year of a
report), and the first is often not the plan's. Here every match of those patterns is a candidate,
with every "năm Y" of the head and "none"; a logistic model trained on real gold (`chitieu train`)
scores each from where it stands, the words before it, how far its end lies from the text's year,
how long it is, how often its end year occurs and whether the rules chose it; the best one is the
period. Its model file is `pipeline/models/plan_period.json`; CHITIEU_PERIOD=rules, or no file,
leaves the rules' choice.

    reader = PeriodReader()
    cands = reader.candidates(text)                       # PeriodCandidate, "none" last
    feats = reader.features(text, cands, rules, year)     # one dict per candidate
    model.choose(reader, text, rules, year)               # the period, or None
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional, Sequence

import regex

from ..errors import ChitieuError
from ..metadata import MetadataReader, get_metadata_reader
from ..rules import load_rules
from .features import words
from .logistic import sums
from .shipped import model_file

MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / "plan_period.json"
Period = tuple[int, int]


@dataclass(frozen=True)
class PeriodCandidate:
    period: Optional[Period]     # None: the text states no plan period
    start: int                   # where it is written ([start, end) of the text; -1 for None)
    end: int
    kind: str                    # "period.N" (rules/documents.yaml period_patterns[N]), "one_year.N", "head_year", "none"


class PeriodReader:
    """Finds the candidates and their features (rules/documents.yaml: period_patterns, one_year_plans,
    period_choice)."""

    def __init__(self, meta: Optional[MetadataReader] = None) -> None:
        self.meta = meta or get_metadata_reader()
        choice = load_rules().documents.period_choice
        self.head = choice.head_chars
        self.head_year = regex.compile(choice.head_year, regex.I)
        self.plan_words = [w.lower() for w in choice.plan_words]
        self.plan_words_chars = choice.plan_words_chars
        self.max_years = choice.max_years

    def candidates(self, text: str) -> list[PeriodCandidate]:
        """Every period the text may state, "none" last; none of them read from a clause citing the
        text's legal basis (MetadataReader.own_text: another document's period)."""
        text = self.meta.own_text(text)
        out: list[PeriodCandidate] = []
        lines = self.meta.period_lines(text)
        for n, pat in enumerate(self.meta.period_re if lines else ()):
            for a, b in lines:
                for m in pat.finditer(text, a, b):
                    y1, y2 = int(m.group("y1")), int(m.group("y2"))
                    if y1 <= y2 <= y1 + self.max_years:
                        out.append(PeriodCandidate((y1, y2), m.start(), m.end(), f"period.{n}"))
        for n, pat in enumerate(self.meta.one_year):
            for m in pat.finditer(text, 0, self.head):
                y = int(m.group("y"))
                out.append(PeriodCandidate((y, y), m.start("y"), m.end("y"), f"one_year.{n}"))
        for m in self.head_year.finditer(text, 0, self.head):
            y = int(m.group("y"))
            out.append(PeriodCandidate((y, y), m.start("y"), m.end("y"), "head_year"))
        out.append(PeriodCandidate(None, -1, -1, "none"))
        return out

    def features(self, text: str, cands: Sequence[PeriodCandidate], rules: Optional[Period],
                 year: Optional[int]) -> list[dict[str, float]]:
        """One feature dict per candidate. ``rules``: the rules' period; ``year``: the text's
        (its published date's) year, when known."""
        title_end = text.find("\n")
        title_end = len(text) if title_end < 0 else title_end
        ends: dict[int, int] = {}
        rules_at = -1   # where the rules' period is first written
        for c in cands:
            if c.period is not None and c.period[1] not in ends:
                ends[c.period[1]] = text.count(str(c.period[1]))
            if c.period is not None and c.period == rules and (rules_at < 0 or c.start < rules_at):
                rules_at = c.start
        out = []
        for c in cands:
            f: dict[str, float] = {f"kind={c.kind}": 1.0}
            if c.period is None:
                head = text[:self.plan_words_chars].lower()
                n = sum(head.count(w) for w in self.plan_words)
                f["none.plan_words"] = math.log1p(n)
                f["none.rules"] = float(rules is None)
                f["none.candidates"] = math.log1p(len(cands) - 1)
                out.append(f)
                continue
            where = ("title" if c.start < title_end else "head300" if c.start < 300
                     else "head1500" if c.start < 1500 else "later")
            f[f"where={where}"] = 1.0
            f[f"kind={c.kind}|where={where}"] = 1.0
            line = text.rfind("\n", 0, c.start) + 1
            before = words(text[max(line, c.start - 40):c.start])[-3:]
            if not before:
                f["before=line start"] = 1.0
            for k in (1, 2, 3):
                if len(before) >= k:
                    f[f"before{k}={' '.join(before[-k:])}"] = 1.0
            a, b = c.period
            ahead = "?" if year is None else str(max(-4, min(b - year, 12)))
            f[f"ahead={ahead}"] = 1.0
            f[f"years={min(b - a, 10)}"] = 1.0
            f["end_count"] = math.log1p(ends[b])
            f["rules"] = float(c.period == rules)
            f["rules_first"] = float(c.period == rules and c.start == rules_at)
            out.append(f)
        return out


@dataclass
class PeriodModel:
    """Logistic weights over a period candidate's features; the candidate with the largest sum is the period."""
    weights: dict[str, float]
    info: dict = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> "PeriodModel":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(weights={str(k): float(v) for k, v in data["weights"].items()}, info=data.get("info", {}))
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ChitieuError(f"{path}: not a period model ({exc})") from exc

    def to_json(self) -> dict:
        return {"weights": self.weights, "info": self.info}

    def best(self, feats: Sequence[dict[str, float]]) -> int:
        """The index of the candidate with the largest score (the first of equals)."""
        scores = sums(self.weights, feats)
        return max(range(len(scores)), key=scores.__getitem__)

    def choose(self, reader: PeriodReader, text: str, rules: Optional[Period], year: Optional[int]) -> Optional[Period]:
        cands = reader.candidates(text)
        return cands[self.best(reader.features(text, cands, rules, year))].period


@lru_cache(maxsize=2)
def load_period_model(path: Optional[str] = None) -> Optional[PeriodModel]:
    """The shipped period model, or None when no model file is there or CHITIEU_PERIOD=rules."""
    p = model_file(MODEL_PATH, path, "CHITIEU_PERIOD")
    return PeriodModel.load(p) if p is not None else None
