"""The answers of `chitieu serve` to a fixed list of searches, to check that a faster server answers the same.

    python bench/serve_answers.py --db /tmp/bench1m.db --out before.jsonl       # on one version
    python bench/serve_answers.py --db /tmp/bench1m.db --compare before.jsonl   # on another

The list: the requests bench/serve.py sends (same seed, --per-kind of each kind), then pages, offsets,
CSV and every filter. Runs the app in process (read-only). Writes one line per request: path, status,
body, milliseconds taken; --compare prints each request whose answer differs and exits 1 when one does.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from serve import query_kinds  # noqa: E402


def paths(per_kind: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    out = [make() for make in query_kinds(rng).values() for _ in range(per_kind)]
    extra = [
        {"q": "can bo", "province": "Hà Nội", "page": 2}, {"q": "can bo", "province": "Hà Nội", "page": 40},
        {"q": "doan vien", "province": "Quảng Ninh"}, {"q": "doan vien", "province": "Quảng Ninh", "year_from": 2025},
        {"q": "phu nu", "year_from": 2020, "year_to": 2022}, {"q": "phu nu", "kind": "funding", "province": "Hà Nội"},
        {"q": "ho ngheo", "doc_type": "Kế hoạch", "province": "Hà Nội"}, {"q": "giao vien", "group": "giáo viên"},
        {"q": "giao vien", "min_pct": 50, "max_pct": 90}, {"province": "Hà Nội"}, {"province": "Hà Nội", "page": 3},
        {"year_from": 2025, "year_to": 2025, "kind": "trainees"}, {"doc_type": "Nghị quyết"}, {"q": "xyzzy khong co"},
        {"province": "không có tỉnh này"}, {"q": "can bo cap xa", "province": "Hà Nội", "min_confidence": 0.5},
    ]
    for params in extra:
        out.append("/?" + urlencode(params))
        out.append("/api/search?" + urlencode(params))
        out.append("/api/search?" + urlencode({**params, "facets": "true", "limit": 7}))
        out.append("/api/search?" + urlencode({**params, "offset": 5, "limit": 5}))
    out.append("/api/search?" + urlencode({"q": "can bo", "province": "Hà Nội", "format": "csv", "limit": 500}))
    return out


def answers(db: str, per_kind: int, seed: int):
    from fastapi.testclient import TestClient

    from pipeline.web.app import Settings, create_app

    with TestClient(create_app(Settings(db=db, read_only=True, pool_size=1))) as client:
        for path in paths(per_kind, seed):
            t0 = time.perf_counter()
            r = client.get(path)
            yield {"path": path, "status": r.status_code, "body": r.text, "ms": round((time.perf_counter() - t0) * 1000, 1)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--per-kind", type=int, default=40)
    ap.add_argument("--seed", type=int, default=0)
    out = ap.add_mutually_exclusive_group(required=True)
    out.add_argument("--out", help="write the answers here (JSONL)")
    out.add_argument("--compare", help="compare with answers written before")
    args = ap.parse_args(argv)
    got = list(answers(args.db, args.per_kind, args.seed))
    if args.out:
        Path(args.out).write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in got), encoding="utf-8")
        print(f"{len(got)} answers written to {args.out}")
        return 0
    before = [json.loads(line) for line in Path(args.compare).read_text(encoding="utf-8").splitlines()]
    differ = [(b, a) for b, a in zip(before, got) if (b["path"], b["status"], b["body"]) != (a["path"], a["status"], a["body"])]
    if len(before) != len(got):
        print(f"{len(before)} answers before, {len(got)} now")
    for b, a in differ:
        print(f"DIFFERENT {a['path']}: status {b['status']} -> {a['status']}, {len(b['body'])} -> {len(a['body'])} chars")
    print(f"{len(got) - len(differ)} of {len(got)} answers identical")
    return 1 if differ or len(before) != len(got) else 0


if __name__ == "__main__":
    sys.exit(main())
