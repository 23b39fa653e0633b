"""Groups and indicators: the noun phrase a number governs, and the predicate that follows it.

"95% công chức cấp xã đạt trình độ từ trung cấp trở lên"
     ^group-----------^ ^indicator----------------------^
The group runs from after the number to the first strong predicate cue ("được") of its clause,
else the first predicate cue ("đạt", "tham gia", ...), else the end of its clause (the next
number of a list, ";", "(", a deadline cue). All offsets are sentence-relative.

Before a passive "được" the group keeps its relative clause ("cán bộ ... tham gia chỉ đạo ... được
bồi dưỡng"), except what a "có" introduces that is no qualifier ("thôn có tổ công nghệ số được
tập huấn" -> "thôn"). Without one, a group led by a people or body noun ends at its first verb
(POS tag V) that does not describe who it is ("hỗ trợ 500 hộ nghèo phát triển sinh kế"; "giáo viên
công tác tại vùng ..." keeps "công tác"), at a topic ("về ...") and at "sau khi ...". Time and
scope words ("bình quân", "trong cả giai đoạn") and where the aim is carried out ("ở 9 tỉnh")
always end it; where the group lives ("ở vùng đồng bào dân tộc thiểu số") is part of it. The word
lists are in rules/groups.yaml.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import regex

from .patterns import P

from .match import Matchers, View
from .normalize import fold_tone
from .tokenize import words_of

@dataclass(slots=True)
class Phrase:
    start: int
    end: int
    text: str


def _span(view: View, m: Matchers, start: int, end: int) -> Optional[Phrase]:
    """Trim conjunctions and punctuation from both ends (rules/groups.yaml `trim_start`,
    `trim_end`); None when nothing is left."""
    seg = view.match[start:end]
    hit = m.trim_start.match(seg)
    if hit:
        start += hit.end()
        seg = view.match[start:end]
    hit = m.trim_end.search(seg)
    if hit:
        end = start + hit.start()
    while end > start and view.text[end - 1] in " ,;:(–-":
        end -= 1
    # an unbalanced bracket at the end ("... (DN") is cut
    if view.text[start:end].count("(") > view.text[start:end].count(")"):
        end = start + view.text[start:end].rfind("(")
        while end > start and view.text[end - 1] in " ,;:":
            end -= 1
    if end <= start:
        return None
    return Phrase(start, end, view.text[start:end])


def clause_end(view: View, start: int, stop: int) -> int:
    """End of the clause that starts at `start`: ';', '(', ':' or a sentence-final stop, before `stop`."""
    m = P(r"[;(:]|\.(?=\s|$)|\s[–-]\s").search(view.match, start, stop)
    return m.start() if m else stop




def _first_tag(view: View, offset: int) -> Optional[str]:
    """POS tag of the word at `offset` (None when the sentence is not tagged)."""
    if view.doc is None:
        return None
    for tok in words_of(view.doc, tagged=True):
        if tok.idx >= offset:
            return tok.tag_ or None
    return None


def last_tag(view: View, before: int) -> Optional[str]:
    """POS tag of the last word ending at or before `before`."""
    if view.doc is None:
        return None
    last = None
    for tok in words_of(view.doc, tagged=True):
        if tok.idx + len(tok.text) <= before:
            last = tok.tag_ or None
    return last


def _continues_list(view: View, m: Matchers, comma: int, stop: int) -> bool:
    """After a comma inside a group: does a coordinated group noun follow ("cán bộ, công chức")?"""
    rest = view.match[comma + 1:stop].lstrip()
    if not rest or P(r"\d").match(rest):
        return False
    offset = comma + 1 + (len(view.match[comma + 1:stop]) - len(rest))
    nxt_pos = view.match.find(",", offset, stop)
    nxt = None if nxt_pos < 0 else nxt_pos
    seg_end = nxt if nxt is not None else stop
    for lex in (m.comma_stops, m.training, m.aim, m.aim_local):
        stop_hit = lex.search(view, offset, min(seg_end, offset + 14))
        if stop_hit is not None and stop_hit.start == offset:
            return False
    if any(h[0] == offset for h in m.heads(view)):
        return True
    tag = _first_tag(view, offset)
    if tag not in m.noun_tags and tag != last_tag(view, comma):
        return False  # a coordinated group starts with a noun ("cán bộ, công chức") or a word like
        # the one before the comma ("lãnh đạo, quản lý"), not with a new predicate ("mới, chú trọng")
    op = m.op_before.search(view, offset, min(seg_end, offset + 12))
    if op is not None and P(r"\s*\d").match(view.match, op.end):
        return False  # "100% A, ít nhất 80% B": the next member of a list of numbers
    cues = [h.start for lex in (m.indicator_strong, m.indicator_start) for h in [lex.search(view, offset, seg_end)] if h]
    if cues and min(cues) == offset:
        return False  # a predicate follows the comma
    head_end = min(cues) if cues else seg_end
    head = view.match[offset:head_end]
    n_words = sum(1 for t in words_of(view.doc) if offset <= t.idx < head_end and not t.is_punct) if view.doc is not None else len(head.split())
    return 0 < n_words <= 5 and "%" not in head


def _first_cue(view: View, lex, start: int, end: int, shadows: list[tuple[int, int]]):
    """The first hit of `lex` in [start, end) that is not inside a fixed phrase."""
    for hit in lex.finditer(view, start, end):
        if not any(a <= hit.start < b for a, b in shadows):
            return hit
    return None


def group_after(view: View, m: Matchers, start: int, stop: int, *, weak: bool = True) -> tuple[Optional[Phrase], int]:
    """The group right after a number (from `start`) and where its predicate starts. With
    `weak=False` only strong cues end it ("người sử dụng biện pháp ..." keeps its clause).

    It reads nothing but the sentence (its text, tone-normalized text and words), so the answer
    is kept on the sentence's Doc, which tokenize.DocCache hands to the sentence written again."""
    if view.doc is None:
        return _group_after(view, m, start, stop, weak)
    memo = view.doc.user_data.get("group_after")
    if memo is None:
        memo = view.doc.user_data["group_after"] = {}
    key = (id(m), view.match, start, stop, weak)
    found = memo.get(key)
    if found is None:
        found = memo[key] = _group_after(view, m, start, stop, weak)
    group, cut = found
    return (None if group is None else Phrase(group.start, group.end, group.text)), cut  # a copy: never shared


def _group_after(view: View, m: Matchers, start: int, stop: int, weak: bool) -> tuple[Optional[Phrase], int]:
    op = m.op_after.search(view, start, min(stop, start + 12))  # "từ 90% trở lên hồ sơ công việc ..."
    if op is not None and view.match[start:op.start].strip() == "" and P(r"\s+\p{L}").match(view.match, op.end, stop):
        start = op.end  # the number's op words, then its group
    hit = m.leading_strip.search(view, start, min(stop, start + 12))
    if hit and view.match[start:hit.start].strip() == "":
        start = hit.end
    paren = P(r"\s*\([^()]{0,60}\)").match(view.match, start, stop)
    if paren:  # "50% (đến năm 2025) các khu bảo tồn": skip a bracket right after the number
        start = paren.end()
    end = clause_end(view, start, stop)
    clause_stop = end
    # a comma ends the group unless a coordinated group noun follows
    pos = start
    list_member = False
    while True:
        comma = view.match.find(",", pos, end)
        if comma < 0:
            break
        if not _continues_list(view, m, comma, end):
            # "100% A, ít nhất 80% B được ...": A is a list member whose predicate is shared
            list_member = view.match[comma + 1:stop].strip() == "" and end == stop
            end = comma
            break
        pos = comma + 1
    lead = len(view.match[start:end]) - len(view.match[start:end].lstrip(" "))
    if view.match[start + lead:start + lead + 1] in (")", "/", "”", "“", '"', "’", "]", ",", ";", ":"):
        return None, -1  # "5%/năm", "(2%)”": no group follows
    head_hit = m.not_group_start.search(view, start + lead, end)
    if head_hit is not None and head_hit.start == start + lead:
        return None, -1  # "35% và ...", "30% ở tuyến trung ương": the group is elided
    shadows = _shadows(view, m, start, end)
    strong = _first_cue(view, m.indicator_strong, start, end, shadows)
    if strong is not None and _after_verb(view, m, strong.start):
        strong = None  # "giao tiếp được bằng tiếng dân tộc": "được" after a verb is "able to", not a passive
    weak_lex = m.indicator_list_safe if list_member else m.indicator_start
    weak_hit = _first_cue(view, weak_lex, start, end, shadows) if weak else None
    if weak_hit is not None and weak_hit.start == start + lead:
        return None, weak_hit.start  # a predicate right after the number: the group is elided
    cut = strong.start if strong else (weak_hit.start if weak_hit else end)
    if strong and weak_hit and weak_hit.start < strong.start and _weak_overrides(view, m, weak_hit.start, strong.start):
        cut = weak_hit.start
    if strong is not None:
        have = _first_cue(view, m.have, start, cut, shadows)
        if have is not None and have.start > start + lead:
            cut = have.start  # "thôn, bản có tổ công nghệ số được tập huấn": what "có" introduces is the subject
    elif weak and not _passive_ahead(view, m, cut, clause_stop):
        verb = _predicate_verb(view, m, start + lead, cut, shadows)
        if verb is not None:
            cut = verb  # "hỗ trợ 500 hộ nghèo phát triển sinh kế": the first verb that does not qualify the group
        topic = _first_cue(view, m.complement_markers, start, cut, shadows)
        if topic is not None and topic.start > start + lead and last_tag(view, topic.start) != "V":
            cut = topic.start  # "tập huấn cho 400 cán bộ xã về chuyển đổi số": the topic is not the group
        after = _first_cue(view, m.group_end_active, _first_word_end(view, start + lead, cut), end, shadows)
        if after is not None and after.start < cut:
            cut = after.start  # "80% lao động sau đào tạo có việc làm"
    group_end = _group_end(view, m, start + lead, cut, end)
    return _span(view, m, start, group_end), (cut if cut < end else -1)


def _passive_ahead(view: View, m: Matchers, start: int, end: int) -> bool:
    """A passive "được" later in the clause, past a comma that ended the group: the group is a
    relative clause up to it, so no verb or topic inside it is read as its end."""
    hit = m.indicator_strong.search(view, start, end)
    return hit is not None and not _after_verb(view, m, hit.start)


def _shadows(view: View, m: Matchers, start: int, end: int) -> list[tuple[int, int]]:
    """Fixed phrases in which a cue word is no predicate ("nông thôn mới", "người có công")."""
    return [(h.start, h.end) for lex in (m.fixed_phrases, m.have_qualified) for h in lex.finditer(view, start, end)]


def _group_end(view: View, m: Matchers, start: int, cut: int, end: Optional[int] = None) -> int:
    """Where the group ends before `cut`: at a time or scope phrase ("trong cả giai đoạn",
    "bình quân", "sau khi ...", which may run past `cut` up to `end`) or where it takes place
    ("ở 9 tỉnh", "tại trạm y tế xã")."""
    first_end = _first_word_end(view, start, cut)
    ends = [cut]
    hit = m.group_end.search(view, first_end, max(cut, end or cut))
    if hit is not None and hit.start < cut:
        ends.append(hit.start)
    place = m.place_tail.search(view.match, start, cut)
    if place is not None:
        ends.append(place.start())
    for tok in _tokens(view, first_end, cut):
        if tok.tag_ == "E" and tok.text[:1].isupper():
            ends.append(tok.idx)  # "giảm 10% biên chế Tại buổi làm việc ...": a sentence run on after a caption
            break
    return min(ends)


def _tokens(view: View, start: int, end: int):
    """The tagged word tokens of [start, end) (none when the sentence is not tokenized)."""
    if view.doc is None:
        return []
    return [t for t in words_of(view.doc, tagged=True) if start <= t.idx and t.idx + len(t.text) <= end and not t.is_space and t.text.strip()]


def _after_verb(view: View, m: Matchers, at: int) -> bool:
    """Is the "được" at `at` the "able to" of the verb before it ("giao tiếp được bằng tiếng dân
    tộc", "xây dựng được đội ngũ"), not a passive? It is when a predicate verb (not a qualifier
    verb) stands before it and no verb follows it (a passive "được" is followed by its verb:
    "cán bộ thôn được bồi dưỡng")."""
    prev = _tokens(view, 0, at)
    if not prev or prev[-1].tag_ != "V":
        return False
    if m.qualifier_verbs.search(view, prev[-1].idx, prev[-1].idx + len(prev[-1].text)):
        return False
    after = _tokens(view, at, len(view.match))
    return not (len(after) > 1 and after[1].tag_ == "V")


def _predicate_verb(view: View, m: Matchers, start: int, end: int, shadows: list[tuple[int, int]]) -> Optional[int]:
    """Where the first verb in [start, end) that is not part of the group stands: a POS verb that
    is not a qualifier verb (rules/groups.yaml `qualifier_verbs`: "công tác", "thuộc", "làm" ...),
    not in a fixed phrase, and not the first word, in a group that starts with a head noun (people
    and bodies, `heads`). After a generic head ("người học", "người sử dụng ...") the relative
    clause is the group, so no verb ends it."""
    toks = _tokens(view, start, end)
    while toks and fold_tone(toks[0].text).lower() in m.determiners:
        toks = toks[1:]
    if len(toks) < 2 or fold_tone(toks[0].text).lower() in m.generic_heads:
        return None
    head_end = max((h[1] for h in m.heads(view) if h[0] == toks[0].idx), default=None)
    if head_end is None:
        return None  # only people and bodies do what a verb after them says: "kim ngạch xuất khẩu",
        # "chỉ tiêu tuyển dụng", "khí thải" are nouns made with a verb
    qualifiers = [(h.start, h.end) for h in m.qualifier_verbs.finditer(view, start, end)]
    for tok in toks[1:]:
        if tok.idx < head_end:
            continue  # "hộ kinh doanh": the head's own words
        if tok.tag_ != "V" or tok.is_punct:
            continue
        if any(a <= tok.idx < b for a, b in shadows + qualifiers):
            continue
        return tok.idx
    return None


def _weak_overrides(view: View, m: Matchers, weak: int, strong: int) -> bool:  # noqa: ARG001
    """A weak cue cuts before a strong one only when they are far apart (two predicates)."""
    return len(view.match[weak:strong].split()) > 12


def _first_word_end(view: View, start: int, end: int) -> int:
    """Skip the first word so the head noun itself is never read as a predicate cue."""
    if view.doc is not None:
        for tok in words_of(view.doc):
            if tok.idx >= start and not tok.is_punct and not tok.is_space:
                return min(tok.idx + len(tok.text), end)
    mm = P(r"\s*\S+").match(view.match, start, end)
    return mm.end() if mm else start


def indicator_from(view: View, start: int, stop: int) -> Optional[Phrase]:
    """The predicate from `start` to the end of its clause (before `stop`)."""
    if start < 0:
        return None
    end = P(r"[;:]|\.(?=\s|$)").search(view.match, start, stop)
    end_pos = end.start() if end else stop
    while end_pos > start and view.match[end_pos - 1] in " ,;(–-":
        end_pos -= 1
    ph = Phrase(start, end_pos, view.text[start:end_pos]) if end_pos > start else None
    if ph and len(ph.text) > 220:
        cut = ph.text.rfind(",", 0, 220)
        ph = Phrase(ph.start, ph.start + (cut if cut > 0 else 220), ph.text[: cut if cut > 0 else 220].rstrip())
    return ph


def share_before(view: View, m: Matchers, clause_start: int, number_start: int) -> Optional[Phrase]:
    """'tỷ lệ lao động qua đào tạo đạt 70%' -> 'lao động': the whole a share prefix names."""
    whole = m.share_whole_before.search(view.match, clause_start, number_start)
    if whole is not None and view.match[whole.end():number_start].strip() == "":
        return _span(view, m, whole.start("g"), whole.end("g"))
    # the last share prefix with words after it ("Tỷ lệ X được tập huấn kỹ năng số 60%": not "số")
    hits = [h for h in m.share_prefixes.finditer(view, clause_start, number_start)
            if P(r"\p{L}").search(view.match, h.end, number_start)]
    if not hits:
        change = m.change_before.search(view.match, clause_start, number_start)
        return _subject_of_growth(view, m, clause_start, change.start()) if change else None
    last = hits[-1]
    start = last.end
    lead = m.group_end.search(view, start, number_start)
    if lead is not None and view.match[start:lead.start].strip() == "":
        return _subject_of_growth(view, m, clause_start, last.start)  # "X tăng trưởng bình quân 3,5%"
    for lex in (m.op_before, m.leading_strip):
        hit = lex.search(view, start, min(number_start, start + 14))
        if hit is not None and view.match[start:hit.start].strip() == "":
            start = hit.end
    first_end = _first_word_end(view, start, number_start)
    shadows = _shadows(view, m, start, number_start)
    strong = _first_cue(view, m.indicator_strong, first_end, number_start, shadows)
    weak = _first_cue(view, m.indicator_start, first_end, number_start, shadows)
    # an op word ends the whole only when it is the number's own ("đạt tối thiểu 90%"), not an
    # age or a size inside it ("trẻ em dưới 5 tuổi")
    ops = [h for h in m.op_before.finditer(view, first_end, number_start) if not P(r"\d").search(view.match, h.end, number_start)]
    cuts = [h.start for h in (strong, weak, *ops[:1]) if h]
    cut = min(cuts) if cuts else number_start
    start = _past_leading_verb(view, m, start, cut)
    dated = [c for c in m.deadlines.find(view.match[start:cut]) if c.start > 0]
    if dated:
        cut = start + dated[0].start  # "tốc độ tăng GRDP năm 2017 đạt 8,5%": the year dates the aim
    if strong is None:
        verb = _predicate_verb(view, m, start, cut, shadows)
        cut = verb if verb is not None else cut  # "tỷ lệ học sinh khuyết tật đến trường"
    return _span(view, m, start, _group_end(view, m, start, cut))


def _subject_of_growth(view: View, m: Matchers, clause_start: int, prefix_start: int) -> Optional[Phrase]:
    """'giá trị sản xuất nông nghiệp tăng trưởng bình quân 3,5%', 'tổng vốn đầu tư tăng 11%':
    nothing names the whole after the share or change word, so the whole is the noun phrase
    before it, from the start of its clause."""
    seg_start = max(clause_start, view.match.rfind(",", clause_start, prefix_start) + 1)
    for aim in m.aim.finditer(view, seg_start, prefix_start):  # "VPBank đặt mục tiêu tổng tài sản tăng 17%"
        if view.match[aim.end:prefix_start].strip():
            seg_start = aim.end
        else:  # "Tổng tài sản được đặt mục tiêu tăng 5%": the subject ends at its predicate
            passive = m.indicator_strong.search(view, seg_start, aim.start)
            prefix_start = passive.start if passive is not None else aim.start
    toks = _tokens(view, seg_start, prefix_start)
    if not toks or toks[0].tag_ not in m.noun_tags or len(toks) > 8:
        return None
    return _span(view, m, toks[0].idx, prefix_start)


def _past_leading_verb(view: View, m: Matchers, start: int, cut: int) -> int:
    """'tỷ lệ tiêm chủng đầy đủ cho trẻ dưới 1 tuổi', 'tỷ lệ huy động trẻ 3-5 tuổi ra lớp': a
    share of an activity done to a group is a share of that group, so the whole starts at the
    first head noun (people, bodies) after the activity's verb."""
    toks = _tokens(view, start, cut)
    if not toks or toks[0].tag_ != "V" or m.qualifier_verbs.search(view, toks[0].idx, toks[0].idx + len(toks[0].text)):
        return start
    head = next((h for h in m.heads(view) if start < h[0] < cut), None)
    return head[0] if head is not None else start


def _subject_clause_start(view: View, m: Matchers, start: int, number_start: int) -> int:
    """Walk back over comma segments from the number while they continue a list of group nouns."""
    pos = number_start
    while True:
        comma = max(view.match.rfind(",", start, pos), view.match.rfind(";", start, pos))
        if comma < 0:
            return start
        seg_start = comma + 1
        seg = view.match[seg_start:number_start].lstrip()
        offset = number_start - len(seg)
        if view.match[comma] == ";":
            return seg_start
        starts_with_head = any(h[0] == offset for h in m.heads(view))
        if not starts_with_head and not _continues_list(view, m, comma, number_start):
            return seg_start
        pos = comma


def share_op(view: View, m: Matchers, clause_start: int, number_start: int) -> Optional[str]:
    """'tỷ lệ tối đa lượng chất thải ... là 50%': the op written right after the share prefix."""
    # the last share prefix with words after it ("Tỷ lệ X được tập huấn kỹ năng số 60%": not "số")
    hits = [h for h in m.share_prefixes.finditer(view, clause_start, number_start)
            if P(r"\p{L}").search(view.match, h.end, number_start)]
    if not hits:
        return None
    last = hits[-1]
    hit = m.op_before.search(view, last.end, min(number_start, last.end + 14))
    return hit.value if hit is not None and view.match[last.end:hit.start].strip() == "" else None




def subject_before(view: View, m: Matchers, clause_start: int, number_start: int, *, count: bool = False) -> Optional[Phrase]:
    """For 'viên chức là 11.533 người', 'giáo viên mầm non 905 người', 'đối với cán bộ cấp xã, ...
    là 447 người': the group written before the number."""
    near = _subject_clause_start(view, m, clause_start, number_start)
    heads = [h for h in m.heads(view) if near <= h[0] < number_start]
    heads = [h for h in heads if not any(o[0] < h[0] < o[1] for o in heads)]  # outermost matches only
    if not heads:
        seg = view.match[clause_start:number_start]
        mm = P(r"(?:(?<=^|\s)(?:(?:đối với|riêng|Đối với|Riêng)\s+|(?:với|Với)\s+(?=[^,]+,)))").search(seg)
        if mm:
            g, _ = group_after(view, m, clause_start + mm.end(), number_start)
            return g
        mm = P(r"(?:^|[(,;])\s*([^(),;]{3,60}?)\s+là\s*$").search(seg) if count else None
        if mm and not m.indicator_start.search(view, clause_start + mm.start(1), clause_start + mm.end(1)) \
                and not m.training.search(view, clause_start + mm.start(1), clause_start + mm.end(1)):
            return _span(view, m, clause_start + mm.start(1), clause_start + mm.end(1))  # "(dưới 40 tuổi là 66 người)"
        return None
    start = heads[0][0]
    if not count and not m.subject_verb.search(view.match, heads[0][1], number_start):
        return None  # a percentage's subject is followed by its verb: "X đạt / chiếm / là N%"
    cut = number_start
    for lex in (m.indicator_strong, m.indicator_start, m.op_before):
        hit = lex.search(view, heads[0][1], number_start)
        if hit and hit.start < cut:
            cut = hit.start
    dl = P(r"\bnăm (?:19|20)\d\d|\bgiai đoạn|\(").search(view.match, heads[0][1], cut)
    if dl:
        cut = dl.start()
    return _span(view, m, start, cut)
