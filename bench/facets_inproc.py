"""In-process cost of the searches with facets that `chitieu serve` answers (no HTTP, no result cache).

    python bench/facets_inproc.py --db /tmp/bench1m.db                 # 300 requests of each kind
    python bench/facets_inproc.py --db /tmp/bench1m.db --profile       # and where the time goes
    python bench/facets_inproc.py --db /tmp/bench1m.db --threads 2     # two threads asking at once

The requests are those of bench/serve.py's kinds "api: full text + province, with facets" and "page:
full text + province (HTML, facets)" (same generator, same seed), asked of browse.results directly on
one store, the way the web app asks (the API: a page of 20 with facets; the page: 20 with facets).
Prints mean, p50, p95 and max in milliseconds per kind, and the CPU time of this process per request
(medians of --repeat runs; on a shared machine the CPU time moves less than the wall-clock times).

With --threads N the requests are shared by N threads, each on a store of the web app's StorePool
(result cache off), one at a time as `chitieu serve` reads (StorePool.reading), or with --unlocked all
at once. Prints the CPU time and the wall-clock time per request.
"""
from __future__ import annotations

import argparse
import contextlib
import cProfile
import pstats
import random
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from serve import query_kinds  # noqa: E402

from pipeline.db import SearchQuery, browse, open_store  # noqa: E402
from pipeline.web.pool import StorePool  # noqa: E402

KINDS = {"facets": "api: full text + province, with facets", "page": "page: full text + province (HTML, facets)"}


def queries(kind: str, n: int, seed: int) -> list[SearchQuery]:
    make = query_kinds(random.Random(seed))[KINDS[kind]]
    out = []
    for _ in range(n):
        params = dict(parse_qsl(urlsplit(make()).query))
        out.append(SearchQuery(text=params.get("q"), province=params.get("province"), limit=None))
    return out


def timings(store, qs: list[SearchQuery]) -> list[float]:
    out = []
    for q in qs:
        t0 = time.perf_counter()
        browse.results(store, q, 0, 20, facets=True)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--n", type=int, default=300, help="requests per kind")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--threads", type=int, default=0, help="share the requests among this many threads")
    ap.add_argument("--unlocked", action="store_true", help="with --threads: all at once, not one at a time")
    args = ap.parse_args(argv)
    if args.threads:
        return threaded(args)
    with open_store(args.db, create=False) as store:
        for kind in KINDS:
            qs = queries(kind, args.n, args.seed)
            timings(store, qs[:20])  # warm-up
            runs = []
            for _ in range(args.repeat):
                cpu = time.process_time()
                t = sorted(timings(store, qs))
                cpu = (time.process_time() - cpu) * 1000 / len(qs)
                runs.append((statistics.mean(t), t[len(t) // 2], t[int(0.95 * (len(t) - 1))], t[-1], cpu))
            mean, p50, p95, mx, cpu = (statistics.median(r[i] for r in runs) for i in range(5))
            print(f"{kind:<7} {args.n} requests x {args.repeat}: mean {mean:.1f} ms  p50 {p50:.1f}  "
                  f"p95 {p95:.1f}  max {mx:.1f}  cpu {cpu:.1f} ms/request")
            if args.profile:
                prof = cProfile.Profile()
                prof.runcall(timings, store, qs)
                pstats.Stats(prof).sort_stats("cumulative").print_stats(25)


def threaded(args) -> None:
    pool = StorePool(args.db, size=args.threads, create=False, cache_size=0)
    reading = contextlib.nullcontext() if args.unlocked else pool.reading
    try:
        for kind in KINDS:
            qs = queries(kind, args.n, args.seed)

            def work(mine: list[SearchQuery]) -> None:
                with pool.store() as store:
                    for q in mine:
                        with reading:
                            browse.results(store, q, 0, 20, facets=True)

            runs = []
            for _ in range(args.repeat + 1):  # the first run warms up
                threads = [threading.Thread(target=work, args=(qs[i::args.threads],)) for i in range(args.threads)]
                cpu, wall = time.process_time(), time.perf_counter()
                for t in threads:
                    t.start()
                for t in threads:
                    t.join()
                runs.append(((time.process_time() - cpu) * 1000 / len(qs), (time.perf_counter() - wall) * 1000 / len(qs)))
            cpu, wall = (statistics.median(r[i] for r in runs[1:]) for i in range(2))
            print(f"{kind:<7} {args.n} requests x {args.repeat}, {args.threads} threads"
                  f"{' at once' if args.unlocked else ' one at a time'}: cpu {cpu:.2f} ms/request, wall {wall:.2f} ms/request")
    finally:
        pool.close()


if __name__ == "__main__":
    main()
