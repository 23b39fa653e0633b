"""The server's reads of an SQLite database run one at a time per process (web.pool, web.app.one_at_a_time):
two at once take turns on the interpreter lock row by row and both run slower."""
from __future__ import annotations

import threading
import time
from contextlib import nullcontext
from types import SimpleNamespace

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from pipeline.db import browse  # noqa: E402
from pipeline.web.app import Settings, create_app, one_at_a_time  # noqa: E402
from pipeline.web.pool import StorePool  # noqa: E402


def _most_at_once(reading) -> int:
    """How many calls of an endpoint under one_at_a_time overlapped when four threads called it."""
    counter, running, most = threading.Lock(), [0], [0]
    request = SimpleNamespace(app=SimpleNamespace(state=SimpleNamespace(pool=SimpleNamespace(reading=reading))))

    @one_at_a_time
    def endpoint(request):
        with counter:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.05)  # long enough for the other threads to arrive
        with counter:
            running[0] -= 1

    threads = [threading.Thread(target=endpoint, kwargs={"request": request}) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return most[0]


def test_reads_of_an_sqlite_pool_run_one_at_a_time(filled_db):
    pool = StorePool(filled_db, size=2)
    try:
        assert _most_at_once(pool.reading) == 1
    finally:
        pool.close()


def test_reads_that_a_database_server_does_overlap():
    """PostgreSQL's pool holds nothing (its reads wait on the database server, not on this process)."""
    assert _most_at_once(nullcontext()) == 4


@pytest.mark.parametrize("path", ["/api/search?q=can+bo&province=%C4%90%E1%BA%AFk+N%C3%B4ng&facets=true",
                                  "/?q=can+bo&province=%C4%90%E1%BA%AFk+N%C3%B4ng"])
def test_the_search_api_and_page_hold_the_lock_while_they_search(filled_db, monkeypatch, path):
    app = create_app(Settings(db=filled_db, pool_size=2, read_only=True))
    held = []
    real = browse.results

    def spying(*args, **kwargs):
        held.append(app.state.pool.reading.locked())
        return real(*args, **kwargs)

    monkeypatch.setattr(browse, "results", spying)
    with TestClient(app) as client:
        r = client.get(path)
        assert r.status_code == 200 and "cán bộ" in r.text
        assert client.get("/healthz").status_code == 200  # not a read of the targets: no lock
    assert held == [True]
    assert not app.state.pool.reading.locked()
