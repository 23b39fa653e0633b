"""pipeline.segment: sentence ends (and the dots that are not ends), headings, passages."""
from __future__ import annotations

import pytest

from pipeline.segment import segment


def sentences(text: str, *, title_line: bool = False) -> list[str]:
    return [text[s.start:s.end] for s in segment(text, title_line=title_line)]


# ---- where sentences end -----------------------------------------------------------------------

SPLITS = [
    ("vvv-then-lower",
     "Tập huấn kỹ năng tuyên truyền, vận động, v.v.. cho cán bộ Hội các cấp. Năm 2025 có 80% cán bộ được tập huấn.",
     ["Tập huấn kỹ năng tuyên truyền, vận động, v.v.. cho cán bộ Hội các cấp.",
      "Năm 2025 có 80% cán bộ được tập huấn."]),
    ("vvv-then-upper",
     "Nội dung gồm kỹ năng, nghiệp vụ v.v.. Năm 2025 có 80% cán bộ được tập huấn.",
     ["Nội dung gồm kỹ năng, nghiệp vụ v.v..", "Năm 2025 có 80% cán bộ được tập huấn."]),
    ("domain-inside",
     "Thông tin đăng trên daknong.gov.vn và được cập nhật hàng tuần. Kế hoạch có 3 mục tiêu.",
     ["Thông tin đăng trên daknong.gov.vn và được cập nhật hàng tuần.", "Kế hoạch có 3 mục tiêu."]),
    ("domain-at-end",
     "Chi tiết xem tại daknong.gov.vn. Người dân có thể đăng ký trực tuyến.",
     ["Chi tiết xem tại daknong.gov.vn.", "Người dân có thể đăng ký trực tuyến."]),
    ("url",
     "Người dân truy cập https://dichvucong.gov.vn/p/home/dvc-trang-chu.html để nộp hồ sơ. Hạn cuối là tháng 12.",
     ["Người dân truy cập https://dichvucong.gov.vn/p/home/dvc-trang-chu.html để nộp hồ sơ.", "Hạn cuối là tháng 12."]),
    ("decimal-comma",
     "Kinh phí thực hiện là 4,4 tỷ đồng. Tỷ lệ hộ nghèo giảm 1,5%.",
     ["Kinh phí thực hiện là 4,4 tỷ đồng.", "Tỷ lệ hộ nghèo giảm 1,5%."]),
    ("thousands-dot",
     "Tỉnh sẽ đào tạo 1.300 học viên trong năm. Kinh phí 1.250.000.000 đồng.",
     ["Tỉnh sẽ đào tạo 1.300 học viên trong năm.", "Kinh phí 1.250.000.000 đồng."]),
    ("ts-ths",
     "Hội thảo do TS. Nguyễn Văn An và ThS. Lê Thị Hoa chủ trì. Có 200 đại biểu dự.",
     ["Hội thảo do TS. Nguyễn Văn An và ThS. Lê Thị Hoa chủ trì.", "Có 200 đại biểu dự."]),
    ("ts-at-start",
     "TS. Trần Minh nhấn mạnh vai trò của đào tạo. PGS. TS. Phạm Hùng đồng tình.",
     ["TS. Trần Minh nhấn mạnh vai trò của đào tạo.", "PGS. TS. Phạm Hùng đồng tình."]),
    ("tp-city",
     "TP. Hồ Chí Minh phấn đấu 50% lao động qua đào tạo. Hà Nội cũng vậy.",
     ["TP. Hồ Chí Minh phấn đấu 50% lao động qua đào tạo.", "Hà Nội cũng vậy."]),
    ("date-at-end",
     "Kế hoạch được ban hành ngày 16/1/2014. Kế hoạch có hiệu lực từ ngày ký.",
     ["Kế hoạch được ban hành ngày 16/1/2014.", "Kế hoạch có hiệu lực từ ngày ký."]),
    ("date-then-digit",
     "Hội nghị diễn ra ngày 16/1/2014. 120 đại biểu đã tham dự.",
     ["Hội nghị diễn ra ngày 16/1/2014.", "120 đại biểu đã tham dự."]),
    ("exclamation-question",
     "Năm 2025 sẽ đạt 1.300 người! Vậy còn năm 2030? Mục tiêu là 2.000 người.",
     ["Năm 2025 sẽ đạt 1.300 người!", "Vậy còn năm 2030?", "Mục tiêu là 2.000 người."]),
    ("lower-after-dot-no-split",
     "Kinh phí do Sở Tài chính cấp. theo đúng quy định.",
     ["Kinh phí do Sở Tài chính cấp. theo đúng quy định."]),
    ("line-break-ends-sentence",
     "Mục tiêu cụ thể\nĐến năm 2025, 80% cán bộ được bồi dưỡng\nĐến năm 2030, 100% cán bộ được bồi dưỡng.",
     ["Mục tiêu cụ thể", "Đến năm 2025, 80% cán bộ được bồi dưỡng", "Đến năm 2030, 100% cán bộ được bồi dưỡng."]),
    ("list-items",
     "Mục tiêu đến năm 2025:\n- 80% cán bộ được bồi dưỡng;\n- 70% công chức được tập huấn.",
     ["Mục tiêu đến năm 2025:", "- 80% cán bộ được bồi dưỡng;", "- 70% công chức được tập huấn."]),
]


@pytest.mark.parametrize("text, expected", [c[1:] for c in SPLITS], ids=[c[0] for c in SPLITS])
def test_sentence_split(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_www_address_at_sentence_end() -> None:
    assert sentences("Xem thêm tại www.molisa.gov.vn. Kế hoạch có 3 mục tiêu.") == [
        "Xem thêm tại www.molisa.gov.vn.", "Kế hoạch có 3 mục tiêu."]


def test_closing_quote_stays_with_its_sentence() -> None:
    assert sentences("Ông nói: “Năm 2025 sẽ đạt 80%.” Sau đó ông ra về.") == [
        "Ông nói: “Năm 2025 sẽ đạt 80%.”", "Sau đó ông ra về."]


def test_offsets_index_the_text() -> None:
    text = "Tiêu đề bài viết về đào tạo\n\nCâu một có 4,4 tỷ đồng. Câu hai!\n- Ý ba;\nCâu bốn."
    for s in segment(text):
        piece = text[s.start:s.end]
        assert piece == piece.strip() and piece
        assert "\n" not in piece
    assert [s.index for s in segment(text)] == list(range(len(segment(text))))


# ---- headings, titles, lead-ins -----------------------------------------------------------------

def test_heading_without_final_stop() -> None:
    text = "Mục tiêu cụ thể\nĐến năm 2025, 80% cán bộ được bồi dưỡng."
    heads = [(text[s.start:s.end], s.is_heading) for s in segment(text, title_line=False)]
    assert heads == [("Mục tiêu cụ thể", True), ("Đến năm 2025, 80% cán bộ được bồi dưỡng.", False)]


def test_title_line() -> None:
    text = "Bắc Kạn bồi dưỡng 300 cán bộ Hội\nNăm 2025, tỉnh bồi dưỡng 300 cán bộ Hội."
    flags = [s.is_title for s in segment(text)]
    assert flags == [True, False]
    assert [s.is_title for s in segment(text, title_line=False)] == [False, False]


def test_lead_in_opens_list() -> None:
    text = "Mục tiêu cụ thể đến năm 2025:\n- 80% cán bộ được bồi dưỡng."
    assert [s.opens_list for s in segment(text, title_line=False)] == [True, False]


# ---- passages -----------------------------------------------------------------------------------

def passages(text: str, *, title_line: bool = False) -> list[tuple[str, int]]:
    return [(text[s.start:s.end], s.passage) for s in segment(text, title_line=title_line)]


def same_passage(text: str, title_line: bool = False) -> list[bool]:
    """For each sentence after the first: is it in the passage of the one before?"""
    p = [n for _, n in passages(text, title_line=title_line)]
    return [a == b for a, b in zip(p, p[1:])]


PASSAGE_CASES = [
    ("one-paragraph",
     "Đến năm 2025, 80% cán bộ được bồi dưỡng. 70% công chức được tập huấn.", [True]),
    ("blank-line",
     "Đến năm 2025, 80% cán bộ được bồi dưỡng.\n\n70% công chức được tập huấn.", [False]),
    ("opener-theo-thu-truong",
     "Đến năm 2025, 80% cán bộ được bồi dưỡng. Theo Thứ trưởng Bộ Nội vụ, năm nay 70% công chức được tập huấn.",
     [False]),
    ("inline-subheading",
     "Đến năm 2025, 80% cán bộ được bồi dưỡng.\nMục tiêu đến năm 2030\n90% cán bộ được bồi dưỡng.", [False, True]),
    ("lead-in-list",
     "Mục tiêu cụ thể đến năm 2025:\n- 80% cán bộ được bồi dưỡng;\n- 70% công chức được tập huấn.", [True, True]),
]


@pytest.mark.parametrize("text, expected", [c[1:] for c in PASSAGE_CASES], ids=[c[0] for c in PASSAGE_CASES])
def test_passage_boundaries(text: str, expected: list[bool]) -> None:
    assert same_passage(text) == expected


def test_title_is_a_passage_of_its_own() -> None:
    text = "Đào tạo 300 cán bộ Hội năm 2025\nNăm 2025, tỉnh bồi dưỡng 300 cán bộ Hội. Kinh phí 2 tỷ đồng."
    assert same_passage(text, title_line=True) == [False, True]


def test_paragraph_counts_blank_lines() -> None:
    text = "Câu một.\n\nCâu hai.\nCâu ba.\n\nCâu bốn."
    assert [s.paragraph for s in segment(text, title_line=False)] == [0, 1, 1, 2]


def test_head_is_the_start_of_the_whole_segmentation() -> None:
    from pipeline.metadata import HEAD_SENTENCES

    text = "Tiêu đề bài viết\n" + "\n".join(f"Câu thứ {i}. Câu tiếp theo {i}." for i in range(40))
    whole = segment(text)
    head = segment(text, head=HEAD_SENTENCES)
    assert HEAD_SENTENCES <= sum(not s.is_title for s in head) < len(whole)
    assert head == whole[:len(head)]


@pytest.mark.parametrize("text, expected", [
    ("xem tại https://a.b", True), ("HTTP://x", True), ("trang WWW.abc", True), ("daknong.gov.vn", True),
    ("Báo.VN đưa tin", True), ("báo .vnexpress", False), ("http//x", False), ("ww.x", False), ("tăng 5.5%", False),
])
def test_has_url_hint(text: str, expected: bool) -> None:
    import regex

    from pipeline.segment import has_url_hint

    alternation = regex.compile(r"https?:|www\.|\.(?:vn|com|net|org|gov|edu|info)\b", regex.I)
    assert has_url_hint(text) is expected
    assert (alternation.search(text) is not None) is expected


def test_sentence_end_matches_as_first_written() -> None:
    """segment._END ("\\.+|[!?…]" for the stop) finds the spans "\\.{2,}|[.!?…]" found."""
    import regex

    from pipeline.segment import _END

    first = regex.compile(r"(?:\.{2,}|[.!?…])[\"”’')\]]*(?=\s+[\p{Lu}\d\"“‘(\[–-]|\s*$)")
    texts = ["Tăng 5%. Giảm 3%! Vì sao? Đạt… Xong", "v.v.. và. Tiếp...  Hết..", "a.. b. C.\" D.) 1.2. 3",
             "Ông A... ông B.... Ông C", "x.”  (y). [z].", "....", ". A", "1.300 tỷ. 2.400"]
    for text in texts:
        assert [m.span() for m in _END.finditer(text)] == [m.span() for m in first.finditer(text)], text
