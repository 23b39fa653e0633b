"""A real `chitieu serve` (two worker processes) keeps answering searches while a writer ingests into
the same database: 50 concurrent searches, every one a 200 with a consistent answer, while
`chitieu ingest` writes."""
from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

pytest.importorskip("fastapi")
from web_server import ROOT, Server  # noqa: E402

from pipeline.db import open_store  # noqa: E402
from pipeline.db.synth import sample_records, synthetic_records  # noqa: E402

QUERIES = ["/api/search?q=adb+tai+tro", "/api/search?q=lao+dong&province=Ha+Noi&limit=5",
           "/api/search?kind=funding&facets=true", "/?q=dao+tao", "/api/search?q=ho+ngheo&year_from=2020"]


def fetch(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=120) as r:
        return r.status, r.read()


def test_fifty_searches_while_ingesting(tmp_path):
    db = tmp_path / "targets.db"
    with open_store(str(db)) as s:
        s.ingest_batch(sample_records())
    records = tmp_path / "many.jsonl"
    with records.open("w", encoding="utf-8") as fh:
        for r in synthetic_records(30_000, seed=3):
            fh.write(r.model_dump_json() + "\n")
    server = Server(db, "--read-only", "--workers", "2")
    writer = None
    try:
        writer = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "ingest", str(records), "--db", str(db),
                                   "--batch-size", "200"], cwd=ROOT, stderr=subprocess.PIPE)
        while server.get("/api/stats")["documents"] == 4:  # the writer has committed its first batch
            assert writer.poll() is None, writer.stderr.read().decode()
        urls = [server.url + QUERIES[i % len(QUERIES)] for i in range(50)]
        with ThreadPoolExecutor(50) as pool:
            answers = list(pool.map(fetch, urls))
        still_writing = writer.poll() is None
        assert [status for status, _ in answers] == [200] * 50
        for url, (_, body) in zip(urls, answers):
            if "/api/" in url:
                got = json.loads(body)
                assert got["total"] >= len(got["hits"]) > 0, url
            else:
                assert b'id="total"' in body
        # the first query only matches the sample records: the same answer whatever the writer has done
        first = [json.loads(body)["total"] for url, (_, body) in zip(urls, answers) if url.endswith("tai+tro")]
        assert set(first) == {1}
        assert writer.wait(timeout=600) == 0, writer.stderr.read().decode()
        assert still_writing, "the ingest ended before the searches: make it larger"
        assert server.get("/api/stats")["targets"] == 11 + 30_000
    finally:
        if writer and writer.poll() is None:
            writer.kill()
            writer.wait()
        server.stop()
