"""Integrity checks for the project's own gold corpus (corpus/docs + corpus/gold.jsonl)."""
from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from schemas.gold import GoldDocument

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
DOCS = CORPUS / "docs"
GOLD = CORPUS / "gold.jsonl"


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def load_gold():
    lines = [ln for ln in GOLD.read_text(encoding="utf-8").splitlines() if ln.strip()]
    return [json.loads(ln) for ln in lines]


GOLD_LINES = load_gold()
DOC_FILES = {p.stem: p for p in sorted(DOCS.iterdir()) if p.suffix in (".txt", ".html")}


def raw_text(doc_id: str) -> str:
    return DOC_FILES[doc_id].read_text(encoding="utf-8")


# --------------------------------------------------------------------------------------
# A small, deliberately simple reader of Vietnamese number surfaces, used to check that
# every number of a target really is written inside its evidence.
# --------------------------------------------------------------------------------------

_DIGITS = re.compile(r"(?<![\d.,])(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?(?![\d])")
_SCALE = {"tỷ": 10**9, "tỉ": 10**9, "triệu": 10**6, "nghìn": 10**3, "ngàn": 10**3}
_SCALE_AFTER = re.compile(r"\s*(tỷ|tỉ|triệu|nghìn|ngàn)\b")
_FRACTION = re.compile(r"(?<![\d/])(\d+)/(\d+)(?![\d/])")

_UNITS = {"không": 0, "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "lăm": 5,
          "sáu": 6, "bảy": 7, "bẩy": 7, "tám": 8, "chín": 9}
_WORDS = set(_UNITS) | {"mười", "mươi", "trăm", "linh", "lẻ", "nghìn", "ngàn", "triệu", "tỷ", "tỉ"}


def _words_value(tokens: list[str]) -> int | None:
    """Value of a run of Vietnamese number words ('hai trăm', 'bảy mươi lăm', 'ba nghìn')."""
    total, group, cur = 0, 0, 0
    seen = False
    for tok in tokens:
        if tok in _UNITS:
            cur = _UNITS[tok]
            seen = True
        elif tok == "mười":
            group += 10
            seen = True
        elif tok == "mươi":
            group += (cur or 1) * 10
            cur = 0
        elif tok == "trăm":
            group = (group + (cur or 1)) * 100
            cur = 0
        elif tok in ("linh", "lẻ"):
            continue
        elif tok in _SCALE:
            total += (group + cur or 1) * _SCALE[tok]
            group, cur = 0, 0
        else:
            return None
    return total + group + cur if seen else None


def surface_numbers(text: str) -> set[float]:
    """Every value a reader could take from the text: digits with their scale words, fractions
    as percentages, runs of number words, and 'một nửa' (50)."""
    text = nfc(text)
    values: set[float] = set()
    for m in _DIGITS.finditer(text):
        whole = float(m.group(1).replace(".", ""))
        value = whole + (float("0." + m.group(2)) if m.group(2) else 0.0)
        values.add(value)
        scale = _SCALE_AFTER.match(text, m.end())
        if scale:
            values.add(value * _SCALE[scale.group(1)])
    for m in _FRACTION.finditer(text):
        a, b = int(m.group(1)), int(m.group(2))
        if b:
            values.add(100.0 * a / b)
    if "một nửa" in text.lower():
        values.add(50.0)
    tokens = re.findall(r"\w+", text.lower())
    i = 0
    while i < len(tokens):
        if tokens[i] in _WORDS:
            j = i
            while j < len(tokens) and tokens[j] in _WORDS:
                j += 1
            run = tokens[i:j]
            # every sub-run starting at i: 'năm' is also 'year', so try the shorter runs as well
            for k in range(1, len(run) + 1):
                v = _words_value(run[:k])
                if v is not None:
                    values.add(float(v))
            i = j
        else:
            i += 1
    return values


def _has(values: set[float], x: float, rel: float = 0.0, abs_: float = 0.0) -> bool:
    return any(abs(v - x) <= max(abs_, rel * abs(x)) for v in values)


def test_surface_reader_examples():
    assert _has(surface_numbers("gần 4,4 tỷ đồng"), 4_400_000_000)
    assert _has(surface_numbers("khoảng 1.300 học viên"), 1300)
    assert _has(surface_numbers("12,5 %"), 12.5)
    assert _has(surface_numbers("1.250.000.000 đồng"), 1_250_000_000)
    assert _has(surface_numbers("2,5 triệu USD"), 2_500_000)
    assert _has(surface_numbers("hai trăm thanh niên"), 200)
    assert _has(surface_numbers("bảy mươi phần trăm"), 70)
    assert _has(surface_numbers("một nửa số xã"), 50)
    assert _has(surface_numbers("2/3 số xã"), 66.67, abs_=0.01)
    assert not _has(surface_numbers("tăng 2,5 lần"), 25)


# --------------------------------------------------------------------------------------


SPLITS = ("dev", "test", "holdout")


def test_enough_documents_and_every_split():
    assert len(GOLD_LINES) >= 60
    splits = {g.get("split") for g in GOLD_LINES}
    assert splits == set(SPLITS)


@pytest.mark.parametrize("line", GOLD_LINES, ids=lambda g: g["doc_id"])
def test_gold_line_validates(line):
    doc = GoldDocument.model_validate(line)
    assert doc.split in SPLITS
    assert doc.doc_id.startswith(doc.split + "_"), "doc_id must show its split"


def test_one_gold_line_per_doc_file():
    ids = [g["doc_id"] for g in GOLD_LINES]
    assert len(ids) == len(set(ids)), "duplicate gold lines"
    assert set(ids) == set(DOC_FILES), (
        f"missing gold: {sorted(set(DOC_FILES) - set(ids))}; missing docs: {sorted(set(ids) - set(DOC_FILES))}")
    stems = [p.stem for p in DOCS.iterdir() if p.suffix in (".txt", ".html")]
    assert len(stems) == len(set(stems)), "two files share a doc_id"


def _occurs(needle: str, doc: str) -> bool:
    return nfc(needle) in nfc(doc)


@pytest.mark.parametrize("line", GOLD_LINES, ids=lambda g: g["doc_id"])
def test_strings_occur_in_doc(line):
    doc = raw_text(line["doc_id"])
    for n, t in enumerate(line["targets"]):
        where = f"{line['doc_id']} target {n}"
        ev = t["evidence"]
        assert _occurs(ev["text"], doc), f"{where}: evidence not in doc: {ev['text']!r}"
        if "start" in ev:
            assert nfc(doc[ev["start"]:ev["end"]]) == nfc(ev["text"]), f"{where}: offsets do not index the raw text"
        for key in ("target_group", "indicator"):
            if t.get(key):
                assert _occurs(t[key], doc), f"{where}: {key} not in doc: {t[key]!r}"
        if t.get("deadline") and t["deadline"].get("text"):
            assert _occurs(t["deadline"]["text"], doc), f"{where}: deadline text not in doc"
        if t.get("trainees") and t["trainees"].get("unit"):
            assert _occurs(t["trainees"]["unit"], ev["text"]), f"{where}: trainee unit not in its evidence"


@pytest.mark.parametrize("line", GOLD_LINES, ids=lambda g: g["doc_id"])
def test_numbers_occur_in_evidence(line):
    for n, t in enumerate(line["targets"]):
        where = f"{line['doc_id']} target {n}"
        values = surface_numbers(t["evidence"]["text"])
        if t.get("percentage"):
            p = t["percentage"]
            assert _has(values, p["value"], abs_=0.01), f"{where}: {p['value']} not written in evidence"
            if p.get("value_max") is not None:
                assert _has(values, p["value_max"], abs_=0.01), f"{where}: value_max not in evidence"
        if t.get("funding"):
            f = t["funding"]
            assert _has(values, f["amount"], rel=0.005), f"{where}: {f['amount']} not written in evidence"
        if t.get("trainees"):
            tr = t["trainees"]
            assert _has(values, tr["count"]), f"{where}: {tr['count']} not written in evidence"
            if tr.get("count_max") is not None:
                assert _has(values, tr["count_max"]), f"{where}: count_max not in evidence"


@pytest.mark.parametrize("line", GOLD_LINES, ids=lambda g: g["doc_id"])
def test_targets_in_text_order(line):
    starts = [t["evidence"].get("start") for t in line["targets"]]
    if all(s is not None for s in starts):
        assert starts == sorted(starts), f"{line['doc_id']}: targets not in text order"


@pytest.mark.parametrize("line", GOLD_LINES, ids=lambda g: g["doc_id"])
def test_doc_numbers_occur(line):
    doc = nfc(raw_text(line["doc_id"]))
    for num in line["plan"].get("doc_numbers", []):
        assert nfc(num) in doc, f"{line['doc_id']}: doc number {num!r} not in text"
        assert "/" in num or "-" in num, f"{line['doc_id']}: {num!r} carries no symbol"


@pytest.mark.parametrize("line", GOLD_LINES, ids=lambda g: g["doc_id"])
def test_plan_and_published_shape(line):
    plan = line["plan"]
    for key in ("doc_numbers", "doc_type", "issuer", "issued", "period", "location"):
        assert key in plan, f"{line['doc_id']}: plan.{key} missing"
    if plan["period"] is not None:
        assert plan["period"]["start"] <= plan["period"]["end"]
    for key in ("issued",):
        if plan[key]:
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", plan[key])
    if line.get("published"):
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", line["published"])
    if plan["location"]:
        assert _occurs(plan["location"], raw_text(line["doc_id"]))


def test_some_documents_have_no_target():
    assert sum(1 for g in GOLD_LINES if not g["targets"]) >= 5
