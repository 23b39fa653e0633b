"""tokenize.WordDoc: a sentence's words with their offsets, lexical tests as spaCy's IS_PUNCT /
IS_SPACE give them; the spaCy Doc of its words, on which the head nouns are matched."""
from __future__ import annotations

from pipeline.match import View, get_matchers
from pipeline.tokenize import is_punct, spacy_doc, to_doc, words_of


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


def test_spacy_doc_has_the_words_offsets_and_text() -> None:
    doc = to_doc("Đến năm 2025,\t80% cán bộ  được.")
    made = spacy_doc(doc)
    assert made.text == doc.text
    assert [t.text for t in made] == doc.words and [t.idx for t in made] == doc.starts
    assert spacy_doc(doc) is made  # once per sentence


def test_heads_are_matched_by_spacy_on_lower_cased_words() -> None:
    text = "Cán bộ, công chức cấp xã và giáo viên được bồi dưỡng"
    view = View.build(text, text, 0, to_doc(text))
    heads = get_matchers().heads(view)
    found = [text[a:b] for a, b in heads]
    assert "Cán bộ" in found and "giáo viên" in found
    assert heads == sorted(heads) and get_matchers().heads(view) is heads


def test_words_of_tags_on_demand() -> None:
    doc = to_doc("80% cán bộ được bồi dưỡng")
    assert [w.tag_ for w in words_of(doc)] == [""] * 5
    assert [w.tag_ for w in words_of(doc, tagged=True)] == ["M", "CH", "N", "V", "V"]
