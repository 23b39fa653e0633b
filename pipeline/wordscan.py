"""Cheap tests before case-insensitive patterns: does a text hold one of some words at all? One pass
of an Aho-Corasick automaton (pyahocorasick) over the text's case-folded form finds every word in
it, overlapping ones too. A pattern made of escaped words (any whitespace for a word's space,
case-insensitive) cannot match a text whose folded form holds none of them, so the pattern is not
run there."""
from __future__ import annotations

import re
from typing import Iterable

import ahocorasick

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

    def occur_in(self, text: str) -> bool:
        if not len(self._automaton):
            return False
        return next(self._automaton.iter(casefold_spaces(text)), None) is not None
