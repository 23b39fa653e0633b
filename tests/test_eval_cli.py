"""`chitieu eval` end to end on small files written in tmp_path."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from pipeline import api
from pipeline.cli import main
from schemas import DocumentRecord


def _ev(text):
    return {"text": text, "start": 0, "end": len(text)}


GOLD = [
    {"doc_id": "d1", "split": "test", "plan": {"doc_numbers": ["2202/KH-UBND"]}, "targets": [
        {"percentage": {"value": 70, "op": ">="}, "target_group": "lao động", "deadline": {"year": 2025},
         "evidence": _ev("tỷ lệ lao động qua đào tạo đạt trên 70% vào năm 2025")},
        {"funding": {"amount": 4.4e9, "currency": "VND", "op": "~"}, "target_group": None,
         "deadline": {"year": 2020}},
    ]},
    {"doc_id": "d2", "split": "dev", "plan": {"doc_numbers": []}, "targets": [
        {"trainees": {"count": 300, "op": "=", "unit": "cán bộ"}, "target_group": "cán bộ",
         "deadline": {"year": 2021}},
    ]},
]

PRED = [
    {"doc_id": "d1", "plan": {"doc_numbers": ["2202/kh-ubnd"]}, "targets": [
        {"percentage": {"value": 70, "op": ">="}, "target_group": "lao động", "deadline": {"year": 2024},
         "evidence": _ev("tỷ lệ lao động qua đào tạo đạt trên 70% vào năm 2025")},
        {"percentage": {"value": 12, "op": "="}, "target_group": "doanh nghiệp", "deadline": None,
         "evidence": _ev("năm 2019 đã có 12% doanh nghiệp")},
    ]},
    {"doc_id": "d2", "plan": {"doc_numbers": []}, "targets": [
        {"trainees": {"count": 300, "op": "=", "unit": "cán bộ"}, "target_group": "cán bộ",
         "deadline": {"year": 2021}, "evidence": _ev("đào tạo 300 cán bộ năm 2021")},
    ]},
    {"doc_id": "other", "targets": []},
]


def _jsonl(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return str(path)


@pytest.fixture
def files(tmp_path):
    return _jsonl(tmp_path / "gold.jsonl", GOLD), _jsonl(tmp_path / "pred.jsonl", PRED)


def run(*args):
    return CliRunner().invoke(main, ["eval", *args])


def test_json_with_pred(files):
    gold, pred = files
    result = run("--gold", gold, "--pred", pred, "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    # 3 gold, 3 predicted, 2 matched; full: the 70% pair has the wrong deadline -> 1 counts
    assert out["targets"]["matched"] == 2
    assert out["targets"]["precision"] == pytest.approx(2 / 3)
    assert out["full_record"]["f1"] == pytest.approx(1 / 3)
    assert out["deadline_accuracy"]["value"] == 0.5
    assert out["doc_number_recall"]["value"] == 1.0
    assert any("absent from gold were ignored" in n for n in out["notes"])


def test_table_is_default(files):
    gold, pred = files
    result = run("--gold", gold, "--pred", pred)
    assert result.exit_code == 0
    assert "full record" in result.output and "headline full-record F1: 0.333" in result.output


def test_split(files):
    gold, pred = files
    out = json.loads(run("--gold", gold, "--pred", pred, "--split", "dev", "--json").output)
    assert out["documents"] == 1 and out["targets"]["f1"] == 1.0


def test_split_holdout(tmp_path):
    # the corpus has a third split, written blind: --split holdout selects only its gold lines
    gold = GOLD + [{"doc_id": "d3", "split": "holdout", "plan": {"doc_numbers": []}, "targets": [
        {"percentage": {"value": 90, "op": "="}, "target_group": "xã", "deadline": {"year": 2025}}]}]
    pred = PRED + [{"doc_id": "d3", "plan": {"doc_numbers": []}, "targets": [
        {"percentage": {"value": 90, "op": "="}, "target_group": "xã", "deadline": {"year": 2025},
         "evidence": _ev("90% số xã đạt chuẩn vào năm 2025")}]}]
    out = json.loads(run("--gold", _jsonl(tmp_path / "g.jsonl", gold), "--pred", _jsonl(tmp_path / "p.jsonl", pred),
                         "--split", "holdout", "--json").output)
    assert out["documents"] == 1 and out["targets"]["f1"] == 1.0


def test_errors_listing(files):
    gold, pred = files
    result = run("--gold", gold, "--pred", pred, "--errors")
    text = result.output.split("\n\n== ", 1)[-1]
    assert result.exit_code == 0
    assert "d1 (gold 2, predicted 2, matched 1)" in text
    assert "MISSED  ~ 4,400,000,000 VND" in text
    assert "SPURIOUS = 12% | group: 'doanh nghiệp'" in text and '"năm 2019 đã có 12% doanh nghiệp"' in text
    assert "WRONG" in text and "deadline gold 2025 / pred 2024" in text
    assert "== d2" not in result.output


def test_errors_in_json(files):
    gold, pred = files
    out = json.loads(run("--gold", gold, "--pred", pred, "--errors", "--json").output)
    (d1,) = out["errors"]
    assert d1["doc_id"] == "d1" and len(d1["missed"]) == 1 and len(d1["spurious"]) == 1
    assert d1["differences"][0]["deadline_ok"] is False


@pytest.mark.parametrize("line, why", [
    ("{not json", "Expecting property name"),
    ('{"doc_id": "x", "targets": [{"target_group": "a"}]}', "targets.0: a gold target needs"),
    ('["a list"]', "expected a JSON object"),
    ('{"targets": []}', "doc_id: Field required"),
    ('{"doc_id": "d1"}', "doc_id 'd1' repeats line 1"),
], ids=["json", "no-quantity", "not-object", "no-doc-id", "duplicate"])
def test_malformed_gold_line(tmp_path, files, line, why):
    gold = tmp_path / "bad.jsonl"
    gold.write_text(json.dumps(GOLD[0]) + "\n" + line + "\n", encoding="utf-8")
    result = run("--gold", str(gold), "--pred", files[1])
    assert result.exit_code == 2
    assert f"{gold}:2: " in result.stderr and why in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_needs_documents_or_pred(files):
    result = run("--gold", files[0])
    assert result.exit_code == 2 and "PATH" in result.output


def test_extracts_only_gold_documents(tmp_path, files, monkeypatch):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "d1.txt").write_text("Kế hoạch 2202/KH-UBND ...", encoding="utf-8")
    (docs / "unrelated.txt").write_text("không liên quan", encoding="utf-8")
    _jsonl(docs / "batch.jsonl", [{"id": "d2", "title": "Tiêu đề", "text": "đào tạo 300 cán bộ"},
                                  {"id": "x9", "title": None, "text": "khác"}])
    seen = []

    def fake_extract(doc):
        seen.append((doc.doc_id, doc.text))
        return DocumentRecord.model_validate({**next(p for p in PRED if p["doc_id"] == doc.doc_id),
                                              "doc_id": "ignored"})

    monkeypatch.setattr(api, "extract_document", fake_extract)
    result = run("--gold", files[0], str(docs), "--json")
    assert result.exit_code == 0, result.output
    assert sorted(seen) == [("d1", "Kế hoạch 2202/KH-UBND ..."), ("d2", "Tiêu đề\nđào tạo 300 cán bộ")]
    out = json.loads(result.output)
    assert out["targets"]["matched"] == 2
    assert any("2 input document(s) not in gold were skipped" in n for n in out["notes"])


def test_extraction_failure_is_a_note(tmp_path, files, monkeypatch):
    (tmp_path / "d1.txt").write_text("x", encoding="utf-8")

    def broken(doc):
        raise RuntimeError("boom")

    monkeypatch.setattr(api, "extract_document", broken)
    out = json.loads(run("--gold", files[0], str(tmp_path / "d1.txt"), "--json").output)
    assert out["targets"]["recall"] == 0.0
    assert any("d1: extraction failed (RuntimeError: boom)" in n for n in out["notes"])


def test_written_in_is_the_year_of_documents_without_a_date(tmp_path):
    text = "Trong năm nay, tỉnh phấn đấu 80% cán bộ, công chức cấp xã được bồi dưỡng kỹ năng số."
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "plan.txt").write_text(text + "\n", encoding="utf-8")
    gold = {"doc_id": "plan", "plan": {"doc_numbers": []}, "targets": [
        {"percentage": {"value": 80, "op": "="}, "target_group": "cán bộ, công chức cấp xã",
         "deadline": {"year": 2024}, "evidence": _ev(text)}]}
    (tmp_path / "gold.jsonl").write_text(json.dumps(gold, ensure_ascii=False) + "\n", encoding="utf-8")

    def full_f1(*extra):
        result = run("--gold", str(tmp_path / "gold.jsonl"), "--json", *extra, str(tmp_path / "docs"))
        assert result.exit_code == 0, result.output
        report = json.loads(result.output)
        assert report["targets"]["f1"] == 1.0
        return report["full_record"]["f1"]

    assert full_f1() == 0.0                      # "năm nay" without a known year has no deadline
    assert full_f1("--written-in", "2024") == 1.0
