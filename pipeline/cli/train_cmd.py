"""`chitieu train`: rebuild the target model from real gold, with cross-validation by document."""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Optional

import click

from . import main

DEFAULT_NEWS = "../shared/realnews/articles.jsonl"
REALGOLD = "corpus/realgold/extra.jsonl"
DEFAULT_SETS = (
    "../shared/gold/realnews_dev.jsonl=../shared/realnews/articles.jsonl",
    "../shared/gold/realnews_plans.jsonl:dev=../shared/realnews/articles.jsonl",
    "../shared/gold/realnews_mixed.jsonl:dev=../shared/realnews/articles.jsonl",
    "../shared/gold/seeds.jsonl=../shared/seeds",
    f"{REALGOLD}=../shared/realnews/articles.jsonl",
    "corpus/gold.jsonl:dev=corpus/docs",
    "corpus/gold.jsonl:test=corpus/docs",
)


@main.command("train")
@click.option("--set", "sets", multiple=True, metavar="GOLD[:SPLIT]=TEXTS",
              help="A gold file (optionally one split of it) and the documents it annotates; repeatable. "
                   "Default: the real gold sets (their dev splits), corpus/realgold, and the corpus's "
                   "dev and test splits (never its holdout).")
@click.option("--folds", default=5, show_default=True, type=click.IntRange(2, 20), help="Cross-validation folds.")
@click.option("-o", "--output", "out_path", type=click.Path(dir_okay=False),
              help="Where to write the model (default: the shipped pipeline/models/target_judge.json).")
@click.option("--report", "report_path", type=click.Path(dir_okay=False), help="Also write the figures as JSON here.")
@click.option("--news", "news_path", default=DEFAULT_NEWS, show_default=True, type=click.Path(dir_okay=False),
              help="Real news without gold (JSONL, as ../shared/realnews): the thresholds let at most "
                   "--news-limit targets per 100 of a random sample of its articles through (skipped with a "
                   "note when the default file is not there).")
@click.option("--news-limit", default=3.0, show_default=True, type=click.FloatRange(min=0),
              help="Targets per 100 random news articles the thresholds may let through.")
@click.option("--news-articles", default=2000, show_default=True, type=click.IntRange(min=0),
              help="Size of the news sample (the articles after bench/spurious.py's; 0: no news check).")
@click.option("--negatives", "negative_articles", default=5000, show_default=True, type=click.IntRange(min=0),
              help="Up to this many random news articles, after the news check's sample, whose candidates every model "
                   "learns as non-targets (never scored; 0: none; skipped with the news check when --news is not there).")
@click.option("--groups", type=click.Choice(["learned", "rules"]), default="learned", show_default=True,
              help="learned: train the group tagger first (written beside the model) and give the judge its "
                   "out-of-fold groups; rules: the rules' groups alone (no tagger written; one beside the model is removed).")
@click.option("--period", type=click.Choice(["learned", "rules"]), default="learned", show_default=True,
              help="learned: train the choice of the plan period first (written beside the model) and give the "
                   "judge its out-of-fold periods; rules: the rules' periods alone (no period model written; one beside "
                   "the model is removed).")
@click.option("--trees", default=200, show_default=True, type=click.IntRange(min=0),
              help="Rounds of the gradient-boosted trees averaged with the judge's regressions (0: the regressions alone).")
def train_command(sets: tuple[str, ...], folds: int, out_path: str | None, report_path: str | None,
                  news_path: str, news_limit: float, news_articles: int, negative_articles: int,
                  groups: str, period: str, trees: int) -> None:
    """Train the learned target judge: cross-validate by document, then fit on all the gold.

    Deterministic: the same gold and code give the same model file. Needs scikit-learn
    (pip install 'chitieu[train]'); extraction itself does not.

    Example: chitieu train --report quality/judge_cv.json
    """
    from ..learn import news
    from ..errors import ChitieuError
    from ..extractor import Extractor
    from ..learn import dataset, group_reader, group_train, period_train, train
    from ..learn.period import MODEL_PATH as PERIOD_PATH
    from ..learn.judge import MODEL_PATH

    target = Path(out_path) if out_path else MODEL_PATH
    staging: Optional[Path] = None  # the period model and group tagger are trained here and moved beside the judge once all are done
    removed: list[Path] = []
    try:
        specs = [dataset.GoldSet.parse(s) for s in (sets or DEFAULT_SETS)]
        for spec in specs:
            for p in (spec.gold, spec.texts):
                if not p.exists():
                    raise ChitieuError(f"{p}: not found (needed by --set {spec.gold})")
        articles = Path(news_path)
        if (news_articles or negative_articles) and not articles.exists() and news_path != DEFAULT_NEWS:
            raise ChitieuError(f"{articles}: not found (--news)")
        target.parent.mkdir(parents=True, exist_ok=True)
        extractor = Extractor()
        extractor.judge = None  # the rules alone propose and label the candidates
        extractor.group_tagger = None  # ... with their own groups (the tagger is trained next)
        extractor.period_model = None  # ... and periods (the period model is trained first)
        docs = dataset.build(specs, extractor)
        staging = Path(tempfile.mkdtemp(prefix=".train-", dir=target.parent))
        group_cv = period_cv = None
        if period == "learned":
            examples = period_train.period_examples(docs, extractor.periods)
            period_cv = period_train.cross_validate(examples, train.folds_of(docs, folds))
            period_train.reanalyze(docs, period_cv, extractor)  # the judge learns on the periods it will be handed
            extractor.period_model = period_train.fit_model(examples, info={
                "documents": sum(e.teaches for e in examples), "c": period_train.C, "folds": folds,
                "cv_agreement": {n: {"documents": a[0], "rules": round(a[1] / a[0], 3), "learned": round(a[2] / a[0], 3)}
                                 for n, a in sorted(period_cv.agreement.items())}})
            (staging / PERIOD_PATH.name).write_text(
                json.dumps(extractor.period_model.to_json(), ensure_ascii=False, sort_keys=True, indent=0) + "\n",
                encoding="utf-8")
        if groups == "learned":
            seqs = group_train.sequences(docs, extractor.m)
            group_cv = group_train.cross_validate(docs, seqs, train.folds_of(docs, folds))
            group_train.apply(docs, seqs, group_cv)  # the judge learns on the groups it will be handed
            staged = staging / group_reader.MODEL_PATH.name
            group_train.fit(seqs, staged)
            group_train.write_info(group_cv, staged, len(docs), seqs)
            extractor.group_tagger = group_reader.GroupTagger(staged, group_cv.min_confidence)  # the news, as shipped
        check, negatives = None, []
        if articles.exists():
            # the ids of every gold set, as bench/spurious.py excludes them: the samples never meet
            exclude = news.default_exclude(articles.parent.parent, Path(REALGOLD))
            if news_articles:
                lines = news.sample(articles, exclude, news_articles, skip=news.BENCH_ARTICLES)
                found, read = dataset.unlabelled(lines, extractor)
                check = train.NewsCheck(found, read, news_limit)
            if negative_articles:  # after both the benchmark's sample and the check's
                lines = news.sample(articles, exclude, negative_articles, skip=news.BENCH_ARTICLES + news_articles)
                negatives, read = dataset.unlabelled(lines, extractor, source="negatives")
                if not negatives:
                    click.echo(f"note: {articles} holds {read} article(s) after its first "
                               f"{news.BENCH_ARTICLES + news_articles}, none with a candidate: "
                               "no news learned as non-targets", err=True)
        elif news_articles or negative_articles:
            click.echo(f"note: {articles} is not here: thresholds chosen without the news check, "
                       "and no news learned as non-targets", err=True)
        result = train.run(docs, extractor, k=folds, news=check, negatives=negatives, trees=trees)
        written = {f.name for f in staging.iterdir()}
        for f in sorted(staging.iterdir()):  # the period model, the tagger and its figures, beside the judge trained on them
            os.replace(f, target.with_name(f.name))
        for name in (PERIOD_PATH.name, group_reader.MODEL_PATH.name, group_reader.MODEL_PATH.with_suffix(".json").name):
            stale = target.with_name(name)
            if name not in written and stale.exists():  # a model this judge was not trained with would be read beside it
                stale.unlink()
                removed.append(stale)
        target.write_text(json.dumps(result.model.to_json(), ensure_ascii=False, sort_keys=True, indent=0) + "\n",
                          encoding="utf-8")
    except (ChitieuError, ValueError) as exc:
        click.echo(f"chitieu train: error: {exc}", err=True)
        raise SystemExit(2)
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    click.echo(train.render(result))
    if period_cv is not None:
        click.echo("\n" + period_train.render(period_cv))
    if group_cv is not None:
        click.echo("\n" + group_train.render(group_cv))
    click.echo(f"\nwrote {target} ({result.model.weight_count()} weights)")
    for stale in removed:
        click.echo(f"removed {stale}: the judge was trained without it")
    if report_path:
        summary = result.summary()
        if period_cv is not None:
            summary["period"] = extractor.period_model.info["cv_agreement"]
        if group_cv is not None:
            summary["groups"] = {"min_confidence": group_cv.min_confidence, "group_right": group_cv.rates}
        Path(report_path).write_text(json.dumps(summary, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
