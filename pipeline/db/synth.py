"""Hand-built and synthetic document records: small builders for tests, and a generator of
realistic Vietnamese-looking records for the benchmark (bench/database.py)."""
from __future__ import annotations

import random
from typing import Iterator, Optional

from schemas import (Deadline, DocumentRecord, Evidence, Funding, Percentage, Period, Plan, Target,
                     Trainees)


def target(text: str, *, pct: Optional[float] = None, op: str = "=", group: Optional[str] = None,
           indicator: Optional[str] = None, year: Optional[int] = None, funding: Optional[float] = None,
           currency: str = "VND", trainees: Optional[int] = None, unit: str = "người", start: int = 0,
           inferred: bool = False) -> Target:
    """One Target with the given quantities; the evidence spans ``text`` from ``start``."""
    return Target(
        percentage=Percentage(value=pct, op=op) if pct is not None else None,
        funding=Funding(amount=funding, currency=currency, op=op) if funding is not None else None,
        trainees=Trainees(count=trainees, op=op, unit=unit) if trainees is not None else None,
        target_group=group, indicator=indicator, inferred=inferred,
        deadline=Deadline(year=year, text=f"đến năm {year}") if year else None,
        evidence=Evidence(text=text, start=start, end=start + len(text)),
    )


def record(doc_id: str, *targets: Target, title: Optional[str] = None, province: Optional[str] = None,
           doc_type: Optional[str] = "Kế hoạch", period: Optional[tuple[int, int]] = None,
           doc_numbers: tuple[str, ...] = (), issuer: Optional[str] = None, published: Optional[str] = None,
           text_sha256: Optional[str] = None, source: Optional[str] = None) -> DocumentRecord:
    """One DocumentRecord around ``targets``."""
    return DocumentRecord(
        doc_id=doc_id, title=title, source=source, published=published, text_sha256=text_sha256,
        plan=Plan(location=province, doc_type=doc_type, issuer=issuer, doc_numbers=list(doc_numbers),
                  period=Period(start=period[0], end=period[1]) if period else None),
        targets=list(targets),
    )


PROVINCES = [
    "Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "An Giang", "Bà Rịa - Vũng Tàu", "Bắc Giang",
    "Bắc Kạn", "Bạc Liêu", "Bắc Ninh", "Bến Tre", "Bình Định", "Bình Dương", "Bình Phước", "Bình Thuận",
    "Cà Mau", "Cao Bằng", "Đắk Lắk", "Đắk Nông", "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang",
    "Hà Nam", "Hà Tĩnh", "Hải Dương", "Hậu Giang", "Hòa Bình", "Hưng Yên", "Khánh Hòa", "Kiên Giang",
    "Kon Tum", "Lai Châu", "Lâm Đồng", "Lạng Sơn", "Lào Cai", "Long An", "Nam Định", "Nghệ An", "Ninh Bình",
    "Ninh Thuận", "Phú Thọ", "Phú Yên", "Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị",
    "Sóc Trăng", "Sơn La", "Tây Ninh", "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Thừa Thiên Huế",
    "Tiền Giang", "Trà Vinh", "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái",
]
GROUPS = [
    "cán bộ, công chức cấp xã", "cán bộ, công chức, viên chức", "công chức cấp huyện", "cán bộ quản lý",
    "lao động nông thôn", "lao động qua đào tạo", "người lao động", "người dân tộc thiểu số", "hộ nghèo",
    "hộ cận nghèo", "phụ nữ", "Chi hội trưởng Phụ nữ", "hội viên nông dân", "thanh niên", "đoàn viên",
    "học sinh tiểu học", "giáo viên mầm non", "đội ngũ giáo viên", "trường học", "doanh nghiệp nhỏ và vừa",
    "hợp tác xã", "đảng viên", "trạm y tế xã", "bác sĩ", "trẻ em dưới 5 tuổi", "người khuyết tật",
    "người cao tuổi", "rác thải sinh hoạt", "hộ gia đình", "dân số", "xã đạt chuẩn nông thôn mới",
]
INDICATORS = [
    "được bồi dưỡng nghiệp vụ", "đạt trình độ từ trung cấp trở lên", "được đào tạo nghề", "có việc làm sau đào tạo",
    "đạt chuẩn theo quy định", "được tập huấn kỹ năng", "thoát nghèo bền vững", "được cấp chứng chỉ",
    "sử dụng thành thạo công nghệ thông tin", "được tiếp cận dịch vụ y tế", "được thu gom và xử lý",
    "tham gia bảo hiểm y tế", "được tuyên truyền, phổ biến pháp luật", "được hỗ trợ vay vốn",
    "biết tiếng dân tộc", "đạt chuẩn về lý luận chính trị", "được khám sức khỏe định kỳ",
]
DOC_TYPES = ["Kế hoạch", "Quyết định", "Đề án", "Chương trình", "Nghị quyết"]
TOPICS = ["đào tạo, bồi dưỡng cán bộ", "giảm nghèo bền vững", "đào tạo nghề cho lao động nông thôn",
          "chuyển đổi số", "xây dựng nông thôn mới", "phát triển nguồn nhân lực", "bảo vệ môi trường",
          "chăm sóc sức khỏe nhân dân", "hỗ trợ doanh nghiệp"]
_LEADS = ["Phấn đấu đến năm {y}, ", "Mục tiêu đến năm {y}: ", "Đến hết năm {y}, ", "Trong năm {y}, ", ""]
_OPS = [("=", ""), (">=", "ít nhất "), (">=", "tối thiểu "), ("~", "khoảng "), (">", "trên ")]


def synthetic_records(n_targets: int, *, seed: int = 0, max_targets: int = 16) -> Iterator[DocumentRecord]:
    """Records totalling ``n_targets`` targets, 1..max_targets per document, reproducible by ``seed``."""
    rng = random.Random(seed)
    made, doc = 0, 0
    while made < n_targets:
        k = min(rng.randint(1, max_targets), n_targets - made)
        yield _synthetic_record(rng, doc, k)
        made += k
        doc += 1


def _synthetic_record(rng: random.Random, doc: int, k: int) -> DocumentRecord:
    province, doc_type, topic = rng.choice(PROVINCES), rng.choice(DOC_TYPES), rng.choice(TOPICS)
    start = rng.choice([2016, 2021, 2021, 2022, 2026])
    end = start + rng.choice([0, 4, 4, 9])
    title = f"{province}: triển khai {doc_type.lower()} {topic} giai đoạn {start}-{end}"
    targets, pos = [], 0
    for _ in range(k):
        t = _synthetic_target(rng, start, end, province, pos)
        targets.append(t)
        pos = t.evidence.end + 1
    return record(f"synth-{doc:07d}", *targets, title=title, province=f"tỉnh {province}", doc_type=doc_type,
                  period=(start, end), doc_numbers=(f"{rng.randint(1, 3000)}/KH-UBND",),
                  issuer=f"UBND tỉnh {province}", published=f"{start}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}")


def _synthetic_target(rng: random.Random, start: int, end: int, province: str, pos: int) -> Target:
    year = rng.randint(start, end) if rng.random() < 0.9 else None
    op, cue = rng.choice(_OPS)
    group, indicator = rng.choice(GROUPS), rng.choice(INDICATORS)
    lead = rng.choice(_LEADS).format(y=year) if year else ""
    roll = rng.random()
    if roll < 0.6:
        pct = rng.choice([30, 50, 60, 70, 75, 80, 85, 90, 95, 100, 12.5])
        text = f"{lead}{cue}{str(pct).replace('.', ',')}% {group} {indicator} trên địa bàn tỉnh {province}."
        return target(text, pct=pct, op=op, group=group, indicator=indicator, year=year, start=pos)
    if roll < 0.85:
        amount = rng.randint(1, 900) * 10 ** rng.choice([6, 8, 9])
        money = f"{amount:,}".replace(",", ".")
        text = f"{lead}tổng kinh phí {cue}{money} đồng từ ngân sách nhà nước để {indicator} cho {group}."
        return target(text, funding=float(amount), op=op, group=group, indicator=indicator, year=year, start=pos)
    count = rng.randint(2, 5000)
    text = f"{lead}mở lớp cho {cue}{count:,} {group} {indicator}.".replace(f"{count:,}", f"{count:,}".replace(",", "."))
    return target(text, trainees=count, op=op, unit=group.split(",")[0], group=group, indicator=indicator,
                  year=year, start=pos)


def sample_records() -> list[DocumentRecord]:
    """Four hand-built documents (11 targets) with known answers: the tests' corpus."""
    qb = record(
        "qb-2016",
        target("Đến năm 2020, ít nhất 95% cán bộ, công chức cấp xã đạt trình độ từ trung cấp trở lên.", pct=95,
               op=">=", group="cán bộ, công chức cấp xã", indicator="đạt trình độ từ trung cấp trở lên", year=2020),
        target("Tổng kinh phí gần 4,4 tỷ đồng để đào tạo khoảng 1.300 học viên.", funding=4.4e9, trainees=1300,
               unit="học viên", op="~", year=2020, start=90),
        title="Quảng Bình đào tạo, bồi dưỡng cán bộ, công chức cấp xã", province="Quảng Bình", period=(2016, 2020),
        doc_numbers=("2202/KH-UBND", "124/QĐ-TTg"), issuer="UBND tỉnh Quảng Bình", published="2016-12-22")
    dn = record(
        "dn-2021",
        target("Phấn đấu đến năm 2025, 70% cán bộ cấp xã được bồi dưỡng kiến thức quốc phòng.", pct=70,
               group="cán bộ cấp xã", indicator="được bồi dưỡng kiến thức quốc phòng", year=2025),
        target("100% Chi hội trưởng Phụ nữ được bồi dưỡng nghiệp vụ công tác Hội trong năm 2022.", pct=100,
               group="Chi hội trưởng Phụ nữ", indicator="được bồi dưỡng nghiệp vụ công tác Hội", year=2022, start=80),
        target("Năm 2023, đào tạo gần 300 cán bộ người dân tộc thiểu số.", trainees=300, unit="cán bộ", op="~",
               group="cán bộ", year=2023, start=170),
        title="Đắk Nông: nâng cao chất lượng đội ngũ", province="tỉnh Đắk Nông", doc_type="Quyết định",
        period=(2021, 2025), doc_numbers=("636/QĐ-UBND",), text_sha256="ab" * 32)
    hn = record(
        "hn-2030",
        target("Đến năm 2030, 80% lao động qua đào tạo có bằng cấp, chứng chỉ.", pct=80, group="lao động qua đào tạo",
               indicator="có bằng cấp, chứng chỉ", year=2030),
        target("Tổng vốn 2,5 triệu USD do ADB tài trợ.", funding=2.5e6, currency="USD", year=2030, start=70),
        target("Tối thiểu 50% công chức sử dụng thành thạo tiếng Anh.", pct=50, op=">=", group="công chức",
               indicator="sử dụng thành thạo tiếng Anh", start=110),
        title="Hà Nội phát triển nguồn nhân lực", province="Thành phố Hà Nội", doc_type="Đề án", period=(2021, 2030))
    dl = record(
        "dl-2025",
        target("Giảm tỷ lệ hộ nghèo bình quân 3%/năm đến năm 2025.", pct=3, group="hộ nghèo", indicator="giảm",
               year=2025),
        target("Hỗ trợ không quá 3 triệu đồng/người/khóa học cho lao động nông thôn.", funding=3e6, op="<=",
               group="lao động nông thôn", start=60),
        target('Đào tạo "dân quân" (tự vệ) - cấp xã: 200 người* NEAR OR AND', trainees=200, group="dân quân",
               year=2024, start=140),
        title="Đắk Lắk giảm nghèo", province="Đắk Lắk", period=(2021, 2025))
    dl.targets[1].funding.per = "người/khóa học"
    return [qb, dn, hn, dl]
