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
DEFAULT_WRITTEN_YEAR = ("baomoi_=2017",)   # ../shared/realnews/SOURCE.md: baomoi.com news crawled in February-July 2017
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
@click.option("--written-year", multiple=True, default=DEFAULT_WRITTEN_YEAR, show_default=True, metavar="PREFIX=YEAR",
              help="The articles of --news whose id starts with PREFIX were written in YEAR: the guess of the year a "
                   "text without a date was written in is learned from them first (written beside the model; "
                   "'none': the rules' guess, and a model beside the judge is removed). Repeatable.")
def train_command(sets: tuple[str, ...], folds: int, out_path: str | None, report_path: str | None,
                  news_path: str, news_limit: float, news_articles: int, negative_articles: int,
                  groups: str, period: str, trees: int, written_year: tuple[str, ...]) -> None:
    """Train the learned target judge: cross-validate by document, then fit on all the gold.

    Deterministic: the same gold and code give the same model file. Needs scikit-learn
    (pip install 'chitieu[train]'); extraction itself does not.

    Example: chitieu train --report quality/judge_cv.json
    """
    from ..errors import ChitieuError
    from ..learn import dataset, group_reader, group_train, period_train, train, written_year_train
    from ..learn.judge import MODEL_PATH
    from ..learn.period import MODEL_PATH as PERIOD_PATH
    from ..learn.written_year import MODEL_PATH as YEAR_PATH
    from ..learn.training_set import prepare

    target = Path(out_path) if out_path else MODEL_PATH
    staging: Optional[Path] = None  # the period model and group tagger are trained here and moved beside the judge once all are done
    removed: list[Path] = []
    try:
        specs = [dataset.GoldSet.parse(s) for s in (sets or DEFAULT_SETS)]
        year_labels = written_year_train.parse_labels(y for y in written_year if y != "none")
        for spec in specs:
            for p in (spec.gold, spec.texts):
                if not p.exists():
                    raise ChitieuError(f"{p}: not found (needed by --set {spec.gold})")
        articles = Path(news_path)
        if (news_articles or negative_articles) and not articles.exists() and news_path != DEFAULT_NEWS:
            raise ChitieuError(f"{articles}: not found (--news)")
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".train-", dir=target.parent))
        ts = prepare(specs, staging, folds=folds, articles=articles, news_articles=news_articles,
                     news_limit=news_limit, negative_articles=negative_articles, realgold=Path(REALGOLD),
                     period=period == "learned", groups=groups == "learned", written_year=year_labels)
        for note in ts.notes:
            click.echo(f"note: {note}", err=True)
        extractor, period_cv, group_cv = ts.extractor, ts.period_cv, ts.group_cv
        result = train.run(ts.docs, extractor, k=folds, news=ts.check, negatives=ts.negatives, trees=trees)
        written = {f.name for f in staging.iterdir()}
        for f in sorted(staging.iterdir()):  # the period model, the tagger and its figures, beside the judge trained on them
            os.replace(f, target.with_name(f.name))
        for name in (YEAR_PATH.name, PERIOD_PATH.name, group_reader.MODEL_PATH.name, group_reader.MODEL_PATH.with_suffix(".json").name):
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
    if ts.year_model is not None:
        click.echo("\n" + written_year_train.render(ts.year_model))
    if period_cv is not None:
        click.echo("\n" + period_train.render(period_cv))
    if group_cv is not None:
        click.echo("\n" + group_train.render(group_cv))
    click.echo(f"\nwrote {target} ({result.model.weight_count()} weights)")
    for stale in removed:
        click.echo(f"removed {stale}: the judge was trained without it")
    if report_path:
        summary = result.summary()
        if ts.year_model is not None:
            summary["written_year"] = ts.year_model.info | {"threshold": ts.year_model.threshold}
        if period_cv is not None:
            summary["period"] = extractor.period_model.info["cv_agreement"]
        if group_cv is not None:
            summary["groups"] = {"min_confidence": group_cv.min_confidence, "group_right": group_cv.rates}
        Path(report_path).write_text(json.dumps(summary, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
