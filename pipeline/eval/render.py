"""Human-readable views of a Report: the figures table and the per-document error listing."""
from __future__ import annotations

from typing import Optional

from .matching import KINDS, DocMatch, deadline_year, primary_kind, primary_op
from .scoring import PRF, Ratio, Report


def _num(value: Optional[float]) -> str:
    return "  n/a" if value is None else f"{value:.3f}"


def _prf_row(name: str, prf: PRF) -> str:
    return (f"  {name:<18}{_num(prf.precision):>7}{_num(prf.recall):>7}{_num(prf.f1):>7}"
            f"   matched {prf.matched} / predicted {prf.predicted} / gold {prf.gold}")


def _ratio_row(name: str, ratio: Ratio, unit: str) -> str:
    total = f"{ratio.total:.2f}" if unit == "sum" else f"{int(ratio.total)}"
    return f"  {name:<18}{_num(ratio.value):>7}   {total} / {ratio.count}"


def table(report: Report, *, title: str = "") -> str:
    """The figures of a run as a small text table; the headline (full-record F1) comes last."""
    lines = [title] if title else []
    lines.append(f"  {'':<18}{'P':>7}{'R':>7}{'F1':>7}")
    lines.append(_prf_row("targets", report.targets))
    lines.append(_prf_row("full record", report.full_record))
    lines.extend(_prf_row(f"  {kind}", report.per_kind[kind]) for kind in KINDS)
    lines.append("")
    lines.append(_ratio_row("deadline accuracy", report.deadline, "count") + " matched pairs")
    lines.append(_ratio_row("group F1", report.group_f1, "sum") + " pairs with a gold group")
    lines.append(_ratio_row("group F1 >= 0.5", report.group_ok, "count") + " matched pairs (gold null counts)")
    lines.append(_ratio_row("op accuracy", report.op, "count") + " matched pairs")
    lines.append(_ratio_row("doc-number recall", report.doc_numbers, "count") + " gold doc numbers")
    lines.append("")
    lines.append(f"  documents: {len(report.documents)}    headline full-record F1: {report.full_record.f1:.3f}")
    lines.extend(f"  note: {note}" for note in report.notes)
    return "\n".join(lines)


def describe(target: dict) -> str:
    """One target at a glance: quantity with op, group, deadline year."""
    kind = primary_kind(target)
    q = target[kind]
    if kind == "percentage":
        quantity = f"{q['value']:g}%"
    elif kind == "funding":
        quantity = f"{q['amount']:,.0f} {q.get('currency') or 'VND'}"
    else:
        quantity = f"{q['count']} {q.get('unit') or ''}".rstrip()
    year = deadline_year(target)
    return f"{primary_op(target)} {quantity} | group: {target.get('target_group')!r} | deadline: {year or '-'}"


def _evidence(target: dict) -> str:
    ev = target.get("evidence") or {}
    text = " ".join(str(ev.get("text") or "").split())
    return f'\n        "{text}"' if text else ""


def _differences(doc: DocMatch) -> list[str]:
    lines = []
    for pair in doc.pairs:
        if pair.deadline_ok and pair.op_ok and (pair.gold_group_null or pair.group_f1 == 1.0):
            continue
        g, p = doc.gold[pair.gold], doc.pred[pair.pred]
        diffs = []
        if not pair.deadline_ok:
            diffs.append(f"deadline gold {deadline_year(g)} / pred {deadline_year(p)}")
        if not pair.gold_group_null and pair.group_f1 < 1.0:
            flag = "" if pair.group_ok else " FAIL"
            diffs.append(f"group gold {g.get('target_group')!r} / pred {p.get('target_group')!r} "
                         f"(F1 {pair.group_f1:.2f}{flag})")
        if not pair.op_ok:
            diffs.append(f"op gold {primary_op(g)} / pred {primary_op(p)}")
        head = "DIFF    " if pair.full_ok else "WRONG   "
        lines.append(f"  {head}{describe(g)}\n        " + "; ".join(diffs) + _evidence(p))
    return lines


def errors(report: Report) -> str:
    """Per document: each missed gold target, each spurious prediction (with its evidence sentence),
    and each matched pair whose deadline, group or op differs (WRONG when it fails full-record)."""
    blocks = []
    for doc in report.documents:
        lines = [f"  MISSED  {describe(doc.gold[i])}{_evidence(doc.gold[i])}" for i in doc.missed]
        lines += [f"  SPURIOUS {describe(doc.pred[j])}{_evidence(doc.pred[j])}" for j in doc.spurious]
        lines += _differences(doc)
        if lines:
            status = "" if doc.has_prediction else ", NO PREDICTION"
            head = (f"== {doc.doc_id} (gold {len(doc.gold)}, predicted {len(doc.pred)}, "
                    f"matched {len(doc.pairs)}{status})")
            blocks.append("\n".join([head, *lines]))
    return "\n\n".join(blocks) if blocks else "no errors"


def errors_json(report: Report) -> list[dict]:
    """The same listing as data, for --json --errors."""
    out = []
    for doc in report.documents:
        out.append({
            "doc_id": doc.doc_id,
            "missed": [doc.gold[i] for i in doc.missed],
            "spurious": [doc.pred[j] for j in doc.spurious],
            "differences": [
                {"gold": doc.gold[p.gold], "pred": doc.pred[p.pred], "deadline_ok": p.deadline_ok,
                 "group_f1": p.group_f1, "group_ok": p.group_ok, "op_ok": p.op_ok, "full_ok": p.full_ok}
                for p in doc.pairs if not (p.deadline_ok and p.op_ok and (p.gold_group_null or p.group_f1 == 1.0))
            ],
        })
    return [d for d in out if d["missed"] or d["spurious"] or d["differences"]]
