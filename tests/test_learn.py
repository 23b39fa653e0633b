"""The learned target judge: model arithmetic, its effect on extraction, the shipped model, and
deterministic training with cross-validation by document."""
from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.extractor import Extractor
from pipeline.learn import dataset, news, train
from pipeline.learn.features import DocContext, candidate_features
from pipeline.discourse import drop_relative_deadline
from pipeline.learn.judge import MODEL_PATH, LearnedJudge, TargetModel, load_judge
from pipeline.match import DeadlineCue
from pipeline.source import SourceDocument

ROOT = Path(__file__).resolve().parent.parent
PLAN = ("Kế hoạch số 12/KH-UBND ngày 5/3/2021 của UBND tỉnh Hà Tĩnh.\n"
        "Phấn đấu đến năm 2025, ít nhất 80% cán bộ, công chức cấp xã được bồi dưỡng kỹ năng số. "
        "Năm 2019, tỉnh đã có 60% cán bộ được bồi dưỡng.\n")


@pytest.fixture(scope="module")
def rules_only() -> Extractor:
    ex = Extractor()
    ex.judge, ex.group_tagger = None, None
    return ex


def sig(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def test_probability_is_the_logistic_of_the_weighted_sum():
    model = TargetModel(weights={"bias": -1.0, "a": 2.0, "b": 0.5}, threshold=0.5)
    assert model.probability({"bias": 1, "a": 1}) == pytest.approx(1 / (1 + math.exp(-1.0)))
    assert model.probability({"bias": 1, "b": 2, "unseen": 7}) == pytest.approx(0.5)


def test_with_two_stages_the_probability_is_the_mean_of_the_full_and_the_staged_estimate(tmp_path):
    model = TargetModel(weights={"a": 1.0}, threshold=0.5, target_weights={"a": 2.0, "b": -1.0},
                        fields_weights={"b": 0.5})
    x = {"a": 1, "b": 2}
    assert model.probability(x) == pytest.approx((sig(1.0) + sig(0.0) * sig(1.0)) / 2)
    path = tmp_path / "m.json"
    path.write_text(json.dumps(model.to_json()), encoding="utf-8")
    again = TargetModel.load(path)
    assert again.probability(x) == model.probability(x) and again.fields_weights == {"b": 0.5}
    single = TargetModel(weights={"a": 1.0}, threshold=0.5)  # a model file written before the stages
    assert "target_weights" not in single.to_json() and single.probability(x) == pytest.approx(sig(1.0))
    assert model.weight_count() == 4 and single.weight_count() == 1


def test_a_batch_is_scored_as_its_examples_one_by_one():
    """probabilities() sums each example's own features only (a document's candidates in one product),
    an empty example included, and far sums are clipped rather than overflowing."""
    model = TargetModel(weights={"a": 1.0, "c": -2.0}, threshold=0.5, target_weights={"a": 2.0, "b": -1.0},
                        fields_weights={"b": 0.5, "c": 1.0})
    batch = [{"a": 1, "b": 2}, {}, {"c": 3, "zzz": 9}, {"a": 1000}]
    expected = [(sig(1.0) + sig(0.0) * sig(1.0)) / 2, (0.5 + 0.25) / 2,
                (sig(-6.0) + 0.5 * sig(3.0)) / 2, (sig(30.0) + sig(30.0) * 0.5) / 2]
    assert model.probabilities(batch) == pytest.approx(expected)
    assert [model.probability(x) for x in batch] == pytest.approx(expected)
    assert model.probabilities([]) == []
    single = TargetModel(weights={"a": 1.0}, threshold=0.5)
    assert single.probabilities([{"a": 2}, {"b": 1}]) == pytest.approx([sig(2.0), 0.5])


def test_the_stages_learn_their_own_labels():
    """The target stage learns from every candidate whether its quantity is a gold target's; the fields
    stage only from those that are, whether they are right in every field."""
    from types import SimpleNamespace

    def doc(rows):  # (features, target, full)
        return SimpleNamespace(features=[r[0] for r in rows], target=[r[1] for r in rows], full=[r[2] for r in rows])

    docs = [doc([({"num": 1, "good": 1}, 1, 1), ({"num": 1, "bad": 1}, 1, 0), ({"other": 1}, 0, 0)]) for _ in range(20)]
    model = train.fit_model(docs, 1.0)
    assert model.target_weights["num"] > 0 > model.target_weights["other"]
    assert "other" not in model.fields_weights  # it never occurs among the targets
    assert model.fields_weights["good"] > 0 > model.fields_weights["bad"]
    assert model.probability({"num": 1, "good": 1}) > 0.5 > model.probability({"num": 1, "bad": 1})
    every_field_right = [doc([({"num": 1}, 1, 1), ({"other": 1}, 0, 0)]) for _ in range(5)]
    assert train.fit_model(every_field_right, 1.0).target_weights is None  # one value to learn: the full label alone


def test_calibration_is_piecewise_linear_and_clipped():
    model = TargetModel(weights={}, threshold=0.5, calibration_x=[0.1, 0.5, 0.9], calibration_y=[0.0, 0.4, 1.0])
    assert model.calibrate(0.05) == 0.0
    assert model.calibrate(0.3) == pytest.approx(0.2)
    assert model.calibrate(0.7) == pytest.approx(0.7)
    assert model.calibrate(0.95) == 1.0
    assert TargetModel(weights={}, threshold=0.5).calibrate(0.37) == 0.37  # no calibration: identity


def test_a_relative_deadline_gives_no_year():
    from pipeline.link import Candidate
    from pipeline.numbers import Quantity

    c = Candidate(q=Quantity("percent", 80, 0, 3, 0), view=None, sentence_index=0,
                  deadline=DeadlineCue(0, 10, 0, None, None, "relative", "r", "trong 3 năm tới"))
    assert drop_relative_deadline(c)
    assert c.deadline is None and c.deadline_how == "relative"


def test_features_carry_the_rules_decision_and_the_words_around_the_number(rules_only):
    a = rules_only.analyze(SourceDocument(text=PLAN, doc_id="x"))
    ctx = DocContext(a)
    by_value = {c.q.value: candidate_features(ctx, c) for c in a.cands}
    aim, past = by_value[80], by_value[60]
    assert aim["rule=keep"] == 1 and "rule=drop" not in aim
    assert past["rule=drop"] == 1 and past.get("flag=past") == 1
    assert aim["L0=nhất"] == 1 and aim["L1=ít"] == 1 and aim["R0=cán"] == 1
    assert aim["doc=doc_numbers"] == 1


def test_a_judge_that_trusts_the_rules_keeps_what_they_keep(rules_only):
    doc = SourceDocument(text=PLAN, doc_id="x")
    plain = rules_only.finish(rules_only.analyze(doc), judge=lambda a: a.cands)
    trusting = LearnedJudge(TargetModel(weights={"rule=keep": 4.0, "rule=drop": -4.0}, threshold=0.5))
    judged = rules_only.finish(rules_only.analyze(doc), judge=trusting)
    assert [t.percentage.value for t in plain.targets] == [80]
    assert [t.percentage.value for t in judged.targets] == [80]
    assert judged.targets[0].confidence == pytest.approx(1 / (1 + math.exp(-4.0)), abs=1e-3)
    assert plain.targets[0].confidence is None


def test_a_judge_can_drop_and_keep_against_the_rules(rules_only):
    doc = SourceDocument(text=PLAN, doc_id="x")
    contrary = LearnedJudge(TargetModel(weights={"rule=keep": -4.0, "rule=drop": 4.0}, threshold=0.5))
    record = rules_only.finish(rules_only.analyze(doc), judge=contrary)
    assert [t.percentage.value for t in record.targets] == [60]
    assert "judge.kept" in record.targets[0].rules


def test_a_candidate_is_labelled_with_the_record_the_judge_would_give_it(rules_only):
    """One the rules drop (a title's) and the judge keeps takes the end of the plan period as its
    deadline: its label must be read off that record, not off one without a deadline."""
    text = ("Kế hoạch bồi dưỡng cán bộ: 90% cán bộ cấp xã được bồi dưỡng kỹ năng số\n"
            "UBND tỉnh ban hành kế hoạch giai đoạn 2021-2025 về bồi dưỡng cán bộ.\n")
    a = rules_only.analyze(SourceDocument(text=text, doc_id="x"))
    (c,) = [c for c in a.cands if c.q.value == 90]
    assert not c.keep and c.deadline is None and a.period_end == 2025
    assert dataset.as_record(a, c)["deadline"]["year"] == 2025
    keep_all = LearnedJudge(TargetModel(weights={}, threshold=0.2))
    (t,) = [t for t in rules_only.finish(a, judge=keep_all).targets if t.percentage.value == 90]
    assert t.deadline.year == 2025
    gold = {"targets": [{"percentage": {"value": 90, "op": "="}, "target_group": "cán bộ cấp xã",
                         "deadline": {"year": 2025, "text": ""}, "evidence": {"text": "", "start": 0, "end": 0}}]}
    a = rules_only.analyze(SourceDocument(text=text, doc_id="x"))
    target, full = dataset.label(a, gold)
    i = next(i for i, c in enumerate(a.cands) if c.q.value == 90)
    assert target[i] == 1 and full[i] == 1


@pytest.mark.skipif(not MODEL_PATH.exists(), reason="no shipped model")
def test_the_shipped_model_loads_and_gives_calibrated_confidence():
    judge = load_judge()
    assert judge is not None and 0 < judge.model.threshold < 1
    xs, ys = judge.model.calibration_x, judge.model.calibration_y
    assert xs == sorted(xs) and ys == sorted(ys) and all(0 <= y <= 1 for y in ys)
    record = Extractor().extract(SourceDocument(text=PLAN, doc_id="x"))
    assert [t.percentage.value for t in record.targets] == [80]
    assert 0.5 <= record.targets[0].confidence <= 1


def test_candidates_scored_a_chunk_at_a_time_get_the_scores_of_one_batch(rules_only):
    """LearnedJudge.scores holds the features of CHUNK candidates at a time (memory on target-dense
    text); each score is its own row's sum, so the chunks change no value."""
    text = "Mục tiêu đến năm 2025:\n" + "\n".join(
        f"- {10 + i}% cán bộ xã số {i} được bồi dưỡng; hỗ trợ {i + 1} tỷ đồng." for i in range(9))
    a = rules_only.analyze(SourceDocument(text=text, doc_id="chunks"))
    assert len(a.cands) == 18
    judge = load_judge()
    whole = judge.scores(a)
    chunked = LearnedJudge(judge.model)
    chunked.CHUNK = 4
    assert chunked.scores(a) == whole
    assert len(set(whole)) > 1


def _small_gold(tmp_path: Path, n: int = 10) -> Path:
    lines = [line for line in (ROOT / "corpus" / "gold.jsonl").read_text(encoding="utf-8").splitlines()
             if json.loads(line).get("split") == "dev"][:n]
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_folds_are_deterministic_and_balanced():
    docs = list(range(23))
    folds = train.folds_of(docs, 5)
    assert folds == train.folds_of(docs, 5)
    assert sorted(folds.count(f) for f in range(5)) == [4, 4, 5, 5, 5]


def test_training_is_deterministic_and_labels_come_from_gold(tmp_path, rules_only):
    gold = _small_gold(tmp_path)
    sets = [dataset.GoldSet.parse(f"{gold}={ROOT / 'corpus' / 'docs'}")]
    docs = dataset.build(sets, rules_only)
    assert len(docs) == 10
    # a candidate right in every field is a gold target's quantity; both labels occur
    assert all(full <= target for d in docs for target, full in zip(d.target, d.full))
    assert sum(sum(d.full) for d in docs) > 0 and any(0 in d.target for d in docs)
    first = train.run(docs, rules_only, k=2, c_grid=(0.3,))
    second = train.run(dataset.build(sets, rules_only), rules_only, k=2, c_grid=(0.3,))
    assert first.model.to_json() == second.model.to_json()
    assert first.model.threshold in train.THRESHOLDS
    assert first.model.threshold >= first.model.drop_below  # the rules' "no" is never trusted less than their "yes"
    assert first.summary()["sets"]["gold.jsonl"]["learned_cv"]["documents"] == 10


def test_train_command_writes_a_model_and_reports_folds(tmp_path):
    gold = _small_gold(tmp_path, 8)
    out = tmp_path / "model.json"
    report = tmp_path / "report.json"
    result = CliRunner().invoke(main, ["train", "--set", f"{gold}={ROOT / 'corpus' / 'docs'}", "--folds", "2",
                                       "-o", str(out), "--report", str(report), "--news-articles", "0",
                                       "--negatives", "0", "--written-year", "none"])
    assert result.exit_code == 0, result.output
    assert "2-fold cross-validation by document" in result.output
    model = TargetModel.load(out)
    assert model.weights and model.info["documents"] == 8
    assert json.loads(report.read_text())["folds"] == 2


def test_fold_seeds_cross_validate_on_their_own_folds_and_the_script_reports_them(tmp_path, rules_only):
    import importlib.util
    import pickle

    docs = dataset.build([dataset.GoldSet.parse(f"{_small_gold(tmp_path)}={ROOT / 'corpus' / 'docs'}")], rules_only)
    by_seed = {seed: train.cross_validate(docs, rules_only, 2, (0.3,), trees=0, seed=seed) for seed in (13, 7)}
    assert by_seed[13].folds == train.folds_of(docs, 2, 13) and by_seed[7].folds == train.folds_of(docs, 2, 7)
    assert by_seed[13].folds != by_seed[7].folds
    data = tmp_path / "set.pkl"
    data.write_bytes(pickle.dumps((docs, None, [])))
    spec = importlib.util.spec_from_file_location("judge_seeds", ROOT / "scripts" / "judge_seeds.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    out = script.run(data, [13, 7], (0.3,), 0, folds=2)
    for seed, cv in by_seed.items():
        assert out["seeds"][seed]["all"] == round(cv.reports["all"].full_record.f1, 4)
        assert out["seeds"][seed]["keep_from"] == cv.threshold and out["seeds"][seed]["news_per_100"] is None
    assert out["mean"]["all"] == round((out["seeds"][13]["all"] + out["seeds"][7]["all"]) / 2, 4)
    assert out["documents"] == len(docs) == 10


def _gold_and_news(tmp_path: Path, extractor) -> tuple[list, list[str]]:
    """The small gold set's training documents, and six corpus test texts as JSONL lines of "news"."""
    gold = _small_gold(tmp_path)
    docs = dataset.build([dataset.GoldSet.parse(f"{gold}={ROOT / 'corpus' / 'docs'}")], extractor)
    texts = sorted((ROOT / "corpus" / "docs").glob("test_*.txt"))[:6]
    lines = [json.dumps({"id": p.stem, "title": None, "text": p.read_text(encoding="utf-8")}, ensure_ascii=False) + "\n"
             for p in texts]
    return docs, lines


def test_thresholds_hold_news_to_the_limit(tmp_path, rules_only):
    # "News" here: corpus test documents, which do state aims. With a limit no thresholds meet (0
    # targets per 100 articles), the thresholds chosen are those of the lowest rate the grid gives;
    # without one, those of the best F1; the rate reported is the one the thresholds give.
    docs, lines = _gold_and_news(tmp_path, rules_only)
    found, read = dataset.unlabelled(lines, rules_only)
    assert read == len(lines) and found and all(d.gold["targets"] == [] and not any(d.full) for d in found)
    free = train.run(docs, rules_only, k=2, c_grid=(0.3,), news=train.NewsCheck(found, read, limit=1000.0))
    held = train.run(docs, rules_only, k=2, c_grid=(0.3,), news=train.NewsCheck(found, read, limit=0.0))
    assert held.cv.trees is not None  # the news are scored as shipped: regressions and trees fitted on every document
    shipped = train.fit_model(docs, 0.3, trees=held.cv.trees)
    scores = [[shipped.probability(x) for x in d.features] for d in found]
    rates = {(t, drop): train.NewsCheck(found, read).rate(scores, train.TargetModel({}, t, drop_below=drop), rules_only)
             for t in train.THRESHOLDS for drop in train.DROP_BELOW if t >= drop}
    assert min(rates.values()) < max(rates.values())   # the thresholds matter on these "news"
    assert 0 < held.cv.news_rate == min(rates.values()) <= free.cv.news_rate
    assert rates[(held.cv.threshold, held.cv.drop_below)] == held.cv.news_rate
    assert rates[(free.cv.threshold, free.cv.drop_below)] == free.cv.news_rate
    assert held.summary()["news_check"] == {"articles": read, "limit_per_100": 0.0,
                                            "targets_per_100": round(held.cv.news_rate, 2)}
    # news the model is unsure of (0.45 each): the best F1 lets them through, the limit of 0 must not
    unsure = [[0.45] * len(d.features) for d in found]
    cv = train.CrossValidation(c=0.3, folds=free.cv.folds, scores=free.cv.scores)
    loose = train.best_threshold(cv, docs, rules_only, train.NewsCheck(found, read, 1000.0), unsure)
    tight = train.best_threshold(cv, docs, rules_only, train.NewsCheck(found, read, 0.0), unsure)
    assert loose.news_rate > 0 and tight.news_rate == 0
    assert tight.threshold > 0.45 and tight.drop_below > 0.45
    assert tight.reports["all"].full_record.f1 <= loose.reports["all"].full_record.f1


def test_news_check_counts_its_own_annotated_articles_by_their_held_out_records(tmp_path, rules_only):
    # Two gold documents stand for articles picked out of the check's sample to be annotated: the
    # rate counts the targets their held-out records keep, over the news read plus those two.
    docs, lines = _gold_and_news(tmp_path, rules_only)
    found, read = dataset.unlabelled(lines, rules_only)
    cv = train.cross_validate(docs, rules_only, 2, (0.3,), trees=0)
    model = train.TargetModel({}, 0.5, drop_below=0.5)
    recs = train.records(docs, cv.scores, model, rules_only)
    own = [i for i, r in enumerate(recs) if r["targets"]][:2]
    assert len(own) == 2
    news_scores = [[0.0] * len(d.features) for d in found]  # no news target kept: only the own ones count
    plain = train.NewsCheck(found, read)
    check = train.NewsCheck(found, read, own=own)
    assert plain.rate(news_scores, model, rules_only) == 0.0
    kept = len(recs[own[0]]["targets"]) + len(recs[own[1]]["targets"])
    assert check.total == read + 2
    assert check.rate(news_scores, model, rules_only, recs) == pytest.approx(100.0 * kept / (read + 2))
    with pytest.raises(ValueError):
        check.rate(news_scores, model, rules_only)
    # the thresholds' search hands each trial's records over: the rate it reports is the one above
    chosen = train.best_threshold(cv, docs, rules_only, train.NewsCheck(found, read, 1000.0, own=own), news_scores)
    at = train.TargetModel({}, chosen.threshold, drop_below=chosen.drop_below)
    assert chosen.news_rate == check.rate(news_scores, at, rules_only, train.records(docs, cv.scores, at, rules_only))
    assert train.news_summary(train.NewsCheck(found, read, 3.0, own=own), chosen)["annotated"] == 2
    # the list of such articles: ids, one a line, comments and blanks ignored; no file, none
    picks = tmp_path / "picks.txt"
    picks.write_text("# picked out of the check\nbaomoi_1\n\nbaomoi_2  # a note\n", encoding="utf-8")
    assert news.check_picks(picks) == {"baomoi_1", "baomoi_2"}
    assert news.check_picks(tmp_path / "absent.txt") == set()


def test_negatives_are_learned_as_non_targets_and_never_scored(tmp_path, rules_only):
    # "News" learned as non-targets: corpus test documents, whose candidates include real aims; every
    # model learns them with the label 0, so the shipped model scores them lower than one without them,
    # while the folds still report only the gold documents.
    docs, lines = _gold_and_news(tmp_path, rules_only)
    negatives, _ = dataset.unlabelled(lines, rules_only, source="negatives")
    plain = train.run(docs, rules_only, k=2, c_grid=(0.3,))
    learned = train.run(docs, rules_only, k=2, c_grid=(0.3,), negatives=negatives)
    feats = [x for d in negatives for x in d.features]
    before, after = plain.model.probabilities(feats), learned.model.probabilities(feats)
    assert sum(after) < sum(before)
    assert learned.summary()["negatives"] == {"documents": len(negatives), "candidates": len(feats)}
    assert plain.summary()["negatives"] is None
    assert learned.summary()["sets"]["all"]["learned_cv"]["documents"] == len(docs)
    assert set(learned.summary()["sets"]) == {"all", "gold.jsonl"}
    assert "learned as non-targets by every model" in train.render(learned)
    # every fold's model learns them too: the held-out scores of the gold documents move
    assert learned.cv.scores != plain.cv.scores


def test_train_command_learns_news_negatives_from_the_news_file(tmp_path):
    # --news-articles 0: no news check; --negatives 4: the four articles after the benchmark's 1,000 in
    # the file's random order are analysed and learned as non-targets, and the model file says so
    from pipeline.learn import news as news_sample

    gold = _small_gold(tmp_path, 8)
    items = [{"id": f"tin_{i}", "title": None, "text": f"Đến năm 2025, {i % 90 + 5}% cán bộ xã được bồi dưỡng."}
             for i in range(1010)]
    news = tmp_path / "news.jsonl"
    news.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in items), encoding="utf-8")
    out = tmp_path / "model.json"
    args = ["train", "--set", f"{gold}={ROOT / 'corpus' / 'docs'}", "--folds", "2", "-o", str(out), "--news", str(news)]
    result = CliRunner().invoke(main, [*args, "--news-articles", "0", "--negatives", "4"])
    assert result.exit_code == 0, result.output
    assert TargetModel.load(out).info["negatives"] == {"documents": 4, "candidates": 4}  # one percentage each
    assert "4 candidates of 4 random news articles" in result.output
    assert len(news_sample.sample(news, set(), 100, skip=news_sample.BENCH_ARTICLES)) == 10
    # a check of 10 takes the rest: no article is left to learn from, and the note says so
    none = CliRunner().invoke(main, [*args, "--news-articles", "10", "--negatives", "4"])
    assert none.exit_code == 0, none.output
    assert "holds 0 article(s) after its first 1010" in none.output and "no news learned as non-targets" in none.output
    assert "negatives" not in TargetModel.load(out).info
    elsewhere = tmp_path / "other" / "model.json"
    missing = CliRunner().invoke(main, ["train", "--set", f"{gold}={ROOT / 'corpus' / 'docs'}", "--news",
                                        str(tmp_path / "none.jsonl"), "--news-articles", "0", "-o", str(elsewhere)])
    assert missing.exit_code == 2 and "none.jsonl: not found (--news)" in missing.output
    assert not elsewhere.parent.exists()  # told before anything is trained: no tagger written without its judge


def test_train_command_moves_the_period_model_and_tagger_beside_the_judge_only_when_all_are_trained(tmp_path, monkeypatch):
    gold = _small_gold(tmp_path, 8)
    out = tmp_path / "models" / "target_judge.json"

    def fail(*args, **kwargs):
        raise ValueError("training data needs both targets and non-targets")
    monkeypatch.setattr(train, "run", fail)
    result = CliRunner().invoke(main, ["train", "--set", f"{gold}={ROOT / 'corpus' / 'docs'}", "--folds", "2",
                                       "-o", str(out), "--news-articles", "0", "--negatives", "0",
                                       "--written-year", "none"])
    assert result.exit_code == 2 and "training data needs both" in result.output
    assert list(out.parent.iterdir()) == []  # neither the tagger nor its staging directory is left
    monkeypatch.undo()
    result = CliRunner().invoke(main, ["train", "--set", f"{gold}={ROOT / 'corpus' / 'docs'}", "--folds", "2",
                                       "-o", str(out), "--news-articles", "0", "--negatives", "0",
                                       "--written-year", "none"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.parent.iterdir()) == ["group_tagger.crfsuite", "group_tagger.json",
                                                            "plan_period.json", "target_judge.json"]
    assert json.loads((out.parent / "group_tagger.json").read_text(encoding="utf-8"))["documents"] == 8
    period = json.loads((out.parent / "plan_period.json").read_text(encoding="utf-8"))
    assert period["info"]["documents"] == sum(bool(json.loads(line)["targets"]) for line in gold.read_text().splitlines())
    assert period["weights"] and "plan period" in result.output
    # trained on the rules' periods and groups: the models it was not trained with do not stay beside it
    result = CliRunner().invoke(main, ["train", "--set", f"{gold}={ROOT / 'corpus' / 'docs'}", "--folds", "2",
                                       "-o", str(out), "--news-articles", "0", "--negatives", "0",
                                       "--period", "rules", "--groups", "rules", "--written-year", "none"])
    assert result.exit_code == 0, result.output
    assert [p.name for p in out.parent.iterdir()] == ["target_judge.json"]
    assert f"removed {out.parent / 'plan_period.json'}: the judge was trained without it" in result.output
    assert "plan period" not in result.output


def test_train_command_names_a_missing_gold_file(tmp_path):
    result = CliRunner().invoke(main, ["train", "--set", f"{tmp_path / 'nope.jsonl'}=corpus/docs"])
    assert result.exit_code == 2
    assert "nope.jsonl: not found" in result.output


def test_search_min_confidence_keeps_confident_targets(tmp_path):
    from pipeline.db import SearchQuery, open_store
    from schemas import DocumentRecord

    base = Extractor()
    base.judge = LearnedJudge(TargetModel(weights={"rule=keep": 4.0, "rule=drop": -4.0, "kind=percent|keep": -2.0},
                                          threshold=0.5))
    record = base.extract(SourceDocument(
        text="Năm 2025, tỉnh phấn đấu 80% cán bộ được bồi dưỡng và bố trí 2 tỷ đồng kinh phí đào tạo.", doc_id="d1"))
    confidences = sorted(t.confidence for t in record.targets)
    assert len(confidences) == 2 and confidences[0] < 0.9 < confidences[1]
    with open_store(str(tmp_path / "t.db")) as store:
        store.ingest_record(DocumentRecord.model_validate(record.model_dump()))
        assert len(store.search(SearchQuery())) == 2
        hits = store.search(SearchQuery(min_confidence=0.9))
        assert [h["funding_amount"] for h in hits] == [2_000_000_000]
        assert len(store.search(SearchQuery(text="can bo"))) == 2        # full text: both share the sentence
        assert [h["kind"] for h in store.search(SearchQuery(text="can bo", min_confidence=0.9))] == ["funding"]


def test_news_sample_is_stable_when_articles_are_annotated(tmp_path):
    from pipeline.learn import news

    articles = tmp_path / "a.jsonl"
    ids = [f"n{i}" for i in range(60)] + ["vlc_law"]
    articles.write_text("".join(json.dumps({"id": i, "title": None, "text": "x"}) + "\n" for i in ids), encoding="utf-8")

    def picked(exclude, n, skip=0):
        return [json.loads(line)["id"] for line in news.sample(articles, exclude, n, skip=skip)]

    first, after = picked(set(), 10), picked(set(), 10, skip=10)
    assert len(first) == 10 and not set(first) & set(after) and "vlc_law" not in first + after
    assert sorted(picked(set(), 60)) == sorted(ids[:-1])
    # annotating one article of the first ten takes it out and pulls in the next: nothing else moves
    assert picked({first[3]}, 10) == first[:3] + first[4:] + after[:1]
    assert picked({after[5]}, 10) == first


def test_words_before_and_after_are_the_words_of_the_cut_text() -> None:
    from pipeline.learn.features import words, words_after, words_before

    text = "Đến năm 2025, x50 HỌC viên được bồi dưỡng"
    assert words_before(text, 14, 3) == ("đến", "năm", "2025")
    assert words_before(text, 15, 8) == ("đến", "năm", "2025", "x")  # a word cut where the number starts
    assert words_after(text, 17, 2) == ("học", "viên")
    assert words_after(text, 15, 2) == ("50", "học")
    for at in range(len(text) + 1):
        for n in (1, 3, 8):
            assert words_before(text, at, n) == words(text[:at])[-n:]
            assert words_after(text, at, n) == words(text[at:])[:n]
