"""Prefilter: which sentences may hold a target, decided once per document with a few regex passes
over its whole text, before the costly stages (segmenting it all, tokenizing, linking).

`worth_reading` is the one rule: a sentence goes through the full pipeline when it holds a quantity
and has a reason to be an aim (its own cue, an aim or lead-in earlier in its passage, a section of
aims, an official text, a news item that reports a plan). The extractor applies it exactly, sentence
by sentence; this module applies the same rule to cheap over-estimates of its inputs, so that what it
rules out could never have passed:

- `Prefilter.scan` (before segmenting): anchors of quantities (rules/numbers.yaml, units.yaml) and
  of reasons (cue lexicons of rules/cues.yaml, units.yaml, the 'until' deadline patterns of
  deadlines.yaml) over the whole tone-normalized text, and line-level structure (a line ending with
  ':', a line opening with a list marker). None when no quantity can meet a reason: the document
  has no target, and only its head is segmented (for the metadata).
- `Prefilter.passages` (after segmenting): the passages where `worth_reading` may hold for some
  sentence, from the anchors each sentence overlaps, up to the last such sentence (a passage hands
  its state on only forward, and not beyond its end). The other sentences get no candidate and
  are skipped.

Why an anchor over-estimates: every pattern scanned here only looks, around a match, for letters or
digits that must not be there, so a match inside one sentence is also a match (or overlaps one) in
the whole text, where the sentence is bounded by spaces. To widen the rule (a number in a list of
aims, say), widen `worth_reading` and give `scan` an anchor for the new reason.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Iterable, Optional

import regex

from .errors import RuleError
from .match import Matchers
from .normalize import fold_tone
from .numbers import NumberReader
from .segment import _MARKERS, Sentence
from .wordscan import Occurrences

_YEAR = regex.compile(r"(?:19|20)\d\d")


def worth_reading(*, quantity: bool, own_reason: bool, passage_aim: bool, section: str, official: bool,
                  after_plan_news: bool) -> bool:
    """Does a sentence go through tokenizing and linking? It must hold a quantity, and: a reason of
    its own (an aim cue, an 'until' deadline, a local aim cue, a funding word, a plan follower), an
    aim cue or lead-in earlier in its passage, a section of aims, an official text outside any
    section, or a place after a news item's report of a plan (outside any section)."""
    return quantity and (own_reason or passage_aim or section == "aim" or (official and section == "")
                         or (after_plan_news and section == ""))


Span = tuple[int, int]


@dataclass
class Anchors:
    """Where quantities and reasons may be, in one document (spans of the normalized text)."""

    quantities: list[Span]
    reasons: list[Span]     # a reason of the sentence's own (any cue of `worth_reading`)
    aims: list[Span]        # aim cues: they also carry over the rest of their passage

    @classmethod
    def everywhere(cls, length: int) -> "Anchors":
        """Anchors that rule nothing out."""
        whole = [(0, length)]
        return cls(whole, whole, whole)


def _unnamed(pattern: regex.Pattern) -> str:
    """A pattern as one alternative of a larger one (its named groups unnamed: names may repeat)."""
    return "(?:" + regex.sub(r"\(\?P<\w+>", "(?:", pattern.pattern) + ")"


_LOW = "".join(map(chr, range(0x3001)))  # every space character is below U+3001
_SPACES = {ord(c) for c in _LOW if c.isspace()} | {m.start() for m in regex.finditer(r"\s", _LOW)}
_SPACES.discard(10)


# a class of listed characters: the standard library's engine scans for one 4x faster than regex's
_OTHER_SPACE = re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(_SPACES) if cp != 32) + "]")


def _fold(s: str) -> Optional[str]:
    """Case-folded, every space but the line break read as " " (a cue's space matches any); None
    when folding would move offsets (a character that folds to two)."""
    folded = s.casefold()
    if _OTHER_SPACE.search(folded):
        folded = _OTHER_SPACE.sub(" ", folded)
    return folded if len(folded) == len(s) else None


def _keys(words: Iterable[str]) -> list[str]:
    return sorted({fold_tone(w).casefold() for w in words})


class Prefilter:
    """Compiled from the same rules as the matchers and the number reader."""

    def __init__(self, m: Matchers, reader: NumberReader) -> None:
        nr, ur, cues = reader.nr, m.rules.units, m.rules.cues
        # a percentage holds '%' or a percent word, a share its fraction phrase
        self.percent_words = _keys(["%", *nr.percent_words, *nr.fractions])
        self.quantity = [reader.digit_fraction, reader.money, reader.count_digits]
        self.reader = reader
        # counts in words ("hai mươi học viên"): a people unit right after a number word
        self.people_words = _keys(reader.people_words)
        self.number_words = {w.split()[-1] for w in _keys(reader.number_words)}
        # a number word (a whole run of letters), a space and a people unit: every such phrase, found
        # in one pass (a word ending inside another one is no whole word, and is dropped)
        self._counts = Occurrences(f"{n} {u}" for n in self.number_words if n.isalpha() for u in self.people_words)
        self.aim_words = _keys(m.aim.values)
        self.reason_words = _keys([*m.aim.values, *m.aim_local.values, *m.funding_context.values,
                                   *m.plan_followers.values])
        self._percent = Occurrences(self.percent_words)
        self._reason_or_aim = Occurrences(sorted({*self.reason_words, *self.aim_words}))
        until = [p for rule, p in m.deadlines.patterns if rule.kind == "until"]
        for p in until:
            if _YEAR.pattern not in p.pattern:
                raise RuleError(f"rules/deadlines.yaml: an 'until' pattern must hold a year {_YEAR.pattern!r}: {p.pattern}")
        self.until = regex.compile("|".join(_unnamed(p) for p in until), regex.I)
        # what opens a list (a lead-in ending with ':', a line opening with one of segment's list
        # markers) or a section, or makes a news item report a plan: carried over passages
        self.structure = regex.compile("|".join([r":[^\S\n]*$", *(f"(?:{p.pattern})" for _, p in _MARKERS)]), regex.M)
        self.section_words = _keys(cues.section_aim)
        self._section = Occurrences(self.section_words)
        self.plan_news = m.plan_news

    # -- before segmenting -------------------------------------------------------------------------
    def scan(self, text: str, match_text: str, official: bool) -> Optional[Anchors]:
        """Anchors of the document, or None when no sentence of it can be worth reading."""
        folded = _fold(match_text)
        if folded is None:  # no cheap reading: every sentence is a candidate
            return Anchors.everywhere(len(text))
        quantities = sorted(self._percent.find(folded)
                            + [(m.start(), m.end()) for p in self.quantity for m in p.finditer(match_text)]
                            + ([(m.start(), m.end()) for m in self.reader.bare_money_anchor.finditer(match_text)]
                               if self.reader.may_hold_bare_money(folded, folded=True) else [])
                            + self._counts_in_words(folded))
        if not quantities:
            return None
        lines = _line_starts(text)
        quantity_lines = sorted({bisect_right(lines, a) - 1 for a, _ in quantities})
        hits = self._reason_or_aim.find_each(folded, whole=True)  # aim words are reason words too
        reasons = [span for w in self.reason_words for span in hits.get(w, ())] + self._until(match_text, lines, quantity_lines)
        anchors = Anchors(quantities, reasons, [span for w in self.aim_words for span in hits.get(w, ())])
        if official:
            return anchors
        taken = set(quantity_lines)
        if any(bisect_right(lines, a) - 1 in taken for a, _ in reasons):
            return anchors  # a quantity and a reason on one line (a sentence never crosses a line)
        last_line = quantity_lines[-1]
        limit = lines[last_line + 1] if last_line + 1 < len(lines) else len(text)
        folded_text = _fold(text)
        section = self._section.find(folded_text)[:1] if folded_text is not None else [(0, 0)]
        carriers = [hit.start() for hit in (self.structure.search(text, 0, limit), self.plan_news.search(match_text, 0, limit))
                    if hit is not None] + [a for a, _ in anchors.aims[:1] + section]
        if any(c < limit for c in carriers):
            return anchors  # something that carries over its passage or section comes before a quantity's line ends
        return None

    def _counts_in_words(self, folded: str) -> list[Span]:
        """(start, end) of each number word, a space and a people unit ("hai mươi học viên" gives
        "mươi học viên"): the unit whole at its end, the number word a whole run of letters."""
        n = len(folded)
        return [(a, b) for a, b in self._counts.find(folded)
                if not (a > 0 and folded[a - 1].isalpha()) and not (b < n and folded[b].isalpha())]

    def _until(self, match_text: str, lines: list[int], line_indexes: list[int]) -> list[Span]:
        """'until' deadline cues on the given lines (those with a quantity) that hold a year."""
        out = []
        for i in line_indexes:
            a, b = lines[i], (lines[i + 1] - 1 if i + 1 < len(lines) else len(match_text))
            if _YEAR.search(match_text, a, b):
                out.extend((m.start(), m.end()) for m in self.until.finditer(match_text, a, b))
        return out

    # -- after segmenting --------------------------------------------------------------------------
    @staticmethod
    def quantity_sentences(anchors: Anchors, sentences: list[Sentence]) -> set[int]:
        """Indexes of the sentences a quantity anchor touches: no other sentence holds a quantity."""
        return _touched(anchors.quantities, [s.start for s in sentences], sentences)

    @staticmethod
    def aim_sentences(anchors: Anchors, sentences: list[Sentence]) -> set[int]:
        """Indexes of the sentences an aim anchor touches: no other sentence holds an aim cue."""
        return _touched(anchors.aims, [s.start for s in sentences], sentences)

    def passages(self, anchors: Anchors, sentences: list[Sentence], official: bool,
                 news_of_plan: Optional[int]) -> dict[int, int]:
        """Passages with a sentence for which `worth_reading` may hold -> the index of the last such
        sentence (what follows it in its passage changes no decision)."""
        starts = [s.start for s in sentences]
        quantity = _touched(anchors.quantities, starts, sentences)
        reason = _touched(anchors.reasons, starts, sentences)
        aim = _touched(anchors.aims, starts, sentences)
        out: dict[int, int] = {}
        passage, passage_aim = -1, False
        for s in sentences:
            if s.passage != passage:
                passage, passage_aim = s.passage, False
            if worth_reading(
                    quantity=s.index in quantity, own_reason=s.index in reason, passage_aim=passage_aim,
                    section=s.section, official=official,
                    after_plan_news=news_of_plan is not None and s.index > news_of_plan):
                out[s.passage] = s.index
            passage_aim = passage_aim or s.index in aim or s.opens_list
        return out


def _line_starts(text: str) -> list[int]:
    starts = [0]
    at = text.find("\n")
    while at >= 0:
        starts.append(at + 1)
        at = text.find("\n", at + 1)
    return starts


def _touched(spans: list[Span], starts: list[int], sentences: list[Sentence]) -> set[int]:
    """Indexes of the sentences that the spans overlap."""
    out: set[int] = set()
    for a, b in spans:
        i = max(0, bisect_right(starts, a) - 1)
        while i < len(sentences) and sentences[i].start < b:
            if sentences[i].end > a:
                out.add(i)
            i += 1
    return out
