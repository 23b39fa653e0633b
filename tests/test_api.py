"""The Python API: `from pipeline import extract` on text and on files."""
from __future__ import annotations

import hashlib
from pathlib import Path

import regex

import pipeline
from pipeline import extract
from pipeline.extractor import get_extractor
from pipeline.normalize import normalize
from schemas import DocumentRecord, check_offsets

AIM = "Phấn đấu đến năm 2025, 100% cán bộ cấp xã được bồi dưỡng kiến thức quản lý nhà nước."


def test_extract_text() -> None:
    record = extract(AIM, doc_id="kh-01")
    assert isinstance(record, DocumentRecord)
    assert record.doc_id == "kh-01"
    [target] = record.targets
    assert (target.percentage.value, target.target_group, target.deadline.year) == (100, "cán bộ cấp xã", 2025)
    check_offsets(record, normalize(AIM).text)


def test_extract_path(tmp_path: Path) -> None:
    path = tmp_path / "ke-hoach-2025.txt"
    path.write_text(AIM + "\n", encoding="utf-8")
    record = extract(path)
    assert record.doc_id == "ke-hoach-2025"
    assert record.source == str(path)
    assert [t.percentage.value for t in record.targets] == [100]


def test_extract_path_doc_id_override(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(AIM, encoding="utf-8")
    assert extract(path, doc_id="given").doc_id == "given"


def test_empty_text() -> None:
    for text in ("", "   \n\n \u00a0"):
        record = extract(text)
        assert record.targets == []
        assert record.warnings, "an empty document must say so in warnings"


def test_doc_id_fallback_is_sha256_of_normalized_text() -> None:
    raw = "\ufeff" + AIM.replace(" ", "  ")
    record = extract(raw)
    assert regex.fullmatch(r"sha256:[0-9a-f]{16}", record.doc_id)
    expected = hashlib.sha256(normalize(raw).text.encode("utf-8")).hexdigest()[:16]
    assert record.doc_id == "sha256:" + expected
    assert extract(AIM).doc_id == record.doc_id  # same normalized text, same id


def test_models_load_once() -> None:
    first = get_extractor()
    extract(AIM, doc_id="a")
    extract("Mục tiêu đến năm 2030 có 70% lao động qua đào tạo.", doc_id="b")
    assert get_extractor() is first
    assert first.m is get_extractor().m and first.reader is get_extractor().reader


def test_package_exports() -> None:
    assert pipeline.extract is extract
    assert set(pipeline.__all__) >= {"extract", "extract_document", "__version__"}
