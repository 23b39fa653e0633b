"""Memory against text size: peak RSS of `chitieu extract --workers 1` on one plain-text document of
N million characters, made of real news articles (../shared/realnews, laws left out) joined by
blank lines, else of the corpus documents repeated.

    python bench/memory.py                 # 1, 5 and 10 million characters
    python bench/memory.py --sizes 20

Prints a table (peak RSS, RSS per character of text, wall and CPU time) and writes
bench/results/memory.json.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from throughput import CHITIEU, RssSampler, _children_cpu  # noqa: E402

ARTICLES = ROOT.parent / "shared" / "realnews" / "articles.jsonl"


def texts() -> list[str]:
    if ARTICLES.exists():
        out = []
        with ARTICLES.open(encoding="utf-8") as fh:
            for line in fh:
                item = json.loads(line)
                if not item["id"].startswith("vlc_"):
                    out.append((item.get("title") or "") + "\n" + item["text"])
        return out
    return [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus" / "docs").glob("*.txt"))]


def document(chars: int, pool: list[str]) -> str:
    parts, n, i = [], 0, 0
    while n < chars:
        parts.append(pool[i % len(pool)])
        n += len(parts[-1]) + 2
        i += 1
    return "\n\n".join(parts)[:chars]


def measure(path: Path) -> dict:
    import subprocess

    start, cpu0 = time.perf_counter(), _children_cpu()
    proc = subprocess.Popen(CHITIEU + ["extract", str(path), "-o", str(path.with_suffix(".jsonl")), "--workers", "1",
                                       "--no-progress"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    sampler = RssSampler(proc.pid)
    stderr = proc.communicate()[1].decode()
    sampler.stop()
    if proc.returncode:
        raise RuntimeError(f"chitieu extract failed:\n{stderr}")
    return {"peak_rss_mb": round(sampler.peak_total / 2**20, 1), "wall_s": round(time.perf_counter() - start, 2),
            "cpu_s": round(_children_cpu() - cpu0, 2)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 5, 10], help="millions of characters")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "memory.json")
    args = parser.parse_args(argv)
    pool = texts()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            chars = int(size * 1_000_000)
            path = Path(tmp) / f"doc{chars}.txt"
            path.write_text(document(chars, pool), encoding="utf-8")
            row = {"chars": chars, **measure(path)}
            row["bytes_rss_per_char"] = round(row["peak_rss_mb"] * 2**20 / chars, 1)
            rows.append(row)
            print(f"{chars:>12,} chars  peak RSS {row['peak_rss_mb']:>8} MB  ({row['bytes_rss_per_char']} B/char)  "
                  f"{row['wall_s']} s wall, {row['cpu_s']} s CPU", flush=True)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps({"runs": rows}, indent=2) + "\n", encoding="utf-8")
    print(f"written: {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
