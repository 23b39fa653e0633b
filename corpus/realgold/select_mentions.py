"""Pick real articles for new gold: none already in a gold set, no laws, <= 6000 chars.
plans: a plan cue within 80 chars of a number, and a public body named; mixed: a plan cue and a number anywhere."""
import json, random, re, sys
from pathlib import Path
shared = Path(sys.argv[1])
seen = set()
for f in (shared / "gold").glob("*.jsonl"):
    for line in f.open(encoding="utf-8"):
        seen.add(json.loads(line)["doc_id"])
cue = re.compile(r"phấn đấu|mục tiêu|chỉ tiêu|kế hoạch|đề án|đến năm 20\d\d|giai đoạn 20\d\d", re.I)
body = re.compile(r"UBND|Ủy ban nhân dân|Chính phủ|Thủ tướng|Quốc hội|HĐND|Bộ |Sở |Tỉnh ủy|Thành ủy")
num = re.compile(r"\d+(?:[.,]\d+)?\s*(?:%|tỷ|tỉ|triệu|nghìn|người|học viên|cán bộ|lao động)")
plans, mixed = [], []
for line in (shared / "realnews/articles.jsonl").open(encoding="utf-8"):
    a = json.loads(line)
    if a["id"] in seen or a["id"].startswith("vlc_"):
        continue
    text = (a["title"] or "") + "\n" + a["text"]
    if len(text) > 6000:
        continue
    near = any(num.search(text, max(0, m.start() - 80), m.end() + 80) for m in cue.finditer(text))
    if near and body.search(text):
        plans.append(a["id"])
    elif cue.search(text) and num.search(text):
        mixed.append(a["id"])
rng = random.Random(20261204)
rng.shuffle(plans); rng.shuffle(mixed)
print(len(plans), len(mixed), file=sys.stderr)
json.dump({"plans": plans[:60], "mixed": mixed[:100]}, open(sys.argv[2], "w"), indent=0)
