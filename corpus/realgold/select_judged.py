"""Active picks: articles of the random-news pool past the two samples (bench/spurious.py's first
1,000 and `chitieu train`'s next 2,000, pipeline.learn.news; the first 100 picks were drawn past
2,000, when training read 1,000 news articles) on which the shipped judge is most worth
correcting: it keeps a target there, or it scores a candidate between 0.2 and 0.8. The annotators see
neither the judge's output nor the rules; only the choice of articles comes from the model. Usage:
    python select_judged.py ../shared N SEED [MODEL] [--pool check] [--low 0.1] [--rules] > picks.txt
`--pool check` picks among `chitieu train`'s news-check sample instead (the 2,000 articles after
bench/spurious.py's 1,000), where the shipped judge has never learned a label: an annotated article
leaves the sample and the next article of the pool takes its place.
Such picks take out of the check the very articles it counts: list them in news_check_picks.txt,
which `chitieu train` reads to count them as the check's own (README, "Retrained on 1,439 real
articles and not shipped").
Since commit db55cda the shipped judge learns the candidates of these very articles as non-targets
(`chitieu train --negatives`), so it scores none of them from 0.2 up (2026-12-06: 0 of the 4,424
qualified): pick with a judge trained without them, `chitieu train --negatives 0 -o DIR/target_judge.json`,
passed as MODEL. `--low P` widens the band of unsure scores down to P (default 0.2); `--rules` also
picks every article where the rules alone keep a target, whatever the judge says.
(2026-12-05: the model of commit 865d387, 100 picks, seed 2026120502; then the model of commit
612a7f2, 100 picks, seed 2026120503; later the model of commit 3368a7e, all 69 that
qualified, seed 2026120601; 2026-12-06, the model of commit bcbc09a, all 20 that qualified, seed
2026120602; later that day the model of commit e0fd8dc, all 25 that qualified, seed 2026120603; 2026-12-07,
`--pool check` with the shipped judge of commit cea69e0, all 56 that qualified, seed 2026120701;
then that judge trained with `--negatives 0`, all 23 that qualified, seed 2026120702; later, the
judge of commit d68b842 `--pool check`, all 5 that qualified, seed 2026120703, and that judge
trained with `--negatives 0` and `--low 0.1`, 55 of the 98 that qualified, seed 2026120705; then
the same judge with `--low 0.1 --rules`: all 304 that qualified besides those 55, seed 2026120706)."""
import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from pipeline.extractor import Extractor  # noqa: E402
from pipeline.errors import InputError  # noqa: E402
from pipeline.ingest.jsonl import iter_jsonl_lines  # noqa: E402
from pipeline.learn import news  # noqa: E402

TRAINING_ARTICLES = 2000  # chitieu train --news-articles (default)
ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
ap.add_argument("shared", type=Path)
ap.add_argument("n", type=int)
ap.add_argument("seed", type=int)
ap.add_argument("model", type=Path, nargs="?")
ap.add_argument("--pool", choices=("negatives", "check"), default="negatives")
ap.add_argument("--low", type=float, default=0.2)
ap.add_argument("--rules", action="store_true")
args = ap.parse_args()
shared, n, seed, model, pool, low, rules = args.shared, args.n, args.seed, args.model, args.pool, args.low, args.rules
articles = shared / "realnews" / "articles.jsonl"
exclude = news.default_exclude(shared, ROOT / "corpus" / "realgold" / "extra.jsonl")
extractor = Extractor()
if model is not None:
    from pipeline.learn.judge import LearnedJudge, TargetModel  # noqa: E402
    extractor.judge = LearnedJudge(TargetModel.load(model))
picks = []
lines = (news.sample(articles, exclude, TRAINING_ARTICLES, skip=news.BENCH_ARTICLES) if pool == "check"
         else news.sample(articles, exclude, 10**9, skip=news.BENCH_ARTICLES + TRAINING_ARTICLES))
for doc in iter_jsonl_lines(lines, str(articles)):
    if isinstance(doc, InputError):
        continue
    a = extractor.analyze(doc)
    if not a.cands:
        continue
    scores = extractor.judge.scores(a)
    if any(extractor.judge.model.keeps(p, c.keep) or low <= p <= 0.8 or (rules and c.keep)
           for c, p in zip(a.cands, scores)):
        picks.append(doc.doc_id)
print(len(picks), file=sys.stderr)
random.Random(seed).shuffle(picks)
print("\n".join(picks[:n]))
