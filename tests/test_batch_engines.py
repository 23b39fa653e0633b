"""Engines: the local pool survives worker exceptions and dying workers; Dask gives the same output."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.batch import run_batch
from pipeline.engines import make_engine
from pipeline.engines.work import process_chunk
from pipeline.source import SourceDocument

CHITIEU = [sys.executable, "-c", "from pipeline.cli import main; main()"]
SEEDED = {**os.environ, "PYTHONHASHSEED": "0"}  # same records from every process (see test_batch.py)


def docs(n: int) -> list[SourceDocument]:
    return [SourceDocument(text=f"Đến năm 2030, {i}% xã đạt chuẩn nông thôn mới.", doc_id=f"e{i:02d}",
                           path=f"e{i:02d}.txt") for i in range(n)]


def raise_on_e03(chunk: list) -> list:
    """A task function that fails as a whole when its chunk holds e03 (runs in worker processes)."""
    if any(getattr(d, "doc_id", None) == "e03" for d in chunk):
        raise ValueError("task failed")
    return process_chunk(chunk)


def die_on_e05(chunk: list) -> list:
    """A task function whose worker process dies on e05 (like a segfault or the OOM killer)."""
    if any(getattr(d, "doc_id", None) == "e05" for d in chunk):
        os._exit(3)
    return process_chunk(chunk)


def run_engine(fn, chunks):
    with make_engine("local", workers=2, fn=fn) as engine:
        return [(c, r) for c, r in engine.imap(iter(chunks))]


def test_local_pool_reports_a_failed_task_and_goes_on():
    items = docs(8)
    out = run_engine(raise_on_e03, [items[i:i + 2] for i in range(0, 8, 2)])
    assert [c[0].doc_id for c, _ in out] == ["e00", "e02", "e04", "e06"]
    assert isinstance(out[1][1], ValueError)
    assert [r[1] for _, rs in (out[0], out[2], out[3]) for r in rs] == ["e00", "e01", "e04", "e05", "e06", "e07"]


def test_local_pool_survives_a_dying_worker():
    items = docs(10)
    out = run_engine(die_on_e05, [items[i:i + 2] for i in range(0, 10, 2)])
    results = [r for _, rs in out for r in rs]
    assert [r[0] for r in results] == ["ok"] * 5 + ["error"] + ["ok"] * 4
    assert results[5][1]["doc_id"] == "e05" and "died" in results[5][1]["error"]
    assert [r[1] for r in results if r[0] == "ok"] == [f"e{i:02d}" for i in range(10) if i != 5]


def write_inputs(folder: Path, n: int) -> None:
    folder.mkdir()
    with (folder / "a.jsonl").open("w", encoding="utf-8") as fh:
        for i in range(n):
            text = f"Giai đoạn 2021-2025, hỗ trợ {i + 3} tỷ đồng đào tạo {i * 7 + 1} cán bộ; {i % 90}% hộ nghèo."
            fh.write(json.dumps({"id": f"d{i:03d}", "text": text}, ensure_ascii=False) + "\n")
        fh.write("{not json}\n")
    (folder / "b.txt").write_text("Phấn đấu 100% trạm y tế xã có bác sĩ vào năm 2025.", encoding="utf-8")


def test_dask_local_cluster_equals_single_process(tmp_path):
    write_inputs(tmp_path / "in", 50)
    single, dask_out = tmp_path / "single.jsonl", tmp_path / "dask.jsonl"
    errs1, errs2 = tmp_path / "e1.jsonl", tmp_path / "e2.jsonl"
    runs = [(single, errs1, ["--workers", "1"]), (dask_out, errs2, ["--engine", "dask", "--workers", "2", "--chunk-size", "4"])]
    for out, errs, options in runs:
        proc = subprocess.run(CHITIEU + ["extract", str(tmp_path / "in"), "-o", str(out), "--errors", str(errs)] + options,
                              capture_output=True, timeout=300, env=SEEDED)
        assert proc.returncode == 1  # the malformed line
        assert "51 done, 0 skipped, 0 duplicates, 1 failed" in proc.stderr.decode()
    one = single.read_text(encoding="utf-8").splitlines()
    two = dask_out.read_text(encoding="utf-8").splitlines()
    assert len(one) == 51
    assert [json.loads(a) for a in one] == [json.loads(b) for b in two]  # record for record
    assert errs1.read_bytes() == errs2.read_bytes()


@pytest.mark.parametrize("how", ["address", "scheduler-file"])
def test_dask_scheduler_address(tmp_path, how):
    distributed = pytest.importorskip("distributed")
    write_inputs(tmp_path / "in", 12)
    out = tmp_path / "dask.jsonl"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        scheduler = cluster.scheduler_address
        if how == "scheduler-file":  # what `dask scheduler --scheduler-file` writes, in short
            scheduler = str(tmp_path / "scheduler.json")
            Path(scheduler).write_text(json.dumps({"address": cluster.scheduler_address}))
        summary = run_batch([tmp_path / "in"], output=out, engine="dask", scheduler=scheduler,
                            chunk_size=3, progress=False)
    assert (summary.done, summary.failed) == (13, 1)
    assert [json.loads(line)["doc_id"] for line in out.read_text(encoding="utf-8").splitlines()] == \
        [f"d{i:03d}" for i in range(12)] + ["b"]
