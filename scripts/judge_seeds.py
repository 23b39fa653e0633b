#!/usr/bin/env python
"""Cross-validate the target judge over several fold seeds, on `chitieu train`'s own training set.

    python scripts/judge_seeds.py build /tmp/judge_set.pkl          # chitieu train's training set, pickled (1.5-5 min)
    python scripts/judge_seeds.py run /tmp/judge_set.pkl --seeds 13 7 29 [--c 1.0] [--json out.json]

`build` prepares the set as `chitieu train` does with its defaults (pipeline.learn.training_set:
out-of-fold periods and groups, the news check, the news negatives; run from the repository root
with ../shared beside it) and pickles it, so that a change to the judge's features or fitting can be
measured without analysing the documents again. `run` runs `train.cross_validate` once per fold seed
(the C grid given, 200 trees as shipped) and prints, per seed and as means, the cross-validated
full-record F1 over every document ("all") and over the real gold of ../shared annotated as its test
splits are ("shared": realnews_dev and the dev splits of realnews_plans and realnews_mixed), with the
thresholds chosen and the news check's rate. One seed takes about 6.5 minutes on two cores.
"""
from __future__ import annotations

import argparse
import json
import pickle
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.eval import score  # noqa: E402
from pipeline.learn import train  # noqa: E402
from pipeline.learn.trees import TREES  # noqa: E402

SHARED_SETS = ("realnews_dev.jsonl", "realnews_plans.jsonl", "realnews_mixed.jsonl")


def build(out: Path) -> None:
    from pipeline.cli.train_cmd import DEFAULT_NEWS, DEFAULT_SETS, DEFAULT_WRITTEN_YEAR, REALGOLD
    from pipeline.learn import dataset, written_year_train
    from pipeline.learn.training_set import prepare

    with tempfile.TemporaryDirectory() as staging:
        ts = prepare([dataset.GoldSet.parse(s) for s in DEFAULT_SETS], Path(staging), articles=Path(DEFAULT_NEWS),
                     realgold=Path(REALGOLD), written_year=written_year_train.parse_labels(DEFAULT_WRITTEN_YEAR))
    for note in ts.notes:
        print(f"note: {note}", file=sys.stderr)
    with out.open("wb") as fh:
        pickle.dump((ts.docs, ts.check, ts.negatives), fh, protocol=pickle.HIGHEST_PROTOCOL)
    print(f"wrote {out}: {len(ts.docs)} documents, {len(ts.negatives)} negatives, "
          f"{len(ts.check.docs) if ts.check else 0} news-check documents with a candidate")


def run(data: Path, seeds: list[int], c_grid: tuple[float, ...], trees: int, folds: int = 5) -> dict:
    from pipeline.extractor import Extractor

    with data.open("rb") as fh:
        docs, check, negatives = pickle.load(fh)
    extractor = Extractor()
    extractor.judge = None
    shared = [i for i, d in enumerate(docs) if d.source in SHARED_SETS]
    rows = {}
    for seed in seeds:
        t0 = time.time()
        cv = train.cross_validate(docs, extractor, folds, c_grid, check, negatives, trees=trees, seed=seed)
        recs = train.records(docs, cv.scores, train.TargetModel({}, cv.threshold, drop_below=cv.drop_below), extractor)
        rows[seed] = {"all": round(cv.reports["all"].full_record.f1, 4),
                      "shared": round(score([docs[i].gold for i in shared], [recs[i] for i in shared]).full_record.f1, 4),
                      "c": cv.c, "keep_from": cv.threshold, "drop_below": cv.drop_below,
                      "news_per_100": round(cv.news_rate, 2) if check is not None else None,
                      "seconds": round(time.time() - t0)}
        print(f"seed {seed}: {rows[seed]}", flush=True)
    mean = {k: round(statistics.mean(r[k] for r in rows.values()), 4) for k in ("all", "shared")}
    print(f"mean over {len(rows)} seed(s): all {mean['all']:.4f}, shared {mean['shared']:.4f}")
    return {"data": str(data), "documents": len(docs), "folds": folds, "seeds": rows, "mean": mean, "c_grid": list(c_grid),
            "trees": trees}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="pickle chitieu train's training set")
    b.add_argument("out", type=Path)
    r = sub.add_parser("run", help="cross-validate the judge on a pickled set, once per fold seed")
    r.add_argument("data", type=Path)
    r.add_argument("--seeds", type=int, nargs="+", default=[13, 7, 29])
    r.add_argument("--c", type=float, nargs="+", default=[1.0], help="the C grid (chitieu train: 0.1 0.3 1.0)")
    r.add_argument("--trees", type=int, default=TREES)
    r.add_argument("--folds", type=int, default=5)
    r.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args(argv)
    if args.cmd == "build":
        build(args.out)
        return 0
    result = run(args.data, args.seeds, tuple(args.c), args.trees, args.folds)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
