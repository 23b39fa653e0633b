"""Horizontal bar charts as data for an inline SVG (the template draws them; no script, no library)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Bar:
    label: str
    value: int
    y: int
    width: float  # of the bar, in the chart's units
    href: str


@dataclass
class Chart:
    title: str
    bars: list[Bar]
    height: int
    label_width: int = 150
    bar_width: int = 260
    row: int = 22


def bar_chart(title: str, rows: list[tuple[object, int]], href, *, top: int = 25, label_width: int = 150,
              bar_width: int = 260, row: int = 22) -> Chart:
    """``rows`` are (label, count); ``href(label)`` is the search each bar links to. Keeps ``top`` rows."""
    rows = [(label, n) for label, n in rows if label is not None][:top]
    most = max((n for _, n in rows), default=0) or 1
    bars = [Bar(str(label), n, i * row, max(1.0, bar_width * n / most), href(label)) for i, (label, n) in enumerate(rows)]
    return Chart(title, bars, max(row, len(bars) * row), label_width, bar_width, row)
