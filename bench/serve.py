"""Benchmark of `chitieu serve`: searches per second and p50/p95 latency over HTTP, 8 concurrent clients.

    python bench/serve.py                                  # builds a 1,000,000-target database first
    python bench/serve.py --db /tmp/bench1m.db             # reuses (or builds and keeps) this file

The database is the synthetic one of bench/database.py (pipeline.db.synth, same seed). The server
runs as `chitieu serve --read-only` in its own process; each client thread keeps one HTTP connection
and sends its share of the requests of one query kind at a time. Prints a table (with the CPU time the
server processes spent per request, read from /proc: on a shared machine it moves less than the
latencies); writes bench/results/serve.json.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Optional
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from database import QUERY_TEXTS, ingest  # noqa: E402
from web_server import Server  # noqa: E402

from pipeline.db import open_store  # noqa: E402
from pipeline.db.search import fold  # noqa: E402
from pipeline.db.synth import GROUPS, PROVINCES  # noqa: E402


def query_kinds(rng: random.Random) -> dict[str, callable]:
    """Each kind: a function giving the next request path (what a user of the API or the page sends)."""
    def years() -> dict:
        y = rng.randint(2018, 2030)
        return {"year_from": y, "year_to": y + rng.randint(0, 5)}

    return {
        "api: full text + year + province": lambda: "/api/search?" + urlencode(
            {"q": fold(rng.choice(QUERY_TEXTS)), "province": fold(rng.choice(PROVINCES)), **years()}),
        "api: filters only": lambda: "/api/search?" + urlencode(
            {"province": rng.choice(PROVINCES), "kind": "percentage", "min_pct": 50, **years()}),
        "api: full text + province, with facets": lambda: "/api/search?" + urlencode(
            {"q": fold(rng.choice(QUERY_TEXTS + GROUPS)), "province": rng.choice(PROVINCES), "facets": "true"}),
        "page: full text + province (HTML, facets)": lambda: "/?" + urlencode(
            {"q": fold(rng.choice(QUERY_TEXTS)), "province": fold(rng.choice(PROVINCES))}),
        "api: plain full text": lambda: "/api/search?" + urlencode({"q": fold(rng.choice(QUERY_TEXTS + GROUPS))}),
    }


def run_kind(port: int, paths: list[str], clients: int) -> dict:
    """Send ``paths`` with ``clients`` threads (one keep-alive connection each); latencies in ms."""
    times: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    share = [paths[i::clients] for i in range(clients)]

    def client(mine: list[str]) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        local = []
        for path in mine:
            t0 = time.perf_counter()
            conn.request("GET", path)
            resp = conn.getresponse()
            body = resp.read()
            local.append((time.perf_counter() - t0) * 1000)
            if resp.status != 200:
                errors.append(f"{resp.status} {path}: {body[:200]!r}")
        conn.close()
        with lock:
            times.extend(local)

    threads = [threading.Thread(target=client, args=(m,)) for m in share]
    wall = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - wall
    times.sort()
    return {"requests": len(times), "errors": len(errors), "first_error": errors[0] if errors else None,
            "searches_per_s": round(len(times) / wall, 1), "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1), "max_ms": round(times[-1], 1)}


def server_cpu_seconds(pid: int) -> Optional[float]:
    """User + system CPU seconds of process ``pid`` and its children (the worker processes), from /proc;
    None where there is no /proc."""
    try:
        stats = [Path(f"/proc/{pid}/stat").read_text()]
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    text = (entry / "stat").read_text()
                except OSError:
                    continue
                if text.rsplit(")", 1)[1].split()[1] == str(pid):
                    stats.append(text)
    except OSError:
        return None
    ticks = sum(int(f[11]) + int(f[12]) for f in (text.rsplit(")", 1)[1].split() for text in stats))
    return ticks / os.sysconf("SC_CLK_TCK")


def build(path: str, n: int, seed: int) -> dict:
    print(f"building {path} with {n:,} synthetic targets", file=sys.stderr)
    store = open_store(path)
    try:
        return ingest(store, n, seed)
    finally:
        store.close()


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", help="SQLite file: used when it exists, else built and kept (default: a temporary file)")
    ap.add_argument("--n", type=int, default=1_000_000, help="targets when building (default 1,000,000)")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--workers", type=int, default=1, help="server processes (chitieu serve --workers)")
    ap.add_argument("--threads", type=int, default=2, help="requests at once per process (chitieu serve --threads)")
    ap.add_argument("--requests", type=int, default=400, help="requests per query kind")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--kinds", help="only the query kinds whose name contains one of these, comma-separated "
                                    "(e.g. 'year,filters,facets')")
    ap.add_argument("--out", default=str(Path(__file__).parent / "results" / "serve.json"))
    args = ap.parse_args(argv)

    tmp = tempfile.TemporaryDirectory()
    path = args.db or os.path.join(tmp.name, "bench.db")
    built = None if os.path.exists(path) else build(path, args.n, args.seed)
    with open_store(path, create=False) as s:
        (targets,), = s._query("SELECT count(*) FROM targets")
    server = Server(Path(path), "--read-only", "--workers", str(args.workers), "--threads", str(args.threads))
    results = {}
    try:
        rng = random.Random(args.seed)
        for name, make in query_kinds(rng).items():
            if args.kinds and not any(k in name for k in args.kinds.split(",")):
                continue
            run_kind(server.port, [make() for _ in range(4 * args.clients)], args.clients)  # warm-up
            paths = [make() for _ in range(args.requests)]
            cpu = server_cpu_seconds(server.proc.pid)
            results[name] = run_kind(server.port, paths, args.clients)
            if cpu is not None:
                results[name]["server_cpu_ms"] = round((server_cpu_seconds(server.proc.pid) - cpu) * 1000 / len(paths), 2)
            print(f"  {name}: {results[name]}", file=sys.stderr)
    finally:
        server.stop()
        tmp.cleanup()

    print(f"\n{targets:,} targets, {args.clients} concurrent clients, {args.workers} server process(es) of {args.threads} thread(s), "
          f"{args.requests} requests per kind")
    print(f"{'query':<44} {'searches/s':>10} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'errors':>7} {'server CPU ms/req':>18}")
    for name, r in results.items():
        print(f"{name:<44} {r['searches_per_s']:>10} {r['p50_ms']:>8} {r['p95_ms']:>8} {r['max_ms']:>8} {r['errors']:>7} "
              f"{r.get('server_cpu_ms', '-'):>18}")
    env = {"targets": targets, "clients": args.clients, "server_workers": args.workers, "server_threads": args.threads, "requests": args.requests,
           "seed": args.seed, "python": platform.python_version(), "cpus": os.cpu_count(), "machine": platform.machine(),
           "command": "python bench/serve.py " + " ".join(argv if argv is not None else sys.argv[1:])}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps({"environment": env, "build": built, "results": results},
                                         ensure_ascii=False, indent=1) + "\n")
    print(f"\nwrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
