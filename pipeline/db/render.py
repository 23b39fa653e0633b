"""Text renderings of search hits and stats (for the CLI)."""
from __future__ import annotations

import csv
import io
import json

from . import schema
from .base import Stats

_OPS = {"=": "", ">=": "≥", ">": ">", "<=": "≤", "<": "<", "~": "~"}


def _num(x: float) -> str:
    return f"{x:,.2f}".rstrip("0").rstrip(".").replace(",", ".") if x != int(x) else f"{int(x):,}".replace(",", ".")


def quantity(hit: dict) -> str:
    """ "≥70%", "~4.400.000.000 VND/người", "~1.300 học viên", joined by " + "."""
    parts = []
    if hit["pct_value"] is not None:
        upper = f"–{_num(hit['pct_value_max'])}" if hit["pct_value_max"] is not None else ""
        parts.append(f"{_OPS.get(hit['pct_op'], '')}{_num(hit['pct_value'])}{upper}%")
    if hit["funding_amount"] is not None:
        per = f"/{hit['funding_per']}" if hit["funding_per"] else ""
        parts.append(f"{_OPS.get(hit['funding_op'], '')}{_num(hit['funding_amount'])} {hit['funding_currency']}{per}")
    if hit["trainees_count"] is not None:
        parts.append(f"{_OPS.get(hit['trainees_op'], '')}{_num(hit['trainees_count'])} {hit['trainees_unit']}")
    return " + ".join(parts)


def hits_table(hits: list[dict]) -> str:
    lines = []
    for i, h in enumerate(hits, 1):
        score = f" [{h['score']:.3g}]" if h.get("score") is not None else ""
        fields = [quantity(h), h["target_group"], h["indicator"],
                  str(h["deadline_year"]) if h["deadline_year"] else None, h["province"],
                  f"{h['doc_id']}#{h['position']}"]
        lines.append(f"{i}.{score} " + " · ".join(f for f in fields if f))
        lines.append(f"   “{h['evidence_text']}”")
    return "\n".join(lines) if lines else "(no targets found)"


def hits_json(hits: list[dict]) -> str:
    return json.dumps(hits, ensure_ascii=False, indent=1)


def hits_csv(hits: list[dict]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(schema.EXPORT_COLUMNS + ["score"])
    for h in hits:
        writer.writerow([h[c] for c in schema.EXPORT_COLUMNS + ["score"]])
    return buf.getvalue().rstrip("\n")


def stats_table(stats: Stats, top: int = 20) -> str:
    lines = [f"documents: {stats.documents}", f"targets: {stats.targets}"]
    for title, rows in (("by kind", stats.by_kind), ("by province", stats.by_province),
                        ("by deadline year", stats.by_year), ("by group head", stats.by_group_head)):
        lines.append(f"\n{title}:")
        for label, n in rows[:top]:
            lines.append(f"  {n:>9}  {label if label is not None else '(none)'}")
        if len(rows) > top:
            lines.append(f"  … {len(rows) - top} more (--top to show more)")
    return "\n".join(lines)


def stats_json(stats: Stats) -> str:
    return json.dumps(stats.to_dict(), ensure_ascii=False, indent=1)
