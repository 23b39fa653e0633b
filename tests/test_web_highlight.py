"""Where the document view marks its text: evidence pieces (overlapping, passages only) and numbers."""
from __future__ import annotations

from pipeline.web.highlight import marked, number_spans, pieces

TEXT = "Mở đầu. Đến năm 2025, 80% xã đạt chuẩn. Kinh phí 5 tỷ đồng cho 300 học viên. Hết."


def target(position, evidence, kind="percentage", **values):
    start = TEXT.index(evidence)
    return {"position": position, "kind": kind, "evidence_start": start, "evidence_end": start + len(evidence),
            "evidence_text": evidence, **values}


def covered(ps, position):
    return "".join(p.text for p in ps if position in p.targets)


def test_pieces_cover_the_text_and_each_evidence():
    ts = [target(0, "Đến năm 2025, 80% xã đạt chuẩn."),
          target(1, "Kinh phí 5 tỷ đồng cho 300 học viên.", "funding"),
          target(2, "Kinh phí 5 tỷ đồng cho 300 học viên.", "trainees"),
          target(3, "80% xã")]  # inside target 0
    ps = pieces(TEXT, ts)
    assert "".join(p.text for p in ps) == TEXT
    for t in ts:
        assert covered(ps, t["position"]) == t["evidence_text"]
    assert [p.starts for p in ps if p.starts] == [[0], [3], [1, 2]]
    assert {p.kind for p in ps if 1 in p.targets} == {"funding"}


def test_without_the_text_the_passages_are_shown_with_gaps():
    ts = [target(0, "Đến năm 2025, 80% xã đạt chuẩn."), target(1, "80% xã"),
          target(2, "Kinh phí 5 tỷ đồng cho 300 học viên.", "funding")]
    ps = pieces(None, ts)
    assert "".join(p.text for p in ps) == "Đến năm 2025, 80% xã đạt chuẩn. … Kinh phí 5 tỷ đồng cho 300 học viên."
    assert [p.gap for p in ps].count(True) == 1
    for t in ts:
        assert covered(ps, t["position"]) == t["evidence_text"]


def test_number_spans_find_the_targets_values():
    row = target(0, "Kinh phí 5 tỷ đồng cho 300 học viên.", "funding", funding_amount=5e9, trainees_count=300)
    texts = [row["evidence_text"][s:e] for s, e in number_spans(row)]
    assert texts == ["5 tỷ đồng", "300 học viên"]
    assert number_spans(target(0, "Đến năm 2025, 80% xã đạt chuẩn.", pct_value=75.0)) == []
    assert marked("a 80% b", [(2, 5)]) == [("a ", False), ("80%", True), (" b", False)]
