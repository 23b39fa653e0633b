"""THE QUALITY RATCHET: fails when full-record F1 or target precision of an evaluation set falls more
than the tolerance (0.01) below the figures recorded in quality/ratchet.json.

Run alone with `python -m pytest -m ratchet`. After an improvement, raise the record with
`python scripts/ratchet.py --update` and commit quality/ratchet.json.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.eval import ratchet

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.ratchet
@pytest.mark.parametrize("eval_set", ratchet.SETS, ids=lambda s: s.name)
def test_quality_ratchet(eval_set):
    report, why = ratchet.run_set(ROOT, eval_set)
    if report is None:
        pytest.skip(f"{eval_set.name}: {why}")
    record = ratchet.load_record(ROOT)
    recorded = record.get("sets", {}).get(eval_set.name, {})
    tolerance = float(record.get("tolerance", ratchet.DEFAULT_TOLERANCE))
    run = ratchet.figures(report)
    problems = ratchet.regressions(recorded, run, tolerance)
    assert not problems, (
        f"quality ratchet, set {eval_set.name} ({eval_set.command()}): " + "; ".join(problems)
        + f". This run: {run}; record: "
        + str({m: recorded.get(m, 0.0) for m in ratchet.METRICS}))


def test_ratchet_record_is_well_formed():
    record = ratchet.load_record(ROOT)
    assert 0 <= float(record["tolerance"]) <= 0.05
    for eval_set in ratchet.SETS:
        entry = record["sets"][eval_set.name]
        assert all(0.0 <= float(entry[m]) <= 1.0 for m in ratchet.METRICS), entry


RECORD = {"full_record_f1": 0.60, "target_precision": 0.80}


@pytest.mark.parametrize("run, failing", [
    ({"full_record_f1": 0.60, "target_precision": 0.80}, []),
    ({"full_record_f1": 0.595, "target_precision": 0.795}, []),
    ({"full_record_f1": 0.58, "target_precision": 0.80}, ["full_record_f1"]),
    ({"full_record_f1": 0.70, "target_precision": 0.70}, ["target_precision"]),
], ids=["equal", "within-tolerance", "f1-drop", "precision-drop"])
def test_regressions(run, failing):
    problems = ratchet.regressions(RECORD, run, 0.01)
    assert [p.split()[0] for p in problems] == failing


def test_raise_record_never_lowers_unless_forced():
    run = {"full_record_f1": 0.65, "target_precision": 0.75}
    assert ratchet.raise_record(RECORD, run) == {"full_record_f1": 0.65, "target_precision": 0.80}
    assert ratchet.raise_record(RECORD, run, force=True) == run
