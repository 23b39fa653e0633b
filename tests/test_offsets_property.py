"""Offsets are an invariant, tested with hostile text (hypothesis): whatever the input, extract()
does not raise, every evidence span indexes the normalized text exactly, raw offsets stay in
bounds, and every normalized character comes from the raw characters it points back to."""
from __future__ import annotations

import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import extract
from pipeline.normalize import _DROP, _SPACES, normalize

SYLLABLES = ["cán", "bộ", "công", "chức", "cấp", "xã", "được", "bồi", "dưỡng", "phấn", "đấu", "đến", "năm",
             "đạt", "tỷ", "lệ", "lao", "động", "học", "viên", "hội", "đồng", "triệu", "khoảng", "ít", "nhất",
             "tối", "thiểu", "hơn", "gần", "Uỷ", "Ủy", "hoà", "hòa", "kế", "hoạch", "mục", "tiêu", "người"]
PHRASES = ["đến năm 2025", "100%", "70 %", "12,5%", "1.300 học viên", "4,4 tỷ đồng", "3-5%", "từ 30% đến 50%",
           "Quyết định số 124/QĐ-TTg", "hai trăm", "một nửa", "giai đoạn 2021-2025", "trong 3 năm tới",
           "0912.345.678", "2 điểm phần trăm", "5‰"]
FURNITURE = ["Trang chủ", "A- A A+", "Ý kiến bạn đọc", "Tin xem nhiều", "Tác giả: Minh Châu", "anh-1.jpg",
             "Ảnh minh họa", "null "]
ODD = ["\u00a0", "\u200b", "\u200d", "\ufeff", "\u00ad", "\u2009", "\t", "\u0301", "\u0300", "\u0303",
       "\u0309", "\u0323", "\u0302", "\u031b"]

AIMS = ["Phấn đấu đến năm 2025, 90% cán bộ, công chức cấp xã được bồi dưỡng.",
        "Mục tiêu đến năm 2030 có 70% lao động qua đào tạo.",
        "Năm 2024, tỉnh bố trí gần 4,4 tỷ đồng để đào tạo khoảng 1.300 học viên.",
        "Đến năm 2025, tối thiểu 90% hội viên, 100% chi hội trưởng được tập huấn.",
        "Kế hoạch hỗ trợ không quá 3 triệu đồng/người/khóa học cho lao động nông thôn.",
        "Các con số trên đều đạt 100% vào năm 2030."]


@st.composite
def aim_with_noise(draw) -> str:
    """An aim sentence (so that targets are found) with odd characters inserted anywhere."""
    text = draw(st.sampled_from(AIMS))
    if draw(st.booleans()):
        text = unicodedata.normalize("NFD", text)
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        at = draw(st.integers(min_value=0, max_value=len(text)))
        text = text[:at] + draw(st.sampled_from(ODD + ["  ", "\n"])) + text[at:]
    return text


piece = st.one_of(
    aim_with_noise(),
    st.sampled_from(SYLLABLES),
    st.sampled_from(PHRASES),
    st.sampled_from(ODD),
    st.sampled_from(FURNITURE).map(lambda line: f"\n{line}\n"),
    st.sampled_from([" ", " ", " ", "  ", ".", ". ", ",", ";", ":", "%", "\n", "\n\n", "\r\n", "\r", "(", ")", "-"]),
    st.integers(min_value=0, max_value=3000).map(str),
    st.sampled_from(SYLLABLES).map(lambda s: unicodedata.normalize("NFD", s)),
)
noise = st.lists(piece, min_size=0, max_size=40).map("".join)
# free noise, or noise around an aim sentence on a line of its own (so that most documents have targets)
documents = st.one_of(noise, st.tuples(noise, aim_with_noise(), noise).map("\n".join))

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(documents)
def test_extract_offsets_hold(raw: str) -> None:
    record = extract(raw, doc_id="prop")
    normalized = normalize(raw).text
    for target in record.targets:
        ev = target.evidence
        assert 0 <= ev.start <= ev.end <= len(normalized)
        assert normalized[ev.start:ev.end] == ev.text
        assert ev.raw_start is not None and ev.raw_end is not None
        assert 0 <= ev.raw_start <= ev.raw_end <= len(raw)


def _fold_char(ch: str) -> str:
    if ch in _DROP:
        return ""
    if ch == "\r":
        return "\n"
    return " " if ch in _SPACES else ch


@SETTINGS
@given(documents)
def test_normalized_chars_point_into_their_raw_source(raw: str) -> None:
    norm = normalize(raw)
    assert len(norm.raw_start) == len(norm.raw_end) == len(norm.text) == len(norm.match_text)
    prev = 0
    for k, ch in enumerate(norm.text):
        a, b = norm.raw_start[k], norm.raw_end[k]
        assert 0 <= a < b <= len(raw)
        assert a >= prev
        source = unicodedata.normalize("NFC", "".join(_fold_char(c) for c in raw[a:b]))
        assert ch in source, f"char {k} {ch!r} not in raw {raw[a:b]!r}"
        prev = a
