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


def test_head_starts_are_the_lower_cased_first_words_of_the_heads() -> None:
    starts = get_matchers().head_starts()
    assert {"cán bộ", "giáo viên", "người", "hộ"} <= starts
    assert "dân" not in starts and "Cán bộ" not in starts  # "người dân" opens with "người"


def test_may_hold_head_looks_up_each_lower_cased_word() -> None:
    from pipeline.match import may_hold_head

    starts = frozenset({"cán bộ", "hộ"})
    assert may_hold_head(["80", "%", "Cán bộ"], starts) is True
    assert may_hold_head(["HỘ", "nghèo"], starts) is True
    assert may_hold_head(["tỷ lệ", "cán", "bộ"], starts) is False
    assert may_hold_head([], starts) is False


def test_a_sentence_without_a_head_word_gets_no_spacy_doc() -> None:
    text = "Tỷ lệ che phủ rừng đạt 42% vào năm 2025"
    doc = to_doc(text)
    assert get_matchers().heads(View.build(text, text, 0, doc)) == []
    assert "spacy" not in doc.user_data
    with_head = to_doc("Năm 2025 có 500 giáo viên")
    assert get_matchers().heads(View.build(with_head.text, with_head.text, 0, with_head)) == [(16, 25)]
    assert "spacy" in with_head.user_data


def test_reads_dictionary_is_a_template_asking_is_in_dict() -> None:
    from pipeline.tokenize import reads_dictionary

    assert reads_dictionary(["T[0]", "T[-1,0].is_in_dict"]) is True
    assert reads_dictionary(["T[0]", "T[0].lower", "T[1].istitle"]) is False


def test_pos_features_are_the_same_without_the_dictionary() -> None:
    """The POS tagger's templates read no dictionary: its features are those made with the shipped one."""
    from os.path import join

    from underthesea_core import CRFFeaturizer

    from pipeline.tokenize import _Crf, _models_dir, _unpickle, reads_dictionary

    directory = _models_dir("pipeline", "pos_tag", "models", "pos_crf_vlsp2013_20230303")
    features = _unpickle(join(directory, "features.bin"))
    assert not reads_dictionary(features)
    shipped = CRFFeaturizer(features, _unpickle(join(directory, "dictionary.bin")))
    words = [[w] for w in ["Đến", "năm", "2025", ",", "80", "%", "cán bộ", "Hà Nội", "được", "bồi dưỡng"]]
    assert _Crf(directory).featurizer.process([words]) == shipped.process([words])
