"""Batch extraction (pipeline.batch, `chitieu extract`): order, resume, errors, duplicates, summary.

Independent of extraction quality: the assertions compare doc ids, order, counts and bytes.
"""
from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.batch import BatchError, estimate_total, run_batch, text_fingerprint
from pipeline.cli import main
from pipeline.engines import work
from pipeline.output import JsonlWriter, iter_ids, repair_tail
from schemas import DocumentRecord

SENTENCES = [
    "Phấn đấu đến năm 2025, {n}% cán bộ, công chức cấp xã được bồi dưỡng kiến thức quản lý nhà nước.",
    "Kế hoạch số {n}/KH-UBND đặt mục tiêu đào tạo nghề cho khoảng {n}00 lao động nông thôn.",
    "Tổng kinh phí thực hiện đề án là {n} tỷ đồng, trong đó ngân sách tỉnh {n} trăm triệu đồng.",
    "Đến hết năm 2030, ít nhất {n}% hộ gia đình ở vùng đồng bào dân tộc thiểu số có nước sạch.",
]
CHITIEU = [sys.executable, "-c", "from pipeline.cli import main; main()"]  # `chitieu`, installed or not
SEEDED = {**os.environ, "PYTHONHASHSEED": "0"}


def vi_text(i: int) -> str:
    """A unique small Vietnamese document for index ``i``."""
    return " ".join(s.format(n=i + k) for k, s in enumerate(SENTENCES[i % 2:] + SENTENCES[:i % 2]))


def write_docs(folder: Path, n: int, *, start: int = 0) -> list[str]:
    """``n`` text files doc000.txt...; returns their doc ids (file stems) in input order."""
    folder.mkdir(parents=True, exist_ok=True)
    ids = []
    for i in range(start, start + n):
        (folder / f"doc{i:03d}.txt").write_text(vi_text(i), encoding="utf-8")
        ids.append(f"doc{i:03d}")
    return ids


def write_jsonl(path: Path, n: int, *, prefix: str = "j") -> list[str]:
    ids = [f"{prefix}{i:03d}" for i in range(n)]
    with path.open("w", encoding="utf-8") as fh:
        for i, doc_id in enumerate(ids):
            fh.write(json.dumps({"id": doc_id, "text": vi_text(i)}, ensure_ascii=False) + "\n")
    return ids


def read_ids(path: Path) -> list[str]:
    return [json.loads(line)["doc_id"] for line in path.read_text(encoding="utf-8").splitlines()]


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# ---------------------------------------------------------------------------------------------
# Fingerprints
# ---------------------------------------------------------------------------------------------
class TestFingerprint:
    def test_same_text_modulo_unicode_form_and_outer_space(self):
        text = "Đến năm 2025, 70% lao động qua đào tạo."
        assert text_fingerprint(text) == text_fingerprint("  " + unicodedata.normalize("NFD", text) + "\n")

    def test_different_texts_differ(self):
        assert text_fingerprint("Đến năm 2025, 70% lao động.") != text_fingerprint("Đến năm 2025, 71% lao động.")

    def test_is_hex_sha256(self):
        assert re.fullmatch(r"[0-9a-f]{64}", text_fingerprint("chỉ tiêu"))


# ---------------------------------------------------------------------------------------------
# The crash-safe writer
# ---------------------------------------------------------------------------------------------
TAIL_CASES = [
    # (file content, bytes dropped, content after)
    (b"", 0, b""),
    (b'{"doc_id": "a"}\n', 0, b'{"doc_id": "a"}\n'),
    (b'{"doc_id": "a"}\n{"doc_id": "b', 13, b'{"doc_id": "a"}\n'),
    (b'{"doc_id": "a"', 14, b""),
    ('{"doc_id": "ả"}\n{"doc_id": "ồ'.encode(), 15, '{"doc_id": "ả"}\n'.encode()),
]


@pytest.mark.parametrize("content,dropped,after", TAIL_CASES,
                         ids=["empty", "complete", "partial-second", "partial-only", "partial-utf8"])
def test_repair_tail(tmp_path, content, dropped, after):
    path = tmp_path / "out.jsonl"
    path.write_bytes(content)
    assert repair_tail(path) == dropped
    assert path.read_bytes() == after


def test_repair_tail_long_file_reads_backwards(tmp_path):
    path = tmp_path / "out.jsonl"
    body = b"".join(b'{"doc_id": "d%06d"}\n' % i for i in range(20000))  # > one 64 KiB block
    path.write_bytes(body + b"x" * 100_000)  # a partial line longer than a block
    assert repair_tail(path) == 100_000
    assert path.read_bytes() == body
    assert repair_tail(tmp_path / "missing.jsonl") == 0


def test_iter_ids_streams_complete_lines_only(tmp_path):
    path = tmp_path / "out.jsonl"
    path.write_bytes(b'{"doc_id": "a"}\n\n{"doc_id": "b"}\n{"doc_id": "c"')
    assert list(iter_ids(path)) == ["a", "b"]


def test_writer_appends_whole_lines(tmp_path):
    path = tmp_path / "out.jsonl"
    with JsonlWriter(path) as w:
        w.write_line('{"doc_id": "a"}')
    with JsonlWriter(path, append=True, fsync=True) as w:
        w.write_obj({"doc_id": "ồ"})
    assert path.read_text(encoding="utf-8") == '{"doc_id": "a"}\n{"doc_id": "ồ"}\n'
    with JsonlWriter(path) as w:  # not append: a new run starts afresh
        w.write_line("{}")
    assert path.read_text() == "{}\n"


# ---------------------------------------------------------------------------------------------
# Order and equality across worker counts
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("workers,chunk_size", [(2, 1), (3, 2)], ids=["2w-chunk1", "3w-chunk2"])
def test_input_order_with_several_workers(tmp_path, workers, chunk_size):
    ids = write_docs(tmp_path / "docs", 37)
    many = tmp_path / "many.jsonl"
    summary = run_batch([tmp_path / "docs"], output=many, workers=workers, chunk_size=chunk_size, progress=False)
    assert read_ids(many) == ids
    assert (summary.done, summary.failed, summary.duplicates) == (37, 0, 0)


def test_same_records_with_one_or_two_workers(tmp_path):
    """Byte for byte, run as the command with a fixed hash seed (the extractor's output must not
    depend on set order; the seed keeps this test about the batch, not about that)."""
    write_docs(tmp_path / "docs", 25)
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    for out, workers in ((one, "1"), (two, "2")):
        run_cli(["extract", str(tmp_path / "docs"), "-o", str(out), "--workers", workers], check=True,
                env=SEEDED)
    assert two.read_bytes() == one.read_bytes()
    assert len(read_ids(one)) == 25


def test_records_validate_against_the_contract(tmp_path):
    write_docs(tmp_path / "docs", 5)
    out = tmp_path / "out.jsonl"
    run_batch([tmp_path / "docs"], output=out, workers=1, progress=False)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [DocumentRecord.model_validate_json(line).doc_id for line in lines] == [f"doc{i:03d}" for i in range(5)]


def test_directories_files_and_jsonl_mixed_in_argument_order(tmp_path):
    dir_ids = write_docs(tmp_path / "docs", 3, start=10)  # texts differ from the JSONL ones
    jsonl_ids = write_jsonl(tmp_path / "more.jsonl", 4)
    single = tmp_path / "single.txt"
    single.write_text("Năm 2026, hỗ trợ 50 hợp tác xã.", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    run_batch([tmp_path / "more.jsonl", single, tmp_path / "docs"], output=out, workers=2, progress=False)
    assert read_ids(out) == jsonl_ids + ["single"] + dir_ids


def test_estimate_total(tmp_path):
    write_docs(tmp_path / "docs", 3)
    write_jsonl(tmp_path / "docs" / "x.jsonl", 5)
    assert estimate_total([tmp_path / "docs"]) == 8
    assert estimate_total(["-"]) is None


# ---------------------------------------------------------------------------------------------
# Resume and truncated lines
# ---------------------------------------------------------------------------------------------
def test_resume_skips_done_ids_and_completes(tmp_path):
    docs = tmp_path / "docs"
    first = write_docs(docs, 6)
    out = tmp_path / "out.jsonl"
    run_batch([docs], output=out, workers=1, progress=False)
    rest = write_docs(docs, 5, start=6)
    summary = run_batch([docs], output=out, workers=2, resume=True, progress=False)
    assert (summary.done, summary.skipped, summary.failed) == (5, 6, 0)
    assert read_ids(out) == first + rest


def test_truncated_last_line_dropped_and_redone(tmp_path):
    docs = tmp_path / "docs"
    ids = write_docs(docs, 8)
    out = tmp_path / "out.jsonl"
    run_batch([docs], output=out, workers=1, progress=False)
    data = out.read_bytes()
    cut = data.rstrip(b"\n").rfind(b"\n") + 1 + 25  # keep 25 bytes of the last record
    out.write_bytes(data[:cut])
    log = io.StringIO()
    summary = run_batch([docs], output=out, workers=1, resume=True, progress=False, log=log)
    assert "dropped a partial last line" in log.getvalue()
    assert (summary.done, summary.skipped) == (1, 7)
    assert read_ids(out) == ids
    assert out.read_bytes() == data


def test_resume_needs_an_output_file(tmp_path):
    write_docs(tmp_path / "docs", 1)
    with pytest.raises(BatchError):
        run_batch([tmp_path / "docs"], output=None, resume=True, progress=False)
    result = CliRunner().invoke(main, ["extract", str(tmp_path / "docs"), "--resume"])
    assert result.exit_code != 0 and "--resume needs an output file" in result.output


def test_output_inside_the_input_is_refused(tmp_path):
    write_docs(tmp_path / "docs", 1)
    with pytest.raises(BatchError, match="inside the input"):
        run_batch([tmp_path / "docs"], output=tmp_path / "docs" / "out.jsonl", progress=False)


# ---------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------
def make_bad_inputs(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    lines = [json.dumps({"id": "a1", "text": vi_text(1)}, ensure_ascii=False),
             '{"id": "a2", "text": "thiếu dấu ngoặc',
             json.dumps({"id": "a3", "text": vi_text(3)}, ensure_ascii=False)]
    (docs / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (docs / "b.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))  # an image named .txt
    (docs / "c.txt").write_text(vi_text(5), encoding="utf-8")
    return docs


@pytest.mark.parametrize("workers", [1, 2])
def test_error_file_lists_bad_inputs_and_the_rest_is_processed(tmp_path, workers):
    docs = make_bad_inputs(tmp_path)
    out, errors = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"
    summary = run_batch([docs], output=out, errors=errors, workers=workers, progress=False)
    assert read_ids(out) == ["a1", "a3", "c"]
    errs = read_jsonl(errors)
    assert [set(e) for e in errs] == [{"path", "line", "doc_id", "error"}] * 2
    assert (errs[0]["path"], errs[0]["line"]) == (str(docs / "a.jsonl"), 2)
    assert "malformed" in errs[0]["error"]
    assert errs[1]["path"] == str(docs / "b.txt") and errs[1]["error"]
    assert (summary.done, summary.failed) == (3, 2)


class _Boom:
    """A stand-in extractor that fails on one document and fills nothing else."""

    def __init__(self, real):
        self.real = real

    def extract(self, doc):
        if "BOOM" in doc.text:
            raise RuntimeError("extractor exploded")
        return self.real.extract(doc)


def test_extraction_exception_becomes_an_error_line(tmp_path, monkeypatch):
    monkeypatch.setattr(work, "_extractor", _Boom(work.load_models()))
    docs = tmp_path / "docs"
    write_docs(docs, 3)
    (docs / "doc001.txt").write_text("BOOM " + vi_text(1), encoding="utf-8")
    out, errors = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"
    summary = run_batch([docs], output=out, errors=errors, workers=1, progress=False)
    assert read_ids(out) == ["doc000", "doc002"]
    assert read_jsonl(errors) == [{"path": str(docs / "doc001.txt"), "line": None, "doc_id": "doc001",
                                   "error": "RuntimeError: extractor exploded"}]
    assert summary.failed == 1


def test_errors_go_to_stderr_without_an_errors_file(tmp_path):
    docs = make_bad_inputs(tmp_path)
    log = io.StringIO()
    run_batch([docs], output=tmp_path / "out.jsonl", workers=1, progress=False, log=log)
    assert f"error: {docs / 'a.jsonl'}:2: malformed JSONL line" in log.getvalue()
    assert f"error: {docs / 'b.txt'}:" in log.getvalue()


# ---------------------------------------------------------------------------------------------
# Duplicates
# ---------------------------------------------------------------------------------------------
def test_identical_documents_extracted_once(tmp_path):
    docs = tmp_path / "docs"
    write_docs(docs, 3)
    (docs / "doc003.txt").write_text(unicodedata.normalize("NFD", vi_text(0)) + "\n\n", encoding="utf-8")
    (docs / "doc004.txt").write_text(vi_text(1), encoding="utf-8")
    out, dups = tmp_path / "out.jsonl", tmp_path / "dups.jsonl"
    summary = run_batch([docs], output=out, duplicates=dups, workers=2, progress=False)
    assert read_ids(out) == ["doc000", "doc001", "doc002"]
    assert read_jsonl(dups) == [{"path": str(docs / "doc003.txt"), "line": None, "doc_id": "doc003"},
                                {"path": str(docs / "doc004.txt"), "line": None, "doc_id": "doc004"}]
    assert (summary.done, summary.duplicates, summary.failed) == (3, 2, 0)
    again = run_batch([docs], output=out, resume=True, workers=1, progress=False)  # stays a duplicate
    assert (again.done, again.skipped, again.duplicates) == (0, 3, 2)
    assert read_ids(out) == ["doc000", "doc001", "doc002"]


class _SameHash:
    """A stand-in extractor whose normalization maps every text to one hash."""

    def __init__(self, real):
        self.real = real

    def extract(self, doc):
        return self.real.extract(doc).model_copy(update={"text_sha256": "ab" * 32})


def test_record_text_sha256_is_used_for_duplicates(tmp_path, monkeypatch):
    monkeypatch.setattr(work, "_extractor", _SameHash(work.load_models()))
    write_docs(tmp_path / "docs", 3)
    out = tmp_path / "out.jsonl"
    summary = run_batch([tmp_path / "docs"], output=out, workers=1, progress=False)
    assert read_ids(out) == ["doc000"]
    assert (summary.done, summary.duplicates) == (1, 2)
    write_docs(tmp_path / "docs", 1, start=3)  # resume: the hash already in the output counts
    again = run_batch([tmp_path / "docs"], output=out, workers=1, resume=True, progress=False)
    assert (again.done, again.skipped, again.duplicates) == (0, 1, 3)


def test_records_carry_the_text_fingerprint(tmp_path):
    write_docs(tmp_path / "docs", 2)
    out = tmp_path / "out.jsonl"
    run_batch([tmp_path / "docs"], output=out, workers=2, progress=False)
    assert [r["text_sha256"] for r in read_jsonl(out)] == [text_fingerprint(vi_text(i)) for i in range(2)]


def test_reused_doc_id_with_another_text_fails(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps({"id": "x", "text": vi_text(i)}, ensure_ascii=False) + "\n"
                            for i in range(2)), encoding="utf-8")
    out, errors = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"
    summary = run_batch([path], output=out, errors=errors, workers=1, progress=False)
    assert read_ids(out) == ["x"]
    assert read_jsonl(errors)[0]["line"] == 2 and "doc_id already used" in read_jsonl(errors)[0]["error"]
    assert summary.failed == 1


def test_documents_without_id_get_the_fingerprint_id(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"text": vi_text(7)}, ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    run_batch([path], output=out, workers=1, progress=False)
    assert read_ids(out) == ["sha256:" + text_fingerprint(vi_text(7))[:16]]
    assert run_batch([path], output=out, resume=True, workers=1, progress=False).skipped == 1


# ---------------------------------------------------------------------------------------------
# The command: exit codes, summary, stdin/stdout, progress
# ---------------------------------------------------------------------------------------------
SUMMARY = re.compile(r"^chitieu extract: (\d+) done, (\d+) skipped, (\d+) duplicates, (\d+) failed "
                     r"in [\d.]+ s \([\d.]+ docs/s\)$", re.M)


def test_cli_exit_0_and_summary(tmp_path):
    write_docs(tmp_path / "docs", 4)
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["extract", str(tmp_path / "docs"), "-o", str(out), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert SUMMARY.search(result.stderr).groups() == ("4", "0", "0", "0")
    assert len(read_ids(out)) == 4


def test_cli_exit_1_when_a_document_failed(tmp_path):
    docs = make_bad_inputs(tmp_path)
    errors = tmp_path / "errors.jsonl"
    result = CliRunner().invoke(main, ["extract", str(docs), "-o", str(tmp_path / "out.jsonl"),
                                       "--errors", str(errors), "--workers", "2"])
    assert result.exit_code == 1
    assert SUMMARY.search(result.stderr).groups() == ("3", "0", "0", "2")
    assert len(read_jsonl(errors)) == 2


def run_cli(args, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(CHITIEU + args, capture_output=True, timeout=120, **kwargs)


def test_stdin_to_stdout_and_no_progress_when_not_a_tty(tmp_path):
    data = "".join(json.dumps({"id": f"s{i}", "text": vi_text(i)}, ensure_ascii=False) + "\n" for i in range(5))
    proc = run_cli(["extract", "-", "--workers", "2"], input=data.encode("utf-8"))
    assert proc.returncode == 0
    assert [json.loads(line)["doc_id"] for line in proc.stdout.decode().splitlines()] == [f"s{i}" for i in range(5)]
    stderr = proc.stderr.decode()
    assert stderr.count("\n") == 1 and SUMMARY.fullmatch(stderr.strip())  # the summary and nothing else
    assert "\r" not in stderr and "doc/s" not in stderr


def test_progress_can_be_forced(tmp_path):
    write_docs(tmp_path / "docs", 3)
    proc = run_cli(["extract", str(tmp_path / "docs"), "-o", str(tmp_path / "out.jsonl"), "--workers", "1",
                    "--progress"])
    assert proc.returncode == 0
    assert "3/3" in proc.stderr.decode()  # tqdm: done/total
    assert "doc/s" in proc.stderr.decode()


def test_run_batch_is_silent_on_a_non_tty_log(tmp_path):
    write_docs(tmp_path / "docs", 3)
    log = io.StringIO()
    run_batch([tmp_path / "docs"], output=tmp_path / "out.jsonl", workers=1, log=log)
    assert log.getvalue() == ""


def test_extract_is_documented():
    result = CliRunner().invoke(main, ["extract", "--help"])
    for option in ("--workers", "--resume", "--errors", "--engine", "--scheduler", "--progress", "Example:"):
        assert option in result.output


def test_written_in_dates_this_years_aims_of_documents_without_a_date_of_their_own(tmp_path):
    aim = "Trong năm nay, tỉnh phấn đấu 80% cán bộ, công chức cấp xã được bồi dưỡng kỹ năng số.\n"
    (tmp_path / "undated.txt").write_text(aim, encoding="utf-8")
    (tmp_path / "dated.txt").write_text("Cập nhật lúc 08:44, Thứ Năm, 22/12/2022 (GMT+7)\n" + aim, encoding="utf-8")
    line = json.dumps({"id": "jsonl-dated", "text": aim.replace("số", "số cơ bản"), "published": "2021-05-03"},
                      ensure_ascii=False)  # (another text: the batch skips a text it has read)
    (tmp_path / "lines.jsonl").write_text(line + "\n", encoding="utf-8")

    def years(*extra):
        out = tmp_path / "out.jsonl"
        result = CliRunner().invoke(main, ["extract", str(tmp_path / "undated.txt"), str(tmp_path / "dated.txt"),
                                           str(tmp_path / "lines.jsonl"), "-o", str(out), "--workers", "1", *extra])
        assert result.exit_code == 0, result.output
        records = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
        return {r["doc_id"]: [(t["deadline"] or {}).get("year") for t in r["targets"]] for r in records}

    assert years() == {"undated": [None], "dated": [2022], "jsonl-dated": [2021]}   # "năm nay" with no year known
    assert years("--written-in", "2024") == {"undated": [2024], "dated": [2022], "jsonl-dated": [2021]}
    bad = CliRunner().invoke(main, ["extract", str(tmp_path / "undated.txt"), "--written-in", "24"])
    assert bad.exit_code == 2 and "--written-in" in bad.output
