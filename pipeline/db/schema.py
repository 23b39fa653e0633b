"""The database layout, shared by both backends, and the flattening of a DocumentRecord into rows.

Two tables: ``documents`` (one row per DocumentRecord) and ``targets`` (one row per Target, with the
document's plan fields repeated so that one table answers every search and exports on its own).
Columns are typed; ``*_key`` columns hold folded copies used by the diacritic-insensitive filters.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from typing import Optional

from schemas import DocumentRecord, Target

from . import search

SCHEMA_VERSION = "2"  # 2: targets.confidence


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # one of: text, int, bigint, real, bool, date
    export: bool = True  # part of `chitieu export` and of search results


_DOC_SHARED = [  # document fields repeated on every target row
    Column("doc_id", "text"),
    Column("province", "text"),
    Column("province_key", "text", export=False),
    Column("doc_type", "text"),
    Column("doc_type_key", "text", export=False),
    Column("issuer", "text"),
    Column("doc_numbers", "text"),
    Column("period_start", "int"),
    Column("period_end", "int"),
    Column("source", "text"),
    Column("published", "date"),
    Column("title", "text"),
]

DOCUMENT_COLUMNS = _DOC_SHARED + [
    Column("issued", "date"),
    Column("dedupe_key", "text"),
    Column("text_sha256", "text"),
    Column("n_targets", "int"),
    Column("warnings", "text"),
]

TARGET_COLUMNS = [
    Column("position", "int"),
    Column("kind", "text"),
    Column("pct_value", "real"),
    Column("pct_op", "text"),
    Column("pct_value_max", "real"),
    Column("target_group", "text"),
    Column("group_head", "text"),
    Column("group_key", "text", export=False),
    Column("indicator", "text"),
    Column("deadline_year", "int"),
    Column("deadline_month", "int"),
    Column("deadline_day", "int"),
    Column("deadline_text", "text"),
    Column("funding_amount", "real"),
    Column("funding_amount_max", "real"),
    Column("funding_currency", "text"),
    Column("funding_op", "text"),
    Column("funding_per", "text"),
    Column("trainees_count", "bigint"),
    Column("trainees_count_max", "bigint"),
    Column("trainees_op", "text"),
    Column("trainees_unit", "text"),
    Column("evidence_text", "text"),
    Column("evidence_start", "int"),
    Column("evidence_end", "int"),
    Column("inferred", "bool"),
    Column("confidence", "real"),
    Column("rules", "text"),
] + _DOC_SHARED

EXPORT_COLUMNS = ["id"] + [c.name for c in TARGET_COLUMNS if c.export]
COLUMN_TYPES = {c.name: c.type for c in DOCUMENT_COLUMNS + TARGET_COLUMNS} | {"id": "bigint", "score": "real"}

# Indexes the search filters use (same on both backends); (name, table, columns).
# The dedupe key is unique: one version of a text is stored.
INDEXES = [
    ("documents_dedupe", "documents", "dedupe_key"),
    ("targets_doc", "targets", "doc_id, position"),
    # covers a province's targets by deadline year and percentage, and their order (filters-only searches)
    ("targets_province_year_pct", "targets", "province_key, deadline_year, pct_value, doc_id, position"),
    ("targets_year", "targets", "deadline_year"),
    ("targets_pct", "targets", "pct_value"),
    ("targets_doc_type", "targets", "doc_type_key"),
    ("targets_group_head", "targets", "group_head"),
]

UNIQUE_INDEXES = {"documents_dedupe"}

# Full-text fields of a target and their weight in ranking (group matters most).
FTS_FIELDS = [("fts_group", "target_group", 4.0), ("fts_indicator", "indicator", 2.0),
              ("fts_evidence", "evidence_text", 1.0), ("fts_title", "title", 0.5)]


def dedupe_key(record: DocumentRecord) -> Optional[str]:
    """Same normalized text means same document: record.text_sha256, else a hash of title + evidence."""
    if record.text_sha256:
        return "text:" + record.text_sha256
    parts = [record.title or ""] + [t.evidence.text for t in record.targets]
    if not any(parts):
        return None  # nothing to compare: only the doc_id identifies it
    return "evidence:" + hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def document_row(record: DocumentRecord) -> dict:
    plan = record.plan
    row = {
        "doc_id": record.doc_id,
        "province": plan.location,
        "province_key": search.province_key(plan.location),
        "doc_type": plan.doc_type,
        "doc_type_key": search.key(plan.doc_type),
        "issuer": plan.issuer,
        "doc_numbers": "; ".join(plan.doc_numbers) or None,
        "period_start": plan.period.start if plan.period else None,
        "period_end": plan.period.end if plan.period else None,
        "source": record.source,
        "published": record.published,
        "title": record.title,
        "issued": plan.issued,
        "dedupe_key": dedupe_key(record),
        "text_sha256": record.text_sha256,
        "n_targets": len(record.targets),
        "warnings": json.dumps(record.warnings, ensure_ascii=False) if record.warnings else None,
    }
    return row


def target_kind(t: Target) -> str:
    """The primary quantity: percentage, else funding, else trainees (the contract's matching order)."""
    return "percentage" if t.percentage else "funding" if t.funding else "trainees"


def target_row(t: Target, position: int, doc: dict) -> dict:
    p, f, n, d, ev = t.percentage, t.funding, t.trainees, t.deadline, t.evidence
    row = {
        "position": position,
        "kind": target_kind(t),
        "pct_value": p.value if p else None,
        "pct_op": p.op if p else None,
        "pct_value_max": p.value_max if p else None,
        "target_group": t.target_group,
        "group_head": search.group_head(t.target_group),
        "group_key": search.key(t.target_group),
        "indicator": t.indicator,
        "deadline_year": d.year if d else None,
        "deadline_month": d.month if d else None,
        "deadline_day": d.day if d else None,
        "deadline_text": d.text if d else None,
        "funding_amount": f.amount if f else None,
        "funding_amount_max": f.amount_max if f else None,
        "funding_currency": f.currency if f else None,
        "funding_op": f.op if f else None,
        "funding_per": f.per if f else None,
        "trainees_count": n.count if n else None,
        "trainees_count_max": n.count_max if n else None,
        "trainees_op": n.op if n else None,
        "trainees_unit": n.unit if n else None,
        "evidence_text": ev.text,
        "evidence_start": ev.start,
        "evidence_end": ev.end,
        "inferred": t.inferred,
        "confidence": t.confidence,
        "rules": json.dumps(t.rules, ensure_ascii=False) if t.rules else None,
    }
    row.update({c.name: doc[c.name] for c in _DOC_SHARED})
    return row


def _facet_hash(prefix: str, value: str) -> str:
    return prefix + hashlib.sha1(value.encode("utf-8")).hexdigest()[:12]


def facet_tokens(year: Optional[int] = None, kinds: tuple[str, ...] = (), province_key: Optional[str] = None,
                 doc_type_key: Optional[str] = None) -> list[str]:
    """Filter values as full-text tokens (SQLite only): "y2025", "kpercentage", "p<hash of province>",
    "t<hash of doc type>", so that a filtered full-text search runs inside the FTS index."""
    out = [f"y{year}"] if year is not None else []
    out += [f"k{k}" for k in kinds]
    if province_key:
        out.append(_facet_hash("p", province_key))
    if doc_type_key:
        out.append(_facet_hash("t", doc_type_key))
    return out


def row_facets(row: dict) -> list[str]:
    kinds = tuple(k for k, col in search.KIND_COLUMNS.items() if row[col] is not None)
    return facet_tokens(row["deadline_year"], kinds, row["province_key"], row["doc_type_key"])


def fts_tokens(row: dict) -> list[list[str]]:
    """The folded words of each full-text field of a target row, in FTS_FIELDS order."""
    return [search.tokens(row[source]) for _, source, _ in FTS_FIELDS]


@dataclass
class FlatDocument:
    record_id: str
    key: Optional[str]
    document: dict
    targets: list[dict]


def flatten(record: DocumentRecord) -> FlatDocument:
    doc = document_row(record)
    rows = [target_row(t, i, doc) for i, t in enumerate(record.targets)]
    return FlatDocument(record.doc_id, doc["dedupe_key"], doc, rows)


def dedupe_batch(records: list[DocumentRecord]) -> tuple[list[FlatDocument], int]:
    """Flatten a batch; a later record replaces an earlier one with the same doc_id or dedupe key
    (as if they had been ingested one after the other). Returns the survivors and how many were replaced."""
    kept: dict[int, FlatDocument] = {}
    by_id: dict[str, int] = {}
    by_key: dict[str, int] = {}
    replaced = 0
    for i, record in enumerate(records):
        flat = flatten(record)
        for j in {by_id.get(flat.record_id), by_key.get(flat.key) if flat.key else None} - {None}:
            old = kept.pop(j)
            by_id.pop(old.record_id, None)
            if old.key:
                by_key.pop(old.key, None)
            replaced += 1
        kept[i] = flat
        by_id[flat.record_id] = i
        if flat.key:
            by_key[flat.key] = i
    return list(kept.values()), replaced


def to_python(row: dict) -> dict:
    """Normalize a row read back from either backend: bools as bool, dates as ISO strings."""
    out = {}
    for name, value in row.items():
        kind = COLUMN_TYPES.get(name)
        if value is not None and kind == "bool":
            value = bool(value)
        elif value is not None and kind == "date" and isinstance(value, date):
            value = value.isoformat()
        elif value is not None and kind == "real":
            value = float(value)
        out[name] = value
    return out
