"""Benchmark of the target database: ingest rate and search latency on N synthetic targets.

    python bench/database.py                      # 1,000,000 targets, SQLite
    python bench/database.py --n 100000 --pg postgresql://chitieu:chitieu@localhost:5432/chitieu_test

Generates realistic synthetic Vietnamese records (pipeline.db.synth: 63 provinces, ~30 target
groups, ~17 indicators, deadline years 2016-2035), ingests them (timing only the store's work,
not the generation), then times typical searches (LIMIT 20): plain full text, full text + year +
province, filters only, and a diacritic-free query. Prints a table; writes bench/results/database.json.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.db import SearchQuery, open_store  # noqa: E402
from pipeline.db.search import fold  # noqa: E402
from pipeline.db.synth import GROUPS, INDICATORS, PROVINCES, synthetic_records  # noqa: E402

QUERY_TEXTS = ["cán bộ cấp xã", "lao động nông thôn", "hộ nghèo", "giáo viên mầm non", "đào tạo nghề",
               "phụ nữ", "công nghệ thông tin", "doanh nghiệp nhỏ và vừa", "bảo hiểm y tế", "người dân tộc thiểu số"]


def query_sets(rng: random.Random) -> dict[str, Callable[[], SearchQuery]]:
    def years() -> tuple[int, int]:
        y = rng.randint(2018, 2030)
        return y, y + rng.randint(0, 5)

    def fts_filtered() -> SearchQuery:
        y0, y1 = years()
        return SearchQuery(text=rng.choice(QUERY_TEXTS), year_from=y0, year_to=y1, province=rng.choice(PROVINCES))

    def filters_only() -> SearchQuery:
        y0, y1 = years()
        return SearchQuery(province=rng.choice(PROVINCES), year_from=y0, year_to=y1, kind="percentage", min_pct=50)

    return {
        "plain full text": lambda: SearchQuery(text=rng.choice(QUERY_TEXTS + GROUPS + INDICATORS)),
        "full text + year + province": fts_filtered,
        "filters only": filters_only,
        "diacritic-free full text": lambda: SearchQuery(text=fold(rng.choice(QUERY_TEXTS + GROUPS))),
    }


def ingest(store, n: int, seed: int, batch_docs: int = 500) -> dict:
    spent, targets, batch = 0.0, 0, []
    wall = time.perf_counter()

    def flush() -> None:
        nonlocal spent, targets
        t0 = time.perf_counter()
        targets += store.ingest_batch(batch).targets
        spent += time.perf_counter() - t0
        batch.clear()

    for i, rec in enumerate(synthetic_records(n, seed=seed)):
        batch.append(rec)
        if len(batch) >= batch_docs:
            flush()
        if i % 20000 == 0 and i:
            print(f"  ... {targets:,} targets, {targets / spent:,.0f}/s", file=sys.stderr)
    flush()
    t0 = time.perf_counter()
    store.optimize()
    optimize_s = time.perf_counter() - t0
    return {"targets": targets, "ingest_seconds": round(spent, 2), "targets_per_second": round(targets / spent),
            "wall_seconds_incl_generation": round(time.perf_counter() - wall, 2), "optimize_seconds": round(optimize_s, 2)}


def latencies(store, runs: int, seed: int) -> dict:
    rng = random.Random(seed)
    out = {}
    for name, make in query_sets(rng).items():
        for _ in range(5):
            store.search(make())  # warm-up
        times, hits = [], []
        for _ in range(runs):
            q = make()
            t0 = time.perf_counter()
            res = store.search(q)
            times.append((time.perf_counter() - t0) * 1000)
            hits.append(len(res))
        times.sort()
        out[name] = {"p50_ms": round(statistics.median(times), 2), "p95_ms": round(times[int(0.95 * (len(times) - 1))], 2),
                     "max_ms": round(times[-1], 2), "mean_hits": round(statistics.mean(hits), 1), "runs": runs}
    return out


def run_backend(name: str, url: str, args, **kw) -> dict:
    print(f"{name}: ingesting {args.n:,} targets into {url}", file=sys.stderr)
    store = open_store(url, **kw)
    try:
        result = {"backend": name, **ingest(store, args.n, args.seed)}
        result["search"] = latencies(store, args.runs, args.seed)
        if name == "sqlite":
            result["file_mb"] = round(sum(os.path.getsize(url + s) for s in ("", "-wal") if os.path.exists(url + s)) / 2**20)
    finally:
        if name == "postgresql" and not args.keep:
            store.drop()
        store.close()
    return result


def print_table(results: list[dict]) -> None:
    print(f"\n{'backend':<11} {'ingest targets/s':>16}")
    for r in results:
        print(f"{r['backend']:<11} {r['targets_per_second']:>16,}")
    print(f"\n{'backend':<11} {'query':<30} {'p50 ms':>8} {'p95 ms':>8} {'hits':>6}")
    for r in results:
        for q, s in r["search"].items():
            print(f"{r['backend']:<11} {q:<30} {s['p50_ms']:>8} {s['p95_ms']:>8} {s['mean_hits']:>6}")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1_000_000, help="number of targets (default 1,000,000)")
    ap.add_argument("--pg", help="also benchmark PostgreSQL at this DSN (uses schema chitieu_bench, dropped after)")
    ap.add_argument("--db", help="SQLite file to create (default: a temporary file, deleted after)")
    ap.add_argument("--runs", type=int, default=200, help="searches per query kind")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--keep", action="store_true", help="keep the databases")
    ap.add_argument("--out", default=str(Path(__file__).parent / "results" / "database.json"))
    args = ap.parse_args(argv)

    results = []
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or os.path.join(tmp, "bench.db")
        if os.path.exists(path):
            sys.exit(f"{path} exists: remove it or pick another --db")
        results.append(run_backend("sqlite", path, args))
    if args.pg:
        from pipeline.db.postgres import PostgresStore

        PostgresStore(args.pg, schema_name="chitieu_bench").drop()
        results.append(run_backend("postgresql", args.pg, args, pg_schema="chitieu_bench"))
    print_table(results)
    env = {"n": args.n, "runs": args.runs, "seed": args.seed, "python": platform.python_version(),
           "sqlite": sqlite3.sqlite_version, "cpus": os.cpu_count(), "machine": platform.machine(),
           "command": "python bench/database.py " + " ".join(argv if argv is not None else sys.argv[1:])}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps({"environment": env, "results": results}, ensure_ascii=False, indent=1) + "\n")
    print(f"\nwrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
