"""Tokenize: underthesea word segmentation -> WordDoc (a sentence's words and their offsets, kept
exact), part-of-speech tags on demand.

underthesea's CRF model (shipped inside the package; nothing is downloaded) is loaded once per
process, and run in Python (pipeline.underthesea_crf: underthesea_core's tags, without handing
underthesea_core 43 feature strings per syllable), underthesea_core kept for what that does not
take. We call its syllable tokenizer with token normalization off, so every syllable is a
substring of the input and the Doc's `text` equals the sentence exactly (`doc.text == sentence`).
What the rules read of a word is its text, offset, tag and two lexical tests (what spaCy's IS_PUNCT
and IS_SPACE say); the spaCy Doc of the words (`spacy_doc`) is made only for a sentence whose head
nouns spaCy's PhraseMatcher is asked for, so a text without one never imports spaCy.
"""
from __future__ import annotations

import gc
import importlib.util
import pickle
import re
import sys
import threading
import unicodedata
from functools import lru_cache
from os.path import dirname, join
from types import ModuleType
from typing import Any, NamedTuple, Optional

from .errors import ChitieuError
from .narrow_import import import_submodules

_LOCK = threading.Lock()


class _Crf:
    """One underthesea CRF model (its featurizer and tagger), read straight from the files shipped in
    the package: the feature list and dictionary are plain pickles, read with the C unpickler
    (joblib, which wrote them, reads them in pure Python, several times slower). A model none of
    whose features asks whether a word is in the dictionary (the POS tagger's) gets an empty one:
    its 72,000 words cost a fortieth of a second to read and hand over, and no feature reads them."""

    def __init__(self, directory: str) -> None:
        from underthesea_core import CRFFeaturizer, CRFTagger

        self.tagger = CRFTagger()
        self.tagger.load(join(directory, "models.bin"))
        features = _unpickle(join(directory, "features.bin"))
        self.featurizer = CRFFeaturizer(features, _unpickle(join(directory, "dictionary.bin"))
                                        if reads_dictionary(features) else set())

    def predict(self, tokens: list[list[str]]) -> list[str]:
        return self.tagger.tag(self.featurizer.process([tokens])[0])


class _WordCrf:
    """underthesea's word-segmentation CRF: tagged in Python (underthesea_crf.WordSegmenter, read
    from the same files, same tags) for every sentence it takes, by underthesea_core for the others
    (a syllable with a character whose case Python's Unicode tables may give otherwise), and for all
    when the model, its templates or underthesea_core's featurizer are not those the Python tagger
    was written for. underthesea_core's model loads on the first sentence it is needed for."""

    def __init__(self, directory: str) -> None:
        from .underthesea_crf import Unsupported, WordSegmenter, agrees_with_core, read_crfsuite

        self.directory = directory
        self._core: Optional[_Crf] = None
        self.segmenter: Optional[WordSegmenter] = None
        features = _unpickle(join(directory, "features.bin"))
        try:
            if agrees_with_core(features):
                dictionary = _unpickle(join(directory, "dictionary.bin")) if reads_dictionary(features) else set()
                self.segmenter = WordSegmenter(read_crfsuite(join(directory, "models.bin")), features, dictionary)
        except (Unsupported, OSError):
            self.segmenter = None

    def predict(self, tokens: list[str]) -> list[str]:
        tags = self.segmenter.tags(tokens) if self.segmenter is not None else None
        if tags is None:
            if self._core is None:
                self._core = _Crf(self.directory)
            tags = _predict(self._core, [[t] for t in tokens])
        return tags


def reads_dictionary(features: list[str]) -> bool:
    """Does one of a CRF's feature templates ("T[0].is_in_dict", "T[-1,0].is_in_dict") look words
    up in its dictionary?"""
    return any(f.endswith(".is_in_dict") for f in features)


def _unpickle(path: str) -> Any:
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except Exception:  # noqa: BLE001 - a compressed or otherwise joblib-specific file
        import joblib

        return joblib.load(path)


_TEXT_NORMALIZER = "underthesea.pipeline.text_normalize.text_normalizer"
_RULE_FILE = re.compile(r'^rule_file = "([\w.]+)"$', re.M)


def _preload_text_normalizer() -> None:
    """Put underthesea's text_normalizer module in ``sys.modules`` with the two tables it reads
    (``character_map``, ``token_map``) from the file it names, read with the C unpickler. The
    syllable tokenizer imports it, and the module itself imports joblib (a tenth of a second of
    CPU) and loads its file twice. Nothing is done when the module is already imported, or when its
    source does not name its file as expected (another underthesea version): it then imports as
    usual."""
    if _TEXT_NORMALIZER in sys.modules:
        return
    try:
        source_path = _models_dir("pipeline", "text_normalize", "text_normalizer.py")
        with open(source_path, encoding="utf-8") as fh:
            names = _RULE_FILE.findall(fh.read())
        if len(names) != 1:
            return
        with open(join(dirname(source_path), names[0]), "rb") as fh:
            data = pickle.load(fh)
        character_map, token_map = data["character"], data["token"]
    except Exception:  # noqa: BLE001 - not found, or not a plain pickle of that shape: let the module load it
        return
    module = ModuleType(_TEXT_NORMALIZER)
    module.__file__ = source_path
    module.rule_file = names[0]
    module.character_map, module.token_map = character_map, token_map
    sys.modules[_TEXT_NORMALIZER] = module


def _models_dir(*parts: str) -> str:
    """A model directory inside the installed underthesea package (found without importing it)."""
    spec = importlib.util.find_spec("underthesea")
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover - dependency missing
        raise ImportError("chitieu needs underthesea: pip install underthesea")
    return join(list(spec.submodule_search_locations)[0], *parts)


class WordTokenizer:
    """underthesea word segmentation with exact character offsets. The models load on first use."""

    def __init__(self) -> None:
        self._syllables: Any = None
        self._model: Optional[_WordCrf] = None
        self._pos: Optional[_Crf] = None

    def _word_model(self) -> _WordCrf:
        if self._model is None:
            _preload_text_normalizer()
            try:  # the syllable tokenizer alone, not every pipeline underthesea/__init__ imports
                character_normalize, regex_tokenize = import_submodules("underthesea", [
                    "underthesea.pipeline.text_normalize",  # first: regex_tokenize and it import each other
                    "underthesea.pipeline.text_normalize.character_normalize",
                    "underthesea.pipeline.word_tokenize.regex_tokenize"])[1:]
            except ImportError as exc:  # pragma: no cover - dependency missing
                raise ImportError("chitieu needs underthesea: pip install underthesea") from exc
            normalize = character_normalize.normalize_characters_in_text

            def syllables(text: str) -> list[str]:
                """regex_tokenize.tokenize(text, use_token_normalize=False), without its scan of every
                match's named groups: each alternative of its pattern is one named group around the
                whole alternative, so the group it takes is the match itself."""
                return [m.group() for m in regex_tokenize.patterns.finditer(normalize(text))]

            self._syllables = syllables
            self._model = _WordCrf(_models_dir("pipeline", "word_tokenize", "models", "ws_crf_vlsp2013_20230727"))
            # the model's tables (some 50,000 weights) live as long as the process: out of the
            # collector's way (gc.freeze, no collection first: the loading made next to no garbage)
            gc.freeze()
        return self._model

    def pos_tags(self, words: list[str]) -> list[str]:
        """Part-of-speech tags (VLSP: N, Np, V, A, E, M, CH, ...) for a list of words; the model
        (underthesea's VLSP 2013 POS CRF, shipped in the package) loads on first use."""
        if not words:
            return []
        with _LOCK:
            if self._pos is None:
                self._pos = _Crf(_models_dir("pipeline", "pos_tag", "models", "pos_crf_vlsp2013_20230303"))
            tags = _predict(self._pos, [[_featurizable(w)] for w in words])
        return [t[2:] if t.startswith(("B-", "I-")) else t for t in tags]

    def word_spans(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of each word of `text`; multi-syllable words span their spaces."""
        with _LOCK:
            model = self._word_model()
        sylls = self._syllables(text)
        if not sylls:
            return []
        with _LOCK:
            tags = model.predict(sylls)
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


def _featurizable(word: str) -> str:
    """A word as underthesea's featurizer can take it. It panics (featurizers.rs, an unwrap on None)
    on a token that is empty or blank, opens with a space, or is capitalised and ends with a space:
    such tokens are the gaps to_doc keeps where the syllable tokenizer changed a character ("Ðáng "
    with an Icelandic eth read as "Đáng"). A blank token reads as punctuation, another one without
    its outer spaces; every other word is passed as it is."""
    if not word.strip():
        return ","
    if word[0].isspace() or (word[-1].isspace() and word[0].isupper()):
        return word.strip()
    return word


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


def word_bounds(length: int, spans) -> bytes:
    """`View.bounds` for a text of `length` characters and its words' (start, end)."""
    out = bytearray(length + 1)
    for start, end in spans:
        out[start] |= 1
        out[end] |= 2
    return bytes(out)


@lru_cache(maxsize=1)
def spacy_modules() -> dict[str, Any]:
    """The spaCy modules the rules use (Doc, Vocab, PhraseMatcher, the attribute ids), by their last
    name, imported without the rest of spaCy (pipeline.narrow_import), when a rule first matches
    over spaCy tokens. spacy.errors comes first and sets spaCy's warning filters before the others
    load, as spaCy's own __init__ does."""
    import_submodules("spacy", ["spacy.errors"])[0].setup_default_warnings()
    names = ["spacy.attrs", "spacy.tokens", "spacy.vocab", "spacy.matcher", "spacy.lang.lex_attrs"]
    return dict(zip((n.rpartition(".")[2] for n in names), import_submodules("spacy", names)))


@lru_cache(maxsize=1)
def get_vocab() -> Any:
    """A spaCy Vocab computing only LOWER, what the head-noun PhraseMatcher compares (each getter runs
    on every new word, and a document of distinct numbers makes a new word of each)."""
    spacy = spacy_modules()
    attrs, lex_attrs = spacy["attrs"], spacy["lex_attrs"].LEX_ATTRS
    return spacy["vocab"].Vocab(lex_attr_getters={attrs.LOWER: lex_attrs[attrs.LOWER]})


def spacy_doc(doc: "WordDoc") -> Any:
    """The spaCy Doc of a WordDoc's words (same words, same text): what spaCy's matchers run on.
    Made only for the sentences a rule matches tokens in, once per WordDoc."""
    made = doc.user_data.get("spacy")
    if made is None:
        words, starts, n = doc.words, doc.starts, len(doc.words)
        spaces = [(starts[i + 1] if i + 1 < n else len(doc.text)) > starts[i] + len(words[i]) for i in range(n)]
        made = doc.user_data["spacy"] = spacy_modules()["tokens"].Doc(get_vocab(), words=words, spaces=spaces)
    return made


class WordDoc:
    """A sentence as underthesea's words: ``words`` (each word's text; a gap the segmenter left,
    a tab or a skipped character, is a word of its own, so that the words and the single spaces
    between some of them make the text again) and ``starts`` (each word's offset), with
    ``user_data``, what the rules store on the sentence (tags, head nouns)."""

    __slots__ = ("text", "words", "starts", "user_data", "__weakref__")

    def __init__(self, text: str, words: list[str], starts: list[int]) -> None:
        self.text = text
        self.words = words
        self.starts = starts
        self.user_data: dict[str, Any] = {"tokens": (words, starts)}  # what words_of reads

    def __len__(self) -> int:
        return len(self.words)

    def __iter__(self):
        return iter(words_of(self))


def to_doc(text: str, spans: list[tuple[int, int]] | None = None) -> WordDoc:
    """The underthesea words of `text` as a WordDoc (``doc.text == text``, spaces kept)."""
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
            else:  # tabs, or characters the segmenter skipped: kept as words so doc.text == text
                words.append(gap)
                spaces.append(False)
        if end > start:
            words.append(text[start:end])
            spaces.append(False)
        pos = max(pos, end)
    spans_at, at = [], 0
    for word, space in zip(words, spaces):
        spans_at.append((at, at + len(word)))
        at += len(word) + space
    doc = WordDoc(text, words, [start for start, _ in spans_at])
    doc.user_data["bounds"] = word_bounds(len(text), spans_at)  # word boundaries, read by the matchers
    return doc


class DocCache:
    """The Docs of recent sentences, by text: a sentence written again (a list repeating one
    item, a text pasted twice) is segmented, tagged and matched once. A Doc depends on its text
    alone, and what the rules store on it (tags, head nouns) too, so a cached one is what to_doc
    would make again. Only sentences up to `MAX_CHARS` are kept, at most `SIZE` of them."""

    SIZE = 512
    MAX_CHARS = 400

    def __init__(self) -> None:
        self._docs: dict[str, Any] = {}

    def get(self, text: str) -> Any:
        if len(text) > self.MAX_CHARS:
            return to_doc(text)
        doc = self._docs.pop(text, None)  # re-inserted below: the dict's order is the recency order
        if doc is None:
            doc = to_doc(text)
            if len(self._docs) >= self.SIZE:
                del self._docs[next(iter(self._docs))]
        self._docs[text] = doc
        return doc

    def __len__(self) -> int:
        return len(self._docs)


_DOCS = DocCache()
_DOCS_LOCK = threading.Lock()


def sentence_doc(text: str) -> Any:
    """to_doc(text), from the cache of recent sentences when it was seen lately."""
    with _DOCS_LOCK:
        return _DOCS.get(text)


def _token_texts(doc: Any) -> tuple[list[str], list[int]]:
    """Each token's text and offset (kept by to_doc; read off the Doc for any other)."""
    kept = doc.user_data.get("tokens")
    if kept is None:
        kept = doc.user_data["tokens"] = ([t.text for t in doc], [t.idx for t in doc])
    return kept


def _doc_tags(doc: Any) -> list[str]:
    """The part-of-speech tag of each token, tagged once per Doc ("" each when the tagger chokes)."""
    tags = doc.user_data.get("tags")
    if tags is None:
        texts = _token_texts(doc)[0]
        try:
            tags = get_word_tokenizer().pos_tags(texts)
        except ChitieuError:
            tags = []  # the tagger choked on this sentence: rules fall back to untagged behaviour
        tags = doc.user_data["tags"] = (tags + [""] * len(texts))[:len(texts)]
    return tags


class Word(NamedTuple):
    """What the rules read of a word, as a plain tuple (made once per Doc: the rules walk a
    sentence's words many times)."""
    idx: int
    text: str
    tag_: str
    is_punct: bool
    is_space: bool


def is_punct(text: str) -> bool:
    """Every character a punctuation mark (Unicode category P*): spaCy's IS_PUNCT."""
    return all(unicodedata.category(c).startswith("P") for c in text)


def words_of(doc: Any, tagged: bool = False) -> list[Word]:
    """The Doc's words as Words, made once per Doc (with part-of-speech tags when `tagged`).
    `is_punct` and `is_space` are what spaCy's lexical attributes IS_PUNCT and IS_SPACE say of
    each word."""
    words = doc.user_data.get("words")
    if words is None or (tagged and not doc.user_data.get("words_tagged")):
        texts, starts = _token_texts(doc)
        tags = _doc_tags(doc) if tagged else [""] * len(texts)
        # a word that opens with a letter or digit is no punctuation: most words skip the
        # per-character test
        words = doc.user_data["words"] = [Word(idx, text, tag, not text[:1].isalnum() and is_punct(text), text.isspace())
                                          for idx, text, tag in zip(starts, texts, tags)]
        doc.user_data["words_tagged"] = tagged
    return words
