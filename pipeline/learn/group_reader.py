"""The learned group reader: a CRF that tags the words of a candidate's sentence with the BIO span
of its target group (what a percentage is of, who is counted), trained on real gold.

One sequence per candidate: the words of its sentence (underthesea's words and POS tags, as the
rules read them), each described by its word, folded word, tag, side of and distance to the number,
the rules' own group span (as a BIO feature: the tagger learns where the rules are right) and the
cue words of rules/*.yaml that cover it. The span nearest the number is the group; its confidence is
the mean marginal probability of its labels. Below `min_confidence` (chosen on held-out folds) or
when nothing is tagged, the rules' group stays.

The CRF is CRFsuite's (python-crfsuite): underthesea_core's CRF trainer writes a different file
(and marginals differing by up to 1e-3) on every run, CRFsuite the same one. The model file is
`pipeline/models/group_tagger.crfsuite`, written by `chitieu train`.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Container, Optional, Sequence

from ..groups import Phrase
from ..link import Candidate
from ..match import Matchers, View
from ..normalize import fold_tone
from ..tokenize import Word, sentence_doc, words_of
from .shipped import model_file

MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / "group_tagger.crfsuite"
KINDS = ("percent",)                # the quantities whose group the tagger reads
LEXICONS = ("indicator_strong", "indicator_start", "group_end", "group_end_active", "share_prefixes", "op_before",
            "op_after", "qualifier_verbs", "have", "complement_markers", "leading_strip", "not_group_start",
            "fixed_phrases", "aim", "training", "comma_stops")


def sentence_words(view: View) -> list[Word]:
    """The tagged words of a sentence (from the sentence's Doc; tokenized again when released)."""
    doc = view.doc if view.doc is not None else sentence_doc(view.text)
    return [w for w in words_of(doc, tagged=True) if not w.is_space and w.text.strip()]


def _bucket(d: int) -> str:
    a = abs(d)
    b = str(a) if a <= 4 else ("5-8" if a <= 8 else ("9-15" if a <= 15 else "16+"))
    return ("-" if d < 0 else "+") + b


def _lexicon_marks(view: View, m: Matchers, words: list[Word]) -> list[list[str]]:
    """Per word, the cue lexicons that cover it ('name' at a hit's first word, 'name.in' inside).
    They depend on the sentence alone: kept on its Doc for its other quantities."""
    if view.doc is None:
        return _find_marks(view, m, words)
    marks = view.doc.user_data.get("group_marks")
    if marks is None or len(marks) != len(words):
        marks = view.doc.user_data["group_marks"] = _find_marks(view, m, words)
    return marks


def _find_marks(view: View, m: Matchers, words: list[Word]) -> list[list[str]]:
    marks: list[list[str]] = [[] for _ in words]
    starts = [w.idx for w in words]
    hits: list[tuple[str, int, int]] = [(name, h.start, h.end) for name in LEXICONS
                                        for h in getattr(m, name).finditer(view)]
    hits += [("head", a, b) for a, b in m.heads(view)]
    hits += [("deadline", c.start, c.end) for c in m.deadlines.find(view.match)]
    for name, a, b in hits:
        for i, s in enumerate(starts):
            if a <= s < b:
                marks[i].append(name if s == a or (i and starts[i - 1] < a) else name + ".in")
    return marks


def features(view: View, m: Matchers, words: list[Word], q_start: int, q_end: int,
             rules: Optional[tuple[int, int]], others: Sequence[tuple[int, int]] = ()) -> list[list[str]]:
    """The CRF's features of every word for the quantity at [q_start, q_end) of the sentence."""
    marks = _lexicon_marks(view, m, words)
    num = [i for i, w in enumerate(words) if w.idx < q_end and w.idx + len(w.text) > q_start]
    first, last = (num[0], num[-1]) if num else (0, -1)
    out: list[list[str]] = []
    lows = [w.text.lower() for w in words]
    folds = [fold_tone(x) for x in lows]
    tags = [w.tag_ or "-" for w in words]
    before = [0]  # before[k]: separators among words[:k]
    for w in words:
        before.append(before[-1] + (w.text in ",;:()"))
    for i, w in enumerate(words):
        if i < first:
            side, dist = "L", i - first
            seps = before[first] - before[i + 1]
        elif i > last:
            side, dist = "R", i - last
            seps = before[i] - before[last + 1]
        else:
            side, dist, seps = "N", 0, 0
        r = "O"
        if rules is not None and rules[0] <= w.idx < rules[1]:
            r = "B" if i == 0 or words[i - 1].idx < rules[0] else "I"
        other = any(a <= w.idx < b for a, b in others)
        f = [f"w={lows[i]}", f"f={folds[i]}", f"t={tags[i]}", f"side={side}", f"d={_bucket(dist)}",
             f"sep={min(seps, 3)}|{side}", f"r={r}", f"r={r}|{side}", f"t={tags[i]}|{side}", f"t={tags[i]}|r={r}",
             f"up={w.text[:1].isupper()}", f"dig={any(ch.isdigit() for ch in w.text)}", f"p={w.is_punct}",
             f"w={lows[i]}|{side}", f"nw={len(w.text.split())}"]
        if other:
            f.append("otherq")
        for k in (-2, -1, 1, 2):
            j = i + k
            tag = tags[j] if 0 <= j < len(words) else "^$"[k > 0]
            low = folds[j] if 0 <= j < len(words) else "^$"[k > 0]
            f.append(f"t{k}={tag}")
            f.append(f"f{k}={low}")
        f.append(f"tt={tags[i - 1] if i else '^'}_{tags[i]}")
        if i > 0:
            f.append(f"ff={folds[i - 1]}_{folds[i]}")
        for mk in marks[i]:
            f.append(f"lex={mk}")
            f.append(f"lex={mk}|{side}")
        out.append(f)
    return out


def bio(words: list[Word], span: Optional[tuple[int, int]]) -> list[str]:
    """BIO labels of the words inside [start, end) (a word overlapping the span counts)."""
    labels = []
    inside = False
    for w in words:
        if span is not None and w.idx < span[1] and w.idx + len(w.text) > span[0] and w.text.strip():
            labels.append("I" if inside else "B")
            inside = True
        else:
            labels.append("O")
            inside = False
    return labels


def locate(text: str, group: str, q_start: int, q_end: int) -> Optional[tuple[int, int]]:
    """The occurrence of `group` in `text` nearest the number (verbatim, else case-insensitively)."""
    if not group:
        return None
    best = None
    for hay, needle in ((text, group), (text.lower(), group.lower())):
        pos = hay.find(needle)
        while pos >= 0:
            end = pos + len(needle)
            d = q_start - end if end <= q_start else (pos - q_end if pos >= q_end else 0)
            if best is None or d < best[0]:
                best = (d, pos, end)
            pos = hay.find(needle, pos + 1)
        if best is not None:
            return best[1], best[2]
    return None


def spans(labels: list[str]) -> list[tuple[int, int]]:
    """Word index ranges [i, j) of the tagged spans."""
    out, start = [], None
    for i, lab in enumerate(labels + ["O"]):
        if lab == "B" or lab == "O":
            if start is not None:
                out.append((start, i))
                start = None
            if lab == "B":
                start = i
        elif lab == "I" and start is None:
            start = i
    return out


def choose(words: list[Word], labels: list[str], marginals: "list[dict[str, float]] | Marginals", q_start: int,
           q_end: int) -> Optional[tuple[int, int, float]]:
    """(start, end, confidence) in characters of the tagged span nearest the number; None: no span."""
    best = None
    for i, j in spans(labels):
        a, b = words[i].idx, words[j - 1].idx + len(words[j - 1].text)
        d = q_start - b if b <= q_start else (a - q_end if a >= q_end else 0)
        conf = sum(marginals[k].get(labels[k], 0.0) for k in range(i, j)) / (j - i)
        edge = [marginals[k].get("O", 0.0) for k in (i - 1, j) if 0 <= k < len(words)]
        conf = min([conf] + edge) if edge else conf
        key = (d, a < q_start)  # nearest first; at equal distance, the span after the number
        if best is None or key < best[0]:
            best = (key, a, b, conf)
    return None if best is None else (best[1], best[2], best[3])


_TRIM = " ,;:(–-.\"“”'"


def phrase(text: str, start: int, end: int) -> Optional[Phrase]:
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    if text[start:end].count("(") > text[start:end].count(")"):
        end = start + text[start:end].rfind("(")
        while end > start and text[end - 1] in _TRIM:
            end -= 1
    return Phrase(start, end, text[start:end]) if end > start else None


@dataclass
class GroupTagger:
    """A trained CRF and the confidence below which the rules' group stays."""
    path: Path
    min_confidence: float = 0.5

    def __post_init__(self) -> None:
        import pycrfsuite

        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(self.path))
        self._labels = list(self._tagger.labels())

    def tag(self, feats: list[list[str]]) -> tuple[list[str], "Marginals"]:
        if not feats:
            return [], Marginals(self._tagger, [])
        labels = list(self._tagger.tag(feats))
        return labels, Marginals(self._tagger, self._labels)


class Marginals:
    """marginals[i][label]: the probability of `label` at word i of the sequence just tagged, asked
    of the tagger when first read (choose() reads a few words' only). Valid until the next tag()."""

    def __init__(self, tagger, labels: list[str]) -> None:
        self._tagger, self._labels, self._rows = tagger, labels, {}

    def __getitem__(self, i: int) -> dict[str, float]:
        row = self._rows.get(i)
        if row is None:
            row = self._rows[i] = {lab: self._tagger.marginal(lab, i) for lab in self._labels}
        return row


def train_crf(X: list[list[list[str]]], Y: list[list[str]], out: Path, c2: float = 0.1, iterations: int = 150,
              c1: float = 0.0) -> Path:
    """Fit the CRF (CRFsuite's L-BFGS, one thread: the same sequences in the same order give the
    same file) and save it."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for x, y in zip(X, Y):
        trainer.append(x, y)
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": iterations, "feature.possible_transitions": True})
    out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out))
    return out


def tokenized(view: View) -> View:
    """The view with its sentence's Doc (made again, or taken from the cache, once released)."""
    return view if view.doc is not None else View.build(view.text, view.match, view.offset, sentence_doc(view.text))


def readable(c: Candidate) -> bool:
    """A candidate whose group the tagger reads: a quantity of KINDS stated in its own sentence,
    whose rules' group (if any) is in that sentence (not carried from another one)."""
    if c.q.kind not in KINDS or c.inferred:
        return False
    g = c.group
    return g is None or c.view.text[g.start:g.end] == g.text


def candidate_sequence(view: View, m: Matchers, c: Candidate, others: Sequence[tuple[int, int]]) -> tuple[list[Word], list[list[str]]]:
    """The words of the candidate's sentence and the features of each (view: tokenized)."""
    words = sentence_words(view)
    span = (c.group.start, c.group.end) if c.group is not None else None
    return words, features(view, m, words, c.q.start, c.q.end, span, others)


def quantity_spans(results) -> dict[int, list[tuple[int, int]]]:
    """Sentence index -> the spans of its quantities."""
    return {r.sentence.index: [(q.start, q.end) for q in r.quantities] for r in results}


def read_group(tagger: GroupTagger, words: list[Word], feats: list[list[str]], text: str, q_start: int,
               q_end: int, heads: Sequence[tuple[int, int]] = ()) -> tuple[Optional[Phrase], float]:
    """The tagger's group of the quantity at [q_start, q_end) and its confidence (None, 0: nothing tagged).
    A span that cuts one of the sentence's ``heads`` (the lexicon's head nouns, Matchers.heads) is
    widened to the whole head ("giáo viên, nhân viên và người" + "lao động": "người lao động")."""
    labels, marg = tagger.tag(feats)
    found = choose(words, labels, marg, q_start, q_end)
    if found is None:
        return None, 0.0
    return phrase(text, *whole_heads(found[0], found[1], heads)), found[2]


def whole_heads(start: int, end: int, heads: Sequence[tuple[int, int]]) -> tuple[int, int]:
    """[start, end) widened over any head noun it cuts: one it ends inside, one it starts inside."""
    for a, b in heads:
        if a >= start and a < end < b:
            end = b
        if b <= end and a < start < b:
            start = a
    return start, end


def read_groups(tagger: GroupTagger, cands: list[Candidate], results, m: Matchers, skip: Container[int] = ()) -> None:
    """Every readable candidate takes the tagger's group when it is sure enough (the rules' otherwise);
    those whose index is in ``skip`` are left as they are."""
    by_sentence = quantity_spans(results)
    kept = {r.sentence.index: r.doc for r in results if r.doc is not None}  # words the extractor kept
    views: dict[int, View] = {}  # a sentence's tokenized view, for all its candidates
    for i, c in enumerate(cands):
        if i in skip or not readable(c):
            continue
        others = [s for s in by_sentence.get(c.sentence_index, []) if s[0] != c.q.start]
        view = views.get(c.sentence_index)
        if view is None:
            doc = kept.get(c.sentence_index)
            view = views[c.sentence_index] = (tokenized(c.view) if doc is None or c.view.doc is not None
                                              else View.build(c.view.text, c.view.match, c.view.offset, doc))
        words, feats = candidate_sequence(view, m, c, others)
        g, conf = read_group(tagger, words, feats, c.view.text, c.q.start, c.q.end, m.heads(view))
        c.group_confidence = conf
        if g is not None and conf >= tagger.min_confidence and (c.group is None or g.text != c.group.text):
            c.group = g
            c.rules.append("group.learned")


@lru_cache(maxsize=2)
def load_group_tagger(path: Optional[str] = None) -> Optional[GroupTagger]:
    """The shipped tagger, or None without a model file or with CHITIEU_GROUPS=rules."""
    p = model_file(MODEL_PATH, path, "CHITIEU_GROUPS")
    if p is None:
        return None
    info = p.with_suffix(".json")
    conf = json.loads(info.read_text(encoding="utf-8")).get("min_confidence", 0.5) if info.exists() else 0.5
    return GroupTagger(p, conf)
