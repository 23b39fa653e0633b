"""The committed real gold (corpus/realgold/extra.jsonl): well formed, in no other gold set, and,
where ../shared holds the articles, its offsets and groups true to the texts."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.eval.files import load_gold

ROOT = Path(__file__).resolve().parents[1]
EXTRA = ROOT / "corpus" / "realgold" / "extra.jsonl"
SHARED = ROOT.parent / "shared"
OPS = {"=", ">=", ">", "<=", "<", "~"}
KINDS = ("percentage", "funding", "trainees")


@pytest.fixture(scope="module")
def gold() -> list[dict]:
    return load_gold(EXTRA)  # raises on a malformed line or a repeated doc_id


def test_lines_are_gold_records(gold):
    assert len(gold) == sum(1 for _ in EXTRA.open(encoding="utf-8"))
    for doc in gold:
        assert doc["split"] == "extra" and doc["annotator"] and doc["reviewer"], doc["doc_id"]
        for t in doc["targets"]:
            kinds = [k for k in KINDS if t.get(k)]
            assert kinds, (doc["doc_id"], t)
            for k in kinds:
                assert t[k]["op"] in OPS, (doc["doc_id"], t)
            assert 0 <= t["evidence"]["start"] < t["evidence"]["end"], (doc["doc_id"], t)
            assert "text" not in t["evidence"]  # the texts stay in ../shared


@pytest.mark.skipif(not (SHARED / "gold").is_dir(), reason="../shared/gold is not here")
def test_no_article_is_in_another_gold_set(gold):
    other = {json.loads(line)["doc_id"] for f in (SHARED / "gold").glob("*.jsonl")
             for line in f.open(encoding="utf-8")}
    assert not other & {doc["doc_id"] for doc in gold}


@pytest.mark.skipif(not (SHARED / "realnews" / "articles.jsonl").is_file(), reason="../shared/realnews is not here")
def test_offsets_and_groups_are_true_to_the_articles(gold):
    wanted = {doc["doc_id"] for doc in gold}
    texts = {}
    for line in (SHARED / "realnews" / "articles.jsonl").open(encoding="utf-8"):
        a = json.loads(line)
        if a["id"] in wanted:
            texts[a["id"]] = (a["title"] or "") + "\n" + a["text"]
    assert set(texts) == wanted
    for doc in gold:
        text = texts[doc["doc_id"]]
        for t in doc["targets"]:
            span = text[t["evidence"]["start"]:t["evidence"]["end"]]
            assert t["evidence"]["end"] <= len(text) and span.strip(), (doc["doc_id"], t)
            if t.get("target_group"):
                assert t["target_group"] in text, (doc["doc_id"], t["target_group"])
