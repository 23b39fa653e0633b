"""Run the extractor over fixed document sets and compare two such runs record by record.

    python scripts/diff_runs.py run /tmp/before              # every set, `chitieu extract` per set
    python scripts/diff_runs.py run /tmp/after --sets corpus,seeds
    python scripts/diff_runs.py diff /tmp/before /tmp/after  # exit 1 when any record differs

The sets: ``corpus`` (corpus/docs), ``seeds`` (../shared/seeds), ``realnews_dev``,
``realnews_mixed``, ``realnews_plans`` (the articles named by ../shared/gold/<set>.jsonl),
``news800`` (the benchmark's news set) and ``realnews_3000`` (the first 3,000 lines of
../shared/realnews/articles.jsonl); ``realnews_all`` (the whole file, laws included) only when
named in ``--sets``. The JSONL subsets are written once under ``--inputs`` (the same
path for both runs, since a record names its source). A run writes ``<set>.jsonl`` (records) and
``<set>.errors.jsonl`` (failed documents) into its directory.

``diff`` compares the records of each set as bytes, by doc_id, and prints per set how many are
identical, differ, or are missing on one side; with ``--show N`` it prints the first N differing
records' fields.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
ARTICLES = SHARED / "realnews" / "articles.jsonl"
SETS = ("corpus", "seeds", "realnews_dev", "realnews_mixed", "realnews_plans", "news800", "realnews_3000")
EXTRA_SETS = ("realnews_all",)   # every article, laws included: only when asked for
sys.path.insert(0, str(ROOT / "bench"))
from throughput import news_ids  # noqa: E402  (the benchmark's news set)

CHITIEU = [sys.executable, "-c", "from pipeline.cli import main; main()"]


def subset_lines(name: str) -> list[str]:
    """Lines of articles.jsonl for a JSONL set."""
    if name == "news800":
        ids = news_ids(ARTICLES)
        with ARTICLES.open(encoding="utf-8") as fh:
            return [line for line in fh if json.loads(line)["id"] in ids]
    if name == "realnews_3000":
        with ARTICLES.open(encoding="utf-8") as fh:
            return [line for _, line in zip(range(3000), fh)]
    gold = SHARED / "gold" / f"{name}.jsonl"
    ids = {json.loads(line)["doc_id"] for line in gold.open(encoding="utf-8") if line.strip()}
    with ARTICLES.open(encoding="utf-8") as fh:
        return [line for line in fh if json.loads(line)["id"] in ids]


def set_input(name: str, inputs: Path) -> Path:
    """The path `chitieu extract` reads for set ``name`` (a JSONL subset is written once)."""
    if name == "corpus":
        return ROOT / "corpus" / "docs"
    if name == "seeds":
        return SHARED / "seeds"
    if name == "realnews_all":
        return ARTICLES
    path = inputs / f"{name}.jsonl"
    text = "".join(subset_lines(name))
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        inputs.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return path


def run(out_dir: Path, sets: list[str], inputs: Path, workers: int) -> int:
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in sets:
        source = set_input(name, inputs)
        start = time.perf_counter()
        proc = subprocess.run(CHITIEU + ["extract", str(source), "-o", str(out_dir / f"{name}.jsonl"),
                                         "--errors", str(out_dir / f"{name}.errors.jsonl"),
                                         "--workers", str(workers), "--no-progress"],
                              cwd=ROOT, stderr=subprocess.PIPE, text=True)
        summary = (proc.stderr.strip().splitlines() or ["(no output)"])[-1]
        print(f"{name:<15} {time.perf_counter() - start:6.1f} s  {summary}")
    return 0


def records(path: Path) -> dict[str, str]:
    """doc_id -> the record's line as written."""
    out = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                out[json.loads(line)["doc_id"]] = line
    return out


def field_diff(a: str, b: str) -> list[str]:
    """Top-level fields (and target indexes) where two records differ."""
    ra, rb = json.loads(a), json.loads(b)
    diffs = []
    for key in sorted(set(ra) | set(rb)):
        if ra.get(key) == rb.get(key):
            continue
        if key == "targets" and isinstance(ra.get(key), list) and isinstance(rb.get(key), list):
            ta, tb = ra[key], rb[key]
            diffs.append(f"targets: {len(ta)} vs {len(tb)}")
            for i in range(max(len(ta), len(tb))):
                x = ta[i] if i < len(ta) else None
                y = tb[i] if i < len(tb) else None
                if x != y:
                    diffs.append(f"  [{i}] {json.dumps(x, ensure_ascii=False)[:300]}\n   -> {json.dumps(y, ensure_ascii=False)[:300]}")
        else:
            diffs.append(f"{key}: {json.dumps(ra.get(key), ensure_ascii=False)[:300]} -> "
                         f"{json.dumps(rb.get(key), ensure_ascii=False)[:300]}")
    return diffs


def diff(a_dir: Path, b_dir: Path, show: int) -> int:
    in_a, in_b = ({p.name for p in d.glob("*.jsonl")} for d in (a_dir, b_dir))
    for name in sorted(in_a ^ in_b):
        print(f"{name}: only in {'A' if name in in_a else 'B'} (not compared)")
    names = sorted(in_a & in_b)
    bad = 0
    print(f"{'file':<28} {'same':>6} {'differ':>6} {'only A':>6} {'only B':>6}")
    shown = 0
    for name in names:
        a, b = records(a_dir / name), records(b_dir / name)
        if name.endswith(".errors.jsonl"):
            a = {k: json.dumps({f: v for f, v in json.loads(x).items() if f != "error"}) for k, x in a.items()}
            b = {k: json.dumps({f: v for f, v in json.loads(x).items() if f != "error"}) for k, x in b.items()}
        same = [k for k in a if k in b and a[k] == b[k]]
        differ = [k for k in a if k in b and a[k] != b[k]]
        only_a, only_b = [k for k in a if k not in b], [k for k in b if k not in a]
        bad += len(differ) + len(only_a) + len(only_b)
        print(f"{name:<28} {len(same):>6} {len(differ):>6} {len(only_a):>6} {len(only_b):>6}")
        for k in differ:
            if shown >= show:
                break
            shown += 1
            print(f"  {k}:")
            for line in field_diff(a[k], b[k]):
                print(f"    {line}")
        for k in (only_a + only_b)[: max(0, show - shown)]:
            shown += 1
            print(f"  {k}: only in {'A' if k in a else 'B'}")
    print("identical" if not bad else f"{bad} records differ or are missing")
    return 1 if bad else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_run = sub.add_parser("run", help="extract every set into a directory")
    p_run.add_argument("out", type=Path)
    p_run.add_argument("--sets", default=",".join(SETS), help=f"comma-separated, of {', '.join(SETS + EXTRA_SETS)}")
    p_run.add_argument("--inputs", type=Path, default=Path(tempfile.gettempdir()) / "chitieu-diff-inputs",
                       help="where the JSONL subsets are written (same for both runs)")
    p_run.add_argument("--workers", type=int, default=2)
    p_diff = sub.add_parser("diff", help="compare two run directories")
    p_diff.add_argument("a", type=Path)
    p_diff.add_argument("b", type=Path)
    p_diff.add_argument("--show", type=int, default=5, help="differing records to print")
    args = parser.parse_args(argv)
    if args.command == "run":
        sets = [s for s in args.sets.split(",") if s]
        unknown = [s for s in sets if s not in SETS + EXTRA_SETS]
        if unknown:
            parser.error(f"unknown set(s): {', '.join(unknown)}")
        return run(args.out, sets, args.inputs, args.workers)
    return diff(args.a, args.b, args.show)


if __name__ == "__main__":
    sys.exit(main())
