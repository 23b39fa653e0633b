"""Group boundaries: the noun phrase a number governs, as written in plan texts (own sentences,
one behaviour each; exact group strings)."""
from __future__ import annotations

import pytest

from pipeline import extract

# What the rules read as the group; whether the learned judge keeps each target is tested in test_learn.py.
pytestmark = pytest.mark.usefixtures("rules_alone")

CASES = [
    # a locative after a verb that says where the group works or lives is part of the group
    ("Đến năm 2026, 100% cán bộ y tế thôn bản công tác ở vùng đặc biệt khó khăn được tập huấn sơ cứu.",
     "cán bộ y tế thôn bản công tác ở vùng đặc biệt khó khăn"),
    ("Phấn đấu đến năm 2025, 90% học sinh, sinh viên trên địa bàn thành phố được trang bị kỹ năng số.",
     "học sinh, sinh viên trên địa bàn thành phố"),
    # a named list of places or a count of places says where the aim is carried out
    ("Năm 2026, dự án phấn đấu hỗ trợ kỹ thuật cho 1.200 nông dân ở các huyện Mường Tè, Sìn Hồ và Phong Thổ.", "nông dân"),
    # a verb after a people noun, without a passive, starts the predicate
    ("Giai đoạn 2024 - 2026, Hội phấn đấu hỗ trợ 300 hội viên nông dân mở rộng sản xuất hàng hóa.", "hội viên nông dân"),
    ("Đến năm 2030, phấn đấu 70% doanh nghiệp nhỏ và vừa ứng dụng thương mại điện tử.", "doanh nghiệp nhỏ và vừa"),
    # ... but a noun made with a verb is no predicate
    ("Phấn đấu đến năm 2030, 100% người sử dụng lao động được tuyên truyền pháp luật lao động.",
     "người sử dụng lao động"),
    # "V được + object" is "able to V": the predicate
    ("Đến năm 2027, 60% công chức cấp huyện soạn thảo được văn bản điện tử có chữ ký số.", "công chức cấp huyện"),
    ("Mục tiêu đến năm 2028, 50% cán bộ, chiến sĩ biên phòng nghe, nói được tiếng Lào.", "cán bộ, chiến sĩ biên phòng"),
    # a topic after the trainees
    ("Năm 2025, Sở phấn đấu tập huấn cho 180 cán bộ hợp tác xã về quản trị tài chính.", "cán bộ hợp tác xã"),
    # time and scope words
    ("Phấn đấu hỗ trợ 2.000 lượt thanh niên khởi nghiệp trong giai đoạn tới.", "thanh niên"),
    # "có X": qualifier lexicon against a possessed thing
    ("Đến năm 2025, 100% người có uy tín trong đồng bào dân tộc thiểu số được bồi dưỡng kiến thức pháp luật.",
     "người có uy tín trong đồng bào dân tộc thiểu số"),
    ("Đến năm 2026, phấn đấu 100% trường học có bếp ăn bán trú được kiểm tra an toàn thực phẩm.", "trường học"),
    # shares: "cho X" after the activity, "bị" starting the predicate
    ("Mục tiêu đến năm 2025, tỷ lệ cấp phát thuốc miễn phí cho bệnh nhân lao đạt 100%.", "bệnh nhân lao"),
    ("Phấn đấu năm 2026, tỷ lệ người cao tuổi bị tăng huyết áp được quản lý đạt 70%.", "người cao tuổi"),
]


@pytest.mark.parametrize("text, group", CASES, ids=[c[1] for c in CASES])
def test_group(text: str, group: str) -> None:
    targets = extract(text, doc_id="t").targets
    assert targets, f"no target in {text!r}"
    assert targets[0].target_group == group


@pytest.mark.parametrize("text, group", [
    ("Năm 2026, tỉnh phấn đấu đào tạo nghề cho 2.000 lao động, trong đó 40% là phụ nữ dân tộc thiểu số.",
     "phụ nữ dân tộc thiểu số"),
    ("Hằng năm, huyện phấn đấu cử từ 20 người trở lên là cán bộ nữ đi bồi dưỡng kiến thức quản lý.",
     "cán bộ nữ"),
])
def test_group_after_la(text: str, group: str) -> None:
    groups = [t.target_group for t in extract(text, doc_id="t").targets]
    assert group in groups, groups


def test_share_prefix_word_inside_the_whole_is_not_the_prefix() -> None:
    """'kỹ năng số' ends in the share word 'số'; the whole is named after 'Tỷ lệ'."""
    text = ("Bảng chỉ tiêu\nChỉ tiêu\tNăm 2026\tNăm 2027\n"
            "Tỷ lệ cán bộ, công chức cấp xã được tập huấn kỹ năng số\t60%\t90%\n")
    got = [(t.percentage.value, t.target_group, t.deadline.year) for t in extract(text, doc_id="t").targets]
    assert got == [(60.0, "cán bộ, công chức cấp xã", 2026), (90.0, "cán bộ, công chức cấp xã", 2027)]


@pytest.mark.parametrize("text, group", [
    # a bare "người" that a verb takes as its object keeps the clause saying who they are
    ("Năm 2026, huyện phấn đấu vận động khoảng 2.000 người tham gia bảo hiểm xã hội tự nguyện.",
     "người tham gia bảo hiểm xã hội tự nguyện"),
    # ... but not after the copula: "viên chức là 1.200 người" names its group before the number
    ("Đến năm 2026, bồi dưỡng ngoại ngữ cho viên chức là 1.200 người.", "viên chức"),
    ("Đến năm 2026, tập huấn cho khoảng 600 lượt người là thành viên tổ công nghệ số cộng đồng.",
     "thành viên tổ công nghệ số cộng đồng"),
])
def test_group_of_a_generic_count(text: str, group: str) -> None:
    groups = [t.target_group for t in extract(text, doc_id="t").targets]
    assert groups == [group]


@pytest.mark.parametrize("text, groups", [
    # the op words after a number come before its group
    ("Mục tiêu đến năm 2026 là 100% văn bản được ký số, từ 90% trở lên hồ sơ công việc tại cấp huyện được xử lý trên môi trường mạng.",
     ["văn bản", "hồ sơ công việc tại cấp huyện"]),
    # a change verb names its whole before it; a year inside a share phrase dates the aim
    ("Năm 2026, tỉnh phấn đấu tốc độ tăng GRDP năm 2026 đạt 7%, tổng vốn đầu tư toàn xã hội tăng 9%.",
     ["GRDP", "tổng vốn đầu tư toàn xã hội"]),
])
def test_group_after_op_and_before_change(text: str, groups: list) -> None:
    assert [t.target_group for t in extract(text, doc_id="t").targets] == groups
