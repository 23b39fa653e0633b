#!/usr/bin/env python
"""Evaluate every evaluation set, compare with quality/ratchet.json, print a table.

    python scripts/ratchet.py                    # check only; exit 1 when a set fell below its record
    python scripts/ratchet.py --update           # raise the record where this run is better
    python scripts/ratchet.py --update --force   # write this run's figures even when lower
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.eval import ratchet  # noqa: E402

HEADER = (f"{'set':<14}{'docs':>5}{'tgt P':>8}{'tgt R':>8}{'tgt F1':>8}{'full F1':>9}"
          f"{'record F1':>11}{'record P':>10}  status")


def _row(name: str, report, run: dict, recorded: dict, problems: list[str]) -> str:
    t = report.targets
    return (f"{name:<14}{len(report.documents):>5}{t.precision:>8.3f}{t.recall:>8.3f}{t.f1:>8.3f}"
            f"{run['full_record_f1']:>9.3f}{float(recorded.get('full_record_f1', 0)):>11.3f}"
            f"{float(recorded.get('target_precision', 0)):>10.3f}  {'; '.join(problems) or 'ok'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--update", action="store_true", help="raise the record where the run is better")
    parser.add_argument("--force", action="store_true", help="with --update: also lower records")
    args = parser.parse_args(argv)

    record = ratchet.load_record(ROOT)
    tolerance = float(record.get("tolerance", ratchet.DEFAULT_TOLERANCE))
    sets = record.setdefault("sets", {})
    failed = False
    print(HEADER)
    for eval_set in ratchet.SETS:
        report, why = ratchet.run_set(ROOT, eval_set)
        if report is None:
            print(f"{eval_set.name:<14}  skipped ({why})")
            continue
        run = ratchet.figures(report)
        recorded = sets.get(eval_set.name, {})
        problems = ratchet.regressions(recorded, run, tolerance)
        failed = failed or bool(problems)
        print(_row(eval_set.name, report, run, recorded, problems))
        if args.update:
            sets[eval_set.name] = {**ratchet.raise_record(recorded, run, force=args.force),
                                   "command": eval_set.command()}
    if args.update:
        ratchet.save_record(ROOT, record)
        print(f"record written to {ratchet.RECORD_FILE}")
    return 1 if failed and not args.force else 0


if __name__ == "__main__":
    sys.exit(main())
