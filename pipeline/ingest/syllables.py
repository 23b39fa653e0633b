"""How Vietnamese a text looks: the share of its words that are well-formed Vietnamese syllables.

Used to choose between candidate decodings (UTF-8 failed: is it TCVN3, VNI or Windows-1258?) and
to spot legacy-font mojibake in Unicode text ("ViÖt" and "Vieät" are not syllables, "Việt" is).
The check is phonotactic and deliberately permissive: onset + vowel cluster + coda, at most one
tone mark. It never needs to be a dictionary, only to separate real text from mis-decoded text.
"""
from __future__ import annotations

import re
import unicodedata

_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")

_ONSETS = "ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x"
_VOWEL_CLUSTERS = (
    "a ă â e ê i o ô ơ u ư y "
    "ai ao au ay âu ây eo êu ia iu iê yê oa oă oe oi ôi ơi oo ôô ua uâ uê ui uô uơ uy ưa ưi ưu ươ "
    "iêu yêu oai oay oao oeo uây uôi uya uyê uyu ươi ươu"
).split()
_CODAS = "ch|nh|ng|c|m|n|p|t"

_SYLLABLE = re.compile(
    rf"(?:{_ONSETS})?(?:{'|'.join(sorted(_VOWEL_CLUSTERS, key=len, reverse=True))})(?:{_CODAS})?"
)
_EDGE_PUNCT = "\"'“”‘’()[]{}<>.,;:!?…/\\|*-–—_+=#%&@~`^"
_MAX_WORDS = 20000


def is_syllable(word: str) -> bool:
    """True when ``word`` (any case, composed or not) is a well-formed Vietnamese syllable."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = sum(1 for ch in decomposed if ch in _TONE_MARKS)
    if tones > 1:
        return False
    toneless = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONE_MARKS))
    return _SYLLABLE.fullmatch(toneless) is not None


def words(text: str) -> list[str]:
    """Whitespace-separated words with surrounding ASCII/typographic punctuation removed.

    Characters that only mis-decoding produces (``¸``, ``·``, ``«``...) are kept inside words, so
    they make the word fail ``is_syllable`` instead of vanishing.
    """
    out = []
    for raw in text.split(maxsplit=_MAX_WORDS)[:_MAX_WORDS]:
        word = raw.strip(_EDGE_PUNCT)
        if word and not any(ch.isdigit() for ch in word) and any(ch.isalpha() for ch in word):
            out.append(word)
    return out


def syllable_score(text: str) -> float:
    """Share of the words of ``text`` that are Vietnamese syllables (0.0 for a text with none)."""
    found = words(text)
    if not found:
        return 0.0
    return sum(1 for word in found if is_syllable(word)) / len(found)
