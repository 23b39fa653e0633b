"""Throughput benchmark: docs/s, chars/s, peak RSS, time per stage, startup, 1 vs 2 workers, and
underthesea's word_tokenize over the same texts as the reference cost.

    python bench/throughput.py                    # mixed: the first 4000 of ../shared/realnews/articles.jsonl (laws too)
    python bench/throughput.py --set news         # news: its first 800 non-law articles of <= 20,000 characters
    python bench/throughput.py --input x.jsonl --limit 500

The package is compiled to bytecode first, as `pip install` does (compile_package).
Prints a table and writes bench/results/throughput[-news].json. Targets are reported, not asserted:
single worker >= 4x the reference throughput in-process and as a whole `chitieu extract --workers 1`
process (startup included), that process >= 1 MB of UTF-8 text per second, startup < 1.2 s,
2 workers >= 1.7x one worker, peak RSS < 500 MB per process.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHITIEU = [sys.executable, "-c", "from pipeline.cli import main; main()"]
TARGETS = {"speed_vs_reference": 4.0, "process_vs_reference": 4.0, "process_mb_per_s": 1.0, "startup_s": 1.2,
           "speedup_2_workers": 1.7, "peak_rss_mb": 500}


def default_input() -> Path:
    realnews = ROOT.parent / "shared" / "realnews" / "articles.jsonl"
    return realnews if realnews.exists() else ROOT / "corpus" / "docs"


NEWS_LIMIT, NEWS_MAX_CHARS = 800, 20_000


def news_ids(path: Path, limit: int = NEWS_LIMIT, max_chars: int = NEWS_MAX_CHARS) -> set[str]:
    """The news set: ids of the first ``limit`` articles of a JSONL file that are not laws (``vlc_``)
    and whose ``text`` has at most ``max_chars`` characters."""
    ids: set[str] = set()
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            item = json.loads(line)
            if not item["id"].startswith("vlc_") and len(item["text"]) <= max_chars:
                ids.add(item["id"])
                if len(ids) >= limit:
                    break
    return ids


def load_docs(path: Path, limit: int, only: set[str] | None = None) -> list:
    """The first ``limit`` readable documents under ``path`` (SourceDocuments with ids), only those
    whose id is in ``only`` when it is given."""
    from pipeline.ingest import iter_sources
    from pipeline.source import SourceDocument

    docs = []
    for item in iter_sources([path]):
        if isinstance(item, SourceDocument) and (only is None or item.doc_id in only):
            item.doc_id = item.doc_id or f"doc{len(docs):06d}"
            docs.append(item)
            if len(docs) >= limit:
                break
    return docs


def write_jsonl(docs: list, path: Path) -> None:
    """The same texts for every run, as JSONL (title already inside the text)."""
    with path.open("w", encoding="utf-8") as fh:
        for d in docs:
            fh.write(json.dumps({"id": d.doc_id, "text": d.text}, ensure_ascii=False) + "\n")


# -- measurements --------------------------------------------------------------------------------
class RssSampler:
    """Polls the RSS of a process tree (psutil): peak of the largest process and of the sum."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        import psutil

        self.root = psutil.Process(pid)
        self.interval = interval
        self.peak_process = self.peak_total = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            try:
                procs = [self.root] + self.root.children(recursive=True)
                rss = []
                for p in procs:
                    try:
                        rss.append(p.memory_info().rss)
                    except psutil.Error:
                        pass
                if rss:
                    self.peak_process = max(self.peak_process, max(rss))
                    self.peak_total = max(self.peak_total, sum(rss))
            except psutil.Error:
                pass
            time.sleep(self.interval)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def _children_cpu() -> float:
    """CPU seconds (user + system) of the child processes waited for so far: unlike wall time, it
    holds on a machine that other work keeps busy."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


SUMMARY = re.compile(r"(\d+) done, \d+ skipped, (\d+) duplicates, (\d+) failed in ([\d.]+) s")


def run_cli(jsonl: Path, out: Path, extra: list[str]) -> dict:
    """One `chitieu extract` run in a fresh process: wall time, batch time, peak RSS."""
    start, cpu0 = time.perf_counter(), _children_cpu()
    proc = subprocess.Popen(CHITIEU + ["extract", str(jsonl), "-o", str(out), "--no-progress"] + extra,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    sampler = RssSampler(proc.pid)
    stderr = proc.communicate()[1].decode()
    wall, cpu = time.perf_counter() - start, _children_cpu() - cpu0
    sampler.stop()
    m = SUMMARY.search(stderr)
    if not m:
        raise RuntimeError(f"chitieu extract failed:\n{stderr}")
    done, dups, failed, batch_s = int(m[1]), int(m[2]), int(m[3]), float(m[4])
    return {"args": extra, "docs": done, "duplicates": dups, "failed": failed, "wall_s": round(wall, 3),
            "cpu_s": round(cpu, 3),
            "batch_s": batch_s, "docs_per_s": round(done / batch_s, 2) if batch_s else None,
            "peak_rss_mb_largest_process": round(sampler.peak_process / 2**20, 1),
            "peak_rss_mb_all_processes": round(sampler.peak_total / 2**20, 1)}


STARTUP = """
import time, json, sys
t0 = time.perf_counter()
from pipeline.api import extract_document
from pipeline.source import SourceDocument
t1 = time.perf_counter()
extract_document(SourceDocument(text=sys.stdin.read(), doc_id="first"))
t2 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "first_doc_s": t2 - t1}))
"""


def compile_package() -> bool:
    """Compile the package's modules to bytecode (``__pycache__``) before the fresh processes are
    timed, as ``pip install`` does for an installed package. Without it, a checkout run where
    ``PYTHONDONTWRITEBYTECODE`` is set (this machine sets it) compiles every module of ``pipeline``
    from source in every process, about 0.05 s that no installed copy pays."""
    import compileall

    return all(compileall.compile_dir(str(ROOT / name), quiet=1) for name in ("pipeline", "schemas"))


def startup(first_text: str) -> dict:
    """Fresh interpreter: import + models + first document (wall time of the whole process too)."""
    start, cpu0 = time.perf_counter(), _children_cpu()
    proc = subprocess.run([sys.executable, "-c", STARTUP], input=first_text.encode("utf-8"),
                          capture_output=True, check=True, cwd=ROOT)
    wall, cpu = time.perf_counter() - start, _children_cpu() - cpu0
    inner = json.loads(proc.stdout)
    return {"process_wall_s": round(wall, 3), "process_cpu_s": round(cpu, 3), "import_s": round(inner["import_s"], 3),
            "first_doc_s": round(inner["first_doc_s"], 3)}


def in_process(docs: list) -> dict:
    """End-to-end in this process (models warm), with the extractor's per-stage timings if it has them."""
    from pipeline.api import extract_document
    from pipeline.extractor import get_extractor

    extract_document(docs[0])  # warm up: models loaded before timing
    extractor = get_extractor()
    timings = getattr(extractor, "timings", None)
    before = dict(timings) if isinstance(timings, dict) else None
    failed = 0
    start, cpu0 = time.perf_counter(), time.process_time()
    for d in docs:
        try:
            extract_document(d)
        except Exception:  # noqa: BLE001 - counted, as the batch would
            failed += 1
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu0
    stages = None
    if before is not None:
        after = dict(extractor.timings)
        stages = {k: round(after.get(k, 0.0) - before.get(k, 0.0), 3) for k in after}
    chars = sum(len(d.text) for d in docs)
    return {"seconds": round(elapsed, 3), "cpu_s": round(cpu, 3), "docs_per_s": round(len(docs) / elapsed, 2),
            "chars_per_s": round(chars / elapsed), "failed": failed, "stages_s": stages}


def reference(docs: list) -> dict:
    """underthesea.word_tokenize over each whole text: what tokenizing everything would cost."""
    from underthesea import word_tokenize

    word_tokenize(docs[0].text)  # warm up (loads the CRF model)
    start, cpu0 = time.perf_counter(), time.process_time()
    for d in docs:
        word_tokenize(d.text)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu0
    chars = sum(len(d.text) for d in docs)
    return {"seconds": round(elapsed, 3), "cpu_s": round(cpu, 3), "docs_per_s": round(len(docs) / elapsed, 2),
            "chars_per_s": round(chars / elapsed)}


# -- report -----------------------------------------------------------------------------------------
def table(result: dict) -> str:
    w1, w2 = result["runs"]["workers_1"], result["runs"]["workers_2"]
    ip, ref, st = result["in_process"], result["reference"], result["startup"]
    rows = [
        ("set: documents / characters / UTF-8 bytes",
         f"{result.get('set', '')}: {result['docs']} / {result['chars']} / {result['bytes']}", ""),
        ("in-process docs/s (chars/s)", f"{ip['docs_per_s']} ({ip['chars_per_s']})", ""),
        ("reference word_tokenize docs/s (chars/s)", f"{ref['docs_per_s']} ({ref['chars_per_s']})", ""),
        ("speed vs reference (end-to-end / reference)", f"{result['speed_vs_reference']}x",
         f">= {TARGETS['speed_vs_reference']}x"),
        ("chitieu extract --workers 1, whole process: s (MB/s)",
         f"{w1['wall_s']} s ({result['process_mb_per_s']} MB/s)", f">= {TARGETS['process_mb_per_s']} MB/s"),
        ("whole process vs reference (reference s / process s)", f"{result['process_vs_reference']}x",
         f">= {TARGETS['process_vs_reference']}x"),
        ("  the same in CPU time (reference / process)",
         f"{result['process_vs_reference_cpu']}x ({ref['cpu_s']} s / {w1['cpu_s']} s)", ""),
        ("in-process vs reference in CPU time", f"{result['speed_vs_reference_cpu']}x ({ip['cpu_s']} s)", ""),
        ("startup: process wall (import, first doc)",
         f"{st['process_wall_s']} s ({st['import_s']} s, {st['first_doc_s']} s); CPU {st['process_cpu_s']} s",
         f"< {TARGETS['startup_s']} s"),
        ("chitieu extract --workers 1: docs/s", f"{w1['docs_per_s']}", ""),
        ("chitieu extract --workers 2: docs/s", f"{w2['docs_per_s']}", ""),
        ("speedup 2 workers / 1", f"{result['speedup_2_workers']}x", f">= {TARGETS['speedup_2_workers']}x"),
        ("peak RSS, largest process (1 / 2 workers)",
         f"{w1['peak_rss_mb_largest_process']} / {w2['peak_rss_mb_largest_process']} MB",
         f"< {TARGETS['peak_rss_mb']} MB"),
        ("peak RSS, all processes (1 / 2 workers)",
         f"{w1['peak_rss_mb_all_processes']} / {w2['peak_rss_mb_all_processes']} MB", ""),
    ]
    width = max(len(r[0]) for r in rows)
    lines = [f"{name:<{width}}  {value:<40} {target}" for name, value, target in rows]
    stages = ip.get("stages_s")
    if stages:
        total = sum(stages.values()) or 1.0
        lines.append("time per stage (in-process): " + ", ".join(
            f"{k} {v:.2f} s ({100 * v / total:.0f}%)" for k, v in sorted(stages.items(), key=lambda kv: -kv[1])))
    else:
        lines.append("time per stage: the extractor exposes no timings")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", type=Path, default=None, help="JSONL file or directory (default: realnews, else corpus/docs)")
    parser.add_argument("--set", dest="doc_set", choices=["mixed", "news"], default="mixed",
                        help="mixed: the first documents as they come (laws too); news: the first 800 "
                             f"non-law articles of <= {NEWS_MAX_CHARS:,} characters")
    parser.add_argument("--limit", type=int, default=None,
                        help="number of documents (default 4000 mixed, 800 news; 4000 is enough that each "
                             "worker's model loading, about a second, does not dominate the 1 vs 2 worker comparison)")
    parser.add_argument("--output", type=Path, default=None,
                        help="JSON results (default bench/results/throughput[-news].json)")
    args = parser.parse_args(argv)

    source = args.input or default_input()
    news = args.doc_set == "news"
    limit = args.limit or (NEWS_LIMIT if news else 4000)
    if news and not source.is_file():
        print(f"--set news needs a JSONL file, not {source}", file=sys.stderr)
        return 2
    docs = load_docs(source, limit, news_ids(source, limit) if news else None)
    output = args.output or ROOT / "bench" / "results" / ("throughput-news.json" if news else "throughput.json")
    if not docs:
        print(f"no documents under {source}", file=sys.stderr)
        return 2
    result = {"input": str(source), "set": args.doc_set, "docs": len(docs), "chars": sum(len(d.text) for d in docs),
              "bytes": sum(len(d.text.encode("utf-8")) for d in docs),
              "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()}}
    result["bytecode_compiled"] = compile_package()
    with tempfile.TemporaryDirectory() as tmp:
        jsonl = Path(tmp) / "bench.jsonl"
        write_jsonl(docs, jsonl)
        result["startup"] = startup(docs[0].text)
        result["runs"] = {f"workers_{w}": run_cli(jsonl, Path(tmp) / f"out{w}.jsonl", ["--workers", str(w)])
                          for w in (1, 2)}
    result["in_process"] = in_process(docs)
    result["reference"] = reference(docs)
    w1, w2 = result["runs"]["workers_1"], result["runs"]["workers_2"]
    result["speed_vs_reference"] = round(result["in_process"]["docs_per_s"] / result["reference"]["docs_per_s"], 2)
    result["speedup_2_workers"] = round(w2["docs_per_s"] / w1["docs_per_s"], 2)
    result["process_vs_reference"] = round(result["reference"]["seconds"] / w1["wall_s"], 2)
    result["process_mb_per_s"] = round(result["bytes"] / w1["wall_s"] / 1e6, 2)
    result["process_vs_reference_cpu"] = round(result["reference"]["cpu_s"] / w1["cpu_s"], 2)
    result["speed_vs_reference_cpu"] = round(result["reference"]["cpu_s"] / result["in_process"]["cpu_s"], 2)
    result["targets"] = TARGETS
    print(table(result))
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written: {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
