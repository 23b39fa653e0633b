"""SIGKILL a running `chitieu extract`, resume it, and get exactly one record per document."""
from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

psutil = pytest.importorskip("psutil")

CHITIEU = [sys.executable, "-c", "from pipeline.cli import main; main()"]


def doc_line(i: int) -> str:
    text = (f"Kế hoạch năm 2025 đặt mục tiêu {i % 100}% lao động nông thôn được đào tạo nghề; "
            f"kinh phí khoảng {i + 1} tỷ đồng cho {i * 10 + 5} học viên.")
    return json.dumps({"id": f"k{i:03d}", "text": text}, ensure_ascii=False) + "\n"


def count_lines(path: Path) -> int:
    return path.read_bytes().count(b"\n") if path.exists() else 0


@pytest.mark.parametrize("workers", ["1", "2"])
def test_sigkill_then_resume_gives_one_record_per_document(tmp_path, workers):
    n = 60
    lines = [doc_line(i) for i in range(n)]
    (tmp_path / "all.jsonl").write_text("".join(lines), encoding="utf-8")
    out = tmp_path / "out.jsonl"

    # 1. a run that reads its documents from a pipe, killed while it is waiting for more of them
    proc = subprocess.Popen(CHITIEU + ["extract", "-", "-o", str(out), "--workers", workers, "--chunk-size", "1"],
                            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    fed = 0
    deadline = time.monotonic() + 60
    try:
        while fed < n and time.monotonic() < deadline:
            proc.stdin.write(lines[fed].encode("utf-8"))
            proc.stdin.flush()
            fed += 1
            time.sleep(0.05)
            if count_lines(out) >= 5 and fed >= 12:
                break
        assert proc.poll() is None, "the run ended before it could be killed"
        children = psutil.Process(proc.pid).children(recursive=True)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    written = count_lines(out)
    assert 5 <= written < n
    _, alive = psutil.wait_procs(children, timeout=15)  # the pool's workers do not outlive the run
    assert alive == []

    # 2. resume from the full input: skips what was written, finishes the rest
    res = subprocess.run(CHITIEU + ["extract", str(tmp_path / "all.jsonl"), "-o", str(out), "--resume",
                                    "--workers", workers], capture_output=True, timeout=120)
    assert res.returncode == 0, res.stderr.decode()
    ids = [json.loads(line)["doc_id"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert ids == [f"k{i:03d}" for i in range(n)]  # exactly one per document, all present, in order
    assert f"{n - written} done, {written} skipped" in res.stderr.decode()

    # 3. and the records are those of an uninterrupted run (but for `source`: <stdin> before the kill)
    clean = tmp_path / "clean.jsonl"
    subprocess.run(CHITIEU + ["extract", str(tmp_path / "all.jsonl"), "-o", str(clean), "--workers", "1"],
                   check=True, capture_output=True, timeout=120)
    assert [without_source(line) for line in out.read_text(encoding="utf-8").splitlines()] == \
        [without_source(line) for line in clean.read_text(encoding="utf-8").splitlines()]


def without_source(line: str) -> dict:
    record = json.loads(line)
    record.pop("source")
    return record
