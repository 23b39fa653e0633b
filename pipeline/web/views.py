"""What the pages show, built from database rows: labels in Vietnamese, quantities, a document
with its evidence marked. No HTML here: the templates render these dicts (and escape them)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import jinja2

from ..db.render import quantity
from . import highlight

KIND_LABELS = {"percentage": "Tỷ lệ %", "funding": "Kinh phí", "trainees": "Số người đào tạo"}
FACET_LABELS = {"province": "Tỉnh/thành", "deadline_year": "Năm hạn", "kind": "Loại chỉ tiêu",
                "doc_type": "Loại văn bản"}
FILTER_LABELS = {"group": "Nhóm đối tượng", "year_from": "Hạn từ năm", "year_to": "Hạn đến năm", "min_pct": "Tỷ lệ từ",
                 "max_pct": "Tỷ lệ đến", "province": "Tỉnh/thành", "kind": "Loại chỉ tiêu", "doc_type": "Loại văn bản",
                 "min_confidence": "Độ tin cậy từ"}
FACET_PARAMS = {"province": "province", "deadline_year": "year", "kind": "kind", "doc_type": "doc_type"}

_HERE = Path(__file__).parent


def environment() -> jinja2.Environment:
    """The page templates; every value is HTML-escaped unless a template says otherwise (none does)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(_HERE / "templates")),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(static=False, path="", css=(_HERE / "style.css").read_text(encoding="utf-8"), kind_labels=KIND_LABELS,
                       facet_labels=FACET_LABELS)
    env.filters["num"] = _num
    return env


def _num(n) -> str:
    """A count with Vietnamese thousands separators: 1234567 -> "1.234.567"."""
    return f"{int(n):,}".replace(",", ".")


def deadline(row: dict) -> Optional[str]:
    if row.get("deadline_year") is None:
        return None
    parts = [str(row[k]) for k in ("deadline_day", "deadline_month") if row.get(k)]
    return "/".join(parts + [str(row["deadline_year"])])


def hit(row: dict) -> dict:
    """One search result or target row, as the pages show it."""
    return {
        "row": row,
        "quantity": quantity(row),
        "deadline": deadline(row),
        "evidence": highlight.marked(row["evidence_text"], highlight.number_spans(row)),
        "rules": json.loads(row["rules"]) if row.get("rules") else [],
        "confidence": row.get("confidence"),
    }


def plan_items(doc: dict) -> list[tuple[str, str]]:
    """The document's metadata as (label, value) pairs, those that are known."""
    period = f"{doc['period_start']}–{doc['period_end']}" if doc.get("period_start") else None
    warnings = doc.get("warnings")
    if isinstance(warnings, str):
        warnings = json.loads(warnings)
    items = [("Mã văn bản", doc["doc_id"]), ("Loại văn bản", doc.get("doc_type")), ("Số hiệu", doc.get("doc_numbers")),
             ("Cơ quan ban hành", doc.get("issuer")), ("Ngày ban hành", doc.get("issued")), ("Giai đoạn", period),
             ("Địa bàn", doc.get("province")), ("Ngày đăng", doc.get("published")), ("Nguồn", doc.get("source")),
             ("Cảnh báo", "; ".join(warnings) if warnings else None)]
    return [(label, str(value)) for label, value in items if value]


def document(doc: dict, targets: list[dict], text: Optional[str]) -> dict:
    """The document view: metadata, the text (or its evidence passages) cut into marked pieces, the targets."""
    return {
        "doc": doc,
        "title": doc.get("title") or doc["doc_id"],
        "plan": plan_items(doc),
        "pieces": highlight.pieces(text, targets),
        "full_text": text is not None,
        "targets": [hit(t) for t in targets],
        "has_confidence": any(t.get("confidence") is not None for t in targets),
    }
