"""The database commands end to end: search output formats, stats numbers, exports, errors, help,
and the file's compatibility with Datasette's full-text detection."""
from __future__ import annotations

import csv
import json
import sqlite3

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.db.synth import sample_records


def run(*args, input=None):
    return CliRunner().invoke(main, [str(a) for a in args], input=input)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("db") / "targets.db"
    records = tmp_path_factory.mktemp("in") / "out.jsonl"
    records.write_text("".join(r.model_dump_json() + "\n" for r in sample_records()), encoding="utf-8")
    result = run("ingest", records, "--db", path)
    assert result.exit_code == 0, result.output
    return path


def test_search_json(db):
    result = run("search", "can", "bo", "cap", "xa", "--db", db, "--format", "json")
    assert result.exit_code == 0, result.output
    hits = json.loads(result.output)
    assert [(h["doc_id"], h["position"]) for h in hits] == [("dn-2021", 0), ("qb-2016", 0), ("qb-2016", 1)]
    assert hits[1]["pct_value"] == 95.0 and hits[1]["pct_op"] == ">=" and hits[1]["deadline_year"] == 2020
    assert hits[1]["province"] == "Quảng Bình" and hits[1]["evidence_text"].startswith("Đến năm 2020")


def test_search_filters_and_csv(db):
    result = run("search", "--db", db, "--province", "Dak Nong", "--kind", "percentage", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(result.output.splitlines()))
    assert [(r["doc_id"], r["pct_value"], r["target_group"]) for r in rows] == [
        ("dn-2021", "70.0", "cán bộ cấp xã"), ("dn-2021", "100.0", "Chi hội trưởng Phụ nữ")]


def test_search_table_shows_evidence(db):
    result = run("search", "hoc vien", "--db", db)
    assert result.exit_code == 0, result.output
    assert "~4.400.000.000 VND + ~1.300 học viên" in result.output
    assert "“Tổng kinh phí gần 4,4 tỷ đồng để đào tạo khoảng 1.300 học viên.”" in result.output
    assert "(no targets found)" in run("search", "zzz", "--db", db).output


def test_search_limit_and_year_range(db):
    hits = json.loads(run("search", "--db", db, "--year-from", "2022", "--year-to", "2025", "--limit", "2",
                          "--format", "json").output)
    assert [(h["doc_id"], h["deadline_year"]) for h in hits] == [("dl-2025", 2025), ("dl-2025", 2024)]


def test_stats(db):
    result = run("stats", "--db", db, "--format", "json")
    assert result.exit_code == 0, result.output
    stats = json.loads(result.output)
    assert (stats["documents"], stats["targets"]) == (4, 11)
    assert stats["by_kind"] == [{"value": "percentage", "targets": 6}, {"value": "funding", "targets": 3},
                                {"value": "trainees", "targets": 3}]
    assert stats["by_group_head"][0] == {"value": "cán bộ", "targets": 3}
    assert {"value": "lao động", "targets": 2} in stats["by_group_head"]
    assert stats["by_year"][-1] == {"value": None, "targets": 2}
    assert {p["value"]: p["targets"] for p in stats["by_province"]} == {
        "Thành phố Hà Nội": 3, "tỉnh Đắk Nông": 3, "Đắk Lắk": 3, "Quảng Bình": 2}
    table = run("stats", "--db", db).output
    assert "targets: 11" in table and "        3  cán bộ" in table


def test_export_csv(db, tmp_path):
    out = tmp_path / "t.csv"
    result = run("export", "--db", db, "--format", "csv", "-o", out)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 11
    qb = [r for r in rows if r["doc_id"] == "qb-2016"]
    assert (qb[0]["pct_value"], qb[0]["pct_op"], qb[0]["deadline_year"], qb[0]["inferred"]) == ("95.0", ">=", "2020", "False")
    assert (qb[1]["funding_amount"], qb[1]["trainees_count"], qb[1]["trainees_unit"]) == ("4400000000.0", "1300", "học viên")
    assert "fts_group" not in rows[0] and "group_key" not in rows[0]


def test_export_parquet(db, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "t.parquet"
    assert run("export", "--db", db, "-o", out).exit_code == 0  # format from the suffix
    table = pq.read_table(out)
    assert table.num_rows == 11
    assert str(table.schema.field("pct_value").type) == "double"
    assert str(table.schema.field("published").type) == "date32[day]"
    rows = table.to_pylist()
    usd = [r for r in rows if r["funding_currency"] == "USD"]
    assert len(usd) == 1 and usd[0]["funding_amount"] == 2.5e6 and usd[0]["doc_id"] == "hn-2030"
    assert str([r for r in rows if r["doc_id"] == "qb-2016"][0]["published"]) == "2016-12-22"


@pytest.mark.parametrize("args, message", [
    (["search", "x", "--db", "/nonexistent/dir/t.db"], "no such database"),
    (["stats", "--db", "mysql://host/db"], "unsupported database URL"),
    (["ingest", "--db", "x.db"], "give PATH"),
])
def test_errors_are_one_line(args, message):
    result = run(*args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_not_a_chitieu_database(tmp_path):
    path = tmp_path / "other.db"
    sqlite3.connect(path).execute("CREATE TABLE targets (x)").connection.commit()
    result = run("stats", "--db", path)
    assert result.exit_code == 1 and "no chitieu meta table" in result.output


@pytest.mark.parametrize("command", ["ingest", "search", "stats", "export"])
def test_help_has_an_example(command):
    assert "Example: chitieu " + command in run(command, "--help").output


# The query Datasette (datasette/utils/__init__.py, detect_fts_sql) runs to find a table's FTS index.
DATASETTE_DETECT_FTS = """
    select name from sqlite_master
        where rootpage = 0
        and (
            sql like '%VIRTUAL TABLE%USING FTS%content="{table}"%'
            or sql like '%VIRTUAL TABLE%USING FTS%content=[{table}]%'
            or (
                tbl_name = "{table}"
                and sql like '%VIRTUAL TABLE%USING FTS%'
            )
        )
"""


def test_datasette_finds_the_fts_table(db):
    conn = sqlite3.connect(db)
    assert conn.execute(DATASETTE_DETECT_FTS.format(table="targets")).fetchall() == [("targets_fts",)]
    # Datasette's _search: rowid in (select rowid from <fts> where <fts> match <escaped words>)
    for words in ('"can" "bo"', '"cán" "bộ"', '"CÁN" "BỘ"'):
        rows = conn.execute("select doc_id from targets where rowid in "
                            "(select rowid from targets_fts where targets_fts match ?)", [words]).fetchall()
        assert len(rows) == 4
    for words in ('"dao" "tao"', '"đào" "tạo"', '"ĐÀO" "TẠO"'):  # unicode61 keeps đ apart: indexed both ways
        rows = conn.execute("select doc_id from targets where rowid in "
                            "(select rowid from targets_fts where targets_fts match ?)", [words]).fetchall()
        assert len(rows) == 5
    conn.execute("insert into targets_fts(targets_fts) values ('integrity-check')")  # index agrees with content
