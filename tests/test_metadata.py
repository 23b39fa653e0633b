"""Plan metadata (pipeline.metadata, read through extract()): document numbers, type, published
date, period, location, issuer and issued date."""
from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from pipeline import extract
from pipeline.metadata import get_metadata_reader


def plan_of(text: str) -> dict[str, Any]:
    return extract(text, doc_id="t").plan.model_dump(mode="json")


# ---- document numbers ---------------------------------------------------------------------------

DOC_NUMBERS = [
    ("plan-own", "UBND tỉnh ban hành Kế hoạch số 2202/KH-UBND về đào tạo, bồi dưỡng cán bộ.", ["2202/KH-UBND"]),
    ("decision-ttg", "Thực hiện Quyết định số 124/QĐ-TTg của Thủ tướng Chính phủ, tỉnh xây dựng kế hoạch.",
     ["124/QĐ-TTg"]),
    ("two-in-order", "Kế hoạch số 2202/KH-UBND triển khai Quyết định số 124/QĐ-TTg của Thủ tướng Chính phủ.",
     ["2202/KH-UBND", "124/QĐ-TTg"]),
    ("party-resolution", "Thực hiện Nghị quyết số 21-NQ/TW của Ban Chấp hành Trung ương.", ["21-NQ/TW"]),
    ("same-number-two-spellings-once",
     "Thực hiện Nghị quyết số 21-NQ/TW của Bộ Chính trị; Nghị quyết 21/NQ-TW đã được quán triệt sâu rộng.",
     ["21-NQ/TW"]),
    ("repeated-once", "Kế hoạch 19/KH-UBND nêu rõ mục tiêu. Theo Kế hoạch 19/KH-UBND, kinh phí do tỉnh cấp.",
     ["19/KH-UBND"]),
    ("year-in-number", "Nghị định 44/2017/NĐ-CP và Luật số 25/2021/QH15 quy định rõ.", ["44/2017/NĐ-CP", "25/2021/QH15"]),
    ("bare-programme-number", "Tỉnh triển khai Đề án 939 và Chỉ thị 05 của Ban Bí thư.", []),
    ("dates-are-not-numbers", "Hội nghị diễn ra ngày 16/1/2014 và ngày 20-12-2015.", []),
    ("phone-is-not-a-number", "Liên hệ số 0262.3822.111 để được tư vấn.", []),
]


@pytest.mark.parametrize("text, expected", [c[1:] for c in DOC_NUMBERS], ids=[c[0] for c in DOC_NUMBERS])
def test_doc_numbers(text: str, expected: list[str]) -> None:
    assert plan_of(text)["doc_numbers"] == expected


def test_doubled_slash_in_a_date_is_harmless() -> None:
    assert plan_of("Theo Quyết định số 124/QĐ-TTg ngày 16/1//2014 của Thủ tướng.")["doc_numbers"] == ["124/QĐ-TTg"]


def test_doubled_slash_repaired() -> None:
    assert plan_of("Thực hiện Quyết định số 124//QĐ-TTg ngày 16/1/2014 của Thủ tướng Chính phủ.")["doc_numbers"] \
        == ["124/QĐ-TTg"]


# ---- document type ------------------------------------------------------------------------------

DOC_TYPES = [
    ("kế-hoạch", "UBND tỉnh ban hành Kế hoạch đào tạo nghề cho lao động nông thôn.", "Kế hoạch"),
    ("đề-án", "Bộ Y tế ban hành đề án nâng cao năng lực y tế cơ sở.", "Đề án"),
    ("quyết-định", "Chủ tịch UBND tỉnh ký Quyết định phê duyệt chương trình.", "Quyết định"),
]


@pytest.mark.parametrize("text, expected", [c[1:] for c in DOC_TYPES], ids=[c[0] for c in DOC_TYPES])
def test_doc_type(text: str, expected: str) -> None:
    assert plan_of(text)["doc_type"] == expected


# ---- published date -------------------------------------------------------------------------------

PUBLISHED = [
    ("cập-nhật-lúc", "Tin tức\nCập nhật lúc 08:44, Thứ Năm, 22/12/2016\nUBND tỉnh ban hành kế hoạch đào tạo.",
     date(2016, 12, 22)),
    ("time-bar-date", "Kế hoạch bồi dưỡng cán bộ\n21:25 | 05/01/2019\nUBND tỉnh ban hành kế hoạch.",
     date(2019, 1, 5)),
    ("none", "UBND tỉnh ban hành kế hoạch đào tạo nghề.", None),
]


@pytest.mark.parametrize("text, expected", [c[1:] for c in PUBLISHED], ids=[c[0] for c in PUBLISHED])
def test_published(text: str, expected) -> None:
    assert extract(text, doc_id="t").published == expected


def test_caller_published_wins() -> None:
    text = "Cập nhật lúc 08:44, Thứ Năm, 22/12/2016\nUBND tỉnh ban hành kế hoạch."
    assert extract(text, doc_id="t", published=date(2017, 1, 2)).published == date(2017, 1, 2)


# ---- period ---------------------------------------------------------------------------------------

PERIODS = [
    ("giai-đoạn", "Kế hoạch thực hiện Chương trình giai đoạn 2021-2025 trên địa bàn tỉnh.", {"start": 2021, "end": 2025}),
    ("giai-đoạn-en-dash", "Đề án đào tạo nghề giai đoạn 2026 – 2030 của tỉnh.", {"start": 2026, "end": 2030}),
    ("từ-năm-đến-năm", "Dự án thực hiện từ năm 2017 đến năm 2020.", {"start": 2017, "end": 2020}),
    ("one-year-plan", "Kế hoạch đào tạo, bồi dưỡng cán bộ, công chức năm 2024 của UBND tỉnh.",
     {"start": 2024, "end": 2024}),
    ("date-span", "Kế hoạch thực hiện từ 1/7/2020 đến hết 31/12/2030.", {"start": 2020, "end": 2030}),
    ("none", "UBND tỉnh ban hành kế hoạch đào tạo nghề.", None),
]


@pytest.mark.parametrize("text, expected", [c[1:] for c in PERIODS], ids=[c[0] for c in PERIODS])
def test_period(text: str, expected) -> None:
    assert plan_of(text)["period"] == expected


# ---- location -------------------------------------------------------------------------------------

LOCATIONS = [
    ("tỉnh", "Chủ tịch UBND tỉnh Lâm Đồng vừa ký ban hành kế hoạch.", "Lâm Đồng"),
    ("tp", "UBND TP Hồ Chí Minh ban hành kế hoạch số 12/KH-UBND.", "Hồ Chí Minh"),
    ("source-tag", "(QBĐT) - Ngày 20-12, UBND tỉnh đã ban hành Kế hoạch đào tạo nghề.", "Quảng Bình"),
    ("ministry-none", "Bộ Y tế ban hành đề án nâng cao năng lực.", None),
]


@pytest.mark.parametrize("text, expected", [c[1:] for c in LOCATIONS], ids=[c[0] for c in LOCATIONS])
def test_location(text: str, expected) -> None:
    assert plan_of(text)["location"] == expected


# ---- the reader directly -------------------------------------------------------------------------

def test_reference_year_skips_deadline_dates() -> None:
    reader = get_metadata_reader()
    text = "Hội nghị ngày 12/3/2017 thống nhất hoàn thành trước ngày 31/12/2020."
    assert reader.reference_year(text) == 2017


@pytest.mark.parametrize("text, expected", [
    ("Trong 6 tháng đầu năm 2017, GDP tăng 5,73%.", 2017),
    ("Quý I/2018 tăng 5%; tháng 3/2018 xuất khẩu tăng.", 2018),
    ("Đến tháng 6/2020 hoàn thành; trong tháng 5/2019 đã khởi công.", 2019),     # not the deadline month
    ("Hội nghị ngày 12/3/2016; 6 tháng đầu năm 2017 tăng 5%.", 2016),            # a full date comes first
    ("Chương trình bắt đầu năm 2012.", None),                                     # a start year is no date
])
def test_reference_year_without_a_full_date(text: str, expected) -> None:
    assert get_metadata_reader().reference_year(text) == expected


def test_full_dates_are_the_matches_of_one_alternation() -> None:
    """MetadataReader._FULL_DATES (two patterns) find what the alternation of both finds."""
    import regex

    from pipeline.metadata import MetadataReader

    digits, words = (p.pattern for p in MetadataReader._FULL_DATES)
    alternation = regex.compile(f"{digits}|{words.replace('(?P<', '(?P<w')}")
    text = ("ngày 5 tháng 6 năm 2020-12-2021, 12/3/2017 và 1.2.2019; ngày 31 tháng 12 năm 2020 "
            "ngày 1/2/2018 năm 2019 10-10-2010/ 3/4/20155 ngày 7 tháng 8 năm 1999")
    split = sorted(m.span() for p in MetadataReader._FULL_DATES for m in p.finditer(text))
    assert split == [m.span() for m in alternation.finditer(text)]
    assert len(split) == 6


def test_strip_diacritics_folds_marks_and_case_only() -> None:
    from pipeline.normalize import strip_diacritics

    assert strip_diacritics("Đắk Nông – “Hà Nội” ™ 5%") == "dak nong – “ha noi” ™ 5%"
    assert strip_diacritics("ÆØ ŉ Ω") == "æø ŉ ω"


def test_location_is_the_first_province_name_as_a_whole_word() -> None:
    """The first province name (the longest at one place), as one alternation of all names would find it."""
    import regex

    from pipeline.metadata import get_metadata_reader
    from pipeline.normalize import strip_diacritics

    reader = get_metadata_reader()
    names = reader.province_names
    alternation = regex.compile(r"(?<![\p{L}])(" + "|".join(sorted(map(regex.escape, names), key=len, reverse=True)) + r")(?![\p{L}])")
    texts = ["Sở LĐ-TBXH tỉnh Bà Rịa - Vũng Tàu và Hà Nội", "Thanh Hóa, Thanh Hoá", "HàNội Hà Nam", "Đắk Nông.",
             "không có tỉnh nào", "TP Hồ Chí Minh, Hà Tĩnh", "Quảng Ninh Quảng Nam", "Kon Tum Gia Lai"]
    for text in texts:
        m = alternation.search(strip_diacritics(text))
        assert reader.location(text) == (names[m.group(1)] if m else None), text


def test_period_needs_changes_no_period() -> None:
    """rules/documents.yaml period_needs only skips texts where no period pattern can match."""
    from pathlib import Path

    from pipeline.metadata import MetadataReader
    from pipeline.normalize import normalize

    reader, plain = MetadataReader(), MetadataReader()
    plain.period_needs = None
    assert reader.period_needs is not None
    texts = [normalize(p.read_text(encoding="utf-8")).text
             for p in sorted((Path(__file__).resolve().parents[1] / "corpus" / "docs").glob("*.txt"))]
    texts += ["Chương trình giai đoạn 2021 - 2025", "thực hiện từ 01/01/2021 đến hết ngày 31/12/2025", "năm 2021 và 2025"]
    assert [reader.period(t) for t in texts] == [plain.period(t) for t in texts]
    assert [reader.period(t) for t in texts[-3:]] == [(2021, 2025), (2021, 2025), None]


def test_written_in_patterns_find_what_their_alternation_finds() -> None:
    """rules/documents.yaml written_in_patterns (one per opening word) match what one alternation of
    them matched."""
    import regex

    reader = get_metadata_reader()
    lead = r"(?<![\p{L}\d])"
    bodies = [p.pattern[len(lead):] for p in reader.written_in]
    assert all(p.pattern.startswith(lead) for p in reader.written_in)
    alternation = regex.compile(lead + "(?:" + "|".join(f"(?:{b})" for b in bodies) + ")", regex.I)
    text = ("Tháng 5/2017 xuất khẩu tăng; quý I/2018 và QUÝ 3-2019, 6 tháng đầu năm 2017, sáu tháng cuối "
            "năm 2016, 12 tháng năm 2015; tháng giêng/2020, 9 tháng 6/2021 năm 2022, xtháng 5/2017")
    split = sorted((m.span(), m.group("y")) for p in reader.written_in for m in p.finditer(text))
    assert split == [(m.span(), m.group("y")) for m in alternation.finditer(text)]
    assert len(split) == 8


def test_period_is_read_on_the_lines_that_hold_two_years() -> None:
    from pipeline.metadata import get_metadata_reader

    r = get_metadata_reader()
    text = "Tin tức\nNăm 2024 tỉnh đã làm nhiều việc.\nThực hiện kế hoạch giai đoạn 2021 - 2025, tỉnh phấn đấu."
    assert r.period_lines(text) == [(text.index("Thực"), len(text))]
    assert r.period(text) == (2021, 2025)
    # a pattern's first match decides for it: a span of more than 30 years is no period, and a
    # later match of the same pattern is not read
    assert r.period("Giai đoạn 1990 - 2030 đã qua.\nGiai đoạn 2021 - 2025 tới.") is None
    assert r.period("Không có năm nào.\nChỉ một năm 2025.") is None


# ---- issuer and issued date ---------------------------------------------------------------------

ISSUERS = [
    ("caps-header", "ỦY BAN NHÂN DÂN TỈNH SÓC TRĂNG\n\nKẾ HOẠCH\nCủng cố y tế cơ sở\n\nSố: 94/KH-UBND",
     "Ủy ban nhân dân tỉnh Sóc Trăng"),
    ("two-line-header-then-full", "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG TRỊ\nSố: 2187/QĐ-UBND\n\nQUYẾT ĐỊNH\n\n"
     "ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ\n\nCăn cứ Luật Tổ chức chính quyền địa phương;", "Ủy ban nhân dân tỉnh Quảng Trị"),
    ("not-inside-a-number", "Số: 318/KH-UBND\nUBND TỈNH BẮC GIANG\nKẾ HOẠCH", "UBND tỉnh Bắc Giang"),
    ("chairman", "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN ĐĂK GLEI\n\nCăn cứ Quyết định số 1719/QĐ-TTg;",
     "Chủ tịch Ủy ban nhân dân huyện Đăk Glei"),
    ("department-then-verb", "Sở Y tế Hà Nam vừa triển khai Kế hoạch khám sàng lọc tăng huyết áp.", "Sở Y tế Hà Nam"),
    ("department-no-place", "Sở Y tế vừa ban hành Kế hoạch tiêm chủng năm 2024.", "Sở Y tế"),
    ("running-text", "UBND tỉnh Hà Tĩnh vừa ban hành Kế hoạch số 5/KH-UBND về dạy nghề.", "UBND tỉnh Hà Tĩnh"),
    ("bare-when-nothing-else", "Kế hoạch số 5/KH-UBND được UBND ban hành.", "UBND"),
]


@pytest.mark.parametrize("text,expected", [c[1:] for c in ISSUERS], ids=[c[0] for c in ISSUERS])
def test_issuer(text: str, expected: str) -> None:
    assert plan_of(text)["issuer"] == expected


def test_sentence_case_touches_only_all_capitals_lines_and_keeps_lengths() -> None:
    caps = get_metadata_reader().caps
    text = "ỦY BAN NHÂN DÂN TỈNH BÀ RỊA - VŨNG TÀU\nKế hoạch số 12/KH-UBND\nUBND"
    out = caps.sentence_case(text)
    assert out.split("\n")[0] == "Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu"
    assert out.split("\n")[1:] == ["Kế hoạch số 12/KH-UBND", "UBND"] and len(out) == len(text)


def test_issued_from_the_number_or_the_place_and_date_line() -> None:
    assert plan_of("UBND TỈNH BẮC GIANG\nKẾ HOẠCH\nSố: 318/KH-UBND, ngày 15 tháng 7 năm 2022\n\n"
                   "Căn cứ Quyết định số 263/QĐ-TTg ngày 22/02/2022 của Thủ tướng Chính phủ phê duyệt")["issued"] == "2022-07-15"
    assert plan_of("ỦY BAN NHÂN DÂN\nTỈNH QUẢNG TRỊ\nSố: 2187/QĐ-UBND\n\nQuảng Trị, ngày 14 tháng 9 năm 2021\n\n"
                   "Căn cứ Nghị định số 108/2017/NĐ-CP ngày 01/9/2017 ký ban hành")["issued"] == "2021-09-14"


def test_location_skips_a_province_name_written_as_a_word_or_a_person() -> None:
    assert plan_of("Ai cũng muốn sống trong hòa bình. Kế hoạch của UBND tỉnh Lai Châu.")["location"] == "Lai Châu"
    assert plan_of("Phó Thủ tướng Trương Hòa Bình chỉ đạo. UBND tỉnh Sơn La ban hành kế hoạch.")["location"] == "Sơn La"
    assert plan_of("Thành Đoàn Cần Thơ vừa triển khai kế hoạch hè.")["location"] == "Cần Thơ"
    assert plan_of("Phó Thủ tướng Trương Hòa Bình chỉ đạo các bộ ngành.")["location"] is None


def test_a_province_named_but_not_as_the_place_still_counts_as_named() -> None:
    """The judge's feature "doc=location" reads whether a province's name occurs at all (as it did
    before the location skipped words and persons), so that the shipped model reads what it learned."""
    reader = get_metadata_reader()
    assert reader.places("Phó Thủ tướng Trương Hòa Bình chỉ đạo các bộ ngành.") == (None, True)
    assert reader.places("Ai cũng muốn sống trong hòa bình.") == (None, True)
    assert reader.places("UBND tỉnh Sơn La ban hành kế hoạch.") == ("Sơn La", True)
    assert reader.places("Bộ Y tế ban hành đề án.") == (None, False)


def test_an_official_text_is_titled_by_the_line_after_its_type_heading() -> None:
    text = ("ỦY BAN NHÂN DÂN TỈNH SÓC TRĂNG\n\nKẾ HOẠCH\nCủng cố, nâng cao năng lực y tế cơ sở giai đoạn 2021 - 2025\n\n"
            "Số: 94/KH-UBND\n\nI. MỤC TIÊU\nĐến năm 2025, 100% trạm y tế xã có bác sĩ.")
    assert extract(text, doc_id="t").title == "Củng cố, nâng cao năng lực y tế cơ sở giai đoạn 2021 - 2025"
    news = "Sóc Trăng củng cố y tế cơ sở\n\nUBND tỉnh vừa ban hành kế hoạch củng cố y tế cơ sở."
    assert extract(news, doc_id="n").title == "Sóc Trăng củng cố y tế cơ sở"


def test_an_official_text_has_the_type_its_subject_adopts_else_its_heading() -> None:
    adopts = "QUYẾT ĐỊNH\nPhê duyệt Đề án đào tạo nghề cho lao động nông thôn\n\nSố: 12/QĐ-UBND\n\nCăn cứ Luật;"
    assert plan_of(adopts)["doc_type"] == "Đề án"
    own = "NGHỊ QUYẾT\nVề xây dựng nông thôn mới nâng cao giai đoạn 2022 - 2025\n\nSố: 25/2022/NQ-HĐND"
    assert plan_of(own)["doc_type"] == "Nghị quyết"


# ---- the legal basis an official text cites ------------------------------------------------------

BASIS = ("KẾ HOẠCH\nThực hiện công tác giảm nghèo trên địa bàn tỉnh năm 2024\n\n"
         "Căn cứ Quyết định số 90/QĐ-TTg ngày 18/01/2022 của Thủ tướng Chính phủ phê duyệt Chương trình mục tiêu "
         "quốc gia giảm nghèo bền vững giai đoạn 2021-2025; Ủy ban nhân dân tỉnh Quảng Trị ban hành Kế hoạch như sau:\n"
         "I. MỤC TIÊU\n- 100% người thuộc hộ nghèo được cấp thẻ bảo hiểm y tế;\n"
         "- Hỗ trợ đào tạo nghề cho 1.200 lao động thuộc hộ nghèo.")


def test_cited_spans_run_to_the_last_semicolon_else_the_first_comma() -> None:
    reader = get_metadata_reader()
    text = ("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;\n"
            "  - Căn cứ Quyết định số 1/QĐ-TTg giai đoạn 2021-2025; Nghị quyết số 2/NQ-HĐND, UBND tỉnh ban hành:\n"
            "Căn cứ Nghị định số 3/NĐ-CP về đào tạo, bồi dưỡng cán bộ\n"
            "Căn cứ vào đâu mà tỉnh đặt mục tiêu 2025?\n"
            "Tỉnh căn cứ Quyết định số 4/QĐ-UBND giai đoạn 2016-2020.")
    spans = reader.cited_spans(text)
    assert [text[a:b] for a, b in spans] == [
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
        "  - Căn cứ Quyết định số 1/QĐ-TTg giai đoạn 2021-2025;",
        "Căn cứ Nghị định số 3/NĐ-CP về đào tạo",
        "Căn cứ vào đâu mà tỉnh đặt mục tiêu 2025?",   # at a line's start, no comma: the whole line
    ]   # "căn cứ" inside a sentence cites nothing by this rule
    own = reader.own_text(text)
    assert len(own) == len(text) and own.count("\n") == text.count("\n")
    assert "2021-2025" not in own and "Nghị quyết số 2/NQ-HĐND, UBND tỉnh ban hành:" in own
    inside = {i for a, b in spans for i in range(a, b)}
    assert all(own[i] == (" " if i in inside else text[i]) for i in range(len(text)))
    assert reader.own_text("Không có căn cứ nào ở đây.") == "Không có căn cứ nào ở đây."


def test_the_legal_basis_gives_no_period_issuer_date_or_deadline() -> None:
    record = extract(BASIS, doc_id="t")
    plan = record.plan.model_dump(mode="json")
    assert plan["period"] == {"start": 2024, "end": 2024}       # the plan's year, not the programme's 2021-2025
    assert plan["issued"] is None                              # 18/01/2022 is the cited decision's date
    assert plan["issuer"] == "Ủy ban nhân dân tỉnh Quảng Trị"  # not "Thủ tướng Chính phủ", who signed the basis
    assert plan["doc_numbers"] == ["90/QĐ-TTg"]                # cited numbers are still listed (the contract)
    years = {t.deadline.year for t in record.targets}
    assert len(record.targets) == 2 and years == {2024}        # the cited "giai đoạn 2021-2025" dates nothing
