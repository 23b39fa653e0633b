"""iter_sources: JSONL convention, bad lines as InputError, stdin, directory order."""
from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.ingest import iter_sources, read_file
from pipeline.source import SourceDocument

TEXT = "Phấn đấu đến năm 2025 có 100% cán bộ cấp xã được bồi dưỡng."


def jsonl(*objects: object) -> str:
    return "".join((obj if isinstance(obj, str) else json.dumps(obj, ensure_ascii=False)) + "\n" for obj in objects)


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


class TestJsonl:
    def test_title_convention(self, tmp_path: Path) -> None:
        path = write(tmp_path / "news.jsonl", jsonl(
            {"id": "a1", "title": "Hà Tĩnh đào tạo nghề", "text": TEXT, "url": "https://x.vn/a1", "published": "2023-06-12"},
            {"id": 7, "title": None, "text": TEXT},
            {"id": "no-title", "text": TEXT},
        ))
        first, second, third = iter_sources([path])
        assert first.text == f"Hà Tĩnh đào tạo nghề\n{TEXT}" and first.title_in_text
        assert (first.doc_id, first.title, first.url, first.source) == ("a1", "Hà Tĩnh đào tạo nghề", "https://x.vn/a1", "https://x.vn/a1")
        assert first.published == date(2023, 6, 12) and (first.path, first.line) == (str(path), 1)
        assert second.text == f"\n{TEXT}" and second.title_in_text and second.doc_id == "7"
        assert third.text == TEXT and not third.title_in_text and third.title is None

    def test_html_field_is_extracted(self, tmp_path: Path) -> None:
        html = ("<html><head><title>Tin</title></head><body><nav><a href='/'>Trang chủ</a></nav>"
                f"<article><p>{TEXT}</p><p>Tổng kinh phí khoảng 4,4 tỷ đồng cho các lớp bồi dưỡng.</p></article></body></html>")
        (doc,) = iter_sources([write(tmp_path / "p.jsonl", jsonl({"id": "h", "title": "Tiêu đề", "html": html}))])
        assert doc.text.startswith(f"Tiêu đề\n") and TEXT in doc.text
        assert "<p>" not in doc.text and "Trang chủ" not in doc.text

    def test_bad_lines_are_errors_with_path_and_line_and_the_batch_goes_on(self, tmp_path: Path) -> None:
        data = (jsonl({"id": "ok1", "text": TEXT}, '{"id": "broken", "text": ', {"id": "no-text"}, "[1, 2]").encode()
                + b'{"id": "bytes", "text": "\xff\xfe\x00\x80 abc"}\n' + jsonl({"id": "ok2", "text": TEXT}).encode())
        path = write(tmp_path / "mixed.jsonl", data)
        items = list(iter_sources([path]))
        assert [type(item).__name__ for item in items] == ["SourceDocument"] + ["InputError"] * 4 + ["SourceDocument"]
        errors = items[1:5]
        assert [(error.path, error.line) for error in errors] == [(str(path), n) for n in (2, 3, 4, 5)]
        assert "malformed JSONL line" in errors[0].reason
        assert '"text" or "html"' in errors[1].reason
        assert "JSON object" in errors[2].reason
        assert "undecodable bytes" in errors[3].reason
        assert f"{path}:5:" in str(errors[3])
        assert items[5].doc_id == "ok2" and items[5].line == 6

    def test_legacy_encoded_line_and_mojibake_text_are_repaired(self, tmp_path: Path) -> None:
        tcvn3_line = '{"id": "b", "text": "KÕ ho¹ch ®µo t¹o c¸n bé c«ng chøc"}'.encode("cp1252")
        mojibake = jsonl({"id": "m", "text": "Keá hoaïch ñaøo taïo caùn boä coâng chöùc caáp xaõ"})
        items = list(iter_sources([write(tmp_path / "legacy.jsonl", tcvn3_line + b"\n" + mojibake.encode())]))
        assert items[0].text == "Kế hoạch đào tạo cán bộ công chức"
        assert items[0].warnings[0].startswith("decoded as TCVN3")
        assert items[1].text == "Kế hoạch đào tạo cán bộ công chức cấp xã"
        assert items[1].warnings[0].startswith("decoded as VNI")

    def test_bad_published_is_a_warning(self, tmp_path: Path) -> None:
        (doc,) = iter_sources([write(tmp_path / "d.jsonl", jsonl({"id": "d", "text": TEXT, "published": "hôm qua"}))])
        assert doc.published is None and "not a date" in doc.warnings[0]

    def test_vietnamese_date_format(self, tmp_path: Path) -> None:
        (doc,) = iter_sources([write(tmp_path / "d.jsonl", jsonl({"id": "d", "text": TEXT, "published": "22/12/2016"}))])
        assert doc.published == date(2016, 12, 22)

    def test_utf8_bom_and_utf16_jsonl(self, tmp_path: Path) -> None:
        body = jsonl({"id": "u", "text": TEXT})
        (a,) = iter_sources([write(tmp_path / "bom.jsonl", b"\xef\xbb\xbf" + body.encode())])
        (b,) = iter_sources([write(tmp_path / "u16.jsonl", body.encode("utf-16"))])
        assert a.text == b.text == TEXT

    def test_read_file_refuses_jsonl(self, tmp_path: Path) -> None:
        with pytest.raises(InputError, match="iter_sources"):
            read_file(write(tmp_path / "x.jsonl", jsonl({"id": "x", "text": TEXT})))


class TestStdin:
    def test_plain_text(self) -> None:
        (doc,) = iter_sources(["-"], stdin=io.StringIO(f"{TEXT}\nDòng hai.\n"))
        assert isinstance(doc, SourceDocument)
        assert doc.text == f"{TEXT}\nDòng hai.\n" and doc.source == "<stdin>" and doc.doc_id is None

    def test_plain_text_starting_with_a_brace_is_still_text(self) -> None:
        (doc,) = iter_sources(["-"], stdin=io.StringIO("{không phải JSON}\n" + TEXT))
        assert doc.text.endswith(TEXT)

    def test_jsonl(self) -> None:
        stream = io.StringIO(jsonl({"id": "s1", "text": TEXT}, "not json", {"id": "s2", "title": "T", "text": TEXT}))
        items = list(iter_sources(["-"], stdin=stream))
        assert items[0].doc_id == "s1"
        assert isinstance(items[1], InputError) and (items[1].path, items[1].line) == ("<stdin>", 2)
        assert items[2].text == f"T\n{TEXT}" and items[2].title_in_text

    def test_binary_stream_in_tcvn3(self) -> None:
        (doc,) = iter_sources(["-"], stdin=io.BytesIO("KÕ ho¹ch ®µo t¹o c¸n bé".encode("cp1252")))
        assert doc.text == "Kế hoạch đào tạo cán bộ" and doc.warnings[0].startswith("decoded as TCVN3")

    def test_empty(self) -> None:
        (error,) = iter_sources(["-"], stdin=io.StringIO(""))
        assert isinstance(error, InputError) and error.path == "<stdin>"


class TestDirectories:
    def test_recursive_sorted_order_and_hidden_entries_skipped(self, tmp_path: Path) -> None:
        for name in ("b.txt", "a/z.txt", "a/b/y.txt", "a-c.txt", "c.jsonl", ".hidden.txt", ".git/x.txt", "A.txt"):
            write(tmp_path / name, jsonl({"id": name, "text": TEXT}) if name.endswith(".jsonl") else TEXT)
        ids = [item.doc_id for item in iter_sources([tmp_path])]
        assert ids == ["A", "y", "z", "a-c", "b", "c.jsonl"]

    def test_order_is_the_order_of_the_arguments(self, tmp_path: Path) -> None:
        b, a = write(tmp_path / "b.txt", TEXT), write(tmp_path / "a.txt", TEXT)
        assert [item.doc_id for item in iter_sources([b, str(a)])] == ["b", "a"]

    def test_missing_path_is_an_error_and_the_rest_is_read(self, tmp_path: Path) -> None:
        items = list(iter_sources([tmp_path / "nope.txt", write(tmp_path / "ok.txt", TEXT)]))
        assert isinstance(items[0], InputError) and "no such file" in items[0].reason
        assert items[1].doc_id == "ok"
