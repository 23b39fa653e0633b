"""The server's cache of search results: it answers a repeated search, and never an old answer after
the data changed, whoever changed it (this server, another connection, another process)."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from pipeline.db import SearchQuery, open_store  # noqa: E402
from pipeline.db.synth import record, target  # noqa: E402
from pipeline.web.app import Settings, create_app  # noqa: E402
from pipeline.web.pool import StorePool  # noqa: E402

ROOT = __import__("pathlib").Path(__file__).resolve().parents[1]
QUERY = SearchQuery(text="can bo cap xa", province="Đắk Nông", limit=None)


def new_record(doc_id: str):
    return record(doc_id, target("70% cán bộ cấp xã đạt chuẩn", pct=70.0, group="cán bộ cấp xã"),
                  province="tỉnh Đắk Nông", title="Kế hoạch mới")


@pytest.fixture
def db(filled_db):
    return filled_db


def doc_ids(results):
    return [h["doc_id"] for h in results.hits]


def test_a_repeated_search_is_answered_from_the_cache(db):
    pool = StorePool(db, size=2)
    try:
        first = pool.results(QUERY, 0, 20, facets=True)
        again = pool.results(QUERY, 0, 20, facets=True)
        assert again is first and pool.cache.hits == 1
        assert pool.results(QUERY, 0, 20).facets is None  # another key
        assert pool.results(QUERY, 0, 1000) is not pool.results(QUERY, 0, 1000)  # downloads are not kept
    finally:
        pool.close()


def test_no_old_answer_after_a_write_through_another_connection(db):
    pool = StorePool(db, size=3)
    try:
        before = pool.results(QUERY, 0, 20)
        for _ in range(3):  # every store of the pool has answered from the cache
            assert pool.results(QUERY, 0, 20) is before
        with open_store(db) as other:  # as `chitieu ingest` would, on its own connection
            other.ingest_record(new_record("moi-1"))
        for _ in range(3):
            after = pool.results(QUERY, 0, 20)
            assert "moi-1" in doc_ids(after) and after.total == before.total + 1
        with open_store(db) as other:
            from pipeline.db import browse

            browse.delete(other, "moi-1")
        for _ in range(3):
            assert pool.results(QUERY, 0, 20).total == before.total
    finally:
        pool.close()


def test_no_old_answer_after_a_write_through_the_server(db):
    with TestClient(create_app(Settings(db=db, pool_size=2))) as client:
        def total():
            r = client.get("/api/search", params={"q": "can bo cap xa", "province": "Đắk Nông"})
            return r.json()["total"]

        before = [total() for _ in range(3)]
        assert len(set(before)) == 1
        r = client.post("/api/documents", json={"text": "Phấn đấu đến năm 2025, 80% cán bộ cấp xã tỉnh Đắk Nông "
                                                        "được đào tạo.", "doc_id": "moi-2", "title": "Kế hoạch"})
        assert r.status_code == 200, r.text
        page = client.get("/", params={"q": "can bo cap xa"}).text
        assert "moi-2" in page
        assert client.delete("/api/documents/moi-2").status_code == 200
        assert "moi-2" not in client.get("/", params={"q": "can bo cap xa"}).text
        assert [total() for _ in range(3)] == before


def test_no_old_answer_after_chitieu_ingest_in_another_process(db, tmp_path):
    pool = StorePool(db, size=2)
    try:
        before = pool.results(QUERY, 0, 20)
        assert pool.results(QUERY, 0, 20) is before
        records = tmp_path / "new.jsonl"
        records.write_text(json.dumps(new_record("moi-3").model_dump(mode="json"), ensure_ascii=False) + "\n")
        done = subprocess.run([sys.executable, "-m", "pipeline.cli", "ingest", str(records), "--db", db],
                              cwd=ROOT, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        for _ in range(2):
            after = pool.results(QUERY, 0, 20)
            assert "moi-3" in doc_ids(after) and after.total == before.total + 1
    finally:
        pool.close()


def test_postgres_like_stores_are_not_cached(db, monkeypatch):
    from pipeline.db.sqlite import SQLiteStore

    monkeypatch.setattr(SQLiteStore, "data_version", lambda self: None)  # a backend that cannot tell
    pool = StorePool(db, size=1)
    try:
        assert pool.results(QUERY, 0, 20) is not pool.results(QUERY, 0, 20)
        assert pool.cache.hits == 0
    finally:
        pool.close()
