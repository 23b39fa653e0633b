"""pipeline.prefilter: what it rules out could never have held a target, so the records are the same
with it and without it; and it does rule out what has no reason to be an aim."""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from pipeline.extractor import Extractor
from pipeline.ingest import iter_sources
from pipeline.normalize import normalize
from pipeline.prefilter import worth_reading
from pipeline.segment import segment
from pipeline.source import SourceDocument

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def extractors() -> tuple[Extractor, Extractor]:
    return Extractor(), Extractor(prefilter=False)


def _same(extractors, doc: SourceDocument) -> None:
    fast, full = extractors
    assert fast.extract(doc).model_dump_json() == full.extract(doc).model_dump_json(), doc.doc_id


def test_corpus_and_seeds_records_are_the_same_without_prefilter(extractors) -> None:
    docs = [d for d in iter_sources([ROOT / "corpus" / "docs"] + ([SEEDS] if SEEDS.exists() else []))
            if isinstance(d, SourceDocument)]
    assert len(docs) >= 84
    for doc in docs:
        _same(extractors, doc)


# pieces of sentences: quantities, every kind of reason, and plain filler, mixed at random
QUANTITIES = ["80%", "12,5 %", "bảy mươi phần trăm", "một nửa số xã", "2/3 số hộ", "3 tỷ đồng", "500 triệu đồng/người",
              "khoảng 3.000 tỷ", "420 tỷ", "hỗ trợ 25 triệu đồng/ha",
              "1.300 học viên", "hai mươi học viên", "02 đến 03 cán bộ", "15 người", "10 USD"]
REASONS = ["Phấn đấu", "mục tiêu", "chỉ tiêu đề ra", "đến năm 2025,", "trước ngày 30/6/2025,", "giai đoạn 2021-2025",
           "sẽ", "cần", "nhằm", "kinh phí", "hỗ trợ", "Theo đó,", "Cụ thể,", "dự kiến", "trong thời gian tới"]
FILLER = ["cán bộ cấp xã", "được bồi dưỡng", "năm 2020", "tỉnh Hà Tĩnh", "doanh nghiệp", "tăng", "đạt", "học sinh",
          "ông Nguyễn Văn A cho biết", "UBND tỉnh vừa ban hành Kế hoạch số 12/KH-UBND về đào tạo nghề",
          "thời điểm", "xuất khẩu", "so với năm 2019"]
LINE_STARTS = ["", "", "", "- ", "a) ", "1. ", "II. MỤC TIÊU\n", "KẾT QUẢ ĐẠT ĐƯỢC\n", "\t"]


def _random_text(rnd: random.Random) -> str:
    lines = []
    for _ in range(rnd.randrange(1, 9)):
        sentences = []
        for _ in range(rnd.randrange(1, 4)):
            words = rnd.sample(FILLER, 3)
            if rnd.random() < 0.6:
                words.insert(rnd.randrange(4), rnd.choice(QUANTITIES))
            if rnd.random() < 0.35:
                words.insert(rnd.randrange(4), rnd.choice(REASONS))
            sentences.append(" ".join(words).capitalize() + rnd.choice([".", ".", ":", ""]))
        lines.append(rnd.choice(LINE_STARTS) + " ".join(sentences))
        if rnd.random() < 0.3:
            lines.append("")
    return "\n".join(lines)


def test_random_documents_records_are_the_same_without_prefilter(extractors) -> None:
    rnd = random.Random(20261204)
    for i in range(250):
        _same(extractors, SourceDocument(text=_random_text(rnd), doc_id=f"random{i}"))


def test_a_document_without_reasons_is_ruled_out_before_segmenting(extractors) -> None:
    fast, _ = extractors
    text = "Giá vàng\nGiá vàng hôm nay tăng 2%, lên 56 triệu đồng một lượng. Doanh thu đạt 300 tỷ đồng."
    norm = normalize(text)
    assert fast.prefilter.scan(norm.text, norm.match_text, official=False) is None
    aim = text + "\nPhấn đấu đến năm 2025, 80% cán bộ được bồi dưỡng."
    norm = normalize(aim)
    assert fast.prefilter.scan(norm.text, norm.match_text, official=False) is not None


def test_only_passages_that_may_hold_a_target_are_read(extractors) -> None:
    fast, _ = extractors
    text = ("Tin kinh tế\n"
            "Giá vàng tăng 2%.\n\n"
            "Phấn đấu đến năm 2025, 80% cán bộ được bồi dưỡng. Năm 2020, 40% đã được bồi dưỡng.\n\n"
            "Doanh thu đạt 300 tỷ đồng.")
    norm = normalize(text)
    sentences = segment(norm.text)
    anchors = fast.prefilter.scan(norm.text, norm.match_text, official=False)
    focus = fast.prefilter.passages(anchors, sentences, official=False, news_of_plan=None)
    aim = next(s for s in sentences if norm.text[s.start:s.end].startswith("Phấn đấu"))
    later = sentences[aim.index + 1]
    assert focus == {aim.passage: later.index}  # the aim's passage, to its last number; nothing else


def test_worth_reading_is_one_rule() -> None:
    base = dict(quantity=True, own_reason=False, passage_aim=False, section="", official=False, after_plan_news=False)
    assert not worth_reading(**base)
    assert not worth_reading(**{**base, "quantity": False, "own_reason": True})
    for reason in ({"own_reason": True}, {"passage_aim": True}, {"section": "aim"}, {"official": True},
                   {"after_plan_news": True}):
        assert worth_reading(**{**base, **reason}), reason
    assert not worth_reading(**{**base, "official": True, "section": "past"})


def _counts_by_unit(prefilter, folded: str) -> list[tuple[int, int]]:
    """Prefilter._counts_in_words as first written: each people unit found, then the number word
    before it checked."""
    from pipeline.wordscan import Occurrences

    out, n = [], len(folded)
    for a, b in Occurrences(prefilter.people_words).find(folded):
        j = a - 1
        if j < 1 or folded[j] != " " or (b < n and folded[b].isalpha()):
            continue
        while j > 0 and folded[j - 1].isalpha():
            j -= 1
        if folded[j:a - 1] in prefilter.number_words:
            out.append((j, b))
    return sorted(out)


def test_counts_in_words_values(extractors) -> None:
    p = extractors[0].prefilter
    text = "tuyển hai mươi học viên, năm người dân và ba ngườii; mười lăm hộ nghèo. haiba người"
    found = sorted(p._counts_in_words(text))
    assert [text[a:b] for a, b in found] == ["mươi học viên", "năm người", "năm người dân", "lăm hộ", "lăm hộ nghèo"]
    assert found == [(10, 23), (25, 34), (25, 38), (58, 64), (58, 70)]
    assert sorted(p._counts_in_words(text)) == _counts_by_unit(p, text)


def test_counts_in_words_as_first_written_on_the_corpus(extractors) -> None:
    from pipeline.prefilter import _fold

    p = extractors[0].prefilter
    for path in sorted((ROOT / "corpus" / "docs").glob("*.txt")):
        folded = _fold(normalize(path.read_text(encoding="utf-8")).match_text)
        if folded is not None:
            assert sorted(p._counts_in_words(folded)) == _counts_by_unit(p, folded), path.name


def test_quantity_sentences_hold_every_quantity(extractors) -> None:
    """Prefilter.quantity_sentences: a sentence it leaves out has no quantity (the extractor reads
    only its deadline cues)."""
    from pipeline.prefilter import Anchors

    fast = extractors[0]
    text = "Tỉnh có 120 học viên. Trời mưa to.\nĐến năm 2025, 80% cán bộ được bồi dưỡng."
    norm = normalize(text)
    sentences = segment(norm.text)
    anchors = fast.prefilter.scan(norm.text, norm.match_text, False)
    assert fast.prefilter.quantity_sentences(anchors, sentences) == {0, 2}
    assert fast.prefilter.quantity_sentences(Anchors.everywhere(len(norm.text)), sentences) == {0, 1, 2}
    for path in sorted((ROOT / "corpus" / "docs").glob("*.txt")):
        norm = normalize(path.read_text(encoding="utf-8"))
        anchors = fast.prefilter.scan(norm.text, norm.match_text, True)  # official: anchors whenever a quantity is found
        if anchors is None:
            continue
        sentences = segment(norm.text)
        counted = fast.prefilter.quantity_sentences(anchors, sentences)
        holding = {s.index for s in sentences if fast.reader.find(norm.match_text[s.start:s.end])}
        assert holding <= counted, path.name


def test_aim_sentences_hold_every_aim_cue(extractors) -> None:
    """Prefilter.aim_sentences: a sentence it leaves out has no aim cue (the extractor does not
    look for one there)."""
    from pipeline.match import View

    fast = extractors[0]
    text = "Tỉnh phấn đấu đào tạo 120 học viên. Trời mưa to.\nMục tiêu đến năm 2025: 80% cán bộ."
    norm = normalize(text)
    sentences = segment(norm.text)
    anchors = fast.prefilter.scan(norm.text, norm.match_text, True)
    assert fast.prefilter.aim_sentences(anchors, sentences) == {0, 2}
    paths = sorted((ROOT / "corpus" / "docs").glob("*.txt")) + sorted(SEEDS.glob("*.txt"))
    for path in paths:
        norm = normalize(path.read_text(encoding="utf-8"))
        anchors = fast.prefilter.scan(norm.text, norm.match_text, True)
        if anchors is None:
            continue
        sentences = segment(norm.text)
        cued = {s.index for s in sentences
                if fast.m.aim.search(View.build(norm.text[s.start:s.end], norm.match_text[s.start:s.end], s.start))}
        assert cued <= fast.prefilter.aim_sentences(anchors, sentences), path.name


def test_other_space_is_every_space_but_the_line_break_and_the_space() -> None:
    """prefilter._OTHER_SPACE (a standard-library class) matches every character up to U+3000 that
    Python or regex reads as a space, but "\\n" and " "."""
    import regex

    from pipeline.prefilter import _OTHER_SPACE, _fold

    chars = [chr(cp) for cp in range(0x3001)]
    expected = [c not in "\n " and (c.isspace() or regex.fullmatch(r"\s", c) is not None) for c in chars]
    assert [_OTHER_SPACE.fullmatch(c) is not None for c in chars] == expected
    assert _fold("Tối\tthiểu\u00a0Năm\n2025") == "tối thiểu năm\n2025"


def _find_each_by_str_find(folded: str, words: list[str], whole: bool) -> dict[str, list[tuple[int, int]]]:
    """The occurrences of each word, one str.find loop per word (the prefilter's way before the
    automaton)."""
    out = {}
    for w in words:
        at = folded.find(w)
        while at >= 0:
            end = at + len(w)
            if not whole or ((at == 0 or not (folded[at - 1].isalpha() or folded[at - 1].isdecimal()))
                             and (end == len(folded) or not (folded[end].isalpha() or folded[end].isdecimal()))):
                out.setdefault(w, []).append((at, end))
            at = folded.find(w, at + 1)
    return out


@pytest.mark.parametrize("whole", [False, True])
def test_one_pass_word_search_finds_what_a_find_per_word_finds(whole: bool) -> None:
    """Overlapping words ("kế hoạch" / "hoạch" / "kế"), a word inside another, at both ends of the
    text: every occurrence, in text order per word; `find` in the order the words were given."""
    from pipeline.wordscan import Occurrences

    words = ["kế hoạch", "hoạch", "kế", "hoạch định", "ạch", "%", "phần trăm"]
    rng = random.Random(7)
    pieces = ["kế hoạch", " ", "định", "hoạch", ",", "kế", "x", "1", "%", "phần trăm", "\n"]
    finder = Occurrences(words)
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        expected = _find_each_by_str_find(text, words, whole)
        assert finder.find_each(text, whole=whole) == expected
        if not whole:
            assert finder.find(text) == [span for w in words for span in expected.get(w, [])]
    assert finder.find_each("kế hoạch định", whole=True) == {"kế": [(0, 2)], "kế hoạch": [(0, 8)], "hoạch": [(3, 8)],
                                                            "hoạch định": [(3, 13)]}
    assert finder.find_each("kếhoạch định", whole=True) == {}  # every one touches a letter
