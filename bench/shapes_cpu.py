"""CPU seconds of extracting shaped documents (bench/shapes.py), several times in one warmed process.

    python bench/shapes_cpu.py --shapes many_targets,same_target_lines --size 300000 --runs 4

bench/adversarial.py times each document once, wall clock, in a fresh process: right for the
budget, noisy for comparing two commits on a shared machine. This one reports, per shape, the
fewest and the median CPU seconds (time.process_time) of engines.work.extract_one over --runs runs
in one process, and the sha256 of the JSON line (the same line before and after a change that
should not change output). Prints a table and writes bench/results/shapes_cpu.json (--json).
"""
from __future__ import annotations

import argparse
import gc
import hashlib
import json
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shapes", default="many_targets,same_target_lines,one_huge_line,many_groups_one_value")
    ap.add_argument("--size", type=int, default=300_000, help="bytes per document")
    ap.add_argument("--runs", type=int, default=4)
    ap.add_argument("--json", default=str(HERE / "results" / "shapes_cpu.json"))
    args = ap.parse_args()
    sys.path.insert(0, str(HERE))
    import shapes

    from pipeline.engines.work import extract_one, load_models
    from pipeline.source import SourceDocument

    load_models()
    rows = []
    print(f"{'shape':<24}{'bytes':>10}{'min s':>8}{'median s':>10}  sha256 of the line")
    for name in args.shapes.split(","):
        kind, content = shapes.SHAPES[name](args.size)
        if kind != "text":
            raise SystemExit(f"{name}: only text shapes")
        seconds, line = [], ""
        for _ in range(args.runs):
            gc.collect()
            t = time.process_time()
            result = extract_one(SourceDocument(text=content, doc_id=name))
            seconds.append(time.process_time() - t)
            line = result[2] if result[0] == "ok" else json.dumps(result[1], ensure_ascii=False)
        row = {"shape": name, "size": len(content.encode("utf-8")), "min_s": round(min(seconds), 3),
               "median_s": round(statistics.median(seconds), 3),
               "sha256": hashlib.sha256(line.encode("utf-8")).hexdigest()[:16]}
        rows.append(row)
        print(f"{name:<24}{row['size']:>10}{row['min_s']:>8.2f}{row['median_s']:>10.2f}  {row['sha256']}", flush=True)
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps({"runs": args.runs, "rows": rows}, ensure_ascii=False, indent=1) + "\n",
                               encoding="utf-8")
    print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
