"""pipeline.numbers: every number form of CONTRACT.md section 2, and what is not a quantity."""
from __future__ import annotations

from typing import Optional

import pytest

from pipeline.numbers import get_number_reader, parse_numeral


@pytest.fixture(scope="module")
def reader():
    return get_number_reader()


def only(reader, text: str):
    found = reader.find(text)
    assert len(found) == 1, f"{text!r}: expected one quantity, got {[(q.kind, q.value) for q in found]}"
    return found[0]


# ---- numerals -----------------------------------------------------------------------------------

NUMERALS = [
    ("1.300", 1300), ("4,4", 4.4), ("12,5", 12.5), ("1.250.000.000", 1_250_000_000), ("05", 5),
    ("100", 100), ("6,175", 6.175), ("11.700", 11700),
]


@pytest.mark.parametrize("text, value", NUMERALS, ids=[n[0] for n in NUMERALS])
def test_parse_numeral(text: str, value: float) -> None:
    assert parse_numeral(text) == pytest.approx(value)


# ---- percentages ---------------------------------------------------------------------------------

PERCENTS = [
    # (text, value, value_max, the quantity's span as written)
    ("đạt 70%", 70, None, "70%"),
    ("đạt 70 % lao động", 70, None, "70 %"),
    ("đạt 12,5% số hộ", 12.5, None, "12,5%"),
    ("đạt 12,5 % số hộ", 12.5, None, "12,5 %"),
    ("giảm 3-5% mỗi năm", 3, 5, "3-5%"),
    ("giảm 4,5 - 5% mỗi năm", 4.5, 5, "4,5 - 5%"),
    ("từ 30% đến 50% hộ", 30, 50, "từ 30% đến 50%"),
    ("từ 70 đến 75% lao động", 70, 75, "từ 70 đến 75%"),
    ("bảy mươi phần trăm lao động", 70, None, "bảy mươi phần trăm"),
    ("hai mươi lăm phần trăm số xã", 25, None, "hai mươi lăm phần trăm"),
    ("70 phần trăm số xã", 70, None, "70 phần trăm"),
    ("một nửa số hộ", 50, None, "một nửa"),
    ("hai phần ba số xã", 66.67, None, "hai phần ba"),
]


@pytest.mark.parametrize("text, value, value_max, span", PERCENTS, ids=[p[0] for p in PERCENTS])
def test_percent(reader, text: str, value: float, value_max: Optional[float], span: str) -> None:
    q = only(reader, text)
    assert (q.kind, text[q.start:q.end]) == ("percent", span)
    assert q.value == pytest.approx(value, abs=1e-2)
    assert q.value_max == (pytest.approx(value_max) if value_max is not None else None)


NOT_PERCENT = [
    ("tỷ lệ sinh giảm 0,5%o", "per-mille-%o"),
    ("tỷ lệ sinh giảm 0,5 %o", "per-mille-%o-spaced"),
    ("tỷ lệ sinh giảm 0,5‰", "per-mille-sign"),
    ("tỷ lệ hộ nghèo giảm 2 điểm phần trăm", "points"),
    ("tỷ lệ hộ nghèo giảm 1,5 điểm % mỗi năm", "points-%"),
    ("tăng 150% so với", "over-100"),
]


@pytest.mark.parametrize("text", [n[0] for n in NOT_PERCENT], ids=[n[1] for n in NOT_PERCENT])
def test_not_a_percentage(reader, text: str) -> None:
    assert [q for q in reader.find(text) if q.kind == "percent"] == []


# ---- money --------------------------------------------------------------------------------------

MONEY = [
    # (text, amount, currency, per)
    ("gần 4,4 tỷ đồng", 4.4e9, "VND", None),
    ("4,4 tỉ đồng", 4.4e9, "VND", None),
    ("6,175 tỷ đồng", 6.175e9, "VND", None),
    ("500 triệu đồng", 5e8, "VND", None),
    ("200 nghìn đồng", 2e5, "VND", None),
    ("300 ngàn đồng", 3e5, "VND", None),
    ("1.250.000.000 đồng", 1.25e9, "VND", None),
    ("1,5 nghìn tỷ đồng", 1.5e12, "VND", None),
    ("2,5 triệu USD", 2.5e6, "USD", None),
    ("10.000 USD", 1e4, "USD", None),
    ("không quá 3 triệu đồng/người/khóa học", 3e6, "VND", "người/khóa học"),
    ("hỗ trợ 1,5 triệu đồng/người/tháng", 1.5e6, "VND", "người/tháng"),
    # a price unit after support or cost money: a rate (rules/units.yaml funded_rate_*)
    ("hỗ trợ 40 triệu đồng/ha xây dựng hệ thống tưới", 4e7, "VND", "ha"),
    ("định mức 2 triệu đồng/ha/vụ", 2e6, "VND", "ha/vụ"),
    ("suất đầu tư dự kiến 9,5 triệu USD/km", 9.5e6, "USD", "km"),
    # billions with no currency word (rules/units.yaml bare_money)
    ("tổng mức đầu tư khoảng 3.000 tỷ.", 3e12, "VND", None),
    ("vốn Trung ương hỗ trợ là 875 tỷ, còn lại", 8.75e11, "VND", None),
    ("hơn 700 tỷ xây 2 cầu vượt", 7e11, "VND", None),
    ("gần 20 nghìn tỷ để làm đường", 2e13, "VND", None),
]


@pytest.mark.parametrize("text, amount, currency, per", MONEY, ids=[m[0] for m in MONEY])
def test_money(reader, text: str, amount: float, currency: str, per: Optional[str]) -> None:
    q = only(reader, text)
    assert q.kind == "money"
    assert q.value == pytest.approx(amount)
    assert (q.currency, q.per) == (currency, per)


@pytest.mark.parametrize("text", ["21 đồng chí dự họp", "3 đồng chí Phó Chủ tịch", "12 đồng bào",
                                  "giá lúa 7.000 đồng/kg", "giá thuê đất 40 triệu đồng/ha",
                                  "mức hỗ trợ kỹ thuật 1.200 USD/ounce", "dân số khoảng 1,8 tỷ người",
                                  "sản xuất 3 tỷ kWh điện", "đạt 2 tỷ lượt truy cập"], ids=str)
def test_not_money(reader, text: str) -> None:
    assert [q for q in reader.find(text) if q.kind == "money"] == []


# ---- counts of people ----------------------------------------------------------------------------

COUNTS = [
    # (text, count, count_max, unit)
    ("khoảng 1.300 học viên", 1300, None, "học viên"),
    ("gần 300 cán bộ", 300, None, "cán bộ"),
    ("500 lượt người", 500, None, "lượt người"),
    ("ít nhất 200 doanh nghiệp", 200, None, "doanh nghiệp"),
    ("kết nạp 300 hội viên", 300, None, "hội viên"),
    ("hai trăm học viên", 200, None, "học viên"),
    ("02 đến 03 cán bộ", 2, 3, "cán bộ"),
    ("6,3 triệu người", 6_300_000, None, "người"),
]


@pytest.mark.parametrize("text, count, count_max, unit", COUNTS, ids=[c[0] for c in COUNTS])
def test_count(reader, text: str, count: int, count_max: Optional[int], unit: str) -> None:
    q = only(reader, text)
    assert (q.kind, q.value, q.value_max, q.unit) == ("count", count, count_max, unit)


@pytest.mark.parametrize("text", [
    "liên hệ 0912345678 người",
    "số điện thoại 0262.3822.111 người",
    "hotline 0912.345.678 cán bộ",
], ids=["mobile", "landline-dotted", "mobile-dotted"])
def test_phone_numbers_are_not_counts(reader, text: str) -> None:
    assert [q for q in reader.find(text) if q.kind == "count"] == []


def test_quantities_in_order_without_overlap(reader) -> None:
    text = "Bố trí 4,4 tỷ đồng để đào tạo 1.300 học viên, đạt 70% kế hoạch và 12,5 % dự phòng."
    found = reader.find(text)
    assert [(q.kind, text[q.start:q.end]) for q in found] == [
        ("money", "4,4 tỷ đồng"), ("count", "1.300 học viên"), ("percent", "70%"), ("percent", "12,5 %")]
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))


# ---- value_of -----------------------------------------------------------------------------------

VALUES = [
    ("1.300", 1300), ("4,4 tỷ", 4.4e9), ("2,5 triệu", 2.5e6), ("hai trăm", 200), ("bảy mươi lăm", 75),
    ("một trăm linh năm", 105), ("hai mươi mốt", 21), ("ba nghìn", 3000), ("một nửa", 0.5),
]


@pytest.mark.parametrize("text, value", VALUES, ids=[v[0] for v in VALUES])
def test_value_of(reader, text: str, value: float) -> None:
    assert reader.value_of(text) == pytest.approx(value, abs=1e-3)


@pytest.mark.parametrize("text", ["năm", "ba", "tư vấn", "cán bộ", ""], ids=["nam", "ba", "tu-van", "can-bo", "empty"])
def test_value_of_non_numbers(reader, text: str) -> None:
    assert reader.value_of(text) is None


def test_no_percentage_above_100_from_a_reversed_range() -> None:
    # found by the offsets property test: "20253-12%" used to give a percentage of 20253
    from pipeline.numbers import get_number_reader

    assert all(q.value <= 100 for q in get_number_reader().find("đạt 20253-12% kế hoạch") if q.kind == "percent")


def test_any_of_is_a_cheap_superset_test() -> None:
    from pipeline.wordscan import AnyOf

    words = AnyOf(["phần trăm", "một nửa", "học viên"])
    assert words.occur_in("đạt 80 PHẦN TRĂM")
    assert words.occur_in("một\tnửa số xã")          # any whitespace for a word's space
    assert words.occur_in("các họcviên") is False      # the space is needed
    assert words.occur_in("xhọc viênx")                # inside another word too: a superset
    assert not words.occur_in("") and not AnyOf([]).occur_in("phần trăm")


def test_quantities_are_found_only_where_their_words_are(reader) -> None:
    """_percents / _counts skip a sentence without '%', a percent word or a people word; what they
    find elsewhere is unchanged."""
    assert reader._percents("Năm 2025 có 300 xã.") == []
    assert reader._counts("Năm 2025 có 300 xã.") == []
    assert [q.value for q in reader._percents("đạt 80% và bảy mươi PHẦN TRĂM")] == [80.0, 70.0]
    assert [(q.value, q.unit) for q in reader._counts("đào tạo 300 Học viên")] == [(300.0, "Học viên")]
