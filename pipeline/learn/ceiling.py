"""How high the judge's probability of a candidate can go whatever group the learned group reader
gives it, so that the extractor reads no group for a candidate that could not be kept anyway.

The group reader (POS tags, the CRF's features and tagging: about 0.75 ms a candidate) runs before
the judge because the judge reads its result: the group's words, its confidence, whether it
replaced the rules' group. Most candidates of ordinary news are numbers the judge drops whatever
their group says. For each of them the judge's weighted sums are bounded from above: the features
that do not depend on the reader are summed as they are; for those that do, the larger of what the
rules' group gives and the most any group the reader could choose could give (every positive weight
of the words it could span, its first and last word, its length, the learned-group trace), plus the
most its confidence can add. The trees beside the regressions (trees.py) read no feature the reader
decides: their part is taken as it is. The probability is increasing in each sum, so the probability
of those sums and the trees' part is a ceiling: below the threshold, the candidate is dropped whatever the reader says, and the
extractor's records are the same with or without the shortcut (tests compare the two).

A learned group is made of whole tokens of the sentence, widened over whole head nouns (also
tokens) and trimmed of punctuation: its words are pieces of the sentence's letter-and-digit runs cut
only at token boundaries.
"""
from __future__ import annotations

from typing import Iterable, Optional, Sequence

import numpy as np

from ..link import Candidate
from .features import CHUNK as FEATURE_CHUNK, DocContext, candidate_features, group_features, word_runs

_MARGIN = 1e-9   # the ceiling's sums and the judge's are summed in different orders


class GroupCeiling:
    """Built once per model (see LearnedJudge.ceiling)."""

    CHUNK = FEATURE_CHUNK  # candidates whose features are held at once

    def __init__(self, table, combine, threshold: float, drop_below: Optional[float]) -> None:
        self.table = table                   # judge._WeightTable
        self.combine = combine               # weighted sums (n x regressions), trees' raw scores -> probabilities
        self.threshold = threshold
        self.drop_below = threshold if drop_below is None else drop_below
        self.columns = table.matrix.shape[1]
        self._zero = np.zeros(self.columns)
        row = self.row
        self.gconf = np.maximum(row("gconf"), 0.0)
        self.gconf_bin = np.max([row(f"gconf={k}") for k in range(5)], axis=0)
        self.flag_group = row("flag=group")
        self.glen = np.maximum(np.max([row(f"glen={k}") for k in range(1, 9)], axis=0), 0.0)
        self._trace: dict[str, np.ndarray] = {}

    def row(self, name: str) -> np.ndarray:
        i = self.table.row.get(name)
        return self._zero if i is None else self.table.matrix[i]

    def trace(self, kind: str) -> np.ndarray:
        t = self._trace.get(kind)
        if t is None:
            t = self._trace[kind] = (np.maximum(self.row("trace=group.learned"), 0.0)
                                     + np.maximum(self.row(f"trace=group.learned|{kind}"), 0.0))
        return t

    def learned_most(self, kind: str, possible: Iterable[str]) -> np.ndarray:
        """The most a group the reader chooses can add, its words among ``possible``."""
        out = self.flag_group + self.trace(kind) + self.glen
        spanned = list(possible)
        if spanned:
            get, unknown, matrix = self.table.row.get, len(self.table.row), self.table.matrix
            for prefix, spread in (("ghead=", False), ("glast=", False), ("G=", True)):
                rows = np.maximum(matrix[[get(prefix + w, unknown) for w in spanned]], 0.0)
                out = out + (rows.sum(axis=0) * 0.5 if spread else rows.max(axis=0))
        return out

    def ceilings(self, ctx: DocContext, cands: Sequence[Candidate]) -> np.ndarray:
        """The most the judge's probability of each candidate can be once the reader has read its
        group (the candidates not read yet), CHUNK candidates at a time: their features are held
        only while their sums are taken (a target-dense text has tens of thousands)."""
        n = self.CHUNK
        if len(cands) > n:
            return np.concatenate([self.ceilings(ctx, cands[i:i + n]) for i in range(0, len(cands), n)])
        z_all, raw = self.table.sums([candidate_features(ctx, c) for c in cands])
        # what the rules' group adds (the sums without it: what nothing the reader says changes)
        z_rules, _ = self.table.sums([group_features({"flag=group": 1}, c.group.text) if c.group is not None else {}
                                      for c in cands], trees=False)
        most: dict[tuple[int, str], np.ndarray] = {}  # per sentence and kind (its candidates share one view)
        learned = []
        for c in cands:
            key = (c.sentence_index, c.q.kind)
            if key not in most:
                most[key] = self.learned_most(c.q.kind, possible_words(c.view))
            learned.append(most[key])
        z = z_all - z_rules + self.gconf + self.gconf_bin + np.maximum(z_rules, np.array(learned)) + _MARGIN
        return self.combine(z, raw)

    def unreachable(self, ctx: DocContext, cands: Sequence[Candidate]) -> list[bool]:
        """For each candidate (each one the reader would read), whether no group the reader could
        give it brings it up to the threshold that applies to it. A candidate read before is never
        unreachable."""
        if not cands:
            return []
        return [c.group_confidence is None and p < (self.drop_below if c.keep else self.threshold)
                for c, p in zip(cands, self.ceilings(ctx, cands))]


def possible_words(view) -> set[str]:
    """Every word (features.words) that a group of the sentence cut at its token boundaries can
    hold: each letter-and-digit run whole, and its pieces between the token boundaries inside it
    (every piece when the sentence was not tokenized)."""
    text, bounds = view.text, view.bounds
    out: set[str] = set()
    for a, b, word in zip(*word_runs(text)):
        if bounds is not None and not any(bounds[a + 1:b]):  # no boundary inside the run (the common case)
            out.add(word)
            continue
        points = [a, *(x for x in range(a + 1, b) if bounds is None or bounds[x]), b]
        for i, x in enumerate(points):
            for y in points[i + 1:]:
                out.add(text[x:y].lower())
    return out
