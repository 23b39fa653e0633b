"""Link, inside one sentence: each quantity gets its op, group, indicator, deadline cue and the
flags that decide whether it is an aim (past result? comparison? aim cue? every year?).

Cross-sentence work (deadline inheritance, anaphora, de-duplication) is in discourse.py.
All offsets here are sentence-relative.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Optional

import regex

from .patterns import P

from .groups import Phrase, clause_end, group_after, indicator_from, last_tag, share_before, share_op, subject_before
from .match import DeadlineCue, Matchers, View
from .numbers import NumberReader, Quantity


@dataclass(slots=True)
class Candidate:
    q: Quantity
    view: View
    sentence_index: int
    op: str = "="
    op_start: int = -1              # where the op cue before the number starts (the number's start without one)
    group: Optional[Phrase] = None
    indicator: Optional[Phrase] = None
    predicate_at: int = -1
    deadline: Optional[DeadlineCue] = None
    deadline_how: str = ""          # own-after | own-before | closing | passage | period
    past: bool = False
    baseline: bool = False         # the old value of a change ("từ 60.000 tỷ đồng lên ...")
    aim: bool = False
    every_year: bool = False
    trainees: Optional[Quantity] = None   # a count merged into a money or percent target
    funding: Optional[Quantity] = None    # money merged into a count target
    inferred: bool = False
    rules: list[str] = field(default_factory=list)
    keep: bool = True
    confidence: Optional[float] = None    # the learned judge's calibrated probability (pipeline.learn)
    group_confidence: Optional[float] = None  # the learned group reader's confidence in its reading (0: none read)


# -- op ---------------------------------------------------------------------------------------
def read_op(view: View, m: Matchers, q: Quantity, prev_end: int) -> tuple[str, int]:
    """The op of q, and where its cue starts (to cut a preceding group there)."""
    op, cue_start = "=", q.start
    window_start = max(prev_end, q.start - 40)
    best = None  # the earliest cue that only gap words ("là", "đạt", "tỷ lệ") separate from the number
    for hit in m.op_before.finditer(view, window_start, q.start):
        between = view.match[hit.end:q.start].strip()
        if between == "" or _only_gap_words(view, m, hit.end, q.start, between):
            best = hit
            break
    if best is not None:
        op, cue_start = best.value, best.start
        # two cues together ("khoảng hơn 1.200") read as approximately
        again = m.op_before.search(view, best.end, q.start)
        if again and again.value != op and view.match[best.end:again.start].strip() == "":
            op = "~"
    if q.value_max is not None:
        op = ">=" if op == "=" else op
    after = m.op_after.search(view, q.end, min(len(view.match), q.end + 12))
    if after and view.match[q.end:after.start].strip() == "":
        op = after.value
    return op, cue_start


def _only_gap_words(view: View, m: Matchers, start: int, end: int, between: str) -> bool:
    words = between.split()
    if len(words) > m.rules.ops.max_gap + 1:
        return False
    rest = view.match[start:end]
    for hit in m.op_gap.finditer(view, start, end):
        rest = rest.replace(view.match[hit.start:hit.end], " ", 1)
    return rest.strip() == ""


# -- deadline --------------------------------------------------------------------------------
def governing_cue(view: View, cues: list[DeadlineCue], q: Quantity, quantities: list[Quantity],
                  next_q_start: int) -> tuple[Optional[DeadlineCue], str]:
    """The deadline cue of q inside its sentence (whose quantities are ``quantities``, the one
    after q starting at ``next_q_start``, the sentence's length when none), and how it was found.
    A cue in brackets dates only what is in the same brackets or the number right before them:
    "(toàn quốc năm 2023 là 68,1%); trên 80% ..." leaves 80% alone, "30% (đến năm 2020)" is dated
    by its brackets."""
    for c in cues:  # a cue right after the number, in the same clause: "30% (đến năm 2020)", "75% đến năm 2020"
        between = view.match[q.end:c.start]
        if q.end <= c.start < next_q_start and not P(r"[;,]|so với|so cùng").search(between):
            if between.strip() in ("", "(") or (len(between.split()) <= 8 and not _opens_clause(view, c, next_q_start)):
                return c, "own-after"
    own = _bracket(view, q.start)
    cues = [c for c in cues if _bracket(view, c.start) in (None, own)]
    before = [c for c in cues if c.end <= q.start]
    if before:
        best = before[-1]
        if best.vision and "," in view.match[best.end:q.start]:
            plain = [c for c in before if not c.vision]
            best = plain[-1] if plain else best
        return best, "own-before"
    for c in cues:  # a cue closing the list the number belongs to ("50% A, 60% B và 70% C vào năm 2025")
        if c.start >= q.end and ";" not in view.match[q.end:c.start]:
            after_cue = [o for o in quantities if o.start > c.start]
            stop = view.match.find(";", c.end)
            stop = len(view.match) if stop < 0 else stop
            if not any(o.start < stop for o in after_cue):
                return c, "closing"
    return None, ""


def _bracket(view: View, pos: int) -> Optional[tuple[int, int]]:
    """The (start, end) of the innermost bracket pair around pos, if any."""
    for mm in _PAREN.finditer(view.match):
        if mm.start() < pos < mm.end():
            return mm.span()
    return None


def _opens_clause(view: View, c: DeadlineCue, next_q_start: int) -> bool:
    """'... 12-15% và đến năm 2030 là 13-18%': the cue opens the next number's clause
    (a cue in brackets right after a number, "30% (đến năm 2020)", never does)."""
    if view.match[max(0, c.start - 2):c.start].strip().endswith("(") and view.match[c.end:c.end + 2].strip().startswith(")"):
        return False
    return next_q_start < len(view.match) and not P(r"[;,.]").search(view.match[c.end:next_q_start]) \
        and len(view.match[c.end:next_q_start].split()) <= 6


def lead_cue(cues: list[DeadlineCue], quantities: list[Quantity]) -> Optional[DeadlineCue]:
    """The cue a sentence hands on to the rest of its passage: the last (non-vision) cue before
    its first number, or, in a sentence with no number, its first non-vision cue."""
    if not cues:
        return None
    first_q = quantities[0].start if quantities else None
    before = [c for c in cues if first_q is None or c.end <= first_q]
    plain = [c for c in before if not c.vision] or before
    if not plain:
        return None
    return plain[0] if first_q is None else plain[-1]


# -- past and aim ----------------------------------------------------------------------------
def clause_start(view: View, pos: int) -> int:
    semi = view.match.rfind(";", 0, pos)
    return semi + 1 if semi >= 0 else 0


def is_past(view: View, m: Matchers, cues: list[DeadlineCue], q: Quantity, next_start: int,
            published_year: Optional[int]) -> bool:
    """A result or statistic: a past cue before q in its clause with no aim cue after it, a
    comparison right after q, or a bare year that lies before the article's date."""
    start = clause_start(view, q.start)
    strong = None
    for hit in m.past_strong.finditer(view, 0, q.start):
        strong = hit
    if strong is not None and not m.past_strong_override.search(view, strong.end, q.start) \
            and not _aim_right_before(view, m, strong.start):
        return True
    last_past = None
    for hit in m.past.finditer(view, 0, q.start):  # a past cue anywhere before q in its sentence
        last_past = hit
    if last_past is not None:
        override = m.past_override.search(view, last_past.end, q.start)
        until = any(c.kind == "until" and last_past.end <= c.start < q.start and
                    (published_year is None or c.year >= published_year) for c in cues)
        if not override and not until:
            return True
    reach = q.end + 60  # what follows the number is read this far for a comparison or a past cue
    # the clause's end is looked for only as far as it can matter (its longest mark, " - ", may
    # straddle `reach`): a sentence holding thousands of amounts is not scanned to its end for each
    after_end = min(next_start, clause_end(view, q.end, min(len(view.match), reach + 3)) + 1, reach)
    if m.comparison.search(view, q.end, after_end):
        return True  # a change against an earlier figure is a statistic, even in a forecast
    if m.past.search(view, q.end, after_end) and not m.past_override.search(view, start, q.start):
        return True
    return False


def _is_rate(view: View, m: Matchers, q: Quantity, prev_end: int) -> bool:
    """'lãi suất 6,49%/năm', 'thuế suất 0%': a price written in percent, not a share of a group."""
    return m.rate_words.search(view, max(prev_end, q.start - 40), q.start) is not None


def _year_gone(cue: Optional[DeadlineCue], reference_year: Optional[int], kind: str) -> bool:
    """A cue of `kind` whose year lies before the text's own: 'Năm 2020, toàn tỉnh có 78,4% ...'
    ("at") or 'Đến hết năm 2022, toàn tỉnh có 38% ...' ("until") in a text written in 2023."""
    return cue is not None and cue.kind == kind and reference_year is not None and cue.year < reference_year


def _date_gone(cue: Optional[DeadlineCue], published: Optional[date]) -> bool:
    """A cue with a full date on or before the text's own date."""
    if cue is None or published is None or cue.month is None or cue.day is None:
        return False
    try:
        return date(cue.year, cue.month, cue.day) <= published
    except ValueError:
        return False


def _baseline(view: View, m: Matchers, q: Quantity, later: Optional[Quantity]) -> bool:
    """'từ 60.000 tỷ đồng lên 100.000 tỷ đồng': the old value of a change (``later``: the
    sentence's next quantity) is no aim."""
    if later is None or later.kind != q.kind:
        return False
    if not (view.match[max(0, q.num_start - 4):q.num_start].lower().rstrip().endswith("từ")):
        return False
    return m.change_baseline.match(view.match[q.end:later.start] + " ") is not None


_PAREN = regex.compile(r"\(([^()]*)\)")


def _comparison_in_brackets(view: View, m: Matchers, q: Quantity, cues: list[DeadlineCue]) -> bool:
    """'(lao động chung của tỉnh 57%)': a figure in brackets with no aim or date of its own, or
    dated before the aim outside the brackets, is given for comparison; '(trong đó 50% ...)' and '(khoảng 11.700 người)' are parts of the aim."""
    for mm in _PAREN.finditer(view.match):
        if mm.start(1) <= q.start and q.end <= mm.end(1):
            inner = mm.group(1)
            if m.bracket_parts.match(inner) or P(r"^\s*[\d.,]").match(inner):
                return False
            own = [c for c in cues if mm.start() <= c.start < mm.end()]
            if own:  # "đạt 70% (cả nước năm 2025 là 65%)": dated before the aim it stands beside
                outside = [c for c in cues if c.end <= mm.start()]
                return bool(outside) and own[-1].year < outside[-1].year
            return m.aim.search(view, mm.start(), q.start) is None
    return False


def _aim_right_before(view: View, m: Matchers, pos: int) -> bool:
    """'phấn đấu giải ngân ...', 'sẽ giải ngân ...': an aim word just before a past cue makes it an aim."""
    start = max(0, pos - 16)
    return any(h.end >= pos - 1 for lex in (m.aim, m.aim_local) for h in lex.finditer(view, start, pos))


def _allocated_share(view: View, m: Matchers, q: Quantity) -> bool:
    """'vốn vay được ngân sách Trung ương cấp phát 70%': a share a budget allocates is a planned share."""
    for hit in m.funding_allocation.finditer(view, max(0, q.start - 16), q.start):
        if view.match[hit.end:q.start].strip() == "":
            return True
    return False


def has_aim(view: View, m: Matchers, q: Quantity, cue: Optional[DeadlineCue], published_year: Optional[int]) -> bool:
    """An aim cue before the number in its sentence (a weak one in its own comma-clause), an
    'until' deadline governing it, or a year still ahead of the text's own ("Năm 2025, tỉnh hỗ
    trợ ..." written in 2024)."""
    if cue is not None and cue.kind == "until" and (published_year is None or cue.year >= published_year):
        return True
    if cue is not None and cue.rule == "in_year" and cue.end <= q.start and published_year is not None \
            and cue.year > published_year:
        return True
    if m.aim.search(view, 0, q.start) is not None:
        return True
    comma = max(view.match.rfind(",", 0, q.start), view.match.rfind(";", 0, q.start))
    weak = m.aim_local.search(view, comma + 1, q.start)
    # "chuyển đổi số nhằm phát triển chính quyền số có thể đóng góp 1% GRDP": a hedge after a weak aim word
    return weak is not None and m.hedges.search(view, weak.end, q.start) is None


# -- building candidates ---------------------------------------------------------------------
def sentence_candidates(view: View, m: Matchers, reader: NumberReader, sentence_index: int,
                        published_year: Optional[int], quantities: Optional[list[Quantity]] = None,
                        cues: Optional[list[DeadlineCue]] = None, *,
                        published: Optional[date] = None) -> list[Candidate]:
    """Candidates for every quantity of one sentence. `quantities` and `cues` (the `usable_cues`
    of those quantities) may be passed in; they are found when not.
    `published`: the text's date when known (a full-date cue before it dates a result)."""
    quantities = reader.find(view.match) if quantities is None else quantities
    if cues is None:
        cues = usable_cues(view, m, quantities, m.deadlines.find(view.match))
    cands: list[Candidate] = []
    prev_end = 0
    for i, q in enumerate(quantities):
        later = quantities[i + 1] if i + 1 < len(quantities) else None
        nxt = later.start if later is not None else len(view.match)
        c = Candidate(q=q, view=view, sentence_index=sentence_index)
        c.op, cue_start = read_op(view, m, q, prev_end)
        c.op_start = min(cue_start, q.start)
        q.op = c.op
        attached = m.op_before.search(view, cue_start, q.start) if cue_start < q.start else None
        c.deadline, c.deadline_how = governing_cue(view, cues, q, quantities, nxt)
        c.past = is_past(view, m, cues, q, nxt, published_year) or _year_gone(c.deadline, published_year, "at")
        c.baseline = _baseline(view, m, q, later) or (q.kind == "percent" and (
            _comparison_in_brackets(view, m, q, cues) or _is_rate(view, m, q, prev_end)))
        gone = _date_gone(c.deadline, published)  # "đến ngày 16/4/2021, tín dụng đạt ..." written on 19/4/2021
        c.aim = has_aim(view, m, q, None if gone else c.deadline, published_year) \
            or (attached is not None and attached.key in m.aim_ops) or (q.kind == "percent" and _allocated_share(view, m, q))
        c.past = c.past or (not c.aim and (gone or _year_gone(c.deadline, published_year, "until")))
        # "mỗi năm cử 40 sinh viên", "tuyển sinh hàng năm đạt 6,3 triệu", "5.000 hội viên mỗi năm"
        c.every_year = m.every_year.search(view, clause_start(view, q.start), min(len(view.match), q.end + 25)) is not None
        prev_end = q.end
        cands.append(c)
    _attach_groups(view, m, cands, cues)
    return cands


def usable_cues(view: View, m: Matchers, quantities: list[Quantity], cues: list[DeadlineCue]) -> list[DeadlineCue]:
    """Deadline cues that date something: not inside a quantity, not a comparison base
    ("so với năm 2020"), not a start ("kể từ khi chương trình bắt đầu năm 2008")."""
    kept = [c for c in cues if not _inside(c, quantities)
            and not m.comparison_base.search(view.match[max(0, c.start - 20):c.start])
            and not m.since_base.search(view.match[max(0, c.start - 60):c.start])]
    for c in kept:
        c.text = view.text[c.start:c.end]  # as written (the cue was found on the tone-normalized text)
    return kept


def _inside(c: DeadlineCue, quantities: list[Quantity]) -> bool:
    return any(q.start <= c.start < q.end for q in quantities)


def _next_cut(view: View, cands: list[Candidate], i: int) -> int:
    """Where the next quantity of the sentence begins, including its op cue."""
    if i + 1 >= len(cands):
        return len(view.match)
    return cands[i + 1].op_start


def _attach_groups(view: View, m: Matchers, cands: list[Candidate], all_cues: list[DeadlineCue]) -> None:
    for i, c in enumerate(cands):
        stop = _next_cut(view, cands, i)
        dl_after = [d for d in all_cues if c.q.end <= d.start < stop
                    and view.match[c.q.end:d.start].strip() != "("]  # "50% (đến năm 2025) các khu bảo tồn"
        if dl_after:
            stop = min(stop, dl_after[0].start)
        q = c.q
        if q.kind == "percent":
            is_la = _IS.match(view.match, q.end)  # "trong đó 30% là người dân tộc thiểu số"
            c.group, c.predicate_at = group_after(view, m, is_la.end() if is_la else q.end, stop)
            if is_la and c.group is not None:
                c.rules.append("group.after_la")
            elif c.group is None:
                c.group = share_before(view, m, _prev_end(cands, i), q.start)
                if c.group is not None:
                    c.rules.append("group.share_before")
                    op = share_op(view, m, _prev_end(cands, i), q.start)
                    if op and c.op == "=":
                        c.op = q.op = op
                else:
                    c.group = subject_before(view, m, _prev_end(cands, i), q.start)
                    c.rules.append("group.subject_before" if c.group else "group.elided")
            else:
                c.rules.append("group.after_number")
        elif q.kind == "count":
            unit_start = q.end - len(q.unit or "")
            c.group, c.predicate_at = group_after(view, m, unit_start, stop)
            unit = (q.unit or "").lower()
            after_la = _IS.match(view.match, q.end)  # "từ 50 người trở lên là cán bộ trẻ ..."
            if unit.startswith("lượt ") and after_la and unit[5:] in m.generic_heads:
                c.group, _ = group_after(view, m, after_la.end(), stop)  # "500 lượt người là các chủ thể ..."
                c.rules.append("group.after_la")
            elif unit.startswith("lượt "):  # "4.250 lượt cán bộ, công chức", "50.000 lượt người dân"
                head_generic = unit[5:].split()[0] in m.generic_heads
                c.group, c.predicate_at = group_after(view, m, unit_start + 5, stop, weak=not head_generic)
                if c.group is not None and c.group.text.lower() in m.generic_heads:
                    c.group = subject_before(view, m, _prev_end(cands, i), q.start, count=True)
            elif unit in m.generic_heads or unit.startswith("lượt"):
                extra = view.text[q.end:c.group.end].strip() if c.group is not None else ""
                own = c.group if extra[:1].isalpha() and not m.not_own.match(extra) else None
                if after_la:
                    c.group, _ = group_after(view, m, after_la.end(), stop)
                    c.rules.append("group.after_la")
                elif own is not None and not own.text.lower().startswith("lượt"):
                    c.rules.append("group.after_number")  # "1.500 người trong độ tuổi 15-60"
                elif (rel := _relative_group(view, m, c, unit_start, stop)) is not None:
                    c.group = rel  # "vận động khoảng 15.000 người tham gia bảo hiểm y tế": the object and its clause
                    c.rules.append("group.relative")
                else:
                    c.group = subject_before(view, m, _prev_end(cands, i), q.start, count=True)
                    c.rules.append("group.subject_before")
            if c.group and c.group.text.lower() in m.generic_heads:
                c.group = None
            la = P(r"\s+là\s+").match(view.match, c.group.end) if c.group is not None else None
            if la is not None and c.group.text.lower() == unit:  # "1.120 học viên là cán bộ, công chức cấp xã"
                named, _ = group_after(view, m, la.end(), stop)
                if named is not None:
                    c.group = named
                    c.rules.append("group.after_la")
        else:
            c.group, c.predicate_at = _funding_group(view, m, _prev_end(cands, i), q, stop), -1
        if c.predicate_at >= 0:
            c.indicator = indicator_from(view, c.predicate_at, len(view.match) if i + 1 >= len(cands) else _clause_limit(view, cands, i))
    _funding_for_count(view, cands)
    _share_predicates(cands)


def _funding_for_count(view: View, cands: list[Candidate]) -> None:
    """'hơn 2 tỷ đồng để tổ chức 6 lớp bồi dưỡng ... cho gần 300 cán bộ, công chức cấp xã': money
    paid 'cho' the people counted right after it is for them (the pair becomes one target), unless it
    goes 'cho' a group of its own first."""
    for c, n in zip(cands, cands[1:]):
        if c.q.kind == "money" and n.q.kind == "count" and n.group is not None \
                and ";" not in view.match[c.q.end:n.op_start] \
                and (first := _FOR.search(view.match, c.q.end, n.op_start)) is not None \
                and first.end() == n.op_start:  # its first 'cho' is right before the count
            c.group = n.group
            c.rules.append("group.for_count")


def _relative_group(view: View, m: Matchers, c: Candidate, unit_start: int, stop: int) -> Optional[Phrase]:
    """A bare 'người' that a verb takes as its object, with the clause that says who they are:
    'vận động khoảng 15.000 người tham gia bảo hiểm y tế hộ gia đình' -> 'người tham gia ...'."""
    if last_tag(view, c.op_start) != "V" or _COPULA.search(view.match, 0, c.op_start):
        return None
    rel, _ = group_after(view, m, unit_start, stop, weak=False)
    unit = (c.q.unit or "").lower()
    return rel if rel is not None and rel.text.lower() != unit and rel.text.lower().startswith(unit) else None


_COPULA = regex.compile(r"(?<!\p{L})là\s*$", regex.I)
_IS = regex.compile(r"\s+(?:trở lên\s+)?là\s+(?=\p{L})")
_FOR = regex.compile(r"(?<!\p{L})cho\s+(?:vay\s+)?")
_SUBJECT_GETS = regex.compile(r"\s+(?:được|sẽ được)\s")


def _funding_group(view: View, m: Matchers, start: int, q: Quantity, stop: int) -> Optional[Phrase]:
    """Who the money is for: 'cho (vay) <group>' in its clause, else the subject of
    '<group> được (nhà nước) hỗ trợ N đồng'."""
    end = clause_end(view, q.end, stop)
    heads = m.heads(view)
    for mm in _FOR.finditer(view.match, start, end):
        if any(h[0] == mm.end() for h in heads):
            g, _ = group_after(view, m, mm.end(), q.start if mm.end() < q.start else end)
            if g is not None:
                return g
    first = next((h for h in heads if start <= h[0] < q.start), None)
    if first is not None:
        gets = _SUBJECT_GETS.search(view.match, first[1], q.start)
        if gets is not None:
            return _span_of(view, first[0], gets.start())
    return None


def _span_of(view: View, start: int, end: int) -> Optional[Phrase]:
    text = view.text[start:end].strip(" ,;")
    return Phrase(start, start + len(text), text) if text else None


def _prev_end(cands: list[Candidate], i: int) -> int:
    view = cands[i].view
    start = clause_start(view, cands[i].q.start)
    return max(start, cands[i - 1].q.end if i else 0)


def _clause_limit(view: View, cands: list[Candidate], i: int) -> int:
    semi = view.match.find(";", cands[i].q.end)
    return len(view.match) if semi < 0 else semi


def _share_predicates(cands: list[Candidate]) -> None:
    """'100% A, ít nhất 80% B được bồi dưỡng ...': a predicate shared by a list goes to every member."""
    for i in range(len(cands) - 2, -1, -1):
        c, n = cands[i], cands[i + 1]
        if c.indicator is None and n.indicator is not None and c.q.kind == n.q.kind == "percent":
            between = c.view.match[c.q.end:n.q.start]
            if ";" not in between:
                c.indicator = n.indicator
                c.rules.append("indicator.shared")
