"""Plan-dense picks: an aim cue ("phấn đấu", "mục tiêu", "chỉ tiêu", "đến năm 20xx") within 60
characters before a percentage, money or people count, at least twice, in a text naming a public
body; none already in a gold set or an earlier pick. `select_long.py` reuses the patterns."""
import json, random, re, sys
from pathlib import Path

aim = re.compile(r"(?:phấn đấu|mục tiêu|chỉ tiêu|đến năm 20\d\d|đến hết năm 20\d\d|giai đoạn 20\d\d)[^.;]{0,60}?\d+(?:[.,]\d+)?\s*(?:%|tỷ|tỉ|triệu|người|học viên|lao động|hộ|cán bộ)", re.I)
body = re.compile(r"UBND|Ủy ban nhân dân|Chính phủ|Thủ tướng|HĐND|Sở |Bộ |Tỉnh ủy|Thành ủy|Hội |Đoàn ")
company = re.compile(r"Công ty|Tập đoàn|cổ phiếu|cổ đông|HĐQT|ngân hàng thương mại", re.I)


def dense(text: str) -> bool:
    return len(aim.findall(text)) >= 2 and bool(body.search(text)) and len(company.findall(text)) <= 2


def articles(shared: Path, seen: set):
    """(id, title + "\\n" + text) of the articles not in `seen` (and no laws)."""
    for line in (shared / "realnews/articles.jsonl").open(encoding="utf-8"):
        a = json.loads(line)
        if a["id"] not in seen and not a["id"].startswith("vlc_"):
            yield a["id"], (a["title"] or "") + "\n" + a["text"]


def gold_ids(shared: Path) -> set:
    seen = set()
    for f in (shared / "gold").glob("*.jsonl"):
        for line in f.open(encoding="utf-8"):
            seen.add(json.loads(line)["doc_id"])
    return seen


if __name__ == "__main__":
    shared = Path(sys.argv[1])
    seen = set(json.load(open("picks.json"))["plans"] + json.load(open("picks.json"))["mixed"]) | gold_ids(shared)
    picks = [i for i, text in articles(shared, seen) if len(text) <= 6000 and dense(text)]
    rng = random.Random(20261204)
    rng.shuffle(picks)
    print(len(picks), file=sys.stderr)
    Path(sys.argv[2]).write_text("\n".join(picks[:25]) + "\n")
    Path(sys.argv[3]).write_text("\n".join(picks[25:50]) + "\n")
