"""The PostgreSQL backend against a real server (env CHITIEU_TEST_PG): the same answers as SQLite.

Without CHITIEU_TEST_PG these tests skip, unless CHITIEU_REQUIRE_PG=1 (CI), where a missing or
unreachable server is a failure. Each test works in a schema of its own, dropped afterwards.
"""
from __future__ import annotations

import csv
import json
import os
import uuid

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

from pipeline.cli import main
from pipeline.db import SearchQuery, open_store
from pipeline.db.synth import record, sample_records, synthetic_records, target

PG = os.environ.get("CHITIEU_TEST_PG")
REQUIRED = os.environ.get("CHITIEU_REQUIRE_PG") == "1"


def _unavailable(reason: str):
    if REQUIRED:
        pytest.fail(f"CHITIEU_REQUIRE_PG=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def pg_url():
    if not PG:
        _unavailable("CHITIEU_TEST_PG is not set")
    try:
        import psycopg

        psycopg.connect(PG, connect_timeout=5).close()
    except Exception as exc:  # ImportError or a connection error
        _unavailable(f"PostgreSQL at CHITIEU_TEST_PG is not usable ({exc})")
    return PG


def _schema() -> str:
    return "chitieu_test_" + uuid.uuid4().hex[:12]


@pytest.fixture
def pg(pg_url):
    store = open_store(pg_url, pg_schema=_schema())
    yield store
    store.drop()
    store.close()


CORPUS = sample_records() + list(synthetic_records(400, seed=7))


@pytest.fixture(scope="module")
def pair(pg_url):
    """The same records in SQLite and in PostgreSQL."""
    lite = open_store(":memory:")
    pg = open_store(pg_url, pg_schema=_schema())
    for s in (lite, pg):
        s.ingest_batch(CORPUS[:200])
        s.ingest_batch(CORPUS[150:])  # overlapping: replacement happens on both
    yield lite, pg
    pg.drop()
    pg.close()
    lite.close()


PARITY_QUERIES = [
    SearchQuery(text="can bo cap xa"),
    SearchQuery(text="cán bộ, công chức cấp xã"),
    SearchQuery(text="đào tạo"),
    SearchQuery(text="dao tao nghe"),
    SearchQuery(text="ho ngheo", year_from=2022),
    SearchQuery(text="phu nu", province="Dak Nong"),
    SearchQuery(text="giao vien", year_from=2020, year_to=2025, province="Thanh Hoa"),
    SearchQuery(text="bao hiem y te", kind="percentage", min_pct=80),
    SearchQuery(text="doanh nghiep", kind="funding"),
    SearchQuery(text="lao dong", doc_type="De an"),
    SearchQuery(text="cong nghe thong tin", group="can bo"),
    SearchQuery(text="NEAR OR AND"),
    SearchQuery(text='"dân quân" (tự vệ) - cấp*'),
    SearchQuery(text="2025"),
    SearchQuery(province="ha noi"),
    SearchQuery(province="Đắk Lắk", year_from=2025),
    SearchQuery(kind="trainees", year_to=2022),
    SearchQuery(min_pct=50, max_pct=80, doc_type="Kế hoạch"),
    SearchQuery(group="cong chuc"),
    SearchQuery(text="khong co tu nay"),
]


@pytest.mark.parametrize("query", PARITY_QUERIES, ids=lambda q: " ".join(f"{k}={v}" for k, v in vars(q).items()
                                                                        if v is not None and k != "limit"))
def test_same_results_as_sqlite(pair, query):
    lite, pg = pair
    q = SearchQuery(**{**vars(query), "limit": None})
    lite_hits, pg_hits = lite.search(q), pg.search(q)
    assert {(h["doc_id"], h["position"]) for h in pg_hits} == {(h["doc_id"], h["position"]) for h in lite_hits}
    assert len(pg_hits) == len(lite_hits)


def test_parity_is_not_vacuous(pair):
    lite, _ = pair
    sizes = [len(lite.search(SearchQuery(**{**vars(q), "limit": None}))) for q in PARITY_QUERIES]
    assert sum(1 for n in sizes if n > 0) >= 16


def test_same_rows_and_stats(pair):
    lite, pg = pair
    assert lite.stats().to_dict() == pg.stats().to_dict()
    strip = lambda rows: sorted(r[1:] for rows_ in rows for r in rows_)  # noqa: E731  (ids differ)
    lite_rows = [[tuple(str(v) for v in r) for r in batch] for batch in lite.iter_export()]
    pg_rows = [[tuple(str(v) for v in r) for r in batch] for batch in pg.iter_export()]
    assert len(strip(lite_rows)) == len(strip(pg_rows))
    hit_lite = lite.search(SearchQuery(text="can bo cap xa", limit=None))
    hit_pg = {(h["doc_id"], h["position"]): h for h in pg.search(SearchQuery(text="can bo cap xa", limit=None))}
    for h in hit_lite:
        other = hit_pg[(h["doc_id"], h["position"])]
        assert {k: v for k, v in h.items() if k not in ("id", "score")} == \
            {k: v for k, v in other.items() if k not in ("id", "score")}


def test_ranking(pg):
    pg.ingest_batch(sample_records())
    hits = pg.search(SearchQuery(text="công chức"))
    assert [(h["doc_id"], h["position"]) for h in hits][-1] == ("qb-2016", 1)  # title-only match last
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)


def test_replacement(pg):
    pg.ingest_batch(sample_records())
    again = pg.ingest_batch(sample_records())
    assert again.replaced == 4
    mirror = sample_records()[1].model_copy(update={"doc_id": "mirror"})  # same text_sha256
    assert pg.ingest_record(mirror).replaced == 1
    new = record("qb-2016", target("Đến năm 2030, 99% giáo viên đạt chuẩn.", pct=99, group="giáo viên", year=2030))
    assert pg.ingest_record(new).replaced == 1
    stats = pg.stats()
    assert (stats.documents, stats.targets) == (4, 10)
    assert [h["doc_id"] for h in pg.search(SearchQuery(province="dak nong"))] == ["mirror"] * 3
    assert pg.search(SearchQuery(text="trung cap")) == []


def test_failed_batch_leaves_nothing(pg):
    pg.ingest_batch(sample_records())
    bad = record("qb-2016", target("1% X.", pct=1, group="X"))
    import pipeline.db.postgres as backend  # the write breaks halfway through the new version

    real = backend.tsvector_literal
    backend.tsvector_literal = lambda row: (_ for _ in ()).throw(RuntimeError("power cut"))
    try:
        with pytest.raises(RuntimeError):
            pg.ingest_record(bad)
    finally:
        backend.tsvector_literal = real
    assert (pg.stats().documents, pg.stats().targets) == (4, 11)
    assert {h["doc_id"] for h in pg.search(SearchQuery(text="trung cap"))} == {"qb-2016"}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=40))
def test_any_query_is_safe(pair, text):
    lite, pg = pair
    q = SearchQuery(text=text, province=text or None, group=text or None, doc_type=text or None, limit=None)
    assert isinstance(pg.search(q), list)
    assert isinstance(lite.search(q), list)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(st.sampled_from(["cán", "bộ", "can", "bo", "đào", "dao", "tạo", "nghề", '"', "*", "-", ":",
                                      "(", ")", "NEAR", "AND", "OR", "cấp", "xã", "'", ";", "\\", "%"]), max_size=6))
def test_syntax_characters_parity(pair, parts):
    lite, pg = pair
    q = SearchQuery(text=" ".join(parts), limit=None)
    assert {(h["doc_id"], h["position"]) for h in pg.search(q)} == {(h["doc_id"], h["position"]) for h in lite.search(q)}


def test_cli_against_postgres(pg_url, tmp_path):
    schema = _schema()
    records = tmp_path / "out.jsonl"
    records.write_text("".join(r.model_dump_json() + "\n" for r in sample_records()), encoding="utf-8")
    base = ["--db", pg_url, "--pg-schema", schema]
    runner = CliRunner()
    try:
        assert runner.invoke(main, ["ingest", str(records), *base]).exit_code == 0
        hits = json.loads(runner.invoke(main, ["search", "can bo cap xa", *base, "--format", "json"]).output)
        assert [(h["doc_id"], h["position"]) for h in hits] == [("dn-2021", 0), ("qb-2016", 0), ("qb-2016", 1)]
        stats = json.loads(runner.invoke(main, ["stats", *base, "--format", "json"]).output)
        assert (stats["documents"], stats["targets"]) == (4, 11)
        out = tmp_path / "t.csv"
        assert runner.invoke(main, ["export", *base, "-o", str(out)]).exit_code == 0
        assert len(list(csv.DictReader(out.open(encoding="utf-8")))) == 11
    finally:
        from pipeline.db.postgres import PostgresStore

        store = PostgresStore(pg_url, schema_name=schema)
        store.drop()
        store.close()


def test_fold_function_for_adhoc_sql(pg):
    pg.ingest_batch(sample_records())
    row = pg._query("SELECT chitieu_fold('Cán bộ ĐẮK NÔNG')")
    assert row == [("can bo dak nong",)]


def test_bad_server_is_a_one_line_error():
    result = CliRunner().invoke(main, ["stats", "--db", "postgresql://nobody:x@127.0.0.1:1/none"])
    assert result.exit_code == 1
    assert "cannot connect to PostgreSQL" in result.output and "Traceback" not in result.output
