"""pipeline.learn.written_year and written_year_train: the candidate years of a text, their features,
the guess a model makes (and when the rules' year stays), its training from articles of known years,
and how the extractor and `chitieu train` use it."""
from __future__ import annotations

import dataclasses
import datetime
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.errors import ChitieuError
from pipeline.extractor import Extractor
from pipeline.learn import written_year_train
from pipeline.learn.written_year import WrittenYearModel, WrittenYearReader, load_written_year_model
from pipeline.metadata import get_metadata_reader
from pipeline.normalize import normalize
from pipeline.source import SourceDocument

ROOT = Path(__file__).resolve().parents[1]


def article(i: int, year: int) -> str:
    """A short news item written in ``year`` that names the year before, its own and a later one,
    with no date the rules read (no full date, no month or quarter of a year)."""
    return (f"Năm {year - 1}, huyện đã xây {10 + i % 7} phòng học. Trong năm {year}, huyện tiếp tục xây "
            f"{5 + i % 4} phòng học mới. Đến năm {year + 3}, 100% trường đạt chuẩn quốc gia.")


def lines(prefix: str, n: int, year: int, start: int = 0) -> list[str]:
    return [json.dumps({"id": f"{prefix}{i}", "title": f"Tin số {i}", "text": article(i, year)}, ensure_ascii=False)
            for i in range(start, start + n)]


@pytest.fixture(scope="module")
def reader() -> WrittenYearReader:
    return WrittenYearReader()


@pytest.fixture(scope="module")
def trained(reader: WrittenYearReader) -> WrittenYearModel:
    examples = written_year_train.article_examples(lines("bm_", 60, 2017) + lines("other_", 5, 2017),
                                                   {"bm_": 2017}, reader, get_metadata_reader())
    return written_year_train.train_model(examples, folds=5)


def test_candidates_point_at_the_years_a_text_names(reader: WrittenYearReader) -> None:
    text = "Năm 2016 tăng 1.2017 lần; mã 20175; giai đoạn 2016-2020, tháng 5/2017; năm 1890 và 2099."
    cands = reader.candidates(text)
    assert [y for y, _ in cands] == [2016, 2017, 2020]   # 1890 and 2099 are out of range; "1.2017", "20175" no year
    for y, spans in cands:
        assert all(text[a:b] == str(y) for a, b in spans)
    assert len(dict(cands)[2016]) == 2


def test_features_place_numbers_against_the_candidate_year(reader: WrittenYearReader) -> None:
    text = normalize("Năm học 2017 - 2018, trường tuyển 300 học sinh. Đến năm 2020, năm nay").text
    cands = reader.candidates(text)
    feats = dict(zip((y for y, _ in cands), reader.features(text, cands, 2018)))
    f17 = feats[2017]
    assert f17["a12=-_y+1"] == 1.0 and f17["b21=năm_học"] == 1.0 and f17["a1=-"] == 1.0
    assert f17["rules=later"] == 1.0 and f17["this_year=1"] == 1.0 and f17["next_named=1"] == 1.0
    assert feats[2018]["b2=y-1"] == 1.0 and feats[2018]["rules=same"] == 1.0 and feats[2018]["rank=1"] == 1.0
    assert feats[2020]["b21=đến_năm"] == 1.0 and feats[2020]["rules=earlier"] == 1.0
    assert not any(re.search(r"\d{3}", k.partition("=")[2]) for f in feats.values() for k in f)   # years relative, numbers "#"
    assert reader.features("quý 3/2017", reader.candidates("quý 3/2017"), None)[0]["b321=quý_#_/"] == 1.0


def test_the_words_around_a_year_are_read_at_its_first_mentions_only(reader: WrittenYearReader) -> None:
    n = reader.max_mentions
    text = "năm 2017 tăng. " * n + "dự kiến 2017 giảm."
    feats = reader.features(text, reader.candidates(text), None)[0]
    assert len(reader.candidates(text)[0][1]) == n + 1 and feats["mentions=5"] == 1.0
    assert feats["b1=năm"] == 1.5 and "b1=kiến" not in feats   # the mention past the first n is not read


def test_the_best_year_is_taken_only_from_the_threshold(reader: WrittenYearReader) -> None:
    text = "Trong năm 2021, huyện xây 5 phòng học. Đến năm 2025, 100% trường đạt chuẩn."
    model = WrittenYearModel({"b21=trong_năm": 2.0, "b21=đến_năm": -2.0}, threshold=0.8)
    year, p = model.best(reader, text, None)
    assert year == 2021 and p == pytest.approx(1 / (1 + 2.718281828459045 ** -2.0))   # 0.881
    assert model.guess(reader, text, None) == 2021
    assert dataclasses.replace(model, threshold=0.9).guess(reader, text, 2019) == 2019   # not sure enough: the rules'
    assert model.guess(reader, "Không có năm nào.", 2015) == 2015
    assert model.best(reader, "Không có năm nào.", None) is None


def test_training_learns_the_year_from_the_words_around_it_and_holds_out_articles(trained, reader) -> None:
    info = trained.info
    assert info["articles"] == 60                       # "other_" has no label
    assert info["held_out"]["rules"] == {"none": 60}    # the rules read no date in these texts
    assert info["held_out"]["learned"] == {"right": 60}
    assert trained.threshold == written_year_train.THRESHOLDS[0] and info["guess_precision"] == 1.0
    # what it learned is where the year stands, not the year: a text of 2021 is dated 2021
    assert trained.guess(reader, normalize(article(3, 2021)).text, None) == 2021
    again = written_year_train.train_model(written_year_train.article_examples(
        lines("bm_", 60, 2017), {"bm_": 2017}, reader, get_metadata_reader()), folds=5)
    assert again.to_json() == trained.to_json()          # deterministic


def test_labels_are_prefix_year_pairs() -> None:
    assert written_year_train.parse_labels(["baomoi_=2017", "unc_=2020"]) == {"baomoi_": 2017, "unc_": 2020}
    for bad in ("baomoi_", "=2017", "baomoi_=soon", "baomoi_=17"):
        with pytest.raises(ChitieuError, match="PREFIX=YEAR"):
            written_year_train.parse_labels([bad])


def test_the_extractor_reads_the_guess_and_a_date_of_the_document_still_wins(trained) -> None:
    ex = Extractor()
    doc = SourceDocument(text="Tin huyện\n" + article(1, 2021) + " Năm nay, tỉnh phấn đấu 90% cán bộ cấp xã được "
                         "bồi dưỡng kiến thức quản lý nhà nước.", doc_id="t")
    ex.year_model = None
    assert ex.analyze(doc).ref_year is None
    ex.year_model = trained
    assert ex.analyze(doc).ref_year == 2021
    assert ex.analyze(dataclasses.replace(doc, published=datetime.date(2023, 5, 1))).ref_year == 2023
    assert ex.analyze(dataclasses.replace(doc, written_in=2022)).ref_year == 2022
    assert [(t.percentage.value, t.deadline.year, t.deadline.text) for t in ex.extract(doc).targets] == [
        (90.0, 2021, "Năm nay")]
    ex.year_model = None
    assert [(t.percentage.value, t.deadline) for t in ex.extract(doc).targets] == [(90.0, None)]


def test_the_shipped_model_loads_and_switches_off(monkeypatch) -> None:
    model = load_written_year_model()
    assert model is not None and 0.5 <= model.threshold <= 0.95 and model.info["labels"] == {"baomoi_": 2017}
    assert model.info["guess_precision"] >= written_year_train.MIN_PRECISION
    held = model.info["held_out"]
    assert held["learned"]["right"] > held["rules"]["right"]
    load_written_year_model.cache_clear()
    monkeypatch.setenv("CHITIEU_WRITTEN_YEAR", "rules")
    try:
        assert load_written_year_model() is None
    finally:
        load_written_year_model.cache_clear()


def test_a_bad_model_file_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "written_year.json"
    bad.write_text('{"weights": {}}', encoding="utf-8")
    with pytest.raises(ChitieuError, match="written_year.json: not a written-year model"):
        WrittenYearModel.load(bad)


def test_train_command_learns_the_year_first_and_writes_it_beside_the_judge(tmp_path: Path) -> None:
    gold_lines = [line for line in (ROOT / "corpus" / "gold.jsonl").read_text(encoding="utf-8").splitlines()
                  if json.loads(line).get("split") == "dev"][:8]
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(gold_lines) + "\n", encoding="utf-8")
    news = tmp_path / "news.jsonl"   # the benchmark's sample takes 1,000 of them: 100 are left to learn from
    news.write_text("\n".join(lines("bm_", 1100, 2017)) + "\n", encoding="utf-8")
    out = tmp_path / "models" / "target_judge.json"
    args = ["train", "--set", f"{gold}={ROOT / 'corpus' / 'docs'}", "--folds", "2", "-o", str(out),
            "--news", str(news), "--news-articles", "0", "--negatives", "0"]
    result = CliRunner().invoke(main, [*args, "--written-year", "bm_=2017"])
    assert result.exit_code == 0, result.output
    model = WrittenYearModel.load(out.with_name("written_year.json"))
    assert model.info["articles"] == 100 and model.info["labels"] == {"bm_": 2017}
    assert "year written, 100 articles of known years" in result.output
    other = CliRunner().invoke(main, [*args, "--written-year", "xx_=2017"])
    assert other.exit_code == 0, other.output
    assert "holds no article to learn the year written from" in other.output
    assert not out.with_name("written_year.json").exists()   # the judge was trained without it
    bad = CliRunner().invoke(main, [*args, "--written-year", "bm_"])
    assert bad.exit_code == 2 and "expected PREFIX=YEAR" in bad.output
