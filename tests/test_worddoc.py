"""tokenize.WordDoc and match.PhraseMatcher: a sentence's words with their offsets, lexical tests
as spaCy's IS_PUNCT / IS_SPACE gave them, and phrases found by their lower-cased words."""
from __future__ import annotations

from pipeline.match import PhraseMatcher
from pipeline.tokenize import WordDoc, is_punct, to_doc, words_of


def test_to_doc_keeps_text_words_and_offsets() -> None:
    doc = to_doc("Đến năm 2025,\t80% cán bộ")
    assert doc.text == "Đến năm 2025,\t80% cán bộ"
    assert doc.words == ["Đến", "năm", "2025", ",", "\t", "80", "%", "cán bộ"]
    assert doc.starts == [0, 4, 8, 12, 13, 14, 16, 18]
    assert len(doc) == 8
    assert [(w.idx, w.text, w.is_punct, w.is_space) for w in doc][3:5] == [(12, ",", True, False), (13, "\t", False, True)]


def test_is_punct_is_every_character_punctuation() -> None:
    assert [is_punct(s) for s in [",", "...", "“", "%", "a,", "", "-", "+"]] == [True, True, True, True, False, True, True, False]


def test_is_punct_agrees_with_spacy() -> None:
    from spacy.lang.lex_attrs import is_punct as spacy_is_punct

    chars = [chr(cp) for cp in range(0x3000)]
    assert [is_punct(c) for c in chars] == [spacy_is_punct(c) for c in chars]


def test_phrase_matcher_finds_every_match_lower_cased() -> None:
    pm = PhraseMatcher([["cán bộ"], ["cán bộ", "công chức"], ["công chức"], []])
    doc = WordDoc("Cán bộ công chức và cán bộ", ["Cán bộ", "công chức", "và", "cán bộ"], [0, 7, 17, 20])
    assert pm.spans(doc) == [(0, 6), (0, 16), (7, 16), (20, 26)]
    assert pm.spans(WordDoc("", [], [])) == []


def test_words_of_tags_on_demand() -> None:
    doc = to_doc("80% cán bộ được bồi dưỡng")
    assert [w.tag_ for w in words_of(doc)] == [""] * 5
    assert [w.tag_ for w in words_of(doc, tagged=True)] == ["M", "CH", "N", "V", "V"]
