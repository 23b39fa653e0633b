"""pipeline.normalize: Unicode and tone-mark variants, invisible characters, spaces and line
breaks, web-page furniture, and the offset map back to the raw input."""
from __future__ import annotations

import unicodedata

import pytest
import regex

from pipeline.normalize import _DROP, _SPACES, fold_tone, is_furniture_line, normalize


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


# ---- characters ------------------------------------------------------------------------------

TEXT_CASES = [
    # (raw, normalized text)
    ("Phấn đấu 100% cán bộ được bồi dưỡng kỹ năng.", "Phấn đấu 100% cán bộ được bồi dưỡng kỹ năng."),
    (nfd("Phấn đấu 100% cán bộ được bồi dưỡng kỹ năng."), "Phấn đấu 100% cán bộ được bồi dưỡng kỹ năng."),
    ("Kế\u00a0hoạch số\u00a0124 của tỉnh.", "Kế hoạch số 124 của tỉnh."),
    ("Kế hoạch\u200b số 12\u200c4 của\u200d tỉnh.", "Kế hoạch số 124 của tỉnh."),
    ("\ufeffKế hoạch số 124 của tỉnh.", "Kế hoạch số 124 của tỉnh."),
    ("Kế hoạch\u00ad số 124\u2060 của tỉnh.", "Kế hoạch số 124 của tỉnh."),
    # a tab stays (it separates the columns of a table flattened to text); spaces around it go
    ("Kế   hoạch \t số  124\u2009\u00a0của tỉnh.", "Kế hoạch\tsố 124 của tỉnh."),
    ("   Kế hoạch số 124 của tỉnh.   ", "Kế hoạch số 124 của tỉnh."),
    ("Dòng 1 có 10 người.\n\n\n\n\nDòng 2 có 20 người.", "Dòng 1 có 10 người.\n\nDòng 2 có 20 người."),
    ("Dòng 1 có 10 người.   \n   Dòng 2 có 20 người.", "Dòng 1 có 10 người.\nDòng 2 có 20 người."),
    ("Dòng 1 có 10 người.\rDòng 2 có 20 người.", "Dòng 1 có 10 người.\nDòng 2 có 20 người."),
]
TEXT_IDS = ["nfc-already", "nfd-composed", "nbsp", "zero-width", "bom", "soft-hyphen-word-joiner",
            "space-runs-tab-thin", "line-strip", "blank-line-runs", "line-end-spaces", "cr"]


@pytest.mark.parametrize("raw, expected", TEXT_CASES, ids=TEXT_IDS)
def test_normalized_text(raw: str, expected: str) -> None:
    assert normalize(raw).text == expected


def test_crlf_is_one_line_break() -> None:
    assert normalize("Dòng 1 có 10 người.\r\nDòng 2 có 20 người.").text == "Dòng 1 có 10 người.\nDòng 2 có 20 người."


def test_nothing_invisible_survives() -> None:
    raw = "\ufeff Kế\u00a0hoạch\u200b có\u2003 12,5%\u200d lao\u00ad động.\r\n"
    text = normalize(raw).text
    assert not (set(text) & (_DROP | _SPACES | {"\r"}))
    assert "  " not in text


# ---- tone-mark convention --------------------------------------------------------------------

TONE_PAIRS = [
    ("Uỷ ban nhân dân tỉnh có 20 người", "Ủy ban nhân dân tỉnh có 20 người"),
    ("hoà nhập cộng đồng cho 30 người", "hòa nhập cộng đồng cho 30 người"),
    ("thuỷ lợi, khoẻ mạnh cho 40 người", "thủy lợi, khỏe mạnh cho 40 người"),
    ("Hoà Bình có 50 người", "Hòa Bình có 50 người"),
    (nfd("Uỷ ban hoà giải có 60 người"), "Ủy ban hòa giải có 60 người"),
]


@pytest.mark.parametrize("old, new", TONE_PAIRS, ids=["uỷ-ủy", "hoà-hòa", "thuỷ-khoẻ", "capital-Hoà", "nfd-uỷ-hoà"])
def test_tone_variants_share_match_text(old: str, new: str) -> None:
    a, b = normalize(old), normalize(new)
    assert a.match_text == b.match_text
    assert len(a.match_text) == len(a.text)  # match_text indexes like text
    assert a.text == unicodedata.normalize("NFC", old)  # text keeps the writer's spelling


@pytest.mark.parametrize("word", ["quả", "quý", "hoàn thành", "thuỷ sản", "toàn"], ids=str)
def test_fold_tone_keeps_length(word: str) -> None:
    assert len(fold_tone(word)) == len(unicodedata.normalize("NFC", word))


def test_qu_is_not_refolded() -> None:
    """'quả', 'quý': the u of qu- is part of the consonant; its tone already sits on the vowel."""
    assert fold_tone("quả") == "quả"
    assert fold_tone("quý") == "quý"


# ---- furniture -------------------------------------------------------------------------------

FURNITURE = [
    ("Trang chủ", "menu"),
    ("Chia sẻ", "share-button"),
    ("Menu", "menu-word"),
    ("A- A A+", "font-size-widget"),
    ("Ý kiến bạn đọc", "comments"),
    ("Ý kiến bạn đọc (3)", "comments-count"),
    ("Tin xem nhiều", "most-read"),
    ("Tin liên quan", "related"),
    ("Tác giả: Minh Châu", "byline-author"),
    ("Theo: Báo Tuyên Quang", "byline-theo"),
    ("Thanh Hà", "byline-name"),
    ("Ảnh minh họa", "caption-illustration"),
    ("Lãnh đạo tỉnh thăm lớp tập huấn. Ảnh: Hồng Nhung", "caption-photo"),
    ("lop-tap-huan-can-bo.jpg", "file-name-jpg"),
    ("anh-hoi-nghi.png", "file-name-png"),
    ("Cập nhật lúc 08:44, Thứ Năm, 22/12/2016", "update-stamp"),
    ("- - -", "punctuation-debris"),
]

CONTENT = [
    ("Phấn đấu đến năm 2025, 100% cán bộ được bồi dưỡng.", "aim-sentence"),
    ("Kế hoạch tập huấn, bồi dưỡng cán bộ xây dựng nông thôn mới các cấp", "long-headline"),
    ("Nhiệm vụ và giải pháp chủ yếu", "five-word-heading"),
    ("Mục tiêu cụ thể đến năm 2025:", "lead-in"),
]


@pytest.mark.parametrize("line", [c[0] for c in FURNITURE], ids=[c[1] for c in FURNITURE])
def test_furniture_line(line: str) -> None:
    assert is_furniture_line(line)


@pytest.mark.parametrize("line", [c[0] for c in CONTENT], ids=[c[1] for c in CONTENT])
def test_content_line_is_not_furniture(line: str) -> None:
    assert not is_furniture_line(line)


@pytest.mark.parametrize("line", ["Mục tiêu chung", "Mục tiêu cụ thể", "Giải pháp thực hiện", "Tổ chức thực hiện"],
                         ids=str)
def test_short_heading_is_not_a_byline(line: str) -> None:
    assert not is_furniture_line(line)


def test_furniture_lines_dropped_from_document() -> None:
    raw = ("Trang chủ\nChia sẻ\nKế hoạch bồi dưỡng cán bộ cấp xã\nA- A A+\n"
           "Tỉnh phấn đấu đến năm 2025 có 90% cán bộ cấp xã được bồi dưỡng.\n"
           "lop-boi-duong.jpg\nTác giả: Minh Châu")
    norm = normalize(raw)
    assert norm.text == ("Kế hoạch bồi dưỡng cán bộ cấp xã\n"
                         "Tỉnh phấn đấu đến năm 2025 có 90% cán bộ cấp xã được bồi dưỡng.")
    assert norm.dropped_lines == 5


def test_text_after_footer_marker_dropped() -> None:
    body = ("Kế hoạch đào tạo nghề cho lao động nông thôn năm 2025.\n"
            "Tỉnh phấn đấu đào tạo nghề cho 2.000 lao động nông thôn.\n"
            "Kinh phí thực hiện khoảng 5 tỷ đồng từ ngân sách tỉnh.")
    tail = "\nTin xem nhiều\nHuyện A khánh thành 3 trường học mới\nGiá vàng tăng 2% trong tuần"
    norm = normalize(body + tail)
    assert norm.text == body
    assert norm.dropped_lines == 3


def test_footer_marker_at_top_does_not_cut_the_article() -> None:
    """A marker in the first 30% of the text is a menu item, not the footer."""
    raw = ("Tin xem nhiều\nKế hoạch đào tạo nghề cho lao động nông thôn năm 2025 được ban hành với "
           "mục tiêu đào tạo 2.000 lao động nông thôn trong năm.")
    assert "2.000 lao động" in normalize(raw).text


@pytest.mark.parametrize("line", ["Trang chủ 2025", "Tin xem nhiều 12", "Chia sẻ 300 học viên"], ids=str)
def test_lines_with_numbers_are_kept(line: str) -> None:
    raw = f"Kế hoạch đào tạo nghề cho lao động nông thôn năm 2025 của tỉnh.\n{line}"
    assert line in normalize(raw).text


def test_scraper_prefix_stripped() -> None:
    assert normalize("null Kế hoạch số 12 của tỉnh.").text == "Kế hoạch số 12 của tỉnh."


def test_drop_furniture_off_keeps_everything() -> None:
    raw = "Trang chủ\nKế hoạch đào tạo cán bộ."
    assert normalize(raw, drop_furniture=False).text == raw


# ---- offsets back to the raw input -------------------------------------------------------------

def fold(raw_piece: str) -> str:
    """What normalize makes of a raw piece, character by character: NFC, CR/CRLF -> LF, any space
    -> ' ', invisible characters gone (no collapsing, no furniture)."""
    out = []
    i = 0
    while i < len(raw_piece):
        ch = raw_piece[i]
        if ch in _DROP:
            pass
        elif ch == "\r":
            out.append("\n")
            if raw_piece[i + 1:i + 2] == "\n":
                i += 1
        elif ch in _SPACES:
            out.append(" ")
        else:
            out.append(ch)
        i += 1
    return unicodedata.normalize("NFC", "".join(out))


OFFSET_RAWS = [
    "Phấn đấu đến năm 2025, 100% cán bộ được bồi dưỡng.",
    nfd("Phấn đấu đến năm 2025, 100% cán bộ được bồi dưỡng."),
    "\ufeffKế\u00a0hoạch  số\u200b 124 \u00a0 năm 2025 đạt 12,5 %.",
    "  Uỷ ban   nhân dân\u2009tỉnh hoà\u200d nhập 70%.\n\n\n\nDòng hai có\u00a0\u00a030 người.",
    "Trang chủ\nChia sẻ\n" + nfd("Kế hoạch đạt 90% cán bộ") + "\nA- A A+\nDòng cuối có 5 người.",
    "Dòng 1 có 10 người.\rDòng 2 có 20 người.",
    "Dòng 1 có 10 người.\r\nDòng 2 có 20 người.\r\n\r\nDòng 3 có 30 người.",
]


@pytest.mark.parametrize("raw", OFFSET_RAWS, ids=["plain", "nfd", "invisible-and-spaces", "tone-and-blank-lines",
                                                   "furniture-and-nfd", "cr", "crlf"])
def test_every_char_maps_to_its_raw_span(raw: str) -> None:
    """The invariant: the normalized characters that share one raw span [raw_start, raw_end) are,
    together, exactly what that raw span folds to (NFC, spaces unified, invisibles dropped); spans
    are non-empty, in bounds and in order."""
    norm = normalize(raw)
    n = len(norm.text)
    assert len(norm.raw_start) == len(norm.raw_end) == n
    k = 0
    prev_start = 0
    while k < n:
        a, b = norm.raw_start[k], norm.raw_end[k]
        assert 0 <= a < b <= len(raw)
        assert a >= prev_start, "raw spans go backwards"
        j = k
        while j < n and (norm.raw_start[j], norm.raw_end[j]) == (a, b):
            j += 1
        assert norm.text[k:j] == fold(raw[a:b]), f"chars {k}:{j} {norm.text[k:j]!r} vs raw {raw[a:b]!r}"
        prev_start, k = a, j


@pytest.mark.parametrize("raw", OFFSET_RAWS, ids=["plain", "nfd", "invisible-and-spaces", "tone-and-blank-lines",
                                                   "furniture-and-nfd", "cr", "crlf"])
def test_word_spans_map_back(raw: str) -> None:
    """Any span of whole words in one line: its raw slice, NFC'd with spaces folded, invisibles
    dropped and space runs collapsed, is the normalized span."""
    norm = normalize(raw)
    for line in regex.finditer(r"[^\n]+", norm.text):
        words = [(m.start(), m.end()) for m in regex.finditer(r"\S+", norm.text) if line.start() <= m.start() < line.end()]
        for i in range(len(words)):
            for j in range(i, len(words)):
                s, e = words[i][0], words[j][1]
                a, b = norm.to_raw(s, e)
                assert regex.sub(r" {2,}", " ", fold(raw[a:b])) == norm.text[s:e]


def test_to_raw_of_empty_span() -> None:
    norm = normalize("Kế hoạch có 20 người.")
    assert norm.to_raw(3, 3) == (3, 3)
    assert norm.to_raw(len(norm.text), len(norm.text)) == (len(norm.text), len(norm.text))


def test_deletions_are_the_pattern_matches() -> None:
    """_deletions tries the space-collapsing pattern only where a match can start: it must find
    exactly what a scan of every position finds."""
    import random

    from pipeline.normalize import _DELETE, _deletions

    rnd = random.Random(7)
    for _ in range(20000):
        text = "".join(rnd.choice(["a", " ", "\n", "\t", "b "]) for _ in range(rnd.randrange(0, 14)))
        assert _deletions(text) == [(m.start(), m.end()) for m in _DELETE.finditer(text)], repr(text)


def test_offsets_grow_with_edits_not_with_length() -> None:
    clean = "Phấn đấu đến năm 2025, 80% cán bộ được bồi dưỡng.\n" * 2000
    norm = normalize(clean)
    assert len(norm.offsets.starts) == 1  # one copied stretch for the whole text
    assert norm.raw_start[len(norm.text) - 1] == len(norm.text) - 1
    edited = normalize(clean.replace("cán bộ", "cán\u00a0 bộ", 3))
    assert len(edited.offsets.starts) <= 7  # a run per edit, not per character
    assert edited.raw_start[0:3] == [0, 1, 2]


def test_paragraphs_that_end_with_a_photo_credit_are_text() -> None:
    """A photo article whose every paragraph ends with '(Ảnh: ...)' is not emptied as captions."""
    raw = ("Hoa đỗ quyên nở khắp núi rừng. Du khách thích thú ngắm hoa. (Ảnh: Ngô Văn An).\n"
           "Mùa hoa kéo dài đến tháng 5. (Ảnh: Ngô Văn An).\n"
           "Cán bộ nguồn tham gia các chương trình bồi dưỡng. Ảnh: daknong.gov.vn\n"
           "Phương Nga")
    text = normalize(raw).text
    assert text.splitlines() == raw.splitlines()[:2]


def test_caption_needs_changes_no_caption() -> None:
    """rules/furniture.yaml caption_needs only skips lines that no caption pattern matches."""
    from dataclasses import replace
    from pathlib import Path

    from pipeline.normalize import _furniture_patterns

    caption, max_chars = _furniture_patterns(0)[1:3]
    plain = replace(caption, needs=None)
    assert caption.needs is not None
    lines = [line for p in sorted((Path(__file__).resolve().parents[1] / "corpus" / "docs").glob("*.txt"))
             for line in p.read_text(encoding="utf-8").split("\n") if line and len(line) <= max_chars]
    lines += ["phu-nu-bac-kan.JPG", "Lớp học. ẢNH: Văn Hưng", "Trong ảnh: lớp học", "Xem ảnh 3 bên dưới", "Lớp học"]
    assert [caption.fullmatch(line) for line in lines] == [plain.fullmatch(line) for line in lines]
    assert [caption.fullmatch(line) for line in lines[-5:]] == [True, True, True, True, False]
