"""Evaluation: score predicted document records against gold (CONTRACT.md section 4).

    load_gold(path, split=None) -> list[dict]          # GoldError on a bad line
    load_predictions(path) -> list[dict]               # InputError on a bad line
    predict(paths, gold_ids) -> Predictions            # runs the extractor on gold documents only
    score(gold_docs, pred_docs) -> Report              # pure
    evaluate(gold_path, paths=..., pred_path=..., split=...) -> Report

The scorer is pure (no I/O); `render` formats a Report; `ratchet` guards the recorded figures.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Optional, Union

from .files import load_gold, load_predictions
from .matching import match_targets, primary_kind, same_quantity
from . import render
from .run import Predictions, predict
from .scoring import PRF, Ratio, Report, score
from .tokens import token_f1, tokens

__all__ = ["load_gold", "load_predictions", "predict", "score", "evaluate", "Report", "PRF", "Ratio",
           "Predictions", "match_targets", "primary_kind", "same_quantity", "token_f1", "tokens"]


def evaluate(gold_path: Union[str, Path], *, paths: Iterable[Union[str, Path]] = (),
             pred_path: Optional[Union[str, Path]] = None, split: Optional[str] = None,
             written_in: Optional[int] = None) -> Report:
    """Score either existing predictions (``pred_path``) or a fresh extraction of ``paths``."""
    gold = load_gold(gold_path, split=split)
    notes = []
    if split is not None:
        notes.append(f"split {split!r}: {len(gold)} gold document(s)")
    if pred_path is not None:
        pred = load_predictions(pred_path)
    else:
        run = predict([str(p) for p in paths], {g["doc_id"] for g in gold}, written_in=written_in)
        pred, notes = run.records, notes + run.notes
    report = score(gold, pred)
    report.notes[:0] = notes
    return report
