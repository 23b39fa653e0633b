"""Small constructors used by the hand-written gold specs (spec_*.py).

They only save typing: every value in gold.jsonl is still written by hand in the spec files.
"""
from __future__ import annotations


def _deadline(dl):
    if dl is None:
        return None
    if isinstance(dl, int):
        return {"year": dl}
    if len(dl) == 2:
        return {"year": dl[0], "text": dl[1]}
    year, month, day, text = dl
    return {"year": year, "month": month, "day": day, "text": text}


def _target(ev, group, dl, ind, note, inferred, **q):
    t = {}
    t.update({k: v for k, v in q.items() if v is not None})
    t["target_group"] = group
    t["deadline"] = _deadline(dl)
    t["indicator"] = ind
    t["evidence"] = {"text": ev}
    if inferred:
        t["inferred"] = True
    if note:
        t["note"] = note
    return t


def P(value, op="=", *, group, dl, ind=None, ev, vmax=None, note=None, inferred=False,
      funding=None, trainees=None):
    pct = {"value": value, "op": op}
    if vmax is not None:
        pct["value_max"] = vmax
    return _target(ev, group, dl, ind, note, inferred, percentage=pct, funding=funding, trainees=trainees)


def Fu(amount, op="=", cur="VND", per=None):
    f = {"amount": amount, "currency": cur, "op": op}
    if per:
        f["per"] = per
    return f


def Tr(count, op="=", unit=None, cmax=None):
    t = {"count": count, "op": op, "unit": unit}
    if cmax is not None:
        t["count_max"] = cmax
    return t


def F(amount, op="=", cur="VND", *, group=None, dl, ind=None, ev, per=None, note=None,
      inferred=False, trainees=None):
    return _target(ev, group, dl, ind, note, inferred, funding=Fu(amount, op, cur, per), trainees=trainees)


def T(count, op="=", unit=None, *, group, dl, ind=None, ev, cmax=None, note=None, inferred=False):
    return _target(ev, group, dl, ind, note, inferred, trainees=Tr(count, op, unit, cmax))


def plan(numbers=(), doc_type=None, issuer=None, issued=None, period=None, location=None):
    return {
        "doc_numbers": list(numbers),
        "doc_type": doc_type,
        "issuer": issuer,
        "issued": issued,
        "period": None if period is None else {"start": period[0], "end": period[1]},
        "location": location,
    }
