"""The HTTP API and pages of `chitieu serve`, in process (fastapi TestClient): values, writes, bad inputs."""
from __future__ import annotations

import csv
import io
import re

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from pipeline.db import SearchQuery, open_store  # noqa: E402
from pipeline.db.synth import sample_records  # noqa: E402
from pipeline.web.app import Settings, check_token, create_app  # noqa: E402

PLAN = "Phấn đấu đến năm 2025, ít nhất 80% cán bộ, công chức cấp xã được bồi dưỡng kỹ năng số."
HOSTILE = ('<script>window.__xss=1</script> "><img src=x onerror="window.__xss=2"> '
           "Phấn đấu đến năm 2026, 90% hộ nghèo được hỗ trợ vay vốn.")


def make_client(tmp_path, name="t.db", **settings) -> TestClient:
    path = str(tmp_path / name)
    with open_store(path) as s:
        s.ingest_batch(sample_records())
    app = create_app(Settings(db=path, pool_size=2, **settings))
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture
def client(tmp_path):
    with make_client(tmp_path) as c:
        yield c


@pytest.fixture(scope="module")
def ro_client(tmp_path_factory):
    with make_client(tmp_path_factory.mktemp("ro"), read_only=True) as c:
        yield c


def search(client, **params):
    r = client.get("/api/search", params=params)
    assert r.status_code == 200, r.text
    return r.json()


def pairs(hits):
    return [(h["doc_id"], h["position"]) for h in hits]


# -- reading -----------------------------------------------------------------------------------

def test_health_and_openapi(ro_client):
    assert ro_client.get("/healthz").json() == {"status": "ok", "read_only": True}
    paths = ro_client.get("/openapi.json").json()["paths"]
    assert {"/api/extract", "/api/search", "/api/stats", "/healthz", "/api/documents/{doc_id}"} <= set(paths)
    assert "/api/documents" not in paths  # read-only: no write endpoint at all
    assert ro_client.get("/docs").status_code == 200


def test_search_diacritic_free_with_total_and_pages(ro_client):
    every = search(ro_client, q="can bo cap xa", limit=100)
    assert every["total"] == 3 == len(every["hits"])
    assert set(pairs(every["hits"])) == {("dn-2021", 0), ("qb-2016", 0), ("qb-2016", 1)}
    first = search(ro_client, q="can bo cap xa", limit=2)
    second = search(ro_client, q="can bo cap xa", limit=2, offset=2)
    assert first["total"] == second["total"] == 3
    assert pairs(first["hits"] + second["hits"]) == pairs(every["hits"])


def test_search_filters_match_the_store(ro_client, tmp_path):
    got = search(ro_client, province="Dak Nong", kind="trainees", year_from=2023, year_to=2023)
    assert pairs(got["hits"]) == [("dn-2021", 2)] and got["total"] == 1
    got = search(ro_client, min_pct=60, max_pct=90, doc_type="de an")
    assert pairs(got["hits"]) == [("hn-2030", 0)]
    assert search(ro_client, group="ho ngheo")["hits"][0]["target_group"] == "hộ nghèo"


def test_search_facets_count_the_hits(ro_client):
    got = search(ro_client, q="dao tao", facets="true", limit=100)
    facets = {k: {row["value"]: row["targets"] for row in rows} for k, rows in got["facets"].items()}
    hits = got["hits"]
    assert sum(facets["province"].values()) == len(hits) == got["total"]
    for year, n in facets["deadline_year"].items():
        assert n == sum(1 for h in hits if h["deadline_year"] == year)
    assert facets["kind"]["funding"] == sum(1 for h in hits if h["funding_amount"] is not None)


def test_search_csv_download(ro_client):
    r = ro_client.get("/api/search", params={"q": "can bo", "format": "csv", "limit": 100})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == search(ro_client, q="can bo")["total"]
    assert {row["doc_id"] for row in rows} == {"qb-2016", "dn-2021"}


def test_stats(ro_client):
    stats = ro_client.get("/api/stats").json()
    assert stats["documents"] == 4 and stats["targets"] == 11
    assert {"value": "percentage", "targets": 6} in stats["by_kind"]


def test_get_document_and_missing(ro_client):
    got = ro_client.get("/api/documents/dn-2021").json()
    assert got["document"]["province"] == "tỉnh Đắk Nông" and len(got["targets"]) == 3
    assert got["text"] is None  # ingested as a record: no text kept
    r = ro_client.get("/api/documents/nope")
    assert r.status_code == 404 and "nope" in r.json()["error"]


@pytest.mark.parametrize("params, name", [
    ({"year_from": "abc"}, "year_from"), ({"kind": "money"}, "kind"), ({"limit": "0"}, "limit"),
    ({"offset": "999999"}, "offset"), ({"min_pct": "200"}, "min_pct"), ({"format": "xml"}, "format"),
    ({"q": "x" * 600}, "q"),
])
def test_bad_search_parameters_are_named(ro_client, params, name):
    r = ro_client.get("/api/search", params=params)
    assert 400 <= r.status_code < 500
    assert name in r.json()["error"]


def test_min_confidence_filter(ro_client):
    r = ro_client.get("/api/search", params={"min_confidence": "0.5"})
    assert r.status_code == 200
    assert ro_client.get("/api/search", params={"min_confidence": "2"}).status_code in (400, 422)


# -- extraction ---------------------------------------------------------------------------------

def test_extract_text_stores_nothing(client):
    r = client.post("/api/extract", json={"text": PLAN, "doc_id": "x1"})
    assert r.status_code == 200, r.text
    record = r.json()
    assert record["doc_id"] == "x1"
    [t] = record["targets"]
    assert t["percentage"] == {"value": 80.0, "op": ">=", "value_max": None} and t["deadline"]["year"] == 2025
    assert client.get("/api/documents/x1").status_code == 404
    assert search(client)["total"] == 11


def test_extract_uploads(client, tmp_path):
    html = f"<html><head><title>Kế hoạch</title></head><body><article><p>{PLAN}</p></article></body></html>"
    for name, data in [("plan.txt", PLAN.encode("utf-8")), ("plan.html", html.encode("utf-8"))]:
        r = client.post("/api/extract", files={"file": (name, data)})
        assert r.status_code == 200, r.text
        assert [t["percentage"]["value"] for t in r.json()["targets"]] == [80.0], name
        assert r.json()["doc_id"] == "plan"
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.add_paragraph(PLAN)
    buf = io.BytesIO()
    d.save(buf)
    r = client.post("/api/extract", files={"file": ("../../etc/kh.docx", buf.getvalue())}, data={"doc_id": "kh"})
    assert r.status_code == 200 and r.json()["doc_id"] == "kh"
    assert r.json()["targets"][0]["target_group"] == "cán bộ, công chức cấp xã"


@pytest.mark.parametrize("kwargs, words", [
    ({"content": b"{not json", "headers": {"content-type": "application/json"}}, "not JSON"),
    ({"json": {"text": ""}}, "text"),
    ({"json": {"text": PLAN, "colour": "red"}}, "colour"),
    ({"json": {"text": PLAN, "published": "yesterday"}}, "published"),
    ({"content": b"text=1", "headers": {"content-type": "text/plain"}}, "content type"),
    ({"files": {"file": ("a.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)}}, "a.png"),
    ({"files": {"file": ("empty.txt", b"")}}, "empty"),
    ({"files": {"file": ("two.jsonl", b'{"id": "a", "text": "x"}\n{"id": "b", "text": "y"}\n')}}, "several"),
    ({"data": {"title": "no text"}}, "text"),
])
def test_bad_documents_get_a_named_4xx(client, kwargs, words):
    r = client.post("/api/extract", **kwargs)
    assert 400 <= r.status_code < 500, r.text
    assert words in r.json()["error"]
    assert "Traceback" not in r.text


def test_body_over_the_limit_is_413(tmp_path):
    with make_client(tmp_path, max_upload=2000) as c:
        r = c.post("/api/extract", files={"file": ("big.txt", b"a" * 5000)})
        assert r.status_code == 413 and "2,000" in r.json()["error"]

        def chunks():  # no Content-Length: counted while it streams
            for _ in range(10):
                yield b"b" * 500
        r = c.post("/api/documents", content=chunks(), headers={"content-type": "application/json"})
        assert r.status_code == 413
        assert c.post("/api/extract", json={"text": PLAN}).status_code == 200


def test_unexpected_error_is_json_without_traceback(client, monkeypatch):
    from pipeline.db import browse

    def boom(*a, **k):
        raise RuntimeError("secret detail")
    monkeypatch.setattr(browse, "page", boom)
    r = client.get("/api/search", params={"q": "can bo"})
    assert r.status_code == 500 and r.json() == {"error": "internal error (RuntimeError)"}


# -- writing ------------------------------------------------------------------------------------

def test_store_replace_and_delete(client):
    r = client.post("/api/documents", json={"text": PLAN, "doc_id": "kh-1", "title": "Kế hoạch 1"})
    assert r.status_code == 200 and r.json()["replaced"] is False
    got = client.get("/api/documents/kh-1").json()
    assert got["text"] == PLAN and [t["pct_value"] for t in got["targets"]] == [80.0]
    ev = got["targets"][0]
    assert got["text"][ev["evidence_start"]:ev["evidence_end"]] == ev["evidence_text"]
    # the same text under another id replaces it (ingest's semantics)
    r = client.post("/api/documents", json={"text": PLAN, "doc_id": "kh-2"})
    assert r.json()["replaced"] is True
    assert client.get("/api/documents/kh-1").status_code == 404
    assert search(client, q="ky nang so")["total"] == 1
    # same id, new text: replaced, the old text is gone with it
    r = client.post("/api/documents", json={"text": PLAN.replace("80%", "85%"), "doc_id": "kh-2"})
    assert r.json()["replaced"] is True
    assert [h["pct_value"] for h in search(client, q="ky nang so")["hits"]] == [85.0]
    assert client.delete("/api/documents/kh-2").json() == {"deleted": "kh-2"}
    assert client.get("/api/documents/kh-2").status_code == 404
    assert client.delete("/api/documents/kh-2").status_code == 404
    assert search(client, q="ky nang so")["total"] == 0
    with open_store(client.app.state.settings.db) as s:
        assert s._query("SELECT count(*) FROM texts")[0][0] == 0
        assert len(s.search(SearchQuery(limit=None))) == 11


def test_token_guards_writes(tmp_path):
    with make_client(tmp_path, token="s3cret-token") as c:
        assert c.post("/api/documents", json={"text": PLAN}).status_code == 401
        bad = c.post("/api/documents", json={"text": PLAN}, headers={"Authorization": "Bearer s3cret-tokem"})
        assert bad.status_code == 401 and "token" in bad.json()["error"]
        assert c.delete("/api/documents/qb-2016").status_code == 401
        ok = c.post("/api/documents", json={"text": PLAN, "doc_id": "k"}, headers={"Authorization": "Bearer s3cret-token"})
        assert ok.status_code == 200
        assert c.post("/api/extract", json={"text": PLAN}).status_code == 200  # reading needs no token
        page = c.post("/new", data={"text": PLAN, "action": "save", "token": "nope"})
        assert page.status_code == 401 and "Sai mã truy cập" in page.text


def test_check_token():
    assert check_token(Settings(), None)
    s = Settings(token="abc")
    assert check_token(s, "abc") and not check_token(s, "abd") and not check_token(s, None)
    assert not check_token(s, "ab") and not check_token(s, "ábc")


def test_read_only_has_no_writes(ro_client):
    assert ro_client.post("/api/documents", json={"text": PLAN}).status_code in (404, 405)
    assert ro_client.delete("/api/documents/qb-2016").status_code in (404, 405)
    assert ro_client.get("/api/documents/qb-2016").status_code == 200
    page = ro_client.get("/new").text
    assert 'value="save"' not in page and 'value="read"' in page
    assert ro_client.post("/new", data={"text": PLAN, "action": "save"}).status_code == 405
    assert search(ro_client)["total"] == 11


# -- pages --------------------------------------------------------------------------------------

def test_search_page(ro_client):
    r = ro_client.get("/", params={"q": "can bo cap xa"})
    assert r.status_code == 200 and "script-src" not in r.headers["content-security-policy"]
    assert "default-src 'none'" in r.headers["content-security-policy"]
    assert re.search(r'id="total">3<', r.text)
    assert '<mark class="num">95%</mark>' in r.text  # the number inside the evidence
    assert "province=T%E1%BB%89nh" not in r.text and "/?q=can+bo+cap+xa&amp;province=Qu%E1%BA%A3ng+B%C3%ACnh" in r.text
    bad = ro_client.get("/", params={"year_from": "20x5"})
    assert bad.status_code == 400 and "year_from" in bad.text


def test_document_page_marks_every_evidence(client):
    text = "Kế hoạch.\n" + PLAN + "\nĐến năm 2025, đào tạo 300 học viên với tổng kinh phí 5 tỷ đồng."
    client.post("/api/documents", json={"text": text, "doc_id": "d1"})
    got = client.get("/api/documents/d1").json()
    page = client.get("/documents/d1").text
    targets = got["targets"]
    assert [t["kind"] for t in targets] == ["percentage", "trainees", "funding"]  # the last two share a sentence
    marks = [(kind, ids.split(), body) for kind, ids, body in
             re.findall(r'<mark class="ev k-(\w+)" data-targets="([^"]*)">([^<]*)</mark>', page)]
    for t in targets:
        spans = [body for _, ids, body in marks if str(t["position"]) in ids]
        assert "".join(spans) == t["evidence_text"]
    kinds = {t["position"]: t["kind"] for t in targets}
    assert all(kind == kinds[int(ids[0])] for kind, ids, _ in marks)
    if any(t.get("confidence") is not None for t in targets):
        assert "<th>Độ tin cậy</th>" in page
        assert f'<td class="conf">{targets[1]["confidence"]:.2f}</td>' in page
    assert client.get("/documents/none").status_code == 404


def test_hostile_text_is_escaped(client):
    r = client.post("/api/documents", json={"text": HOSTILE, "doc_id": '<b id="x">d</b>', "title": '"><script>t()</script>'})
    assert r.status_code == 200, r.text
    for url in ("/documents/%3Cb%20id%3D%22x%22%3Ed%3C%2Fb%3E", "/?q=ho+ngheo+vay+von"):
        page = client.get(url).text
        assert "<script>" not in page and "<img" not in page and '<b id="x">' not in page, url
    page = client.get("/documents/%3Cb%20id%3D%22x%22%3Ed%3C%2Fb%3E").text
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in page and "&lt;img src=x onerror=" in page


def test_new_page_reads_and_saves(client):
    r = client.post("/new", data={"text": PLAN, "action": "read"})
    assert r.status_code == 200 and "cán bộ, công chức cấp xã" in r.text and "k-percentage" in r.text
    assert client.get("/api/documents/new-1").status_code == 404
    r = client.post("/new", data={"text": PLAN, "doc_id": "new-1", "action": "save"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/documents/new-1"
    assert client.get("/api/documents/new-1").json()["targets"][0]["pct_value"] == 80.0
    assert client.post("/new", data={"text": " ", "action": "read"}).status_code == 422


def test_overview_page(ro_client):
    page = ro_client.get("/overview").text
    assert "<strong>4</strong> văn bản" in page and "<strong>11</strong> chỉ tiêu" in page
    assert page.count("<rect") == 6 + 4 + 3  # years, provinces, kinds
    assert "/?year_from=2030&amp;year_to=2030" in page


# -- chitieu show -------------------------------------------------------------------------------

def test_show_writes_one_self_contained_file(tmp_path):
    from click.testing import CliRunner

    from pipeline.cli import main

    (tmp_path / "a.txt").write_text(PLAN, encoding="utf-8")
    (tmp_path / "b.txt").write_text(HOSTILE, encoding="utf-8")
    out = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["show", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "<script" not in page and "<img" not in page and "&lt;script&gt;" in page
    assert not re.search(r'(src|href)="(https?:)?//', page) and "<link" not in page
    assert page.count('class="ev k-percentage" data-targets="0"') == 2  # one target per document
    assert 'id="d1-ev-0"' in page and 'id="d2-ev-0"' in page
    missing = CliRunner().invoke(main, ["show", str(tmp_path / "nope.txt"), "-o", str(out)])
    assert missing.exit_code == 1 and "nope.txt" in missing.output


def test_serve_refuses_what_it_cannot_serve(tmp_path):
    from click.testing import CliRunner

    from pipeline.cli import main

    missing = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "none.db"), "--read-only"])
    assert missing.exit_code == 1 and "no such database" in missing.output
    (tmp_path / "token").write_text("  \n")
    empty = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "t.db"), "--token-file", str(tmp_path / "token")])
    assert empty.exit_code == 1 and "token file is empty" in empty.output


def test_totals_and_facets_stop_at_the_cap():
    from pipeline.db import browse

    with open_store(":memory:") as s:
        s.ingest_batch(sample_records())
        q = SearchQuery(text="dao tao")
        n = len(s.search(SearchQuery(text="dao tao", limit=None)))
        assert browse.count(s, q) == (n, True) and n > 3
        assert browse.count(s, q, cap=3) == (3, False)
        total, exact, facets = browse.summary(s, q, cap=3)
        assert (total, exact) == (3, False) and sum(n for _, n in facets["province"]) == 3
        assert browse.summary(s, SearchQuery(province="dak nong"))[:2] == (3, True)


def test_a_pasted_text_over_a_megabyte_is_read(client):
    text = PLAN + "\n" + "x" * 1_100_000  # Starlette reads at most 1 MB of a form field unless told more
    assert len(text.encode("utf-8")) > 1024 * 1024
    r = client.post("/api/extract", data={"text": text})
    assert r.status_code == 200, r.text
    assert [t["percentage"]["value"] for t in r.json()["targets"]] == [80.0]


@pytest.mark.parametrize("threads", [1, 3])
def test_threads_bound_the_requests_worked_on_at_once(tmp_path, threads):
    """`--threads`: the thread pool that runs the endpoints has that many places."""
    import anyio.to_thread

    path = str(tmp_path / "threads.db")
    app = create_app(Settings(db=path, pool_size=2, threads=threads))

    @app.get("/_places")
    async def places():
        return {"places": anyio.to_thread.current_default_thread_limiter().total_tokens}

    with TestClient(app) as c:
        assert c.get("/_places").json() == {"places": threads}
