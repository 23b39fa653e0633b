"""Match: cue words and deadline cues over one sentence (regex on the tone-normalized text, checked
against the word tokens so that a cue never starts inside a word: "hiện" does not match inside
"thực hiện"). Group head nouns are found with a spaCy PhraseMatcher over the word tokens.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Iterable, Iterator, Optional

import ahocorasick
import regex

from .patterns import P

from .normalize import fold_tone
from .rules import DeadlineRules, load_rules
from .tokenize import word_bounds
from .wordscan import casefold_spaces


@dataclass(slots=True)
class View:
    """One sentence as the matchers see it. Offsets are sentence-relative; `offset` maps to the doc."""

    text: str                   # the sentence as written (normalized text)
    match: str                  # the same, tone-mark-normalized (same length)
    offset: int
    doc: Any = None             # tokenize.WordDoc of the sentence (None when not tokenized, or released)
    bounds: Optional[bytes] = None  # per offset: 1 a word starts there, 2 one ends there (None: not tokenized)

    @classmethod
    def build(cls, text: str, match: str, offset: int, doc: Any = None) -> "View":
        if doc is None:
            return cls(text, match, offset)
        bounds = doc.user_data.get("bounds")  # set by tokenize.to_doc
        if bounds is None:
            bounds = word_bounds(len(text), ((t.idx, t.idx + len(t.text)) for t in doc))
        return cls(text, match, offset, doc, bounds)

    def release(self) -> None:
        """Drop the Doc once the sentence's candidates are built; the word boundaries stay,
        so the cue matchers of later stages see the same words."""
        self.doc = None

    def _bound(self, pos: int, bit: int) -> bool:
        return 0 <= pos < len(self.bounds) and bool(self.bounds[pos] & bit)

    def at_word_start(self, pos: int) -> bool:
        return self.bounds is None or self._bound(pos, 1)

    def at_word_end(self, pos: int) -> bool:
        return self.bounds is None or self._bound(pos, 2)

    def aligned(self, start: int, end: int) -> bool:
        """A cue must start and end on word boundaries ("báo cáo" is not inside "báo cáo viên")."""
        return self.bounds is None or (self._bound(start, 1) and self._bound(end, 2))


@dataclass(slots=True)
class Hit:
    start: int
    end: int
    key: str       # the lexicon entry that matched (folded)
    value: Any = None


_BEFORE_NUMBER = regex.compile(r"\s*(?:[\d(]|khoảng|gần|hơn|trên|tối thiểu|ít nhất)", regex.I)


_ANY_SPACE = regex.compile(r"\s")


@lru_cache(maxsize=4096)  # a few cue words, met again in every sentence
def _key(matched: str) -> str:
    """The entry a lexicon hit matched: its pattern reads an entry's space as any space (a tab in
    "tối\tthiểu"), its values are keyed with plain spaces."""
    return _ANY_SPACE.sub(" ", matched.lower())


class _Presence:
    """Which lexicons have an entry somewhere in a text: the entries of every lexicon in one
    Aho-Corasick automaton (pyahocorasick), run once over a sentence's folded text; a lexicon
    none of whose entries is there cannot hit it, and its pattern is not run. The answers for
    recent texts are kept (the rules ask many lexicons of one sentence). A lexicon made later
    makes a new automaton; the automaton and the answers it gave are replaced together, so an
    answer never comes from an automaton that lacks the lexicon asking."""

    CACHE = 256

    def __init__(self) -> None:
        self._entries: dict[str, set[int]] = {}
        self._count = 0
        self._state: Optional[tuple[Any, dict[str, frozenset[int]]]] = None  # (automaton, answers)
        self._lock = threading.Lock()

    def register(self, entries: Iterable[str]) -> int:
        with self._lock:
            number = self._count
            self._count += 1
            for e in entries:
                self._entries.setdefault(casefold_spaces(e), set()).add(number)
            self._state = None
            return number

    def _built(self) -> tuple[Any, dict[str, frozenset[int]]]:
        with self._lock:
            if self._state is None:
                automaton = ahocorasick.Automaton()
                for key, numbers in self._entries.items():
                    if key:
                        automaton.add_word(key, frozenset(numbers))
                if len(automaton):
                    automaton.make_automaton()
                self._state = (automaton, {})
            return self._state

    def present(self, text: str) -> frozenset[int]:
        state = self._state
        automaton, cache = state if state is not None else self._built()
        found = cache.get(text)
        if found is None:
            numbers: set[int] = set()
            if len(automaton):
                for _, ids in automaton.iter(casefold_spaces(text)):
                    numbers |= ids
            found = frozenset(numbers)
            if len(cache) >= self.CACHE:
                cache.clear()
            cache[text] = found
        return found


_PRESENCE = _Presence()


class Lexicon:
    """Whole-word alternatives, longest first, case-insensitive; a hit must start and end on
    word tokens. With `before_number`, a verb cue right before a number is taken even when the
    word segmenter glued it to the word before ("cổ truyền đạt 25%" read as "truyền_đạt").
    A sentence that holds none of the entries (`_Presence`) is not searched."""

    def __init__(self, entries: Iterable[str] | dict[str, Any], *, before_number: bool = False,
                 unless_in: Optional["Lexicon"] = None) -> None:
        self.before_number = before_number
        self.unless_in = unless_in  # a hit inside one of these phrases does not count
        items = entries.items() if isinstance(entries, dict) else ((e, None) for e in entries)
        self.values = {fold_tone(k).lower(): v for k, v in items}
        # only entries that occur inside one of those phrases need the check
        self._guarded = {k for k in self.values if unless_in and any(k in p for p in unless_in.values)}
        alts = sorted(self.values, key=len, reverse=True)
        body = "|".join(regex.escape(a).replace(r"\ ", r"\s") for a in alts) or r"(?!)"
        self.pattern = regex.compile(rf"(?<![\p{{L}}\d])(?:{body})(?![\p{{L}}\d])", regex.I)
        self._number = _PRESENCE.register(self.values)

    def finditer(self, view: View, start: int = 0, end: Optional[int] = None) -> Iterator[Hit]:
        if self._number not in _PRESENCE.present(view.match):
            return
        end = len(view.match) if end is None else end
        for m in self.pattern.finditer(view.match, start, end):
            if self._ok(view, m):
                key = _key(m.group())
                yield Hit(m.start(), m.end(), key, self.values.get(key))

    def search(self, view: View, start: int = 0, end: Optional[int] = None) -> Optional[Hit]:
        if self._number not in _PRESENCE.present(view.match):
            return None
        end = len(view.match) if end is None else end
        m = self.pattern.search(view.match, start, end)
        while m is not None:
            if self._ok(view, m):
                key = _key(m.group())
                return Hit(m.start(), m.end(), key, self.values.get(key))
            m = self.pattern.search(view.match, m.start() + 1, end)
        return None

    def _ok(self, view: View, m: regex.Match) -> bool:
        if self._guarded and _key(m.group()) in self._guarded and any(
                h.start <= m.start() and m.end() <= h.end
                for h in self.unless_in.finditer(view, max(0, m.start() - 40), min(len(view.match), m.end() + 40))):
            return False
        if view.aligned(m.start(), m.end()):
            return True
        return self.before_number and view.bounds is not None and view.at_word_end(m.end()) and _BEFORE_NUMBER.match(view.match, m.end()) is not None

    def contains(self, text: str) -> bool:
        return self.pattern.search(fold_tone(text)) is not None


@dataclass(slots=True)
class DeadlineCue:
    start: int
    end: int
    year: int
    month: Optional[int]
    day: Optional[int]
    kind: str          # "until" | "at" | "relative"
    rule: str
    text: str
    vision: bool = False   # a vision year: "tầm nhìn đến năm 2030"

    def copy(self) -> "DeadlineCue":
        return replace(self)


_YEAR_DIGITS = regex.compile(r"(?:19|20)\d\d")


class DeadlineFinder:
    def __init__(self, rules: DeadlineRules) -> None:
        self.patterns = [(p, regex.compile(p.regex, regex.I)) for p in rules.patterns]
        self.relative = regex.compile("|".join(f"(?:{r})" for r in [*rules.relative, *rules.this_year]), regex.I)
        self.this_year = regex.compile("|".join(f"(?:{r})" for r in rules.this_year) or r"(?!)", regex.I)
        self.vision = regex.compile(rules.vision, regex.I)

    def may_hold(self, text: str) -> bool:
        """A cheap test before `find`: a year, or a relative cue ("năm nay", "trong 5 năm tới")."""
        return _YEAR_DIGITS.search(text) is not None or self.relative.search(text) is not None

    def find(self, text: str) -> list[DeadlineCue]:
        """Deadline cues in `text` (already tone-normalized), left to right, non-overlapping."""
        cues: list[DeadlineCue] = []
        taken: list[tuple[int, int]] = []
        for rule, pat in self.patterns:
            for m in pat.finditer(text):
                if any(m.start() < b and a < m.end() for a, b in taken):
                    continue
                if m.start() > 0 and P(r"[\p{L}\d]").match(text[m.start() - 1]):
                    continue
                y = int(m.group("y"))
                if "y2" in m.groupdict() and m.group("y2") and rule.year_of_span == "last":
                    y = int(m.group("y2"))
                month = int(m.group("m")) if "m" in m.groupdict() and m.group("m") else None
                day = int(m.group("d")) if "d" in m.groupdict() and m.group("d") else None
                if month is not None and not 1 <= month <= 12 or day is not None and not 1 <= day <= 31:
                    continue
                vision = bool(self.vision.search(text[max(0, m.start() - 12):m.end()]))
                cues.append(DeadlineCue(m.start(), m.end(), y, month, day, rule.kind, rule.id, text[m.start():m.end()], vision))
                taken.append((m.start(), m.end()))
        for m in self.relative.finditer(text):
            if P(r"\s*\((?:19|20)\d\d").match(text[m.end():m.end() + 8]):
                continue  # "trong 5 năm tới (2021-2025)": the years in brackets are the deadline
            if not any(m.start() < b and a < m.end() for a, b in taken):
                rule = "this_year" if self.this_year.fullmatch(m.group()) else "relative"
                cues.append(DeadlineCue(m.start(), m.end(), 0, None, None, "relative", rule, m.group()))
        cues.sort(key=lambda c: c.start)
        return cues


def resolve_this_year(cues: list[DeadlineCue], year: Optional[int]) -> list[DeadlineCue]:
    """"năm nay" ("this year") dates what it governs with the year the text was written in, when
    that is known; otherwise it stays a relative cue (no year). The cues given are not changed."""
    if year is None or not any(c.rule == "this_year" for c in cues):
        return cues
    return [replace(c, year=year, kind="at") if c.rule == "this_year" else c for c in cues]


def _alt(words: list[str]) -> str:
    return "|".join(sorted(map(regex.escape, words), key=len, reverse=True))


def _words_at_start(words: list[str]) -> regex.Pattern:
    """Matches when a text (after spaces) starts with one of `words` as whole words."""
    return regex.compile(rf"^\s*(?:{_alt(words)})(?!\p{{L}})", regex.I)


def _edge_words(words: list[str], *, at_end: bool) -> regex.Pattern:
    """Punctuation and whole `words` (tone-folded) repeated at the start or at the end of a text."""
    body = rf"(?:[\s,;:–\-]|\b(?:{_alt([fold_tone(w) for w in words])})\b)+"
    return regex.compile(body + "$" if at_end else "^" + body, regex.I)


class Matchers:
    """Every compiled matcher, built once per process from rules/."""

    def __init__(self) -> None:
        r = load_rules()
        self.rules = r
        self.aim = Lexicon(r.cues.aim, unless_in=Lexicon(r.cues.aim_reported))
        self.aim_local = Lexicon(r.cues.aim_local)
        self.hedges = Lexicon(r.cues.hedges)
        self.funding_source_after = Lexicon(r.units.funding_source_after)
        self.past = Lexicon(r.cues.past, unless_in=Lexicon(r.cues.past_not))
        self.comparison = Lexicon(r.cues.comparison)
        self.past_override = Lexicon(r.cues.past_override)
        self.past_strong = Lexicon(r.cues.past_strong)
        self.past_strong_override = Lexicon(r.cues.past_strong_override)
        self.rate_words = Lexicon(r.cues.rate_words)
        self.bracket_parts = _words_at_start(r.cues.bracket_parts)
        self.subject_verb = regex.compile(rf"(?<!\p{{L}})(?:{_alt(r.groups.subject_verbs)})(?!\p{{L}})", regex.I)
        self.noun_tags = set(r.groups.noun_tags) | {None}
        self.not_own = _words_at_start(r.groups.not_own_words)
        self.change_baseline = regex.compile(r.cues.change_baseline, regex.I)
        self.anaphora = Lexicon(r.cues.anaphora)
        self.respectively = regex.compile(r.cues.respectively, regex.I)
        self.every_year = Lexicon(r.cues.every_year)
        self.list_continuation = Lexicon(r.cues.list_continuation)
        self.plan_followers = Lexicon(r.cues.plan_followers)
        self.plan_adoption = regex.compile(r.cues.plan_adoption, regex.I)
        self.plan_news = regex.compile(r.cues.plan_news, regex.I)
        self.plan_news_lead = r.cues.plan_news_lead
        self.comparison_base = regex.compile(r.cues.comparison_base, regex.I)
        self.since_base = regex.compile(r.cues.since_base, regex.I)
        self.op_before = Lexicon(r.ops.before)
        self.op_after = Lexicon(r.ops.after)
        self.op_gap = Lexicon(r.ops.gap_words)
        self.aim_ops = {fold_tone(o).lower() for o in r.ops.aim_ops}
        self.indicator_strong = Lexicon(r.groups.indicator_strong, before_number=True)
        self.indicator_start = Lexicon(r.groups.indicator_start, before_number=True)
        self.indicator_list_safe = Lexicon(r.groups.indicator_list_safe, before_number=True)
        self.fixed_phrases = Lexicon(r.groups.fixed_phrases)
        self.place_tail = regex.compile(r.groups.place_tail)
        self.trim_start = _edge_words(r.groups.trim_start, at_end=False)
        self.trim_end = _edge_words(r.groups.trim_end, at_end=True)
        self.group_end = Lexicon(r.groups.group_end)
        self.group_end_active = Lexicon(r.groups.group_end_active)
        self.qualifier_verbs = Lexicon(r.groups.qualifier_verbs)
        self.determiners = {fold_tone(w).lower() for w in r.groups.determiners}
        self.have = Lexicon(r.groups.have_verbs)
        self.have_qualified = Lexicon([f"{v} {q}" for v in r.groups.have_verbs for q in r.groups.have_qualifiers])
        self.complement_markers = Lexicon(r.groups.complement_markers)
        self.not_reach = Lexicon(r.units.not_reach_verbs)
        self.leading_strip = Lexicon(r.groups.leading_strip)
        self.not_group_start = Lexicon(r.groups.not_group_start)
        self.comma_stops = Lexicon(r.groups.comma_stops)
        self.share_prefixes = Lexicon(r.groups.share_prefixes)
        self.share_whole_before = regex.compile(r.groups.share_whole_before, regex.I)
        self.change_before = regex.compile(r.groups.change_before, regex.I)
        self.generic_heads = {fold_tone(h).lower() for h in r.groups.generic_heads}
        self.funding_context = Lexicon(r.units.funding_context)
        self.funding_allocation = Lexicon(r.units.funding_allocation)
        self.funding_plan_nouns = Lexicon(r.units.funding_plan_nouns)
        self.not_funding = Lexicon(r.units.not_funding)
        self.training = Lexicon(r.units.training_verbs)
        self.deadlines = DeadlineFinder(r.deadlines)
        self._heads = r.groups.heads
        self._phrase_matcher = None
        self._head_docs: Optional[list[Any]] = None
        self._head_starts: Optional[frozenset[str]] = None

    def heads(self, view: View) -> list[tuple[int, int]]:
        """Group head nouns in the sentence: (start, end) of each, sorted (spaCy's PhraseMatcher on
        the lower-cased words of a spaCy Doc of the sentence's words). A sentence none of whose
        lower-cased words opens a head can hold no match: it gets no spaCy Doc."""
        if view.doc is None:
            return []
        cached = view.doc.user_data.get("heads")
        if cached is None:  # the rules ask many times per sentence: match once per Doc
            if not may_hold_head(view.doc.words, self.head_starts()):
                cached = view.doc.user_data["heads"] = []
                return cached
            from .tokenize import spacy_doc

            if self._phrase_matcher is None:
                from .tokenize import get_vocab, spacy_modules

                pm = spacy_modules()["matcher"].PhraseMatcher(get_vocab(), attr="LOWER")
                pm.add("HEAD", [spacy_doc(d) for d in self.head_docs()])
                self._phrase_matcher = pm
            words, starts = view.doc.words, view.doc.starts
            cached = view.doc.user_data["heads"] = sorted(
                (starts[s], starts[e - 1] + len(words[e - 1])) for _, s, e in self._phrase_matcher(spacy_doc(view.doc)))
        return cached

    def head_docs(self) -> list[Any]:
        """The WordDoc of each head (segmented once: the PhraseMatcher's patterns are made of them)."""
        if self._head_docs is None:
            from .tokenize import to_doc

            self._head_docs = [to_doc(h) for h in self._heads]
        return self._head_docs

    def head_starts(self) -> frozenset[str]:
        """The lower-cased first word of each head (its underthesea words, as the PhraseMatcher's
        patterns are made): the LOWER a match's first token must have."""
        if self._head_starts is None:
            self._head_starts = frozenset(d.words[0].lower() for d in self.head_docs() if d.words)
        return self._head_starts


def may_hold_head(words: list[str], starts: frozenset[str]) -> bool:
    """Can a PhraseMatcher on LOWER match a pattern whose first word is in ``starts`` over these
    words? Only when one of them, lower-cased (spaCy's LOWER: ``str.lower``), is in ``starts``."""
    return any(w.lower() in starts for w in words)


@lru_cache(maxsize=1)
def get_matchers() -> Matchers:
    return Matchers()
