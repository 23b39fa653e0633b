"""Longer plan-dense picks: articles over 6,000 characters (the other picks stop there) with an aim
cue right before a percentage, money or people count at least twice, a public body named and few
company words; none in a gold set or annotated before. Usage:
    python select_long.py ../shared EXCLUDE_IDS_FILE MIN MAX SEED N > batch.txt
(R, S: 6000 10000 2026120403 24; V: 10000 16000 2026120405 4, each excluding what was annotated by then)."""
import json
import random
import re
import sys
from pathlib import Path

shared, exclude, lo, hi, seed, n = Path(sys.argv[1]), Path(sys.argv[2]), *map(int, sys.argv[3:7])
seen = set(exclude.read_text(encoding="utf-8").split())
for f in (shared / "gold").glob("*.jsonl"):
    for line in f.open(encoding="utf-8"):
        seen.add(json.loads(line)["doc_id"])
aim = re.compile(r"(?:phấn đấu|mục tiêu|chỉ tiêu|đến năm 20\d\d|đến hết năm 20\d\d|giai đoạn 20\d\d)[^.;]{0,60}?"
                 r"\d+(?:[.,]\d+)?\s*(?:%|tỷ|tỉ|triệu|người|học viên|lao động|hộ|cán bộ)", re.I)
body = re.compile(r"UBND|Ủy ban nhân dân|Chính phủ|Thủ tướng|HĐND|Sở |Bộ |Tỉnh ủy|Thành ủy|Hội |Đoàn ")
company = re.compile(r"Công ty|Tập đoàn|cổ phiếu|cổ đông|HĐQT|ngân hàng thương mại", re.I)
picks = []
for line in (shared / "realnews/articles.jsonl").open(encoding="utf-8"):
    a = json.loads(line)
    if a["id"] in seen or a["id"].startswith("vlc_"):
        continue
    text = (a["title"] or "") + "\n" + a["text"]
    if lo < len(text) <= hi and len(aim.findall(text)) >= 2 and body.search(text) and len(company.findall(text)) <= 2:
        picks.append(a["id"])
random.Random(seed).shuffle(picks)
print("\n".join(picks[:n]))
