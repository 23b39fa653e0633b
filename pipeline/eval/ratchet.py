"""The quality ratchet: recorded figures per evaluation set that a run may not fall below.

The record (quality/ratchet.json) holds, per set, full-record F1 and target precision. A run fails
when either falls more than ``tolerance`` below its record; ``update`` raises a record where the
run is better and never lowers one unless forced. Paths are relative to the repository root; the
shared sets (seeds, realnews_dev) live in ``../shared`` and are skipped when it is absent.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from . import evaluate
from .scoring import Report

RECORD_FILE = Path("quality") / "ratchet.json"
METRICS = ("full_record_f1", "target_precision")
DEFAULT_TOLERANCE = 0.01


@dataclass(frozen=True)
class EvalSet:
    name: str
    gold: str
    paths: tuple[str, ...]
    split: Optional[str] = None

    def resolve(self, root: Path) -> tuple[Path, list[Path]]:
        return root / self.gold, [root / p for p in self.paths]

    def command(self) -> str:
        split = f" --split {self.split}" if self.split else ""
        return f"chitieu eval --gold {self.gold}{split} {' '.join(self.paths)}"


SETS = (
    EvalSet("corpus_test", "corpus/gold.jsonl", ("corpus/docs",), split="test"),
    EvalSet("corpus_holdout", "corpus/gold.jsonl", ("corpus/docs",), split="holdout"),
    EvalSet("seeds", "../shared/gold/seeds.jsonl", ("../shared/seeds",)),
    EvalSet("realnews_dev", "../shared/gold/realnews_dev.jsonl", ("../shared/realnews/articles.jsonl",)),
    EvalSet("realnews_plans_test", "../shared/gold/realnews_plans.jsonl", ("../shared/realnews/articles.jsonl",),
            split="test"),
    EvalSet("realnews_mixed_test", "../shared/gold/realnews_mixed.jsonl", ("../shared/realnews/articles.jsonl",),
            split="test"),
)


def unavailable(root: Path, eval_set: EvalSet) -> Optional[str]:
    """Why a set cannot be evaluated here (a missing file), or None."""
    gold, paths = eval_set.resolve(root)
    missing = [p for p in (gold, *paths) if not p.exists()]
    return f"missing {', '.join(str(p) for p in missing)}" if missing else None


def run_set(root: Path, eval_set: EvalSet) -> tuple[Optional[Report], Optional[str]]:
    """Evaluate one set: (report, None), or (None, why skipped) when its files or documents are missing."""
    why = unavailable(root, eval_set)
    if why:
        return None, why
    gold, paths = eval_set.resolve(root)
    report = evaluate(gold, paths=paths, split=eval_set.split)
    if not report.documents:
        split = f" with split {eval_set.split!r}" if eval_set.split else ""
        return None, f"no gold documents{split} in {eval_set.gold}"
    return report, None


def figures(report: Report) -> dict[str, float]:
    return {"full_record_f1": round(report.full_record.f1, 4),
            "target_precision": round(report.targets.precision, 4)}


def load_record(root: Path) -> dict:
    path = root / RECORD_FILE
    if not path.exists():
        return {"tolerance": DEFAULT_TOLERANCE, "sets": {}}
    return json.loads(path.read_text(encoding="utf-8"))


def save_record(root: Path, record: dict) -> None:
    path = root / RECORD_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def regressions(recorded: dict, run: dict[str, float], tolerance: float) -> list[str]:
    """Each metric of ``run`` that is more than ``tolerance`` below its recorded value."""
    out = []
    for metric in METRICS:
        best = float(recorded.get(metric, 0.0))
        if run[metric] < best - tolerance:
            out.append(f"{metric} {run[metric]:.4f} < record {best:.4f} - {tolerance}")
    return out


def raise_record(recorded: dict, run: dict[str, float], *, force: bool = False) -> dict:
    """The new record for one set: the better of record and run per metric (the run itself if forced)."""
    new = dict(recorded)
    for metric in METRICS:
        new[metric] = run[metric] if force else max(float(recorded.get(metric, 0.0)), run[metric])
    return new
