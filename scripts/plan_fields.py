"""How often the extractor's plan fields equal the gold's: issuer, issue date, document type, period,
location, and the title (`chitieu eval` scores doc numbers only).

    python scripts/plan_fields.py                  # the corpus and the real gold sets of ../shared
    python scripts/plan_fields.py --show issuer    # and every mismatch of one field on the dev parts

Each set is extracted with `chitieu extract`; the counts are split into the parts rules may be tuned
on (corpus dev, the real sets' dev splits, realnews_dev) and the held-out parts (corpus test and
holdout, the real test splits). Mismatches are listed for the tuning parts only.
"""
from __future__ import annotations

import argparse
import collections
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CHITIEU = [sys.executable, "-c", "from pipeline.cli import main; main()"]
FIELDS = ("title", "issuer", "issued", "doc_type", "period", "location")
HELD = {"test", "holdout"}


def gold_sets() -> list[tuple[str, Path, Path]]:
    """(name, gold file, texts) of every set that is there."""
    sets = [("corpus", ROOT / "corpus" / "gold.jsonl", ROOT / "corpus" / "docs")]
    articles = SHARED / "realnews" / "articles.jsonl"
    for name in ("realnews_dev", "realnews_plans", "realnews_mixed"):
        gold = SHARED / "gold" / f"{name}.jsonl"
        if gold.exists() and articles.exists():
            sets.append((name, gold, articles))
    return sets


def records(gold: Path, texts: Path, tmp: Path) -> dict[str, dict]:
    """The extractor's records of the gold's documents (a JSONL of texts is cut to them first)."""
    ids = {json.loads(line)["doc_id"] for line in gold.open(encoding="utf-8")}
    if texts.suffix == ".jsonl":
        subset = tmp / f"{gold.stem}.texts.jsonl"
        with texts.open(encoding="utf-8") as src, subset.open("w", encoding="utf-8") as out:
            out.writelines(line for line in src if json.loads(line)["id"] in ids)
        texts = subset
    out = subprocess.run(CHITIEU + ["extract", str(texts), "--no-progress"], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout
    return {r["doc_id"]: r for r in map(json.loads, out.splitlines())}


def field(record: dict, name: str):
    return record.get("title") if name == "title" else record["plan"].get(name)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--show", choices=FIELDS, help="list the mismatches of this field on the tuning parts")
    args = ap.parse_args(argv)
    right: collections.Counter = collections.Counter()
    seen: collections.Counter = collections.Counter()
    misses = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, gold_path, texts in gold_sets():
            preds = records(gold_path, texts, Path(tmp))
            for line in gold_path.open(encoding="utf-8"):
                gold = json.loads(line)
                pred = preds.get(gold["doc_id"])
                if pred is None:
                    continue
                part = f"{name} {'held-out' if gold.get('split') in HELD else 'tuning'}"
                for f in FIELDS:
                    want = gold.get("title") if f == "title" else gold["plan"].get(f)
                    if f == "title" and "title" not in gold:
                        continue  # a gold file without titles
                    seen[part, f] += 1
                    ok = field(pred, f) == want
                    right[part, f] += ok
                    if not ok and f == args.show and part.endswith("tuning"):
                        misses.append((gold["doc_id"], want, field(pred, f)))
    parts = sorted({p for p, _ in seen})
    print(f"{'part':28s}" + "".join(f"{f:>12s}" for f in FIELDS))
    for p in parts:
        print(f"{p:28s}" + "".join(f"{f'{right[p, f]}/{seen[p, f]}' if seen[p, f] else '-':>12s}" for f in FIELDS))
    for doc_id, want, got in misses:
        print(f"{doc_id}: gold {want!r}, extracted {got!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
