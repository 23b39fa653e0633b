"""Train the learned group reader (pipeline.learn.group_reader) from real gold and measure it by
document-level cross-validation on the judge's folds.

    examples = sequences(docs, matchers)             # one per readable candidate, BIO of the gold group
    cv = cross_validate(docs, examples, folds)       # out-of-fold groups and the confidence cut
    apply(docs, cv)                                  # the judge then learns on out-of-fold groups
    fit(examples, MODEL_PATH)                        # the shipped tagger, on every document

A candidate is labelled when its quantity is a gold target's (same_quantity) with a group, and that
group is found verbatim (else case-insensitively) in its sentence: the occurrence nearest the number.
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Optional

from ..eval.matching import same_quantity
from ..eval.tokens import token_f1
from ..groups import Phrase
from ..tokenize import Word
from . import group_reader as gr
from .dataset import DocExamples, as_record, features, label

C1, C2 = 0.05, 0.01   # elastic net: out of fold 0.766 right (c1 0 / c2 0.1: 0.746, with a 2 MB file; this one is 0.2 MB)
ITERATIONS = 150
CONFIDENCE = tuple(round(0.1 * i, 1) for i in range(10))    # the cut below which the rules' group stays


@dataclass
class Sequence:
    doc: int                        # index into the documents
    cand: int                       # index into the document's candidates
    words: list[Word]
    feats: list[list[str]]
    labels: Optional[list[str]]     # BIO of the gold group (None: not a target or not found)
    golds: list[str]                # the gold groups of the targets with its quantity
    rules: Optional[str]            # the rules' group
    heads: list[tuple[int, int]] = field(default_factory=list)   # the sentence's head nouns (read_group)


def sequences(docs: list[DocExamples], m) -> list[Sequence]:
    out: list[Sequence] = []
    for di, d in enumerate(docs):
        a = d.analysis
        spans = gr.quantity_spans(a.results)
        for ci, c in enumerate(a.cands):
            if not gr.readable(c):
                continue
            pred = as_record(a, c)
            golds = [g["target_group"] for g in d.gold["targets"] if same_quantity(pred, g) and g.get("target_group")]
            others = [s for s in spans.get(c.sentence_index, []) if s[0] != c.q.start]
            view = gr.tokenized(c.view)
            words, feats = gr.candidate_sequence(view, m, c, others)
            locs = [loc for g in golds if (loc := gr.locate(c.view.text, g, c.q.start, c.q.end)) is not None]
            loc = min(locs, key=lambda s: abs(s[0] - c.q.start)) if locs else None
            out.append(Sequence(di, ci, words, feats, gr.bio(words, loc) if loc else None, golds,
                                c.group.text if c.group else None, m.heads(view)))
    return out


@contextmanager
def _quiet():
    """The CRF trainer writes its progress to the process's stdout and stderr: sent to /dev/null."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = [os.dup(1), os.dup(2)]
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 1)
        os.dup2(null, 2)
        yield
    finally:
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in (null, *saved):
            os.close(fd)


def fit(seqs: list[Sequence], out: Path) -> Path:
    train = [s for s in seqs if s.labels]
    with _quiet():
        return gr.train_crf([s.feats for s in train], [s.labels for s in train], out, c2=C2, iterations=ITERATIONS, c1=C1)


def _correct(group: Optional[str], golds: list[str]) -> bool:
    return max((token_f1(group, g) for g in golds), default=0.0) >= 0.5


@dataclass
class GroupCV:
    read: dict[tuple[int, int], tuple[Optional[Phrase], float]]   # (doc, cand) -> out-of-fold reading
    min_confidence: float = 0.0
    rates: dict[str, dict] = field(default_factory=dict)          # set -> candidates, rules right, learned right

    def group_of(self, key: tuple[int, int], rules: Optional[Phrase]) -> Optional[Phrase]:
        g, conf = self.read.get(key, (None, 0.0))
        return g if g is not None and conf >= self.min_confidence else rules


def cross_validate(docs: list[DocExamples], seqs: list[Sequence], folds: list[int]) -> GroupCV:
    """Out-of-fold readings of every sequence (a tagger per fold, trained on the other folds), the
    confidence cut with the most right groups on matched candidates, and the rates per set."""
    read: dict[tuple[int, int], tuple[Optional[Phrase], float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for f in sorted(set(folds)):
            path = fit([s for s in seqs if folds[s.doc] != f], Path(tmp) / f"fold{f}.crfsuite")
            tagger = gr.GroupTagger(path, 0.0)
            for s in seqs:
                if folds[s.doc] == f:
                    c = docs[s.doc].analysis.cands[s.cand]
                    read[(s.doc, s.cand)] = gr.read_group(tagger, s.words, s.feats, c.view.text, c.q.start, c.q.end,
                                                          s.heads)
    cv = GroupCV(read)
    matched = [s for s in seqs if s.golds]

    def right(cut: float, subset) -> int:
        return sum(_correct(g.text if (g := replace(cv, min_confidence=cut).group_of((s.doc, s.cand), None)) else s.rules,
                            s.golds) for s in subset)
    cv.min_confidence = max(CONFIDENCE, key=lambda t: (right(t, matched), -t))
    names = ["all"] + sorted({docs[s.doc].source for s in matched})
    for n in names:
        subset = [s for s in matched if n in ("all", docs[s.doc].source)]
        cv.rates[n] = {"candidates": len(subset), "rules_right": sum(_correct(s.rules, s.golds) for s in subset),
                       "learned_right": right(cv.min_confidence, subset)}
    return cv


def apply(docs: list[DocExamples], seqs: list[Sequence], cv: GroupCV) -> int:
    """Give each candidate its out-of-fold group and the tagger's confidence in it (as the shipped
    tagger would read them), then label and featurize the documents again; how many groups changed."""
    changed = 0
    for s in seqs:
        c = docs[s.doc].analysis.cands[s.cand]
        c.group_confidence = cv.read.get((s.doc, s.cand), (None, 0.0))[1]
        g = cv.group_of((s.doc, s.cand), c.group)
        if g is not c.group and (c.group is None or g.text != c.group.text):
            c.group = g
            c.rules.append("group.learned")
            changed += 1
    for i in {s.doc for s in seqs}:  # every one with a read candidate: its confidences are features
        d = docs[i]
        d.target, d.full = label(d.analysis, d.gold)
        d.features = features(d.analysis)
    return changed


def write_info(cv: GroupCV, model: Path, documents: int, seqs: list[Sequence]) -> Path:
    info = model.with_suffix(".json")
    info.write_text(json.dumps({"min_confidence": cv.min_confidence, "c1": C1, "c2": C2, "iterations": ITERATIONS,
                                "documents": documents, "sequences": sum(1 for s in seqs if s.labels),
                                "kinds": list(gr.KINDS), "cv_group_right": cv.rates},
                               ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return info


def render(cv: GroupCV) -> str:
    lines = [f"learned groups (held-out folds; the rules' group below confidence {cv.min_confidence}): "
             "matched candidates whose group has token F1 >= 0.5, rules -> learned"]
    for n, r in cv.rates.items():
        k = max(1, r["candidates"])
        lines.append(f"  {n:28s} {r['candidates']:5d}  {r['rules_right'] / k:.3f} -> {r['learned_right'] / k:.3f}")
    return "\n".join(lines)
