"""Training data for the target model: every candidate of every gold document, with its features
and two labels (is its quantity a gold target's; is it that target with the right deadline, group
and op). Documents are analysed once and kept, so folds and thresholds re-use them."""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Optional

from ..analysis import Analysis
from ..discourse import settle_deadline
from ..errors import InputError
from ..eval.files import load_gold
from ..eval.matching import make_pair, same_quantity
from ..link import Candidate
from ..records import build_target
from .features import DocContext, candidate_features


@dataclass(frozen=True)
class GoldSet:
    """A gold file, the split of it to use (None: every line) and where its texts are."""
    gold: Path
    texts: Path
    split: Optional[str] = None

    @classmethod
    def parse(cls, spec: str) -> "GoldSet":
        """'GOLD[:SPLIT]=TEXTS', e.g. '../shared/gold/realnews_plans.jsonl:dev=../shared/realnews/articles.jsonl'."""
        if "=" not in spec:
            raise InputError(f"{spec}: expected GOLD[:SPLIT]=TEXTS")
        left, texts = spec.split("=", 1)
        gold, _, split = left.partition(":")
        return cls(Path(gold), Path(texts), split or None)


@dataclass
class DocExamples:
    doc_id: str
    source: str                    # the gold file's name (to report per set)
    gold: dict                     # the gold document
    analysis: Analysis
    features: list[dict]
    target: list[int]              # 1: the candidate's quantity is a gold target's
    full: list[int]                # 1: ... with the gold target's deadline year, group and op


def as_record(a: Analysis, c: Candidate) -> dict:
    """The target record the candidate gives when the judge keeps it, its deadline settled as
    LearnedJudge settles it (discourse.settle_deadline); the candidate itself is not changed."""
    copy = replace(c, rules=list(c.rules))
    settle_deadline(copy, a.period_end)
    return build_target(copy, a.sentences[c.sentence_index], a.norm, a.period_end).model_dump(mode="json")


def label(a: Analysis, gold: dict) -> tuple[list[int], list[int]]:
    target, full = [], []
    for c in a.cands:
        pred = as_record(a, c)   # labelled as the judge would keep it
        hits = [g for g in gold["targets"] if same_quantity(pred, g)]
        target.append(int(bool(hits)))
        full.append(int(any(make_pair(0, 0, g, pred).full_ok for g in hits)))
    return target, full


def features(a: Analysis) -> list[dict]:
    """The judge's features of each candidate of an analysed document."""
    ctx = DocContext(a)
    return [candidate_features(ctx, c) for c in a.cands]


def build(sets: Iterable[GoldSet], extractor) -> list[DocExamples]:
    from ..ingest import iter_sources

    out: list[DocExamples] = []
    for gs in sets:
        gold_docs = {g["doc_id"]: g for g in load_gold(gs.gold, split=gs.split)}
        found: dict[str, DocExamples] = {}
        for item in iter_sources([gs.texts]):
            if isinstance(item, InputError) or item.doc_id not in gold_docs or item.doc_id in found:
                continue
            a = extractor.analyze(item)
            target, full = label(a, gold_docs[item.doc_id])
            found[item.doc_id] = DocExamples(item.doc_id, gs.gold.name, gold_docs[item.doc_id], a, features(a),
                                             target, full)
        missing = sorted(set(gold_docs) - set(found))
        if missing:
            raise InputError(f"{gs.gold}: {len(missing)} gold document(s) not found in {gs.texts} (e.g. {missing[0]})")
        out.extend(found[d] for d in gold_docs)
    return out


def unlabelled(lines: list[str], extractor, source: str = "random news") -> tuple[list[DocExamples], int]:
    """Articles without gold (JSONL lines as ../shared/realnews holds them), analysed as gold documents
    are, each with no gold target: (those with at least one candidate, how many articles were read).
    Only the targets the judge lets through them count; they are never training examples."""
    from ..ingest.jsonl import iter_jsonl_lines

    out: list[DocExamples] = []
    read = 0
    for item in iter_jsonl_lines(lines, source):
        if isinstance(item, InputError):
            continue
        read += 1
        a = extractor.analyze(item)
        if a.cands:
            none = [0] * len(a.cands)
            out.append(DocExamples(item.doc_id, source, {"doc_id": item.doc_id, "targets": []}, a, features(a),
                                   none, list(none)))
    return out, read
