"""Time and memory of inputs shaped to hurt (bench/shapes.py), at growing sizes.

    python bench/adversarial.py                       # every shape at 256 KB and 1 MB
    python bench/adversarial.py --sizes 100000,1000000 --shapes deep_html,many_targets

Prints a table and writes bench/results/adversarial.json (--json to write elsewhere).

Each (shape, size) runs in a fresh process, which reads the document (HTML through the ingest
reader) and extracts it as the batch does, under a time budget (--budget, default 60 s: the CLI's
--doc-timeout). Reported: seconds, seconds per MB, peak memory above the warmed-up process, that
memory per MB of input, the outcome ("ok", or the error the batch would write), and the ratio of
time between consecutive sizes (about the ratio of sizes when the cost is linear).
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
MB = 1_000_000


def run_one(shape: str, size: int, budget: float) -> dict:
    """In this process: warm up, then read and extract one document of ``shape``."""
    sys.path.insert(0, str(HERE))
    import shapes

    from pipeline.engines.work import extract_one, load_models
    from pipeline.ingest.html import extract_html
    from pipeline.limits import DocumentTimeout, Limits, time_budget
    from pipeline.source import SourceDocument

    load_models()
    extract_one(SourceDocument(text="Đến năm 2025, 80% cán bộ được bồi dưỡng.", doc_id="warm"))
    extract_html("<html><body><p>Một.</p><p>Hai.</p></body></html>")
    kind, content = shapes.SHAPES[shape](size)
    nbytes = len(content.encode("utf-8"))
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    outcome = "ok"
    try:
        if kind == "html":
            with time_budget(budget):
                content = extract_html(content).text
        result = extract_one(SourceDocument(text=content, doc_id=shape), budget)
        if result[0] != "ok":
            outcome = result[1]["error"]
    except DocumentTimeout:
        outcome = Limits(doc_timeout=budget).timeout_message("reading it")
    seconds = time.perf_counter() - start
    peak = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) * 1024
    return {"shape": shape, "kind": kind, "size": nbytes, "seconds": round(seconds, 3),
            "s_per_mb": round(seconds / (nbytes / MB), 2), "peak_mb": round(peak / MB, 1),
            "mem_per_mb": round(peak / nbytes, 1), "outcome": outcome}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="256000,1000000", help="comma-separated sizes in bytes")
    ap.add_argument("--shapes", default=None, help="comma-separated shape names (default: all)")
    ap.add_argument("--budget", type=float, default=60.0, help="seconds per document (as --doc-timeout)")
    ap.add_argument("--json", default=str(HERE / "results" / "adversarial.json"), help="where to write the rows")
    ap.add_argument("--one", nargs=2, metavar=("SHAPE", "SIZE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one[0], int(args.one[1]), args.budget), ensure_ascii=False))
        return
    sys.path.insert(0, str(HERE))
    import shapes

    names = args.shapes.split(",") if args.shapes else list(shapes.SHAPES)
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    print(f"{'shape':<24}{'bytes':>10}{'s':>9}{'s/MB':>8}{'peak MB':>9}{'MB/MB':>7}{'x time':>8}  outcome")
    for name in names:
        previous = None
        for size in sizes:
            proc = subprocess.run([sys.executable, __file__, "--one", name, str(size), "--budget", str(args.budget)],
                                  capture_output=True, text=True, cwd=HERE.parent)
            if proc.returncode != 0:
                row = {"shape": name, "size": size, "outcome": f"process failed: {proc.stderr.strip()[-200:]}"}
                print(f"{name:<24}{size:>10}  {row['outcome']}")
                rows.append(row)
                continue
            row = json.loads(proc.stdout.strip().splitlines()[-1])
            growth = (f"{row['seconds'] / previous['seconds']:.1f}"
                      if previous and previous["seconds"] > 0.01 else "")
            row["time_growth"] = float(growth) if growth else None
            rows.append(row)
            previous = row
            print(f"{name:<24}{row['size']:>10}{row['seconds']:>9.2f}{row['s_per_mb']:>8.1f}{row['peak_mb']:>9.1f}"
                  f"{row['mem_per_mb']:>7.1f}{growth:>8}  {row['outcome'][:60]}", flush=True)
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps({"sizes": sizes, "budget": args.budget, "rows": rows},
                                          ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
