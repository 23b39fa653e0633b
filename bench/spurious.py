#!/usr/bin/env python
"""Targets per 100 random real news articles, where most articles state no aim of a public body.

    python bench/spurious.py                       # 1,000 articles, the judge as shipped
    CHITIEU_JUDGE=rules python bench/spurious.py   # the rules alone

The sample: articles of ../shared/realnews/articles.jsonl that are in no gold set (../shared/gold,
corpus/realgold) and are no law (vlc_*), in an order fixed by a hash of their ids, the first N
(pipeline.learn.news.sample; `chitieu train` holds its thresholds to a rate on the 1,000 after them).
Every target found there is a candidate spurious one (the articles are not annotated): the figure
bounds the spurious rate from above. Prints a table; writes bench/results/spurious.json.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.batch import run_batch  # noqa: E402
from pipeline.learn.news import BENCH_ARTICLES, SEED, default_exclude, sample  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("-n", type=int, default=BENCH_ARTICLES)
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "spurious.json"))
    args = ap.parse_args()
    shared = Path(args.shared)
    exclude = default_exclude(shared, ROOT / "corpus" / "realgold" / "extra.jsonl")
    lines = sample(shared / "realnews" / "articles.jsonl", exclude, args.n, seed=args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "sample.jsonl", Path(tmp) / "out.jsonl"
        src.write_text("".join(lines), encoding="utf-8")
        with open(os.devnull, "w") as quiet:
            run_batch([str(src)], output=str(out), workers=args.workers, progress=False, log=quiet)
        records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    targets = [t for r in records for t in r["targets"]]
    confident = [t for t in targets if (t.get("confidence") or 0) >= 0.8]
    result = {"articles": len(records), "judge": os.environ.get("CHITIEU_JUDGE") or "model",
              "targets_per_100": round(100 * len(targets) / max(1, len(records)), 1),
              "confident_per_100": round(100 * len(confident) / max(1, len(records)), 1),
              "articles_with_targets": sum(1 for r in records if r["targets"]), "seed": args.seed}
    print(f"{'articles':<32}{result['articles']}")
    print(f"{'decision':<32}{result['judge']}")
    print(f"{'targets per 100 articles':<32}{result['targets_per_100']}")
    print(f"{'  with confidence >= 0.8':<32}{result['confident_per_100']}")
    print(f"{'articles with a target':<32}{result['articles_with_targets']}")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
