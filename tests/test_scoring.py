"""The scorer (CONTRACT.md section 4), proved on hand-built predictions whose figures are worked out
by hand in each test."""
from __future__ import annotations

import unicodedata

import pytest

from pipeline.eval import score, token_f1, tokens
from schemas import DocumentRecord
from schemas.gold import GoldDocument


# ---- builders ---------------------------------------------------------------------------------

def _common(group, year, evidence):
    out = {"target_group": group, "deadline": None if year is None else {"year": year}}
    if evidence:
        out["evidence"] = {"text": evidence, "start": 0, "end": len(evidence)}
    return out


def pct(value, group=None, year=None, op="=", evidence=None):
    return {"percentage": {"value": value, "op": op}, **_common(group, year, evidence)}


def fund(amount, group=None, year=None, op="=", count=None):
    t = {"funding": {"amount": amount, "currency": "VND", "op": op}, **_common(group, year, None)}
    if count is not None:
        t["trainees"] = {"count": count, "op": op, "unit": "học viên"}
    return t


def trn(count, group=None, year=None, op="="):
    return {"trainees": {"count": count, "op": op, "unit": "người"}, **_common(group, year, None)}


def doc(doc_id, targets, numbers=()):
    return {"doc_id": doc_id, "targets": list(targets), "plan": {"doc_numbers": list(numbers)}}


GOLD = [
    doc("a", [pct(70, "lao động", 2025, ">="), pct(50, "cán bộ, công chức cấp xã", 2020),
              fund(4.4e9, None, 2020, "~", count=1300)], ["2202/KH-UBND", "124/QĐ-TTg"]),
    doc("b", [trn(300, "hội viên", 2021), pct(95, None, None)], ["21-NQ/TW"]),
]


def figures(report):
    return {
        "P": report.targets.precision, "R": report.targets.recall, "F1": report.targets.f1,
        "full_P": report.full_record.precision, "full_R": report.full_record.recall,
        "full_F1": report.full_record.f1, "deadline": report.deadline.value, "group": report.group_f1.value,
        "op": report.op.value, "docnum": report.doc_numbers.value,
    }


# ---- group tokens -----------------------------------------------------------------------------

TOKEN_CASES = [
    ("Cán bộ, công chức cấp xã", ["cán", "bộ", "công", "chức", "cấp", "xã"]),
    ("  GIÁO VIÊN (mầm non)", ["giáo", "viên", "mầm", "non"]),
    (unicodedata.normalize("NFD", "Hội viên"), ["hội", "viên"]),
    ("lao động-nông thôn", ["lao", "động", "nông", "thôn"]),
    (None, []),
]


@pytest.mark.parametrize("text, expected", TOKEN_CASES, ids=["comma", "case-parens", "nfd", "hyphen", "null"])
def test_tokens(text, expected):
    assert tokens(text) == expected


def test_token_f1_by_hand():
    # pred 2 tokens, gold 6, 2 shared: P = 1, R = 1/3, F1 = 2 * 1/3 / (4/3) = 0.5
    assert token_f1("công chức", "cán bộ, công chức cấp xã") == pytest.approx(0.5)
    assert token_f1(None, None) == 1.0
    assert token_f1("x", None) == 0.0
    assert token_f1(unicodedata.normalize("NFD", "Cán Bộ"), "cán bộ") == 1.0


# ---- whole runs -------------------------------------------------------------------------------

def test_perfect_run_is_one_everywhere():
    report = score(GOLD, GOLD)
    assert all(v == 1.0 for v in figures(report).values()), figures(report)
    assert all(prf.precision == 1.0 and prf.recall == 1.0 for prf in report.per_kind.values())
    assert report.notes == []


def test_models_are_accepted():
    gold = [GoldDocument.model_validate(d) for d in GOLD]
    pred = [DocumentRecord.model_validate({**d, "targets": [
        {**t, "evidence": {"text": "x", "start": 0, "end": 1}} for t in d["targets"]]}) for d in GOLD]
    assert score(gold, pred).full_record.f1 == 1.0


def test_one_missed():
    pred = [doc("a", GOLD[0]["targets"][:2], GOLD[0]["plan"]["doc_numbers"]), GOLD[1]]
    f = figures(score(GOLD, pred))
    # 5 gold, 4 predicted, 4 matched: P = 1, R = 4/5, F1 = 2 * 0.8 / 1.8 = 8/9
    assert (f["P"], f["R"]) == (1.0, 0.8)
    assert f["F1"] == pytest.approx(8 / 9)
    assert f["full_F1"] == pytest.approx(8 / 9)
    assert f["deadline"] == f["op"] == 1.0


def test_one_spurious():
    pred = [doc("a", GOLD[0]["targets"] + [pct(15, "phụ nữ", 2025)]), GOLD[1]]
    report = score(GOLD, pred)
    # 5 gold, 6 predicted, 5 matched: P = 5/6, R = 1, F1 = 2 * 5/6 / (11/6) = 10/11
    assert report.targets.precision == pytest.approx(5 / 6)
    assert report.targets.recall == 1.0
    assert report.targets.f1 == pytest.approx(10 / 11)
    assert report.documents[0].spurious == [3]
    # doc "a" predicted no doc numbers now: 1 of 3 gold numbers found (b's)
    assert report.doc_numbers.value == pytest.approx(1 / 3)


def test_wrong_deadline():
    gold = [doc("d", [pct(60, "giáo viên", 2020), pct(80, "học sinh", 2025)])]
    pred = [doc("d", [pct(60, "giáo viên", 2021), pct(80, "học sinh", 2025)])]
    f = figures(score(gold, pred))
    # both matched, one deadline wrong: deadline 1/2; full 1 of 2 -> P = R = F1 = 0.5
    assert f["F1"] == 1.0 and f["deadline"] == 0.5
    assert (f["full_P"], f["full_R"], f["full_F1"]) == (0.5, 0.5, 0.5)


def test_both_null_deadlines_are_equal():
    gold = [doc("d", [pct(60, "giáo viên")])]
    pred = [doc("d", [pct(60, "giáo viên")])]
    assert figures(score(gold, pred))["deadline"] == 1.0


def test_wrong_op():
    gold = [doc("d", [pct(60, "giáo viên", 2020, ">="), fund(2e9, None, 2020, "~"), trn(100, "hộ", 2020, "=")])]
    pred = [doc("d", [pct(60, "giáo viên", 2020, "="), fund(2e9, None, 2020, "~"), trn(100, "hộ", 2020, "=")])]
    f = figures(score(gold, pred))
    # 3 matched, 2 ops equal: op 2/3; full 2 of 3 -> P = R = F1 = 2/3
    assert f["op"] == pytest.approx(2 / 3)
    assert f["full_F1"] == pytest.approx(2 / 3)


def test_op_is_that_of_the_primary_quantity():
    # funding is primary; the trainee op differs but does not count
    gold = [doc("d", [fund(1e9, None, 2020, "=", count=50)])]
    pred = [doc("d", [{**fund(1e9, None, 2020, "="), "trainees": {"count": 50, "op": "~", "unit": "người"}}])]
    assert figures(score(gold, pred))["op"] == 1.0


def test_group_threshold():
    gold = [doc("d", [pct(10, "cán bộ, công chức cấp xã", 2020), pct(20, "cán bộ, công chức cấp xã", 2020),
                      pct(30, None, 2020)])]
    pred = [doc("d", [pct(10, "công chức", 2020),   # F1 = 0.5 (P 1, R 2/6): passes, at the threshold
                      pct(20, "chức", 2020),        # F1 = 2 * 1/6 / (7/6) = 2/7: fails
                      pct(30, "bất kỳ", 2020)])]    # gold group null: not checked, not in group F1
    report = score(gold, pred)
    assert report.group_f1.count == 2
    assert report.group_f1.value == pytest.approx((0.5 + 2 / 7) / 2)
    # full: 2 of 3 pairs count -> P = R = F1 = 2/3
    assert report.full_record.f1 == pytest.approx(2 / 3)
    assert [p.full_ok for p in report.documents[0].pairs] == [True, False, True]


def test_tie_resolved_by_group():
    gold = [doc("d", [pct(50, "giáo viên", 2020), pct(50, "học sinh", 2020)])]
    pred = [doc("d", [pct(50, "học sinh", 2020), pct(50, "giáo viên", 2020)])]
    report = score(gold, pred)
    assert [(p.gold, p.pred) for p in report.documents[0].pairs] == [(0, 1), (1, 0)]
    assert report.full_record.f1 == 1.0


def test_tie_resolved_by_deadline():
    gold = [doc("d", [pct(50, "giáo viên", 2020), pct(50, "giáo viên", 2025)])]
    pred = [doc("d", [pct(50, "giáo viên", 2025), pct(50, "giáo viên", 2020)])]
    report = score(gold, pred)
    assert [(p.gold, p.pred) for p in report.documents[0].pairs] == [(0, 1), (1, 0)]
    assert report.deadline.value == 1.0


def test_group_outweighs_deadline():
    # pair (g0, p0): group F1 1.0, deadline differs -> 1.0; pair (g0, p1): F1 0, deadline equal -> 0.1
    gold = [doc("d", [pct(50, "giáo viên", 2020)])]
    pred = [doc("d", [pct(50, "giáo viên", 2025), pct(50, "nông dân", 2020)])]
    assert [(p.gold, p.pred) for p in score(gold, pred).documents[0].pairs] == [(0, 0)]


def test_full_tie_goes_to_text_order():
    gold = [doc("d", [pct(50, "x", 2020), pct(50, "x", 2020)])]
    pred = [doc("d", [pct(50, "x", 2020)])]
    match = score(gold, pred).documents[0]
    assert [(p.gold, p.pred) for p in match.pairs] == [(0, 0)] and match.missed == [1]


@pytest.mark.parametrize("amount, matched", [(4.42e9, True), (4.378e9, True), (4.422e9, True),
                                             (4.423e9, False), (4.37e9, False)],
                         ids=["+0.45%", "-0.5%", "+0.5%", "+0.52%", "-0.68%"])
def test_funding_tolerance(amount, matched):
    gold = [doc("d", [fund(4.4e9, None, 2020)])]
    pred = [doc("d", [fund(amount, None, 2020)])]
    assert score(gold, pred).targets.matched == int(matched)


@pytest.mark.parametrize("value, matched", [(12.51, True), (12.49, True), (12.52, False)])
def test_percentage_tolerance(value, matched):
    gold = [doc("d", [pct(12.5, "x", 2020)])]
    pred = [doc("d", [pct(value, "x", 2020)])]
    assert score(gold, pred).targets.matched == int(matched)


def test_primary_quantity_must_be_of_the_same_kind():
    # gold primary is funding (with 1300 trainees); a prediction of only 1300 trainees is not a match
    gold = [doc("d", [fund(4.4e9, None, 2020, count=1300)])]
    pred = [doc("d", [trn(1300, None, 2020)])]
    report = score(gold, pred)
    assert report.targets.matched == 0
    assert report.per_kind["funding"].recall == 0.0 and report.per_kind["trainees"].precision == 0.0


def test_per_kind():
    gold = [doc("d", [pct(10, "a"), pct(20, "b"), fund(1e9), trn(100, "c")])]
    pred = [doc("d", [pct(10, "a"), pct(20, "b"), fund(2e9), trn(100, "c"), trn(7, "e")])]
    kinds = score(gold, pred).per_kind
    assert (kinds["percentage"].precision, kinds["percentage"].recall) == (1.0, 1.0)
    assert (kinds["funding"].precision, kinds["funding"].recall) == (0.0, 0.0)
    assert (kinds["trainees"].precision, kinds["trainees"].recall) == (0.5, 1.0)


def test_doc_number_recall_ignores_spaces_and_case():
    gold = [doc("d", [], ["2202/KH-UBND", "124/QĐ-TTg", "21-NQ/TW"])]
    pred = [doc("d", [], ["2202 / kh-ubnd", "124/qđ-ttg", "21/NQ-TW"])]
    report = score(gold, pred)
    # the first two are found, "21/NQ-TW" is another spelling: 2/3
    assert (report.doc_numbers.total, report.doc_numbers.count) == (2, 3)


def test_empty_gold_doc():
    empty = doc("e", [])
    assert figures(score([empty], [empty]))["F1"] == 1.0
    # spurious targets in an empty gold document cost precision only
    gold = [empty, doc("f", [pct(10, "a"), pct(20, "b")])]
    pred = [doc("e", [pct(5, "z"), pct(6, "z")]), doc("f", [pct(10, "a"), pct(20, "b")])]
    report = score(gold, pred)
    # 2 gold, 4 predicted, 2 matched: P = 1/2, R = 1, F1 = 2/3
    assert (report.targets.precision, report.targets.recall) == (0.5, 1.0)
    assert report.targets.f1 == pytest.approx(2 / 3)


def test_gold_doc_without_prediction_is_all_missed():
    report = score(GOLD, [GOLD[1]])
    # 5 gold, 2 predicted (doc b), 2 matched: P = 1, R = 2/5
    assert (report.targets.precision, report.targets.recall) == (1.0, 0.4)
    assert not report.documents[0].has_prediction
    assert any("no prediction" in n and "a" in n for n in report.notes)


def test_predicted_doc_absent_from_gold_is_ignored():
    report = score(GOLD, GOLD + [doc("zzz", [pct(1, "x")])])
    assert report.targets.precision == 1.0
    assert any("absent from gold were ignored" in n and "zzz" in n for n in report.notes)


def test_no_prediction_at_all_has_zero_precision():
    report = score(GOLD, [])
    assert (report.targets.precision, report.targets.recall, report.full_record.f1) == (0.0, 0.0, 0.0)
    assert report.deadline.value is None


def test_report_to_dict():
    out = score(GOLD, GOLD).to_dict()
    assert out["headline_full_record_f1"] == 1.0
    assert out["targets"]["matched"] == 5 and out["doc_number_recall"]["value"] == 1.0
    assert [d["doc_id"] for d in out["per_document"]] == ["a", "b"]
