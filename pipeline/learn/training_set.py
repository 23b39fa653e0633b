"""What `chitieu train` learns the target judge from, built as it builds it: the gold documents
analysed by the rules, with out-of-fold plan periods and groups from the models trained first (those
models staged in a directory), the random-news check (with the gold articles once picked out of it,
listed in corpus/realgold/news_check_picks.txt) and the news learned as non-targets.

    ts = prepare(specs, staging, folds=5, articles=Path("../shared/realnews/articles.jsonl"))
    result = train.run(ts.docs, ts.extractor, k=5, news=ts.check, negatives=ts.negatives)

`scripts/judge_seeds.py` pickles one to cross-validate the judge over several fold seeds.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence

from . import dataset, group_reader, group_train, news, period_train, train, written_year_train
from .period import MODEL_PATH as PERIOD_PATH
from .written_year import MODEL_PATH as YEAR_PATH, WrittenYearReader

CHECK_PICKS = "news_check_picks.txt"  # beside the real gold: the articles annotated out of the news check's sample


@dataclass
class TrainingSet:
    docs: list[dataset.DocExamples]
    extractor: object                                   # the Extractor, with the learned period model and group tagger set
    check: Optional[train.NewsCheck] = None
    negatives: list[dataset.DocExamples] = field(default_factory=list)
    period_cv: Optional[period_train.PeriodCV] = None
    year_model: Optional[object] = None                 # the learned guess of the year written (written_year.WrittenYearModel)
    group_cv: Optional[object] = None                   # group_train's cross-validation
    notes: list[str] = field(default_factory=list)      # what was left out, for the user


def prepare(specs: Sequence[dataset.GoldSet], staging: Path, *, folds: int = 5, articles: Optional[Path] = None,
            news_articles: int = 2000, news_limit: float = 3.0, negative_articles: int = 5000,
            realgold: Path = Path("corpus/realgold/extra.jsonl"), period: bool = True,
            groups: bool = True, written_year: Optional[dict[str, int]] = None) -> TrainingSet:
    """The training set; the written-year model, the period model and the group tagger (with its
    figures) are written into ``staging``. ``articles``: real news without gold (None or absent: no
    news check, no negatives, no written-year model); ``written_year``: id prefix -> the year its
    articles of ``articles`` were written in (None or empty: the rules' year)."""
    from ..extractor import Extractor

    extractor = Extractor()
    extractor.judge = None  # the rules alone propose and label the candidates
    extractor.group_tagger = None  # ... with their own groups (the tagger is trained next)
    extractor.period_model = None  # ... and periods (the period model is trained first)
    extractor.year_model = None
    notes: list[str] = []
    has_articles = articles is not None and articles.exists()
    if written_year and has_articles:  # first: the documents are analysed with the year it guesses
        extractor.year_model = train_written_year(articles, written_year, realgold, staging)
        if extractor.year_model is None:
            notes.append(f"{articles} holds no article to learn the year written from (ids starting with "
                         f"{', '.join(sorted(written_year))}, outside the test splits and the benchmark's sample): "
                         "the rules guess the year a text was written in")
    elif written_year:
        notes.append(f"{articles} is not here: the rules guess the year a text was written in")
    docs = dataset.build(specs, extractor)
    ts = TrainingSet(docs, extractor, year_model=extractor.year_model, notes=notes)
    if period:
        examples = period_train.period_examples(docs, extractor.periods)
        ts.period_cv = period_train.cross_validate(examples, train.folds_of(docs, folds))
        period_train.reanalyze(docs, ts.period_cv, extractor)  # the judge learns on the periods it will be handed
        extractor.period_model = period_train.fit_model(examples, info={
            "documents": sum(e.teaches for e in examples), "c": period_train.C, "folds": folds,
            "cv_agreement": {n: {"documents": a[0], "rules": round(a[1] / a[0], 3), "learned": round(a[2] / a[0], 3)}
                             for n, a in sorted(ts.period_cv.agreement.items())}})
        (staging / PERIOD_PATH.name).write_text(
            json.dumps(extractor.period_model.to_json(), ensure_ascii=False, sort_keys=True, indent=0) + "\n",
            encoding="utf-8")
    if groups:
        seqs = group_train.sequences(docs, extractor.m)
        ts.group_cv = group_train.cross_validate(docs, seqs, train.folds_of(docs, folds))
        group_train.apply(docs, seqs, ts.group_cv)  # the judge learns on the groups it will be handed
        staged = staging / group_reader.MODEL_PATH.name
        group_train.fit(seqs, staged)
        group_train.write_info(ts.group_cv, staged, len(docs), seqs)
        extractor.group_tagger = group_reader.GroupTagger(staged, ts.group_cv.min_confidence)  # the news, as shipped
    if has_articles:
        # the ids of every gold set, as bench/spurious.py excludes them: the samples never meet
        exclude = news.default_exclude(articles.parent.parent, realgold)
        if news_articles:
            lines = news.sample(articles, exclude, news_articles, skip=news.BENCH_ARTICLES)
            found, read = dataset.unlabelled(lines, extractor)
            picked = news.check_picks(realgold.with_name(CHECK_PICKS))
            own = [i for i, d in enumerate(docs) if d.doc_id in picked and d.source == realgold.name]
            ts.check = train.NewsCheck(found, read, news_limit, own=own)
        if negative_articles:  # after both the benchmark's sample and the check's
            lines = news.sample(articles, exclude, negative_articles, skip=news.BENCH_ARTICLES + news_articles)
            ts.negatives, read = dataset.unlabelled(lines, extractor, source="negatives")
            if not ts.negatives:
                ts.notes.append(f"{articles} holds {read} article(s) after its first "
                                f"{news.BENCH_ARTICLES + news_articles}, none with a candidate: "
                                "no news learned as non-targets")
    elif news_articles or negative_articles:
        ts.notes.append(f"{articles} is not here: thresholds chosen without the news check, "
                        "and no news learned as non-targets")
    return ts


def train_written_year(articles: Path, labels: dict[str, int], realgold: Path, staging: Path):
    """The written-year model, trained on the articles of ``articles`` that ``labels`` dates (their
    years, no gold), except the test splits of the real gold and the articles bench/spurious.py
    reads, and staged in ``staging``; None when no article is left."""
    from ..eval.files import load_gold
    from ..metadata import get_metadata_reader

    exclude = {g["doc_id"] for f in sorted((articles.parent.parent / "gold").glob("*.jsonl"))
               for g in load_gold(f) if g.get("split") == "test"}
    bench = news.sample(articles, news.default_exclude(articles.parent.parent, realgold), news.BENCH_ARTICLES)
    exclude.update(json.loads(line)["id"] for line in bench)
    with articles.open(encoding="utf-8") as fh:
        examples = written_year_train.article_examples(fh, labels, WrittenYearReader(), get_metadata_reader(),
                                                       exclude=frozenset(exclude), source=str(articles))
    if not examples:
        return None
    model = written_year_train.train_model(examples)
    model.info["labels"] = dict(sorted(labels.items()))
    (staging / YEAR_PATH.name).write_text(json.dumps(model.to_json(), ensure_ascii=False, sort_keys=True, indent=0) + "\n",
                                          encoding="utf-8")
    return model
