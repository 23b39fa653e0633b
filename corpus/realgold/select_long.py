"""Longer plan-dense picks: articles over 6,000 characters (the other picks stop there) that
`select_dense.dense` accepts; none in a gold set or annotated before. Usage:
    python select_long.py ../shared EXCLUDE_IDS_FILE MIN MAX SEED N > batch.txt
(R, S: 6000 10000 2026120403 24; V: 10000 16000 2026120405 4, each excluding what was annotated by then)."""
import random
import sys
from pathlib import Path

from select_dense import articles, dense, gold_ids

shared, exclude, lo, hi, seed, n = Path(sys.argv[1]), Path(sys.argv[2]), *map(int, sys.argv[3:7])
seen = set(exclude.read_text(encoding="utf-8").split()) | gold_ids(shared)
picks = [i for i, text in articles(shared, seen) if lo < len(text) <= hi and dense(text)]
random.Random(seed).shuffle(picks)
print("\n".join(picks[:n]))
