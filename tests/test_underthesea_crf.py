"""pipeline.underthesea_crf: underthesea's word-segmentation CRF in Python gives underthesea_core's
tags (the model read as python-crfsuite reads it, the features as underthesea_core's featurizer
makes them, the tags as its tagger gives them), and pipeline.tokenize falls back to
underthesea_core where the Python tagger does not go."""
from __future__ import annotations

import json
import pickle
import random
import shutil
from functools import lru_cache
from os.path import join
from pathlib import Path

import pytest

from pipeline import underthesea_crf as crf
from pipeline.errors import ChitieuError
from pipeline.tokenize import _models_dir, _WordCrf, get_word_tokenizer

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
ARTICLES = SHARED / "realnews" / "articles.jsonl"


@lru_cache(maxsize=1)
def directory() -> str:
    return _models_dir("pipeline", "word_tokenize", "models", "ws_crf_vlsp2013_20230727")


@lru_cache(maxsize=1)
def shipped():
    """(templates, dictionary, model, segmenter, underthesea_core featurizer, underthesea_core tagger)."""
    from underthesea_core import CRFFeaturizer, CRFTagger

    with open(join(directory(), "features.bin"), "rb") as fh:
        templates = pickle.load(fh)
    with open(join(directory(), "dictionary.bin"), "rb") as fh:
        dictionary = pickle.load(fh)
    model = crf.read_crfsuite(join(directory(), "models.bin"))
    tagger = CRFTagger()
    tagger.load(join(directory(), "models.bin"))
    return (templates, dictionary, model, crf.WordSegmenter(model, templates, dictionary),
            CRFFeaturizer(templates, dictionary), tagger)


def syllables(text: str) -> list[str]:
    tokenizer = get_word_tokenizer()
    tokenizer._word_model()
    return tokenizer._syllables(text)


def core_tags(tokens: list[str]) -> list[str]:
    _, _, _, _, featurizer, tagger = shipped()
    return tagger.tag(featurizer.process([[[t] for t in tokens]])[0])


@lru_cache(maxsize=1)
def corpus_sentences() -> list[list[str]]:
    """The syllables of the sentences of corpus/docs, ../shared/seeds and the first 150 articles of
    ../shared/realnews (those that are here), as the pipeline segments them."""
    from pipeline.ingest import iter_sources
    from pipeline.normalize import normalize
    from pipeline.segment import segment
    from pipeline.source import SourceDocument

    texts = [item.text for path in (ROOT / "corpus" / "docs", SHARED / "seeds") if path.exists()
             for item in iter_sources([path]) if isinstance(item, SourceDocument)]
    if ARTICLES.is_file():
        with ARTICLES.open(encoding="utf-8") as fh:
            texts += [json.loads(line)["text"] for _, line in zip(range(150), fh)]
    out = []
    for text in texts:
        norm = normalize(text).text
        for s in segment(norm):
            sylls = syllables(norm[s.start:s.end])
            if sylls:
                out.append(sylls)
    return out


AWKWARD = [
    "",
    "2025",
    "1 2 3 4 5 6 7 8 9 10 2147483647 2147483648 -2147483648 -2147483649 +5 -0 007",
    "00000000000000000000000042 -000000000000002147483648 " + "9" * 5000 + " " + "0" * 5000,
    "...!!!???---***,,,;;;:::((()))“”‘’–—…",
    "HÀ NỘI ĐÀ NẴNG Thành Phố Hồ Chí Minh UBND HĐND TP.HCM",
    "Ông Nguyễn Văn A nói: “Đến năm 2025, 80% cán bộ được bồi dưỡng”.",
    "BOS EOS bos eos True False",
    "Москва и 北京 và Tokyo ☺ 😀 café naïve ÆØÅ ß ǅ İstanbul",
    "Σ ΣΑΣ σας ΑΣ",                  # capital sigma: lower case by context, left to underthesea_core
    "ƛ ɤ ꟓ ꟕ",                       # small letters whose capitals are newer than Python's Unicode tables
    "x" * 300,
    " ".join(["cán bộ được bồi dưỡng 80%"] * 400),   # a long line
    "a\tb\u00a0c\u2003d",
    "https://vnexpress.net/abc-123.html email@x.vn 02/05/2014 4K 43H-0530 NĐ-CP v.v... H&M T.Ư",
]


def test_model_reads_as_python_crfsuite() -> None:
    import pycrfsuite

    _, _, model, _, _, _ = shipped()
    tagger = pycrfsuite.Tagger()
    tagger.open(join(directory(), "models.bin"))
    info = tagger.info()
    assert model.labels == sorted(info.labels, key=lambda label: int(info.labels[label]))
    assert model.attributes == sorted(info.attributes, key=lambda a: int(info.attributes[a]))
    ids = {label: int(i) for label, i in info.labels.items()}
    for (source, target), weight in info.transitions.items():
        assert model.transitions[ids[source]][ids[target]] == pytest.approx(weight, abs=1e-6)
    read = {(model.attributes[a], model.labels[y]): w for y, weights in enumerate(model.state)
            for a, w in enumerate(weights) if w}
    assert read.keys() == info.state_features.keys()
    assert all(read[key] == pytest.approx(w, abs=1e-6) for key, w in info.state_features.items())


def test_attributes_are_underthesea_cores() -> None:
    templates, dictionary, _, _, featurizer, _ = shipped()
    sentences = corpus_sentences()[:3000] + [syllables(t) for t in AWKWARD]
    sentences = [s for s in sentences if all(crf.cased_alike(t) for t in s)]
    assert len(sentences) > 1000
    for s in sentences:
        assert crf.attributes(templates, dictionary, s) == featurizer.process([[[t] for t in s]])[0], s


def test_transcribed_tagger_is_underthesea_cores() -> None:
    templates, dictionary, model, _, featurizer, tagger = shipped()
    for s in corpus_sentences()[:400] + [syllables(t) for t in AWKWARD[1:8]]:
        items = featurizer.process([[[t] for t in s]])[0]
        assert model.tag(items) == tagger.tag(items), s
    assert model.tag([]) == []


def test_tags_are_underthesea_cores_on_the_corpus() -> None:
    _, _, _, segmenter, _, _ = shipped()
    sentences = corpus_sentences()
    tagged = 0
    for s in sentences:
        tags = segmenter.tags(s)
        if tags is not None:
            assert tags == core_tags(s), s
            tagged += 1
    assert tagged > 0.99 * len(sentences) and tagged > 5000


def test_tags_are_underthesea_cores_on_awkward_input() -> None:
    _, _, _, segmenter, _, _ = shipped()
    assert segmenter.tags([]) == []
    left = []
    for text in AWKWARD:
        s = syllables(text)
        tags = segmenter.tags(s)
        if tags is None:
            left.append(text)
        else:
            assert tags == core_tags(s), text
    assert left == ["Σ ΣΑΣ σας ΑΣ", "ƛ ɤ ꟓ ꟕ"]


def test_tags_are_underthesea_cores_on_shuffled_syllables() -> None:
    """Random sequences of the corpus' syllables, random case, digits and punctuation between."""
    _, _, _, segmenter, _, _ = shipped()
    rng = random.Random(20261206)
    vocabulary = sorted({t for s in corpus_sentences()[:2000] for t in s})
    extra = ["2025", "80", "%", ",", ".", "-", "+", "“", "”", "(", ")", "BOS", "EOS", "2147483648", "-12"]
    for _ in range(1500):
        s = [rng.choice(extra) if rng.random() < 0.1 else rng.choice(vocabulary) for _ in range(rng.randint(1, 60))]
        s = [t.upper() if rng.random() < 0.05 else t.capitalize() if rng.random() < 0.1 else t for t in s]
        tags = segmenter.tags(s)
        assert tags is not None and tags == core_tags(s), s


def test_tokens_the_featurizer_splits_or_panics_on_are_left_to_underthesea_core() -> None:
    _, _, _, segmenter, _, _ = shipped()
    for s in (["a", ""], ["a b", "c"], [" a"], ["A "], ["Σ"], ["x", "ƛ"], ["x\udc80"]):
        assert segmenter.tags(s) is None


def test_cased_alike_characters_are_cased_as_underthesea_core_cases_them() -> None:
    """Every character cased_alike lets through: its lower case (in a syllable) and its title
    test are underthesea_core's (Rust's Unicode tables are newer than Python's)."""
    from underthesea_core import CRFFeaturizer

    featurizer = CRFFeaturizer(["T[0].lower", "T[0].istitle", "T[-1,0].lower"], set())
    chars = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000 and chr(c) != " "]
    alike = [c for c in chars if crf.cased_alike(c)]
    assert len(alike) > 250_000 and crf.cased_alike("Đà Nẵng 2025 “x”")
    for k in range(0, len(alike), 20_000):
        tokens = [c + "a" + c for c in alike[k:k + 20_000]]
        rows = featurizer.process([[[t] for t in tokens]])[0]
        for i, (token, row) in enumerate(zip(tokens, rows)):
            title = "True" if token[0].upper() == token[0] else "False"
            expected = [f"T[0].lower={token.lower()}", f"T[0].istitle={title}",
                        f"T[-1,0].lower={(tokens[i - 1] + ' ' + token).lower()}" if i else "T[-1,0].lower=BOS"]
            assert row == expected, hex(ord(token[0]))


def test_is_i32_is_rusts_parse() -> None:
    from underthesea_core import CRFFeaturizer

    true = ["0", "-0", "+5", "007", "2147483647", "-2147483648", "0" * 5000 + "12", "-000002147483648"]
    false = ["+", "-", "2147483648", "-2147483649", "１２", "٣", "1_000", "1.0", "+-1", "9" * 5000, "000002147483648"]
    assert [crf.is_i32(t) for t in true] == [True] * len(true)
    assert [crf.is_i32(t) for t in false + ["", " 1"]] == [False] * (len(false) + 2)
    rows = CRFFeaturizer(["T[0].isdigit"], set()).process([[[t] for t in true + false]])[0]
    assert rows == [[f"T[0].isdigit={t in true}"] for t in true + false]


def test_the_python_tagger_is_on_with_the_installed_underthesea() -> None:
    """The shipped model, templates and underthesea_core's featurizer are those the Python tagger
    reproduces (if an upgrade changes them, the tokenizer falls back to underthesea_core: this
    says so)."""
    model = _WordCrf(directory())
    assert model.segmenter is not None
    assert crf.agrees_with_core(shipped()[0])


def test_word_spans_fall_back_to_underthesea_core_for_a_sentence_it_does_not_take() -> None:
    tokenizer = get_word_tokenizer()
    text = "Σ là chữ cái Hy Lạp, cán bộ được bồi dưỡng"
    sylls = syllables(text)
    assert tokenizer._model.segmenter.tags(sylls) is None
    spans = tokenizer.word_spans(text)
    tags = core_tags(sylls)
    words = [text[a:b] for a, b in spans]
    assert "cán bộ" in words and "bồi dưỡng" in words
    assert len(words) == tags.count("B-W")


def test_word_model_panics_as_underthesea_core_does() -> None:
    model = _WordCrf(directory())
    with pytest.raises(ChitieuError):
        model.predict(["A ", "b"])
    assert model.predict(["cán", "bộ"]) == ["B-W", "I-W"]


def test_templates_it_does_not_know_leave_everything_to_underthesea_core(tmp_path) -> None:
    for name in ("models.bin", "dictionary.bin"):
        shutil.copy(join(directory(), name), tmp_path / name)
    templates = shipped()[0] + ["T[0].isupper"]
    with open(tmp_path / "features.bin", "wb") as fh:
        pickle.dump(templates, fh)
    model = _WordCrf(str(tmp_path))
    assert model.segmenter is None
    assert model.predict(["cán", "bộ", "được"]) == ["B-W", "I-W", "B-W"]


def test_model_files_it_does_not_read_are_unsupported(tmp_path) -> None:
    data = Path(directory(), "models.bin").read_bytes()
    for name, content in [("magic", b"XCRF" + data[4:]), ("short", data[:1000]), ("empty", b"")]:
        (tmp_path / name).write_bytes(content)
        with pytest.raises(crf.Unsupported):
            crf.read_crfsuite(str(tmp_path / name))
    with pytest.raises(crf.Unsupported):
        crf.parse_template("T[0].isupper")
    with pytest.raises(crf.Unsupported):
        crf.parse_template("T[1,0]")
    assert crf.parse_template("T[-2,0].is_in_dict") == (-2, 0, "is_in_dict")
