"""Tokenize: underthesea word segmentation -> spaCy Doc, with character offsets kept exact.

underthesea's CRF model (shipped inside the package; nothing is downloaded) is loaded once per
process. We call its syllable tokenizer with token normalization off, so every syllable is a
substring of the input and the Doc's `text` equals the sentence exactly (`doc.text == sentence`).
`spacy.blank("vi")` would want pyvi; we build the Doc from words and spaces instead.
"""
from __future__ import annotations

import threading
from functools import lru_cache
from os.path import dirname, join
from typing import Any

from .errors import ChitieuError

_LOCK = threading.Lock()


class WordTokenizer:
    """underthesea word segmentation with exact character offsets."""

    def __init__(self) -> None:
        try:
            import underthesea.pipeline.word_tokenize as wt
            from underthesea.models.fast_crf_sequence_tagger import FastCRFSequenceTagger
            from underthesea.pipeline.word_tokenize.regex_tokenize import tokenize as syllables
        except ImportError as exc:  # pragma: no cover - dependency missing
            raise ImportError("chitieu needs underthesea: pip install underthesea") from exc
        self._syllables = syllables
        self._model = FastCRFSequenceTagger()
        self._model.load(join(dirname(wt.__file__), "models", "ws_crf_vlsp2013_20230727"))
        self._pos: Any = None

    def pos_tags(self, words: list[str]) -> list[str]:
        """Part-of-speech tags (VLSP: N, Np, V, A, E, M, CH, ...) for a list of words; the model
        (underthesea's VLSP 2013 POS CRF, shipped in the package) loads on first use."""
        if not words:
            return []
        with _LOCK:
            if self._pos is None:
                import underthesea.pipeline.pos_tag as pt
                from underthesea.models.fast_crf_sequence_tagger import FastCRFSequenceTagger

                self._pos = FastCRFSequenceTagger()
                self._pos.load(join(dirname(pt.__file__), "models", "pos_crf_vlsp2013_20230303"))
            # whitespace tokens (tabs) read as punctuation: the featurizer panics on them
            tags = _predict(self._pos, [[w if w.strip() else ","] for w in words])
        return [t[2:] if t.startswith(("B-", "I-")) else t for t in tags]

    def word_spans(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of each word of `text`; multi-syllable words span their spaces."""
        sylls = self._syllables(text, use_token_normalize=False)
        if not sylls:
            return []
        with _LOCK:
            tags = _predict(self._model, [[s] for s in sylls])
        spans: list[tuple[int, int]] = []
        pos = 0
        for tag, syl in zip(tags, sylls):
            at = text.find(syl, pos)
            if at < 0:  # the tokenizer changed the syllable; fall back to a whitespace-free skip
                continue
            end = at + len(syl)
            if tag == "I-W" and spans and text[spans[-1][1]:at].strip() == "":
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((at, end))
            pos = end
        return spans


def _predict(model: Any, features: list[list[str]]) -> list[str]:
    """Run an underthesea CRF; a panic in its Rust featurizer (a BaseException) becomes an
    ordinary error, so one odd sentence fails one document, never the batch."""
    try:
        return model.predict(features)
    except Exception:
        raise
    except BaseException as exc:  # pyo3's PanicException
        if type(exc).__name__ != "PanicException":
            raise
        raise ChitieuError(f"underthesea tagger failed on this text: {exc}") from None


@lru_cache(maxsize=1)
def get_word_tokenizer() -> WordTokenizer:
    return WordTokenizer()


@lru_cache(maxsize=1)
def get_vocab() -> Any:
    from spacy.lang.lex_attrs import LEX_ATTRS
    from spacy.vocab import Vocab

    return Vocab(lex_attr_getters=dict(LEX_ATTRS))  # LOWER, IS_PUNCT, LIKE_NUM ... for the matchers


def to_doc(text: str, spans: list[tuple[int, int]] | None = None) -> Any:
    """A spaCy Doc whose tokens are underthesea words of `text` (doc.text == text, spaces kept)."""
    from spacy.tokens import Doc

    if spans is None:
        spans = get_word_tokenizer().word_spans(text)
    words: list[str] = []
    spaces: list[bool] = []
    pos = 0
    for start, end in [*spans, (len(text), len(text))]:
        if start > pos:
            gap = text[pos:start]
            if gap == " " and words and not spaces[-1]:
                spaces[-1] = True
            else:  # tabs, or characters the segmenter skipped: kept as tokens so doc.text == text
                words.append(gap)
                spaces.append(False)
        if end > start:
            words.append(text[start:end])
            spaces.append(False)
        pos = max(pos, end)
    return Doc(get_vocab(), words=words, spaces=spaces)


def pos_tag_doc(doc: Any) -> None:
    """Fill `token.tag_` with part-of-speech tags, once per Doc (only when a rule asks for them)."""
    if not doc.user_data.get("pos_tagged"):
        try:
            tags = get_word_tokenizer().pos_tags([t.text for t in doc])
        except ChitieuError:
            tags = []  # the tagger choked on this sentence: rules fall back to untagged behaviour
        for tok, tag in zip(doc, tags):
            tok.tag_ = tag
        doc.user_data["pos_tagged"] = True
