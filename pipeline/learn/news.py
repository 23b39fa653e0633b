"""Random real news as a check on how many targets the judge lets through where almost none are.

Most articles of a news feed state no aim of a public body, so the targets extracted from a random
sample of them bound the spurious rate from above. ``sample`` draws that sample the same way for
training (which keeps the rate under a limit when it picks the thresholds) and for
bench/spurious.py (which reports it): the articles in no gold set and no law, shuffled with a
fixed seed; the benchmark takes the first ``n``, training the ``n`` after them, so the two never
share an article.
"""
from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Iterable

SEED = 7


def gold_ids(files: Iterable[Path]) -> set[str]:
    """Every doc_id in these gold files."""
    ids: set[str] = set()
    for f in files:
        with open(f, encoding="utf-8") as fh:
            ids.update(json.loads(line)["doc_id"] for line in fh if line.strip())
    return ids


def sample(articles: Path, exclude: set[str], n: int, *, skip: int = 0, seed: int = SEED) -> list[str]:
    """JSONL lines of ``n`` random articles after the first ``skip`` of the shuffled pool: articles of
    ``articles`` whose id is not in ``exclude`` and that are no law (``vlc_*``)."""
    lines = []
    with articles.open(encoding="utf-8") as fh:
        for line in fh:
            doc_id = json.loads(line)["id"]
            if doc_id not in exclude and not doc_id.startswith("vlc_"):
                lines.append(line)
    random.Random(seed).shuffle(lines)
    return lines[skip:skip + n]


def default_exclude(shared: Path, realgold: Path) -> set[str]:
    """The ids of every gold set: ../shared/gold/*.jsonl and corpus/realgold/extra.jsonl."""
    return gold_ids([*sorted((shared / "gold").glob("*.jsonl")), realgold])
