"""Assemble corpus/gold.jsonl from the hand-written specs in corpus/tools/spec_*.py.

For every target the evidence text is located in the raw document file (searching forward
from the previous target's evidence start, so targets stay in text order) and its
character offsets into the raw file text are added. Fails loudly when a span is missing.

    /opt/venv/bin/python corpus/tools/build_gold.py
"""
from __future__ import annotations

import importlib.util
import json
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent
DOCS = CORPUS / "docs"
sys.path.insert(0, str(HERE))


def load_specs():
    docs = []
    for path in sorted(HERE.glob("spec_*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        docs.extend(mod.DOCS)
    return docs


def doc_path(doc_id):
    hits = [p for p in DOCS.iterdir() if p.stem == doc_id]
    if len(hits) != 1:
        raise SystemExit(f"{doc_id}: expected one file in docs/, found {hits}")
    return hits[0]


def locate(raw, needle, start_from):
    """Find needle in raw, comparing NFC forms; returns offsets into raw."""
    if unicodedata.is_normalized("NFC", raw):
        i = raw.find(needle, start_from)
        return (i, i + len(needle)) if i >= 0 else None
    # a decomposed document: NFC it cluster by cluster, keeping a map back to raw offsets
    pieces, starts = [], []
    i = 0
    while i < len(raw):
        j = i + 1
        while j < len(raw) and unicodedata.combining(raw[j]):
            j += 1
        nfc = unicodedata.normalize("NFC", raw[i:j])
        for ch in nfc:
            pieces.append(ch)
            starts.append(i)
        i = j
    starts.append(len(raw))
    text = "".join(pieces)
    target = unicodedata.normalize("NFC", needle)
    k0 = next((k for k, s in enumerate(starts) if s >= start_from), len(text))
    k = text.find(target, k0)
    if k < 0:
        return None
    end = starts[k + len(target)]
    return (starts[k], end)


def main():
    out = []
    seen = set()
    for d in load_specs():
        doc_id = d["doc_id"]
        if doc_id in seen:
            raise SystemExit(f"duplicate doc_id {doc_id}")
        seen.add(doc_id)
        raw = doc_path(doc_id).read_text(encoding="utf-8")
        prev = 0
        for t in d["targets"]:
            ev = t["evidence"]["text"]
            span = locate(raw, ev, prev)
            if span is None:
                span = locate(raw, ev, 0)
                if span is None:
                    raise SystemExit(f"{doc_id}: evidence not found: {ev!r}")
                print(f"warning {doc_id}: evidence found before previous target: {ev[:60]!r}")
            t["evidence"]["start"], t["evidence"]["end"] = span
            prev = span[0]
        line = {"doc_id": doc_id, "split": d["split"]}
        for k in ("title", "published"):
            line[k] = d.get(k)
        line["plan"] = d["plan"]
        line["targets"] = d["targets"]
        if d.get("note"):
            line["note"] = d["note"]
        out.append(line)
    with open(CORPUS / "gold.jsonl", "w", encoding="utf-8") as fh:
        for line in out:
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
    n_t = sum(len(x["targets"]) for x in out)
    print(f"wrote {len(out)} docs, {n_t} targets")


if __name__ == "__main__":
    main()
