"""Ingesting into the embedded store: record JSONL, raw documents, stdin, replacement, rejection,
atomicity, concurrent reads, and --watch."""
from __future__ import annotations

import threading
import time

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.db import SearchQuery, ingest_paths, open_store
from pipeline.db.synth import record, sample_records, target
from pipeline.db.watch import watch


def jsonl(records) -> str:
    return "".join(r.model_dump_json() + "\n" for r in records)


def count(store, table="targets") -> int:
    return store._query(f"SELECT count(*) FROM {table}")[0][0]


def doc_ids(store) -> set[str]:
    return {r[0] for r in store._query("SELECT doc_id FROM documents")}


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "targets.db")


def test_ingest_records_file(tmp_path, db):
    (tmp_path / "out.jsonl").write_text(jsonl(sample_records()), encoding="utf-8")
    with open_store(db) as store:
        report = ingest_paths(store, [tmp_path / "out.jsonl"])
        assert (report.documents, report.targets, report.replaced, report.rejected) == (4, 11, 0, [])
        assert count(store) == 11 and count(store, "documents") == 4
        row = store._query("SELECT doc_numbers, period_start, period_end, published, issuer, n_targets "
                           "FROM documents WHERE doc_id = 'qb-2016'")[0]
        assert row == ("2202/KH-UBND; 124/QĐ-TTg", 2016, 2020, "2016-12-22", "UBND tỉnh Quảng Bình", 2)


def test_reingest_replaces_without_duplicates(tmp_path, db):
    path = tmp_path / "out.jsonl"
    path.write_text(jsonl(sample_records()), encoding="utf-8")
    with open_store(db) as store:
        ingest_paths(store, [path])
        again = ingest_paths(store, [path, path])
        assert again.replaced == 8  # every document, twice
        assert count(store) == 11 and count(store, "documents") == 4
        assert count(store, "targets_fts") == 11
        hits = store.search(SearchQuery(text="can bo cap xa", limit=None))
        assert len(hits) == 3


def test_same_doc_id_new_content_replaces(db):
    with open_store(db) as store:
        store.ingest_batch(sample_records())
        new = record("qb-2016", target("Đến năm 2030, 99% giáo viên đạt chuẩn.", pct=99, group="giáo viên", year=2030))
        assert store.ingest_record(new).replaced == 1
        assert [(h["doc_id"], h["pct_value"]) for h in store.search(SearchQuery(text="giao vien"))] == [("qb-2016", 99.0)]
        assert store.search(SearchQuery(text="trung cap")) == []  # the old version's targets are gone
        assert count(store) == 10


def test_same_text_hash_other_id_replaces(db):
    with open_store(db) as store:
        store.ingest_batch(sample_records())
        copy = sample_records()[1].model_copy(update={"doc_id": "dn-2021-mirror"})  # same text_sha256
        assert store.ingest_record(copy).replaced == 1
        assert "dn-2021" not in doc_ids(store) and "dn-2021-mirror" in doc_ids(store)
        assert count(store) == 11


def test_same_title_and_evidence_other_id_replaces(db):
    with open_store(db) as store:
        store.ingest_batch(sample_records())
        copy = sample_records()[0].model_copy(update={"doc_id": "qb-2016-repost", "source": "elsewhere"})
        assert copy.text_sha256 is None
        assert store.ingest_record(copy).replaced == 1
        assert doc_ids(store) == {"qb-2016-repost", "dn-2021", "hn-2030", "dl-2025"}


def test_duplicates_inside_one_batch(db):
    a = record("x", target("10% A.", pct=10, group="A"))
    b = record("x", target("20% B.", pct=20, group="B"))
    with open_store(db) as store:
        counts = store.ingest_batch([a, b])
        assert (counts.documents, counts.targets, counts.replaced) == (1, 1, 1)
        assert [h["pct_value"] for h in store.search(SearchQuery())] == [20.0]


def test_empty_documents_do_not_collide(db):
    with open_store(db) as store:
        store.ingest_batch([record("a"), record("b")])  # no title, no targets, no hash: only ids identify
        assert doc_ids(store) == {"a", "b"}


def test_bad_lines_are_rejected_with_line_numbers(tmp_path, db):
    good = sample_records()
    bad_pct = good[1].model_dump(mode="json")
    bad_pct["targets"][0]["percentage"]["value"] = 150
    import json

    lines = [good[0].model_dump_json(), json.dumps(bad_pct, ensure_ascii=False), "{not json",
             good[2].model_dump_json(), json.dumps({"schema_version": "1", "targets": []})]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with open_store(db) as store:
        report = ingest_paths(store, [path])
        assert doc_ids(store) == {"qb-2016", "hn-2030"}  # nothing of dn-2021 (line 2)
        assert [(r.path, r.line) for r in report.rejected] == [(str(path), 2), (str(path), 3), (str(path), 5)]
        assert "targets.0.percentage.value" in report.rejected[0].error
        assert "doc_id" in report.rejected[2].error
    result = CliRunner().invoke(main, ["ingest", str(path), "--db", str(tmp_path / "cli.db")])
    assert result.exit_code == 1
    assert f"{path}:2: invalid record" in result.output
    assert "stored 2 documents (5 targets), replaced 0, rejected 3" in result.output


def test_failed_write_leaves_the_old_version_whole(db, monkeypatch):
    import pipeline.db.sqlite as sqlite_backend

    with open_store(db) as store:
        store.ingest_batch(sample_records())
        real = sqlite_backend._target_values

        def crash_on_second(row):
            if row["position"] == 1:
                raise RuntimeError("power cut")
            return real(row)

        monkeypatch.setattr(sqlite_backend, "_target_values", crash_on_second)
        new = record("dn-2021", target("1% X.", pct=1, group="X"), target("2% Y.", pct=2, group="Y", start=10))
        with pytest.raises(RuntimeError):
            store.ingest_record(new)
        monkeypatch.setattr(sqlite_backend, "_target_values", real)
        assert [h["pct_value"] for h in store.search(SearchQuery(province="dak nong"))] == [70.0, 100.0, None]
        assert count(store) == 11 and count(store, "targets_fts") == 11
        assert store.search(SearchQuery(text="x")) == []


def test_search_while_an_ingest_is_writing(db):
    with open_store(db) as writer, open_store(db) as reader:
        writer.ingest_batch(sample_records())
        writer.conn.execute("BEGIN IMMEDIATE")
        writer.conn.execute("DELETE FROM targets")  # uncommitted
        started = time.monotonic()
        assert len(reader.search(SearchQuery(text="can bo", limit=None))) == 4  # sees the committed state
        assert time.monotonic() - started < 1
        writer.conn.execute("ROLLBACK")
        assert writer._query("PRAGMA journal_mode")[0][0] == "wal"


def fake_extract(doc):
    """Stands in for the extractor: one 50% target per line that has '%'."""
    targets, pos = [], 0
    for line in doc.text.splitlines():
        if "%" in line:
            targets.append(target(line, pct=50, group=line.split("%")[1].strip() or None, start=pos))
        pos += len(line) + 1
    return record(doc.doc_id, *targets, title=doc.title, source=doc.source, text_sha256=None)


def test_raw_documents_are_extracted(tmp_path, db, monkeypatch):
    import pipeline.api

    monkeypatch.setattr(pipeline.api, "extract_document", fake_extract)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Kế hoạch\n50% cán bộ cấp xã\n", encoding="utf-8")
    (docs / "b.txt").write_text("50% phụ nữ\n", encoding="utf-8")
    (docs / ".hidden.txt").write_text("50% hidden\n", encoding="utf-8")
    (docs / "records.txt").write_text(jsonl(sample_records()[:1]), encoding="utf-8")  # detected by content
    with open_store(db) as store:
        report = ingest_paths(store, [docs])
        assert doc_ids(store) == {"a", "b", "qb-2016"}
        assert report.targets == 4
        assert [h["doc_id"] for h in store.search(SearchQuery(text="phu nu"))] == ["b"]


def test_extraction_failure_is_a_rejection(tmp_path, db, monkeypatch):
    import pipeline.api

    def boom(doc):
        raise ValueError("cannot parse")

    monkeypatch.setattr(pipeline.api, "extract_document", boom)
    (tmp_path / "a.txt").write_text("50% x\n", encoding="utf-8")
    with open_store(db) as store:
        report = ingest_paths(store, [tmp_path / "a.txt", tmp_path / "missing.txt"])
        assert [str(r) for r in report.rejected] == [f"{tmp_path / 'a.txt'}: extraction failed: cannot parse",
                                                     f"{tmp_path / 'missing.txt'}: no such file or folder"]


def test_ingest_from_stdin(tmp_path, db):
    result = CliRunner().invoke(main, ["ingest", "-", "--db", db], input=jsonl(sample_records()))
    assert result.exit_code == 0, result.output
    assert "stored 4 documents (11 targets)" in result.output
    with open_store(db) as store:
        assert count(store) == 11


def test_watch_picks_up_files_and_stops(tmp_path, db):
    folder = tmp_path / "inbox"
    folder.mkdir()
    records = sample_records()
    (folder / "first.jsonl").write_text(jsonl(records[:1]), encoding="utf-8")  # there before watching
    seen: list[str] = []
    stop = threading.Event()
    with open_store(db) as store:
        thread = threading.Thread(target=lambda: watch(store, folder, stop=stop, settle=0.2,
                                                       on_file=lambda p, r: seen.append(p.name)))
        thread.start()
        try:
            _wait(lambda: seen == ["first.jsonl"])
            (folder / "second.jsonl").write_text(jsonl(records[1:3]), encoding="utf-8")
            (folder / "tmp.jsonl.part").write_text(jsonl(records[3:]), encoding="utf-8")  # ignored
            _wait(lambda: "second.jsonl" in seen)
            assert doc_ids(store) == {"qb-2016", "dn-2021", "hn-2030"}
            changed = records[0].model_copy(update={"title": "đổi tên"})
            (folder / "first.jsonl").write_text(jsonl([changed]), encoding="utf-8")
            _wait(lambda: seen.count("first.jsonl") == 2)
            assert count(store, "documents") == 3
            assert store._query("SELECT title FROM documents WHERE doc_id='qb-2016'")[0][0] == "đổi tên"
        finally:
            stop.set()
            thread.join(10)
        assert not thread.is_alive()


def test_watch_cli_with_timeout(tmp_path, db):
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "a.jsonl").write_text(jsonl(sample_records()), encoding="utf-8")
    started = time.monotonic()
    result = CliRunner().invoke(main, ["ingest", "--watch", str(folder), "--timeout", "1", "--db", db])
    assert result.exit_code == 0, result.output
    assert time.monotonic() - started < 10
    assert "stored 4 documents (11 targets)" in result.output


def _wait(condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.05)
