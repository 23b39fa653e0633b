"""Inputs shaped to hurt a text pipeline, of any size: what bench/adversarial.py times and
tests/test_robustness.py runs under a time budget. Each maker takes the size in bytes it should
come near and returns (kind, content): kind "text" or "html"."""
from __future__ import annotations

from typing import Callable

SENTENCE = "Đến năm 2025, 80% cán bộ được bồi dưỡng."


def _repeat(unit: str, size: int) -> str:
    return unit * max(1, size // len(unit.encode("utf-8")))


def numbered_markers(size: int) -> tuple[str, str]:
    return "text", _repeat("1.", size)


def digit_run(size: int) -> tuple[str, str]:
    return "text", "Kinh phí " + "9" * size + " đồng, đạt 80% kế hoạch."


def thousands_run(size: int) -> tuple[str, str]:
    return "text", "Kinh phí 1" + _repeat(".000", size) + " tỷ đồng đến năm 2025."


def percent_run(size: int) -> tuple[str, str]:
    return "text", _repeat("10%", size)


def long_word(size: int) -> tuple[str, str]:
    return "text", "Đến năm 2025, " + "a" * size + " 80% cán bộ."


def brackets(size: int) -> tuple[str, str]:
    return "text", _repeat("(", size // 2) + SENTENCE + _repeat(")", size // 2)


def abbreviations(size: int) -> tuple[str, str]:
    return "text", _repeat("TS. Nguyễn ", size) + SENTENCE


def one_huge_line(size: int) -> tuple[str, str]:
    return "text", _repeat(SENTENCE + " ", size)


def amounts_on_one_line(size: int) -> tuple[str, str]:
    """Thousands of amounts in one comma-separated sentence (each read for its clause and deadline)."""
    return "text", "Kế hoạch: " + _repeat("hỗ trợ 5 triệu đồng/người, bố trí 3 tỷ đồng, ", size)


def same_target_lines(size: int) -> tuple[str, str]:
    return "text", _repeat("- 10% cán bộ đến năm 2025\n", size)


def _lines(size: int, line: Callable[[int], str]) -> str:
    lines, total, i = ["Mục tiêu:"], 0, 0
    while total < size:
        lines.append(line(i))
        total += len(lines[-1].encode("utf-8")) + 1
        i += 1
    return "\n".join(lines)


def many_targets(size: int) -> tuple[str, str]:
    return "text", _lines(size, lambda i: f"- Đến năm {2020 + i % 11}, {i * 7 % 997 / 10}% cán bộ được bồi dưỡng.")


def many_groups_one_value(size: int) -> tuple[str, str]:
    return "text", _lines(size, lambda i: f"- Đến năm 2025, 90% cán bộ xã số {i} được bồi dưỡng.")


def many_periods(size: int) -> tuple[str, str]:
    """A plan period on every line: every one is a candidate of the learned period (pipeline/learn/period.py)."""
    return "text", _lines(size, lambda i: f"- Giai đoạn {2000 + i % 20}-{2005 + i % 20}, {i % 100}% cán bộ được bồi dưỡng.")


def many_years(size: int) -> tuple[str, str]:
    """Years and nothing else after one target: every one is a candidate of the learned year written
    (pipeline/learn/written_year.py), each named thousands of times."""
    return "text", SENTENCE + " " + " ".join(f"năm {1990 + i % 51}," for i in range(max(1, size // 10)))


def deep_html(size: int) -> tuple[str, str]:
    depth = max(1, size // 12)
    return "html", ("<html><body>" + "<div>" * depth + f"<p>{SENTENCE}</p>" + "</div>" * depth + "</body></html>")


def stray_tag_html(size: int) -> tuple[str, str]:
    paras, total, i = [], 0, 0
    while total < size:
        p = f"<p>Đoạn {i}: đến năm 2025, {i % 100}% cán bộ được bồi dưỡng kiến thức.</p>\n"
        paras.append(p)
        total += len(p.encode("utf-8"))
        i += 1
    half = len(paras) // 2
    body = "".join(paras[:half]) + "<p>Kết quả (<C10, tăng mạnh).</p>" + "".join(paras[half:])
    return "html", f"<html><head><title>Tin</title></head><body><article>{body}</article></body></html>"


def unclosed_inline_html(size: int) -> tuple[str, str]:
    return "html", "<html><body><p>" + _repeat("<b>x ", size) + SENTENCE + "</p></body></html>"


SHAPES: dict[str, Callable[[int], tuple[str, str]]] = {
    f.__name__: f for f in (numbered_markers, digit_run, thousands_run, percent_run, long_word, brackets, abbreviations,
                            one_huge_line, amounts_on_one_line, same_target_lines, many_targets, many_groups_one_value, many_periods, many_years,
                            deep_html, stray_tag_html, unclosed_inline_html)
}
