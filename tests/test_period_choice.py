"""pipeline.learn.period and period_train: the candidates of the plan period, their features, the
choice a model makes, its training and out-of-fold measure, and how the extractor uses it."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.errors import ChitieuError
from pipeline.extractor import Extractor
from pipeline.learn import period_train
from pipeline.learn.period import PeriodModel, PeriodReader, load_period_model
from pipeline.learn.period_train import fit
from pipeline.source import SourceDocument

TEXT = ("UBND tỉnh ban hành Kế hoạch đào tạo cán bộ năm 2024\n"
        "Kết quả giai đoạn 2016-2020, tỉnh đã đào tạo 5.000 người. Thực hiện Chương trình giai đoạn 2021-2025, "
        "năm 2024 tỉnh phấn đấu 80% cán bộ cấp xã được bồi dưỡng.\n"
        "Giai đoạn 1990 - 2030 không phải là một kỳ kế hoạch.")


@pytest.fixture(scope="module")
def reader() -> PeriodReader:
    return PeriodReader()


def test_candidates_point_at_their_years(reader: PeriodReader) -> None:
    cands = reader.candidates(TEXT)
    assert cands[-1].period is None and cands[-1].kind == "none" and cands[-1].start == -1
    found = {(c.period, c.kind) for c in cands}
    assert ((2016, 2020), "period.0") in found and ((2021, 2025), "period.0") in found
    assert ((2024, 2024), "one_year.0") in found and ((2024, 2024), "head_year") in found
    assert all(c.period != (1990, 2030) for c in cands)   # longer than max_years: no period
    for c in cands[:-1]:
        written = TEXT[c.start:c.end]
        assert str(c.period[1]) in written, (c, written)
        if c.kind.startswith("period."):
            assert str(c.period[0]) in written


def test_features_say_where_and_what(reader: PeriodReader) -> None:
    cands = reader.candidates(TEXT)
    feats = reader.features(TEXT, cands, (2016, 2020), 2024)
    by: dict = {}
    for c, f in zip(cands, feats):
        by.setdefault((c.period, c.kind), f)   # the first of each
    old, new = by[((2016, 2020), "period.0")], by[((2021, 2025), "period.0")]
    assert old["rules"] == 1.0 and old["rules_first"] == 1.0 and new["rules"] == 0.0
    assert old["ahead=-4"] == 1.0 and new["ahead=1"] == 1.0
    assert old["years=4"] == 1.0 and old["where=head300"] == 1.0
    assert new["before2=chương trình"] == 1.0
    title = by[((2024, 2024), "one_year.0")]
    assert title["where=title"] == 1.0 and title["ahead=0"] == 1.0 and title["before1=năm"] == 1.0
    none = feats[-1]
    assert set(none) == {"kind=none", "none.plan_words", "none.rules", "none.candidates"} and none["none.rules"] == 0.0
    assert reader.features(TEXT, cands, None, None)[0]["ahead=?"] == 1.0


def test_model_picks_the_largest_score_first_of_equals(reader: PeriodReader) -> None:
    m = PeriodModel({"kind=period.0": 1.0, "ahead=1": 2.0})
    assert m.choose(reader, TEXT, (2016, 2020), 2024) == (2021, 2025)
    assert PeriodModel({"kind=period.0": 1.0}).choose(reader, TEXT, None, 2024) == (2016, 2020)  # first of equals
    assert PeriodModel({"kind=none": 1.0}).choose(reader, TEXT, (2016, 2020), 2024) is None
    assert PeriodModel({}).best([{"a": 1.0}, {"a": 2.0}]) == 0


def test_model_file_round_trip_and_errors(tmp_path: Path) -> None:
    m = PeriodModel({"kind=none": -0.5, "rules": 1.25}, info={"c": 1.0})
    p = tmp_path / "plan_period.json"
    p.write_text(json.dumps(m.to_json()), encoding="utf-8")
    assert PeriodModel.load(p) == m
    p.write_text('{"weights": [1, 2]}', encoding="utf-8")
    with pytest.raises(ChitieuError, match="plan_period.json: not a period model"):
        PeriodModel.load(p)
    assert load_period_model(str(tmp_path / "absent.json")) is None


def test_switched_off_by_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    load_period_model.cache_clear()
    monkeypatch.setenv("CHITIEU_PERIOD", "rules")
    try:
        assert load_period_model() is None
        assert Extractor().period_model is None
    finally:
        load_period_model.cache_clear()


def _examples(reader: PeriodReader, n: int) -> list[period_train.PeriodExample]:
    """Documents where the plan's period is the second span written; the rules take the first."""
    out = []
    for i in range(n):
        old, new = 2011 + i % 5, 2021 + i % 5
        text = (f"Tin tức {i}\nGiai đoạn {old}-{old + 4}, tỉnh đã làm được nhiều việc. "
                f"Kế hoạch giai đoạn {new}-{new + 4} đặt mục tiêu 90% cán bộ được đào tạo.")
        cands = reader.candidates(text)
        rules = (old, old + 4)
        gold = (new, new + 4)
        out.append(period_train.PeriodExample(f"set{i % 2}", cands, reader.features(text, cands, rules, new),
                                              [int(c.period == gold) for c in cands], gold, rules, True))
    return out


def test_training_learns_what_the_rules_miss_out_of_fold(reader: PeriodReader) -> None:
    examples = _examples(reader, 20)
    examples.append(period_train.PeriodExample("set0", examples[0].cands, examples[0].feats, [0] * len(examples[0].cands),
                                               None, (2011, 2015), False))  # no targets: never taught, never counted
    folds = [i % 4 for i in range(len(examples))]
    cv = period_train.cross_validate(examples, folds)
    assert len(cv.models) == 4
    assert cv.agreement["all"] == (20, 0, 20)
    assert cv.agreement["set0"] == (10, 0, 10) and cv.agreement["set1"] == (10, 0, 10)
    assert cv.chosen[:20] == [e.gold for e in examples[:20]]
    assert "0.000 -> 1.000" in period_train.render(cv)
    w = fit([(e.feats, e.labels) for e in examples[:20]])
    assert w["rules"] < 0 < w["before1=hoạch"]
    with pytest.raises(ValueError, match="period training data"):
        fit([(e.feats, [0] * len(e.feats)) for e in examples])


def test_extractor_dates_targets_by_the_chosen_period() -> None:
    text = ("KẾ HOẠCH\nĐào tạo cán bộ cấp xã\n"
            "Giai đoạn 2016-2020, tỉnh đã đào tạo 3.000 cán bộ.\n"
            "Kế hoạch thực hiện giai đoạn 2021-2025 với mục tiêu 90% cán bộ cấp xã được bồi dưỡng kiến thức quản lý.")
    doc = SourceDocument(text=text, doc_id="t1")
    ex = Extractor()
    ex.period_model = None
    rules = ex.extract(doc)
    assert rules.plan.period.start == 2016
    ex.period_model = PeriodModel({"kind=period.0": 1.0, "ahead=1": 1.0, "ahead=5": 2.0, "rules": -1.0})
    ex.judge = None  # the rules decide: the deadline comes from the period either way
    learned = ex.extract(doc)
    assert (learned.plan.period.start, learned.plan.period.end) == (2021, 2025)
    aims = [t for t in learned.targets if t.percentage is not None and t.percentage.value == 90]
    assert aims and aims[0].deadline is not None and aims[0].deadline.year == 2025
