"""The year a text without a date was written in, guessed by a learned model among the years it names.

The rules (MetadataReader.reference_year) take the latest full date the text gives, else the latest
month, quarter or part of a year it reports on. News often gives neither, or only the date of an
older decision it cites: of the 5,296 baomoi articles of 2017 in ../shared/realnews the model learns
from, the rules date 1,048 right, 859 too early and 61 too late (3,328 not at all). Here every year the text names is a candidate, described by
the words around each of its mentions ("so với cùng kỳ năm 2016", "kế hoạch năm 2017", "/2017"), by
where it lies among the text's years (the latest, one before it, ...), how often it is named and how
it stands to the rules' year. A logistic model trained on news of known years (`chitieu train`,
learn/written_year_train.py) scores each; the best is taken where its probability reaches the
threshold chosen on held-out articles, else the rules' year stays. Its model file is
`pipeline/models/written_year.json`; CHITIEU_WRITTEN_YEAR=rules, or no file, leaves the rules' year.

    reader = WrittenYearReader()
    cands = reader.candidates(text)                 # [(year, [(start, end), ...]), ...]
    feats = reader.features(text, cands, rules)     # one dict per candidate
    model.guess(reader, text, rules)                # the year, or ``rules``
"""
from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional, Sequence

import regex

from ..errors import ChitieuError
from ..normalize import fold_tone
from ..rules import load_rules
from .logistic import sums
from .shipped import model_file

MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / "written_year.json"
Candidate = tuple[int, list[tuple[int, int]]]   # a year, and where the text names it


class WrittenYearReader:
    """Finds the candidate years and their features (rules/documents.yaml: written_year)."""

    def __init__(self) -> None:
        rules = load_rules()
        cfg = rules.documents.written_year
        self.year = regex.compile(cfg.year)
        self.word = regex.compile(cfg.word)
        self.first, self.last = cfg.first, cfg.last
        self.before_chars, self.after_chars = cfg.before_chars, cfg.after_chars
        # the text speaks of the year it is written in: the deadline cues that date to it ("năm nay")
        self.this_year = regex.compile("|".join(f"(?:{r})" for r in rules.deadlines.this_year) or r"(?!)", regex.I)
        self.max_mentions = cfg.max_mentions

    def candidates(self, text: str) -> list[Candidate]:
        where: dict[int, list[tuple[int, int]]] = {}
        for m in self.year.finditer(text):
            y = int(m.group("y"))
            if self.first <= y <= self.last:
                where.setdefault(y, []).append((m.start("y"), m.end("y")))
        return sorted(where.items())

    def _token(self, word: str, year: int) -> str:
        """A word as a feature: a year as it lies from the candidate ("y+1", "y-2"; "y>" and "y<"
        beyond five), another number as "#" (so that nothing ties the model to the years it learned on)."""
        if not word.isdigit():
            return word
        if len(word) == 4 and self.first <= int(word) <= self.last:
            d = int(word) - year
            return f"y{d:+d}" if abs(d) <= 5 else ("y>" if d > 0 else "y<")
        return "#"

    def features(self, text: str, cands: Sequence[Candidate], rules: Optional[int]) -> list[dict[str, float]]:
        """One feature dict per candidate; ``rules``: the rules' year (MetadataReader.reference_year)."""
        if not cands:
            return []
        years = [y for y, _ in cands]
        latest = years[-1]
        this_year = self.this_year.search(text) is not None
        out = []
        for i, (y, spans) in enumerate(cands):
            f: dict[str, float] = {"bias": 1.0}
            for name, value in (
                    ("rank", min(len(years) - 1 - i, 4)), ("below_latest", min(latest - y, 5)),
                    ("mentions", min(len(spans), 5)), ("years", min(len(years), 6)),
                    ("rules", "none" if rules is None else "same" if rules == y else "later" if rules > y else "earlier"),
                    ("this_year", int(this_year)), ("next_named", int(y + 1 in years)),
                    ("previous_named", int(y - 1 in years)),
                    ("first_at", min(int(spans[0][0] / max(len(text), 1) * 4), 3))):
                f[f"{name}={value}"] = 1.0
            context: Counter = Counter()
            for a, b in spans[:self.max_mentions]:
                before = [self._token(w, y) for w in self.word.findall(
                    fold_tone(text[max(0, a - self.before_chars):a]).lower())[-3:]]
                after = [self._token(w, y) for w in self.word.findall(fold_tone(text[b:b + self.after_chars]).lower())[:2]]
                b3 = ["^"] * (3 - len(before)) + before
                a2 = after + ["$"] * (2 - len(after))
                for key in (f"b1={b3[2]}", f"b2={b3[1]}", f"b21={b3[1]}_{b3[2]}", f"b321={'_'.join(b3)}",
                            f"a1={a2[0]}", f"a12={a2[0]}_{a2[1]}", f"b1a1={b3[2]}_{a2[0]}"):
                    context[key] += 1
            for key, n in context.items():   # once, or more than once
                f[key] = 1.0 if n == 1 else 1.5
            out.append(f)
        return out


@dataclass
class WrittenYearModel:
    """Logistic weights over a candidate year's features, and the probability from which the best
    candidate is taken over the rules' year."""
    weights: dict[str, float]
    threshold: float
    info: dict = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> "WrittenYearModel":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(weights={str(k): float(v) for k, v in data["weights"].items()},
                       threshold=float(data["threshold"]), info=data.get("info", {}))
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ChitieuError(f"{path}: not a written-year model ({exc})") from exc

    def to_json(self) -> dict:
        return {"weights": self.weights, "threshold": self.threshold, "info": self.info}

    def probabilities(self, feats: Sequence[dict[str, float]]) -> list[float]:
        return [1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))) for z in sums(self.weights, feats)]

    def most_probable(self, feats: Sequence[dict[str, float]]) -> Optional[tuple[int, float]]:
        """The index of the most probable candidate (the first of equals) and its probability; None for none."""
        p = self.probabilities(feats)
        if not p:
            return None
        i = max(range(len(p)), key=p.__getitem__)
        return i, p[i]

    def best(self, reader: WrittenYearReader, text: str, rules: Optional[int]) -> Optional[tuple[int, float]]:
        """The most probable candidate year and its probability; None when the text names no year."""
        cands = reader.candidates(text)
        found = self.most_probable(reader.features(text, cands, rules))
        return None if found is None else (cands[found[0]][0], found[1])

    def guess(self, reader: WrittenYearReader, text: str, rules: Optional[int]) -> Optional[int]:
        """The best candidate year where its probability reaches the threshold, else ``rules``."""
        found = self.best(reader, text, rules)
        return found[0] if found is not None and found[1] >= self.threshold else rules


@lru_cache(maxsize=2)
def load_written_year_model(path: Optional[str] = None) -> Optional[WrittenYearModel]:
    """The shipped model, or None when no model file is there or CHITIEU_WRITTEN_YEAR=rules."""
    p = model_file(MODEL_PATH, path, "CHITIEU_WRITTEN_YEAR")
    return WrittenYearModel.load(p) if p is not None else None
