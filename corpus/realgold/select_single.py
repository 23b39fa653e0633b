"""What is left after the other picks: articles of any length with one aim cue before a quantity
(`select_dense.aim`), a public body named and few company words; none in a gold set or annotated
before. Usage:
    python select_single.py ../shared EXCLUDE_IDS_FILE SEED > picks.txt
(W, X, Y: seed 2026120501, excluding extra.jsonl's ids; split in three)."""
import random
import sys
from pathlib import Path

from select_dense import aim, articles, body, company, gold_ids

shared, exclude, seed = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
seen = set(exclude.read_text(encoding="utf-8").split()) | gold_ids(shared)
picks = [i for i, text in articles(shared, seen)
         if aim.search(text) and body.search(text) and len(company.findall(text)) <= 2]
random.Random(seed).shuffle(picks)
print("\n".join(picks))
