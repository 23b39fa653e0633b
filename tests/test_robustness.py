"""Inputs shaped to hurt: each one gets a result in time linear in its size, or a clear error for
that document alone. No timings are asserted: work is counted, or the shape runs under a time
budget (pipeline.limits) many times what it needs, so only a super-linear cost can exceed it."""
from __future__ import annotations

import threading

import pytest

from pipeline import discourse
from pipeline.limits import DocumentTimeout, time_budget
from pipeline.source import SourceDocument

BUDGET = 20.0  # seconds: each shape below needs well under 2 s on 2 cores


def extract_text(text: str, **meta):
    from pipeline.extractor import get_extractor

    return get_extractor().extract(SourceDocument(text=text, **meta))


# ---- the time budget itself ----------------------------------------------------------------------

def _spin(seconds: float) -> None:
    import time

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def test_time_budget_stops_python_code_in_the_main_thread():
    with pytest.raises(DocumentTimeout):
        with time_budget(0.2):
            _spin(5)
    with time_budget(1.0):  # a block that ends in time is left alone, and no alarm comes later
        _spin(0.05)
    _spin(1.1)


def test_time_budget_stops_python_code_in_another_thread():
    outcome = []

    def run():
        try:
            with time_budget(0.2):
                _spin(5)
            outcome.append("finished")
        except DocumentTimeout:
            outcome.append("timeout")

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(10)
    assert outcome == ["timeout"]


# ---- segmentation: list markers on a very long line ------------------------------------------------

def test_long_run_of_numbered_markers_segments_in_linear_time():
    from pipeline.segment import list_marker, segment

    text = "1." * 300_000
    with time_budget(BUDGET):
        spans = segment(text, title_line=False)
        marker = list_marker(text)
    assert [(s.start, s.end) for s in spans] == [(0, len(text))]
    assert marker is None
    assert list_marker("1.2.3. Mục tiêu") == "number"


# ---- de-duplication of targets ----------------------------------------------------------------------

def test_dedupe_compares_a_target_only_with_close_values(monkeypatch):
    calls = {"same": 0}
    same = discourse._same_aim

    def counting(a, b, **kw):
        calls["same"] += 1
        return same(a, b, **kw)

    monkeypatch.setattr(discourse, "_same_aim", counting)
    lines = "\n".join(f"- Đến năm {2020 + i % 11}, {i * 7 % 997 / 10}% cán bộ được bồi dưỡng." for i in range(1500))
    record = extract_text("Mục tiêu:\n" + lines)
    n = len(record.targets)
    assert n > 1000
    assert calls["same"] < 20 * n  # all pairs would be n * n / 2


def test_dedupe_still_merges_a_restated_aim():
    text = ("Đến năm 2025, 80% cán bộ được bồi dưỡng.\n\n"
            "Kế hoạch nêu rõ: đến năm 2025, 80% cán bộ được bồi dưỡng kiến thức.\n\n"
            "Đến năm 2025, 81% cán bộ được bồi dưỡng.")
    values = sorted(t.percentage.value for t in extract_text(text).targets if t.percentage)
    assert values == [80.0, 81.0]


# ---- zero amounts -----------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["Hỗ trợ 0 USD cho dự án.", "Hỗ trợ 0 triệu USD cho dự án.", "Hỗ trợ 00 USD cho dự án."])
def test_zero_amount_is_no_target_and_keeps_the_document(text):
    from pipeline.engines.work import extract_one

    result = extract_one(SourceDocument(text=f"{text}\nĐến năm 2025, 80% cán bộ được bồi dưỡng.", doc_id="z"))
    assert result[0] == "ok", result
    import json

    targets = json.loads(result[2])["targets"]
    assert [t["funding"] for t in targets] == [None]
    assert [t["percentage"]["value"] for t in targets] == [80.0]


# ---- HTML: a stray '<', deep nesting -----------------------------------------------------------------

def _page(body: str) -> str:
    return f"<html><head><title>Tin</title></head><body><article>{body}</article></body></html>"


def test_stray_angle_bracket_stays_text_and_holds_no_paragraphs():
    from pipeline.ingest.html import extract_html

    paras = [f"<p>Đoạn {i}: đến năm 2025, {i}% cán bộ được bồi dưỡng kiến thức quản lý nhà nước.</p>"
             for i in range(400)]
    html = _page("".join(paras[:200]) + "<p>Kết quả (<C10, tăng mạnh).</p>" + "".join(paras[200:]))
    with time_budget(BUDGET):
        content = extract_html(html)
    lines = content.text.split("\n")
    assert "Kết quả (<C10, tăng mạnh)." in lines
    assert len([ln for ln in lines if ln.startswith("Đoạn ")]) == 400
    assert content.warnings == []


def test_escape_stray_tags_leaves_real_and_custom_tags():
    from pipeline.ingest.html import escape_stray_tags

    html = '<p>a <b>b</b> <fb:like/> <my-box>c</my-box> <svg><path d="M0"/></svg> <xyz>d</xyz> (<C10, e)</p>'
    assert escape_stray_tags(html) == html.replace("(<C10", "(&lt;C10")


@pytest.mark.parametrize("depth", [300, 3000])
def test_deeply_nested_html_keeps_its_text(depth):
    from pipeline.ingest.html import extract_html

    sentence = "Đến năm 2025, 80% cán bộ được bồi dưỡng."
    html = "<html><body>" + "<div>" * depth + f"<p>{sentence}</p>" + "</div>" * depth + "<p>Hết.</p></body></html>"
    with time_budget(BUDGET):
        content = extract_html(html)
    assert sentence in content.text.split("\n")
    if depth <= 2048:  # parsed as a tree: nothing dropped, nothing to warn about
        assert content.warnings == []
    else:  # beyond libxml2's depth limit: read as plain text, and the warning says why
        assert len(content.warnings) == 1 and "nested deeper than 2048 levels" in content.warnings[0]
