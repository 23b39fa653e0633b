"""pipeline.db.rank: the vectorized, bounded ranking equals a plain BM25 loop to the last bit."""
from __future__ import annotations

import random

from pipeline.db import rank, schema


def _plain_score(words, texts) -> float:
    """The ranking's definition, one target at a time (text.split(), terms added one by one)."""
    score = 0.0
    for field, text in enumerate(texts):
        if not text:
            continue
        (_, _, weight), avg = schema.FTS_FIELDS[field], rank.AVG_LEN[field]
        tokens = text.split()
        norm = 1.2 * (0.25 + 0.75 * len(tokens) / avg)
        for w in words:
            tf = tokens.count(w)
            if tf:
                score += weight * tf * 2.2 / (tf + norm)
    return score


VOCAB = ["can", "bo", "cap", "xa", "dao", "tao", "nghe", "ho", "hoc", "cong", "chuc"]


def _text(rng, lo, hi):
    return " ".join(rng.choice(VOCAB) for _ in range(rng.randint(lo, hi))) if rng.random() > 0.1 else rng.choice([None, ""])


def test_ranking_equals_the_plain_loop_for_every_top():
    rng = random.Random(7)
    groups = [_text(rng, 1, 4) for _ in range(6)]  # few: they repeat, as in a database
    titles = [_text(rng, 3, 9) for _ in range(15)]
    n = 400
    ids = list(range(1000, 1000 + n))
    doc_ids = [f"d{rng.randint(0, 60):03d}" for _ in ids]
    positions = [rng.randint(0, 3) for _ in ids]
    cols = ([rng.choice(groups) for _ in ids], [rng.choice(groups) for _ in ids],
            [_text(rng, 0, 30) for _ in ids], [rng.choice(titles) for _ in ids])
    cols[2][0] = "can can bo can"  # a word right after itself: counted by splitting
    for words in (["can"], ["can", "bo"], ["cap", "xa", "can", "bo"], ["ho", "ho"], ["nghe", "dao", "tao"]):
        expected = sorted((-_plain_score(words, texts), d, p, i)
                          for i, d, p, *texts in zip(ids, doc_ids, positions, *cols))
        assert rank.ranking(words, ids, doc_ids, positions, *cols) == expected
        for top in (1, 5, 20, 399, 400, 1000):
            assert rank.ranking(words, ids, doc_ids, positions, *cols, top=top) == expected[:top]


def test_one_score():
    assert rank.score(["can", "bo"], "can bo", None, "x can y", "") == _plain_score(["can", "bo"], ("can bo", None, "x can y", ""))


def test_a_word_repeated_at_the_start_or_end_of_a_text():
    """"w w" where no space comes before (or after) it is still counted by splitting, whatever order
    the texts of a field are joined in."""
    for evidence in ("can can bo can", "bo can can", "can can"):
        assert rank.score(["can"], None, None, evidence, None) == _plain_score(["can"], (None, None, evidence, None))
    titles = ["can can xa", "bo", "xa can can"]
    got = rank.ranking(["can"], [1, 2, 3], ["a", "b", "c"], [0, 0, 0], [None] * 3, [None] * 3, [None] * 3, titles)
    assert got == sorted((-_plain_score(["can"], (None, None, None, t)), d, 0, i) for i, d, t in zip([1, 2, 3], "abc", titles))
