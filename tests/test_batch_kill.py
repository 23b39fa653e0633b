"""SIGKILL a running `chitieu extract`, resume it, and get exactly one record per document.

To be sure the kill lands mid-run whatever the extractor's speed, the killed run is slowed down:
a ``sitecustomize`` module on PYTHONPATH (imported by every interpreter it starts, worker processes
included) makes each document take 20 ms more.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

psutil = pytest.importorskip("psutil")

CHITIEU = [sys.executable, "-c", "from pipeline.cli import main; main()"]
SEEDED = {**os.environ, "PYTHONHASHSEED": "0"}  # same records from every process (see test_batch.py)

SLOW = '''
import time
import pipeline.engines.work as work

_extract_one = work.extract_one


def _slow(*args, **kwargs):
    time.sleep(0.02)
    return _extract_one(*args, **kwargs)


work.extract_one = _slow
'''


def doc_line(i: int) -> str:
    text = (f"Kế hoạch năm 2025 đặt mục tiêu {i % 100}% lao động nông thôn được đào tạo nghề; "
            f"kinh phí khoảng {i + 1} tỷ đồng cho {i * 10 + 5} học viên.")
    return json.dumps({"id": f"k{i:03d}", "text": text}, ensure_ascii=False) + "\n"


def count_lines(path: Path) -> int:
    return path.read_bytes().count(b"\n") if path.exists() else 0


def slow_env(tmp_path: Path) -> dict:
    site = tmp_path / "slow_site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SLOW, encoding="utf-8")
    env = dict(SEEDED)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(site), env.get("PYTHONPATH")]))
    return env




@pytest.mark.parametrize("workers", ["1", "2"])
def test_sigkill_then_resume_gives_one_record_per_document(tmp_path, workers):
    n = 300
    (tmp_path / "all.jsonl").write_text("".join(doc_line(i) for i in range(n)), encoding="utf-8")
    out = tmp_path / "out.jsonl"

    # 1. a (slowed-down) run, killed with SIGKILL once it has written some records
    proc = subprocess.Popen(CHITIEU + ["extract", str(tmp_path / "all.jsonl"), "-o", str(out), "--workers", workers,
                                       "--chunk-size", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=slow_env(tmp_path))
    try:
        deadline = time.monotonic() + 60
        while count_lines(out) < 10 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert proc.poll() is None, "the run ended before it could be killed"
        children = psutil.Process(proc.pid).children(recursive=True)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    _, alive = psutil.wait_procs(children, timeout=15)  # the pool's workers do not outlive the run
    assert alive == []
    ids_before = [json.loads(line)["doc_id"] for line in out.read_text(encoding="utf-8").splitlines(keepends=True)
                  if line.endswith("\n")]
    assert 10 <= len(ids_before) < n
    assert ids_before == [f"k{i:03d}" for i in range(len(ids_before))]  # a prefix, in input order

    # 2. resume at full speed: drops a partial line if any, skips what was written, does the rest
    res = subprocess.run(CHITIEU + ["extract", str(tmp_path / "all.jsonl"), "-o", str(out), "--resume",
                                    "--workers", workers], capture_output=True, timeout=120, env=SEEDED)
    assert res.returncode == 0, res.stderr.decode()
    ids = [json.loads(line)["doc_id"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert ids == [f"k{i:03d}" for i in range(n)]  # exactly one per document, all present, in order
    assert f"{n - len(ids_before)} done, {len(ids_before)} skipped" in res.stderr.decode()

    # 3. the records are those of an uninterrupted run
    clean = tmp_path / "clean.jsonl"
    subprocess.run(CHITIEU + ["extract", str(tmp_path / "all.jsonl"), "-o", str(clean), "--workers", "1"],
                   check=True, capture_output=True, timeout=120, env=SEEDED)
    assert out.read_bytes() == clean.read_bytes()
