"""Where to mark a document's text: every target's evidence (a colour per kind), and the number
inside an evidence sentence. Pure functions over offsets; the templates escape every piece."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from ..numbers import get_number_reader

# the quantity kind the number reader reports for each target kind, and the column holding its value
_NUMBER_KIND = {"percentage": ("percent", "pct_value"), "funding": ("money", "funding_amount"),
                "trainees": ("count", "trainees_count")}


@dataclass
class Piece:
    """A run of text; ``targets`` are the positions of the targets whose evidence covers it."""

    text: str
    targets: list[int] = field(default_factory=list)
    kind: Optional[str] = None  # the kind of the first covering target (its colour)
    gap: bool = False  # text left out between two passages ("…") when the full text is unknown
    starts: list[int] = field(default_factory=list)  # the targets whose evidence starts here (anchors)

    @property
    def target_ids(self) -> str:
        return " ".join(str(t) for t in self.targets)


def pieces(text: Optional[str], targets: list[dict]) -> list[Piece]:
    """The document cut at every evidence boundary. Without the text (records ingested as JSONL),
    the evidence passages alone, in text order, with a gap piece between passages that do not touch."""
    spans = [(t["evidence_start"], t["evidence_end"], t["position"], t["kind"]) for t in targets]
    if text is None:
        return _passages(spans, targets)
    bounds = sorted({0, len(text)} | {s for s, _, _, _ in spans} | {e for _, e, _, _ in spans})
    out = []
    for a, b in zip(bounds, bounds[1:]):
        covering = [(pos, kind) for s, e, pos, kind in spans if s <= a and b <= e and s < e]
        out.append(Piece(text[a:b], [p for p, _ in covering], covering[0][1] if covering else None,
                         starts=[pos for s, e, pos, _ in spans if s == a and s < e]))
    return [p for p in out if p.text]


def _passages(spans, targets: list[dict]) -> list[Piece]:
    evidence = {t["position"]: t["evidence_text"] for t in targets}
    known: dict[int, str] = {}  # offset -> character, from the evidence texts (they agree where they overlap)
    for s, _, pos, _ in spans:
        for i, ch in enumerate(evidence[pos]):
            known.setdefault(s + i, ch)
    if not known:
        return []
    chars = sorted(known)
    runs, start = [], chars[0]
    for prev, cur in zip(chars, chars[1:]):
        if cur != prev + 1:
            runs.append((start, prev + 1))
            start = cur
    runs.append((start, chars[-1] + 1))
    out: list[Piece] = []
    for i, (a, b) in enumerate(runs):
        if i:
            out.append(Piece(" … ", gap=True))
        run_text = "".join(known[k] for k in range(a, b))
        run_spans = [(s, e, pos, kind) for s, e, pos, kind in spans if a <= s and e <= b]
        out += pieces(run_text, [
            {"evidence_start": s - a, "evidence_end": e - a, "position": pos, "kind": kind}
            for s, e, pos, kind in run_spans])
    return out


def number_spans(row: dict) -> list[tuple[int, int]]:
    """Spans of ``row["evidence_text"]`` that hold the target's quantities (its value as read there)."""
    wanted = {kind: row.get(column) for kind, column in _NUMBER_KIND.values() if row.get(column) is not None}
    if not wanted:
        return []
    spans = []
    for kind, found, start, end in _quantities(row["evidence_text"]):
        value = wanted.get(kind)
        if value is not None and abs(found - value) <= 1e-9 * max(1.0, abs(value)):
            spans.append((start, end))
    return spans


@lru_cache(maxsize=8192)
def _quantities(text: str) -> tuple[tuple[str, float, int, int], ...]:
    """(kind, value, start, end) of every quantity the number reader finds in ``text`` (the same
    evidence comes back on many search pages: it is read once)."""
    return tuple((q.kind, q.value, q.start, q.end) for q in get_number_reader().find(text))


def marked(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """``text`` as (piece, is_marked) runs for the given non-overlapping spans."""
    out, at = [], 0
    for s, e in sorted(spans):
        if s < at:
            continue
        if s > at:
            out.append((text[at:s], False))
        out.append((text[s:e], True))
        at = e
    if at < len(text):
        out.append((text[at:], False))
    return out
