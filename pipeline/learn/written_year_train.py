"""Train the learned guess of the year a text was written in (pipeline.learn.written_year) from
articles whose year is known, and measure it by cross-validation over articles.

    labels = parse_labels(["baomoi_=2017"])                       # id prefix -> the year its articles were written in
    examples = article_examples(lines, labels, reader, meta)     # every candidate year of every article
    model = train_model(examples, folds=5)                       # threshold from the held-out guesses

No gold is needed: a news dump whose crawl dates are known says the year of each of its articles
(../shared/realnews/SOURCE.md: the baomoi articles were crawled from February to July 2017). The
threshold is the lowest probability at which the held-out guesses are right at least MIN_PRECISION
of the time; below it the rules' year stays.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Optional, Sequence

from ..errors import ChitieuError
from .logistic import fit_logistic
from .news import rank
from .written_year import WrittenYearModel, WrittenYearReader

C = 1.0                      # held out, C 0.3 / 1 / 3 date 1,472 / 1,562 / 1,561 of 5,296 articles right (README)
MIN_WEIGHT = 1e-3
MIN_PRECISION = 0.9          # the held-out guesses taken are right at least this often
THRESHOLDS = tuple(round(0.5 + 0.05 * i, 2) for i in range(10))   # 0.5 ... 0.95


@dataclass
class YearExample:
    doc_id: str
    year: int                            # the year it was written in
    rules: Optional[int]                 # the rules' guess
    years: list[int]                     # the candidate years
    feats: list[dict[str, float]]


def parse_labels(specs: Iterable[str]) -> dict[str, int]:
    """``PREFIX=YEAR`` strings -> {prefix: year}."""
    out: dict[str, int] = {}
    for spec in specs:
        prefix, sep, year = spec.partition("=")
        if not sep or not prefix or not year.strip().isdigit() or not 1900 <= int(year) <= 2100:
            raise ChitieuError(f"--written-year {spec!r}: expected PREFIX=YEAR, e.g. baomoi_=2017")
        out[prefix] = int(year)
    return out


def article_examples(lines: Iterable[str], labels: dict[str, int], reader: WrittenYearReader, meta,
                     exclude: frozenset[str] = frozenset(), source: str = "articles") -> list[YearExample]:
    """One example per JSONL article whose id starts with a prefix of ``labels`` and is not in
    ``exclude``, its text read and normalized as the extractor reads it. ``meta``: a MetadataReader
    (the rules' year)."""
    from ..ingest.jsonl import iter_jsonl_lines
    from ..normalize import normalize

    out = []
    for item in iter_jsonl_lines(lines, source):
        doc_id = getattr(item, "doc_id", None) or ""
        year = next((y for p, y in labels.items() if doc_id.startswith(p)), None)
        if year is None or doc_id in exclude:
            continue
        text = normalize(item.text).text
        cands = reader.candidates(text)
        rules = meta.reference_year(text)
        out.append(YearExample(doc_id, year, rules, [y for y, _ in cands], reader.features(text, cands, rules)))
    return out


def fit(examples: Sequence[YearExample], c: float = C) -> dict[str, float]:
    X = [f for e in examples for f in e.feats]
    y = [int(cand == e.year) for e in examples for cand in e.years]
    if len(set(y)) < 2:
        raise ChitieuError("written-year training needs articles that name the year they were written in and "
                           "articles that name others")
    return fit_logistic(X, y, c, MIN_WEIGHT)


def outcome(guess: Optional[int], year: int) -> str:
    return "none" if guess is None else "right" if guess == year else "late" if guess > year else "early"


def train_model(examples: list[YearExample], folds: int = 5, c: float = C) -> WrittenYearModel:
    """The model on every example, its threshold chosen on ``folds`` held-out folds (by a hash of the
    article's id), and the held-out figures in ``info``."""
    fold = {e.doc_id: int(rank(e.doc_id), 16) % folds for e in examples}
    held: list[tuple[YearExample, Optional[tuple[int, float]]]] = []
    for k in range(folds):
        model = WrittenYearModel(fit([e for e in examples if fold[e.doc_id] != k], c), threshold=1.0)
        for e in examples:
            if fold[e.doc_id] == k:
                found = model.most_probable(e.feats)
                held.append((e, None if found is None else (e.years[found[0]], found[1])))

    def counts(t: float) -> Counter:
        return Counter(outcome(b[0] if b is not None and b[1] >= t else e.rules, e.year) for e, b in held)

    def precision_of_guesses(t: float) -> float:
        taken = [(e, b) for e, b in held if b is not None and b[1] >= t]
        return sum(b[0] == e.year for e, b in taken) / len(taken) if taken else 1.0

    threshold = next((t for t in THRESHOLDS if precision_of_guesses(t) >= MIN_PRECISION), 1.01)
    rules = Counter(outcome(e.rules, e.year) for e, _ in held)
    info = {"articles": len(examples), "c": c, "folds": folds, "min_precision": MIN_PRECISION,
            "held_out": {"rules": dict(sorted(rules.items())), "learned": dict(sorted(counts(threshold).items()))},
            "guess_precision": round(precision_of_guesses(threshold), 3)}
    return WrittenYearModel(fit(examples, c), threshold, info)


def render(model: WrittenYearModel) -> str:
    i = model.info
    held = i.get("held_out", {})
    lines = [f"year written, {i.get('articles', 0)} articles of known years (held out): rules -> learned "
             f"(threshold {model.threshold}, guesses taken right {i.get('guess_precision')})"]
    for k in ("right", "early", "late", "none"):
        lines.append(f"  {k:6s} {held.get('rules', {}).get(k, 0):6d} -> {held.get('learned', {}).get(k, 0):6d}")
    return "\n".join(lines)
