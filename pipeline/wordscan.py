"""Words found in one pass over a text: an Aho-Corasick automaton (pyahocorasick) finds every
occurrence of every word of a list, overlapping ones too, where a `str.find` loop per word or a
regex alternation (non-overlapping matches only) would not.

`Occurrences`: where each word occurs (the prefilter's anchors, the province names). `AnyOf`: does a
text hold one of some words at all, in any case: the cheap test before a case-insensitive pattern
made of escaped words (any whitespace for a word's space), which cannot match a text whose folded
form holds none of them."""
from __future__ import annotations

import re
from typing import Iterable

import ahocorasick

Span = tuple[int, int]

_OTHER_WHITESPACE = re.compile(r"[^\S ]")


def casefold_spaces(text: str) -> str:
    """Case-folded, every whitespace character read as a space."""
    folded = text.casefold()
    return _OTHER_WHITESPACE.sub(" ", folded) if _OTHER_WHITESPACE.search(folded) else folded


class AnyOf:
    """Does a text hold one of these words, in any case, anywhere (inside another word too)?"""

    def __init__(self, words: Iterable[str]) -> None:
        self._automaton = ahocorasick.Automaton()
        for w in {casefold_spaces(w) for w in words if w}:
            self._automaton.add_word(w, True)
        if len(self._automaton):
            self._automaton.make_automaton()

    def occur_in(self, text: str, *, folded: bool = False) -> bool:
        """``folded``: the text is case-folded already (casefold_spaces, or case-folded with its line
        breaks kept, which is the same for words without a space)."""
        if not len(self._automaton):
            return False
        return next(self._automaton.iter(text if folded else casefold_spaces(text)), None) is not None


class Occurrences:
    """Every occurrence of each of a list of words (as given: fold texts and words alike first)."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = list(dict.fromkeys(w for w in words if w))
        self._order = {w: i for i, w in enumerate(self.words)}
        self._automaton = ahocorasick.Automaton()
        for w in self.words:
            self._automaton.add_word(w, w)
        if self.words:
            self._automaton.make_automaton()

    def find_each(self, text: str, *, whole: bool = False) -> dict[str, list[Span]]:
        """The occurrences of each word that occurs (overlapping ones too), in text order; with
        ``whole``, only those with no letter or digit right before or after."""
        out: dict[str, list[Span]] = {}
        if not self.words:
            return out
        n = len(text)
        for last, w in self._automaton.iter(text):
            end = last + 1
            at = end - len(w)
            if not whole or ((at == 0 or not _word_char(text[at - 1])) and (end == n or not _word_char(text[end]))):
                out.setdefault(w, []).append((at, end))
        return out

    def find(self, text: str) -> list[Span]:
        """Every occurrence of every word, word by word in the list's order."""
        hits = self.find_each(text)
        return [span for w in sorted(hits, key=self._order.__getitem__) for span in hits[w]]


def _word_char(c: str) -> bool:
    return c.isalpha() or c.isdecimal()
