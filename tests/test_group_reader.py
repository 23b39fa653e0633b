"""The learned group reader: BIO labels from gold, span choice and confidence, deterministic
training, the fallback to the rules' group, and the shipped tagger on a few sentences."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.extractor import Extractor
from pipeline.learn import dataset, group_reader as gr, group_train, train
from pipeline.source import SourceDocument
from pipeline.tokenize import Word

ROOT = Path(__file__).resolve().parent.parent


def _words(text: str) -> list[Word]:
    out, pos = [], 0
    for w in text.split(" "):
        out.append(Word(pos, w, "", False, False))
        pos += len(w) + 1
    return out


def test_bio_marks_the_words_of_the_span():
    words = _words("phấn đấu 80% cán bộ xã được bồi dưỡng")
    assert gr.bio(words, (13, 22)) == ["O", "O", "O", "B", "I", "I", "O", "O", "O"]
    assert gr.bio(words, None) == ["O"] * 9


def test_locate_takes_the_occurrence_nearest_the_number():
    text = "Hộ nghèo giảm; đến 2025, 90% hộ nghèo được hỗ trợ, hộ nghèo khác"
    assert gr.locate(text, "hộ nghèo", 25, 28) == (29, 37)
    assert gr.locate(text, "Hộ Nghèo", 25, 28) == (29, 37)   # case-insensitively when not verbatim
    assert gr.locate(text, "công chức", 25, 28) is None


def test_spans_and_the_span_nearest_the_number_with_its_confidence():
    words = _words("A 80% cán bộ , B C")
    labels = ["B", "O", "B", "I", "O", "B", "I"]
    assert gr.spans(labels) == [(0, 1), (2, 4), (5, 7)]
    marg = [{"B": 0.9, "I": 0.0, "O": 0.1}, {"O": 1.0}, {"B": 0.8, "O": 0.2}, {"I": 0.6, "O": 0.4},
            {"O": 0.9}, {"B": 0.5, "O": 0.5}, {"I": 0.5, "O": 0.5}]
    start, end, conf = gr.choose(words, labels, marg, 2, 5)
    assert (start, end) == (6, 12)                   # "cán bộ", right after the number
    assert conf == pytest.approx(0.7)                # mean of 0.8 and 0.6; the words around are O from 0.9 and 1.0
    assert gr.choose(words, ["O"] * 7, marg, 2, 5) is None


def test_phrase_trims_punctuation_and_an_open_bracket():
    text = "80% cán bộ, công chức (cấp xã được"
    ph = gr.phrase(text, 3, len(text) - 5)
    assert ph.text == "cán bộ, công chức" and text[ph.start:ph.end] == ph.text


def test_a_span_that_cuts_a_head_noun_takes_all_of_it():
    #                      0         1         2         3         4
    #                      0123456789012345678901234567890123456789012345
    text = "90% giáo viên, nhân viên và người lao động trong"
    heads = [(4, 13), (15, 24), (28, 42), (34, 42)]   # giáo viên, nhân viên, người lao động, lao động
    assert gr.whole_heads(4, 33, heads) == (4, 42)      # "... và người" -> "... và người lao động"
    assert gr.whole_heads(34, 42, heads) == (28, 42)    # "lao động", inside "người lao động": all of that
    assert gr.whole_heads(4, 24, heads) == (4, 24)      # no head cut
    assert gr.whole_heads(4, 33, []) == (4, 33)


def test_shipped_tagger_reads_a_coordinated_group_to_the_end_of_its_head():
    """The CRF ends "giáo viên, nhân viên và người lao động ..." after "người"; the head noun
    "người lao động" of the lexicon is taken whole."""
    ex = Extractor()
    ex.judge = None
    a = ex.analyze(SourceDocument(text="Phấn đấu 90% giáo viên, nhân viên và người lao động trong các trường công lập "
                                       "được bồi dưỡng kỹ năng số trong năm 2025.", doc_id="x"))
    assert [c.group.text for c in a.cands] == ["giáo viên, nhân viên và người lao động"]


def _small(tmp_path: Path, n: int = 12) -> list:
    lines = [line for line in (ROOT / "corpus" / "gold.jsonl").read_text(encoding="utf-8").splitlines()
             if json.loads(line).get("split") == "dev"][:n]
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ex = Extractor()
    ex.judge, ex.group_tagger = None, None
    return dataset.build([dataset.GoldSet.parse(f"{gold}={ROOT / 'corpus' / 'docs'}")], ex), ex


def test_training_is_deterministic_and_labels_come_from_gold(tmp_path):
    docs, ex = _small(tmp_path)
    seqs = group_train.sequences(docs, ex.m)
    labelled = [s for s in seqs if s.labels]
    assert labelled and all(len(s.labels) == len(s.feats) == len(s.words) for s in labelled)
    for s in labelled:  # the words labelled B/I are the gold group's
        c = docs[s.doc].analysis.cands[s.cand]
        inside = [w for w, lab in zip(s.words, s.labels) if lab != "O"]
        text = c.view.text[inside[0].idx:inside[-1].idx + len(inside[-1].text)]
        assert any(g.lower() == text.lower() for g in s.golds)
    a = group_train.fit(seqs, tmp_path / "a.crfsuite").read_bytes()
    b = group_train.fit(group_train.sequences(docs, ex.m), tmp_path / "b.crfsuite").read_bytes()
    assert a == b
    cv = group_train.cross_validate(docs, seqs, train.folds_of(docs, 2))
    assert cv.min_confidence in group_train.CONFIDENCE
    assert cv.rates["all"]["candidates"] == sum(1 for s in seqs if s.golds)


def test_a_tagger_below_its_confidence_leaves_the_rules_group(tmp_path):
    docs, ex = _small(tmp_path, 6)
    seqs = group_train.sequences(docs, ex.m)
    path = group_train.fit(seqs, tmp_path / "m.crfsuite")
    text = "Phấn đấu đến năm 2025, 80% cán bộ, công chức cấp xã được bồi dưỡng kỹ năng số."
    ex.group_tagger = gr.GroupTagger(path, 1.01)  # never sure enough
    a = ex.analyze(SourceDocument(text=text, doc_id="x"))
    assert [c.group.text for c in a.cands] == ["cán bộ, công chức cấp xã"]
    assert all("group.learned" not in c.rules for c in a.cands)
    # the tagger's confidence is kept on the candidate all the same: the judge reads it
    conf = a.cands[0].group_confidence
    assert conf is not None and 0.0 < conf <= 1.0
    from pipeline.learn.features import DocContext, candidate_features
    f = candidate_features(DocContext(a), a.cands[0])
    assert f["gconf"] == conf and f[f"gconf={min(int(conf * 5), 4)}"] == 1


def test_apply_gives_every_read_candidate_its_out_of_fold_confidence(tmp_path):
    docs, ex = _small(tmp_path, 6)
    seqs = group_train.sequences(docs, ex.m)
    cv = group_train.cross_validate(docs, seqs, train.folds_of(docs, 2))
    group_train.apply(docs, seqs, cv)
    for s in seqs:
        c = docs[s.doc].analysis.cands[s.cand]
        assert c.group_confidence == cv.read.get((s.doc, s.cand), (None, 0.0))[1]
        assert docs[s.doc].features[s.cand]["gconf"] == c.group_confidence


SHIPPED = [
    # the rules' group where the rules are right
    ("Phấn đấu đến năm 2025, ít nhất 80% cán bộ, công chức cấp xã được bồi dưỡng kỹ năng số.",
     ["cán bộ, công chức cấp xã"]),
    # the whole named before the number (the rules: "cả năm", after it)
    ("Với mục tiêu tăng trưởng tín dụng 18% năm 2017, tín dụng là kênh vốn quan trọng giúp đạt mục tiêu "
     "tăng trưởng GDP 6,7% cả năm.", ["tín dụng", "GDP"]),
    # the rules find no group
    ("Tăng trưởng GDP có dấu hiệu khởi sắc, song để đạt mục tiêu tăng trưởng cả năm 6,7% như đã đề ra, "
     "6 tháng cuối năm, GDP phải tăng ít nhất 7,4%.", ["GDP", "GDP"]),
]


@pytest.mark.skipif(not gr.MODEL_PATH.exists(), reason="no shipped group tagger")
@pytest.mark.parametrize("text,group", SHIPPED)
def test_shipped_tagger_reads_the_group(text, group):
    tagger = gr.load_group_tagger()
    assert tagger is not None
    ex = Extractor()
    ex.judge = None
    a = ex.analyze(SourceDocument(text=text, doc_id="x"))
    pct = [c for c in a.cands if c.q.kind == "percent"]
    assert [c.group.text if c.group else None for c in pct] == group


def test_a_long_document_is_segmented_once_for_the_group_reader(monkeypatch):
    """More sentences with percentages than tokenize.DocCache keeps: the group reader reads the words
    the extractor kept for each, instead of segmenting and tagging the sentence again; the analysis
    keeps none of them afterwards."""
    from collections import Counter

    from pipeline import tokenize
    from pipeline.extractor import get_extractor

    extractor = get_extractor()
    if extractor.group_tagger is None:
        pytest.skip("no learned group reader shipped")
    lines = [f"- Đến năm {2020 + i % 11}, {i % 97 + 1}% cán bộ xã số {i} được bồi dưỡng." for i in range(tokenize.DocCache.SIZE + 88)]
    made = Counter()
    to_doc = tokenize.to_doc

    def counting(text, spans=None):
        made[text] += 1
        return to_doc(text, spans)

    monkeypatch.setattr(tokenize, "to_doc", counting)
    analysis = extractor.analyze(SourceDocument(text="Mục tiêu:\n" + "\n".join(lines), doc_id="long"))
    assert sum(1 for c in analysis.cands if c.q.kind == "percent") == len(lines)
    assert max(made.values()) == 1 and len(made) >= len(lines)
    assert all(r.doc is None for r in analysis.results)
