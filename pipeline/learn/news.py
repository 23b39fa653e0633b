"""Random real news as a check on how many targets the judge lets through where almost none are.

Most articles of a news feed state no aim of a public body, so the targets extracted from a random
sample of them bound the spurious rate from above. ``sample`` draws that sample the same way for
training (which keeps the rate under a limit when it picks the thresholds) and for
bench/spurious.py (which reports it): the articles in no gold set and no law, in an order fixed by
a hash of their ids; the benchmark takes the first ``n``, training the ``n`` after them, so the two
never share an article.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Iterable

SEED = 7
BENCH_ARTICLES = 1000  # bench/spurious.py reads the first 1,000 of the pool; training reads the ones after


def gold_ids(files: Iterable[Path]) -> set[str]:
    """Every doc_id in these gold files."""
    ids: set[str] = set()
    for f in files:
        with open(f, encoding="utf-8") as fh:
            ids.update(json.loads(line)["doc_id"] for line in fh if line.strip())
    return ids


def rank(doc_id: str, seed: int = SEED) -> str:
    """An article's place in the random order: a hash of the seed and its id. Annotating articles
    takes them out of the pool without moving the others, so a sample changes only where it loses one."""
    return hashlib.sha256(f"{seed}:{doc_id}".encode("utf-8")).hexdigest()


def sample(articles: Path, exclude: set[str], n: int, *, skip: int = 0, seed: int = SEED) -> list[str]:
    """JSONL lines of ``n`` random articles after the first ``skip`` of the pool in ``rank`` order:
    articles of ``articles`` whose id is not in ``exclude`` and that are no law (``vlc_*``)."""
    pool = []
    with articles.open(encoding="utf-8") as fh:
        for line in fh:
            doc_id = json.loads(line)["id"]
            if doc_id not in exclude and not doc_id.startswith("vlc_"):
                pool.append((rank(doc_id, seed), line))
    pool.sort()
    return [line for _, line in pool[skip:skip + n]]


def default_exclude(shared: Path, realgold: Path) -> set[str]:
    """The ids of every gold set: ../shared/gold/*.jsonl and corpus/realgold/extra.jsonl."""
    return gold_ids([*sorted((shared / "gold").glob("*.jsonl")), realgold])


def check_picks(path: Path) -> set[str]:
    """The ids of articles annotated after being picked out of training's news-check sample (one id
    a line, ``#`` comments; an absent file: none). train.NewsCheck counts them as the sample's own."""
    if not path.exists():
        return set()
    with open(path, encoding="utf-8") as fh:
        return {line.split("#", 1)[0].strip() for line in fh} - {""}
