"""Segment: normalized text -> sentences grouped into passages, with offsets.

A sentence ends at . ! ? … followed by a space and an upper-case letter, a digit, a quote or an
opening bracket, or at a line end. Not at: the dots of "v.v..", "4,4"/"1.300", domains
("daknong.gov.vn"), URLs, dates, or title abbreviations ("TS.", "ThS.", "TP."). Every line break
ends a sentence (headings have no final stop).

A passage is the unit a deadline or aim carries over within: a paragraph (blank line), a heading
(a short line with no final stop) opening what follows, or a sentence that opens a new speaker or
occasion (rules/cues.yaml `passage_openers`).
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator, Optional

import regex

from .patterns import P

from .rules import load_rules

# the stop: a run of dots (all of it first, then shorter, as "\.{2,}|[.!?…]" tries them) or one of !?…
_END = regex.compile(r"(?:\.+|[!?…])[\"”’')\]]*(?=\s+[\p{Lu}\d\"“‘(\[–-]|\s*$)")
# Possessive quantifiers: a run such as "1.1.1.1...." cannot be backtracked into (quadratic);
# no digit or ".d" given back could let the rest match, so the language is the same.
_MARKER_ONLY = regex.compile(r"\s*(?:[IVX]{1,4}|\d{1,2}+(?:\.\d{1,2}+)*+|[a-zđA-Z])\s*")  # fullmatch
_LAST_WORD = regex.compile(r"(?r)([\p{L}./]+)$")  # the word a stop follows, searched from the right
_URL = regex.compile(r"https?://\S+?(?=[.,;]?(?:\s|$))|www\.\S+?(?=[.,;]?(?:\s|$))|\b[\w-]+(?:\.[\w-]+)*\.(?:vn|com|net|org|gov|edu|info)(?:/\S*)?\b", regex.I)


@dataclass(slots=True)
class Sentence:
    start: int
    end: int
    index: int
    line: int
    paragraph: int
    passage: int
    is_heading: bool = False
    is_title: bool = False
    section: str = ""          # "aim" | "past" | "" : what the enclosing top-level heading announces
    opens_list: bool = False   # ends with ":" (a lead-in such as "Mục tiêu cụ thể đến năm 2025:")
    list_item: bool = False    # on an item line of a list opened by a lead-in ("- ...", "a) ...")


# what a URL or domain shows: one pattern per alternative, each with a literal the scan looks for
# (their alternation scans a text 3x slower)
_URL_HINTS = tuple(regex.compile(p, regex.I) for p in (r"https?:", r"www\.", r"\.(?:vn|com|net|org|gov|edu|info)\b"))


def has_url_hint(text: str) -> bool:
    """Does `text` hold "http:", "https:", "www." or a dot before a domain ending ("x.vn")?"""
    return any(p.search(text) is not None for p in _URL_HINTS)


def _protected(line: str) -> list[tuple[int, int]]:
    if not has_url_hint(line):
        return []
    return [(m.start(), m.end()) for m in _URL.finditer(line)]


def _split_line(line: str, urls: bool = True) -> Iterator[tuple[int, int]]:
    """Sentence spans inside one line (``urls=False``: the text has no URL hint, so neither has
    the line)."""
    protected = _protected(line) if urls else []
    start = 0
    for m in _END.finditer(line):
        end = m.end()
        inside = bisect.bisect_right(protected, (m.start(), len(line) + 1)) - 1  # spans are sorted, disjoint
        if inside >= 0 and m.start() < protected[inside][1]:
            continue
        # searched in place (pos, endpos), from the right: a long line costs linear time
        word = _LAST_WORD.search(line, start, m.start())
        token = (word.group(1) if word else "").lower().rstrip(".")
        if token in _abbreviations(0) and P(r"\s+\p{Lu}").match(line, end):
            continue  # "TS. Nguyễn Văn A", "TP. Hà Nội"
        if P(r"\.{2,}").match(m.group()) and P(r"\s+\p{Ll}").match(line, end):
            continue
        if _MARKER_ONLY.fullmatch(line, start, m.start()):
            continue  # "I. KẾT QUẢ", "2. Mục tiêu cụ thể": a list marker, not a sentence
        text = line[start:end].strip()
        if text:
            lead = len(line[start:end]) - len(line[start:end].lstrip())
            yield from _bounded(line, start + lead, end)
        start = end
    rest = line[start:]
    if rest.strip():
        lead = len(rest) - len(rest.lstrip())
        yield from _bounded(line, start + lead, start + len(rest.rstrip()))


# The longest sentence of 8,800 real articles and the corpus has 4,516 characters. A longer "sentence"
# (a run of brackets, of abbreviations, a table flattened into one line) is cut at a space before
# this many characters, so that no later stage (the CRF tokenizer above all) gets one of unbounded
# size: its memory grew by 7 GB per MB of such a line.
MAX_SENTENCE_CHARS = 10_000


def _bounded(line: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The span [start, end) of ``line``, in pieces of at most MAX_SENTENCE_CHARS."""
    while end - start > MAX_SENTENCE_CHARS:
        cut = line.rfind(" ", start + 1, start + MAX_SENTENCE_CHARS)
        if cut <= start:
            cut = start + MAX_SENTENCE_CHARS
        piece_end = cut
        while piece_end > start and line[piece_end - 1].isspace():
            piece_end -= 1
        yield start, piece_end
        start = cut
        while start < end and line[start].isspace():
            start += 1
    yield start, end


@lru_cache(maxsize=2)
def _abbreviations(_key: int) -> frozenset:
    return frozenset(a.lower() for a in load_rules().cues.abbreviations)


@lru_cache(maxsize=2)
def _section_words(_key: int) -> tuple[regex.Pattern, regex.Pattern]:
    cues = load_rules().cues
    alt = lambda words: regex.compile("|".join(regex.escape(w) for w in words), regex.I)  # noqa: E731
    return alt(cues.section_aim), alt(cues.section_past)


def section_of(line: str) -> Optional[str]:
    """For a top-level heading ("II. MỤC TIÊU", "KẾT QUẢ GIAI ĐOẠN 2016 - 2020"): "aim", "past"
    or "" (another section); None when the line is not a top-level heading."""
    stripped = line.strip()
    roman = P(r"^[IVX]{1,4}[.)]\s").match(stripped)
    if not roman and (len(stripped) > 120 or P(r"\p{Ll}").search(stripped)):
        return None  # not in capitals (one lower-case letter is found sooner than all letters)
    letters = P(r"[^\p{L}]").sub("", stripped)
    caps = len(letters) >= 4 and letters.isupper() and len(stripped) <= 120
    if not roman and not caps:
        return None
    aim, past = _section_words(0)
    if past.search(stripped):
        return "past"
    return "aim" if aim.search(stripped) else ""


@lru_cache(maxsize=2)
def _openers(_key: int) -> regex.Pattern:
    pats = load_rules().cues.passage_openers
    return regex.compile("|".join(f"(?:{p})" for p in pats))


def _is_heading(text: str) -> bool:
    stripped = text.strip()
    return (len(stripped) <= 160 and not P(r"[.!?;,…]$").search(stripped)
            and len(stripped.split()) >= 2)


_MARKERS = [
    ("dash", regex.compile(r"^\s*[-–+•*·]\s")),
    ("letter", regex.compile(r"^\s*[a-zđ][).]\s")),
    ("number", regex.compile(r"^\s*\d{1,2}+(?:\.\d{1,2}+)*+[).]\s")),
    ("roman", regex.compile(r"^\s*[IVX]{1,4}[.)]\s")),
]


def list_marker(line: str) -> Optional[str]:
    """The kind of list marker a line starts with ("- ", "a) ", "1. ", "II. "), or None."""
    for kind, pat in _MARKERS:
        if pat.match(line):
            return kind
    return None


def segment(text: str, *, title_line: bool = True, head: Optional[int] = None) -> list[Sentence]:
    """Split normalized text into sentences with paragraph/passage indices.

    A lead-in ending with ':' keeps its passage open over the paragraphs that follow it as long
    as they are items of one list (the same kind of marker: "-", "a)", "1.").
    With ``head``, stop after the line that brings the sentences below the title to that many
    (those sentences are the same as in the whole text's segmentation).
    """
    sentences: list[Sentence] = []
    openers = _openers(0)
    paragraph = passage = 0
    pos = 0
    pending_break = False
    prev_blank = True
    first_content_line = True
    list_open, list_kind = False, None
    section = ""
    urls = has_url_hint(text)  # a hint inside a line is one in the text
    for line_no, line in enumerate(text.split("\n")):
        line_start = pos
        pos += len(line) + 1
        if not line.strip():
            if not prev_blank:
                paragraph += 1
                pending_break = True
            prev_blank = True
            continue
        new_section = section_of(line)
        if new_section is not None and not first_content_line:
            section = new_section
        marker = list_marker(line)
        in_list = list_open and marker is not None and (list_kind is None or marker == list_kind)
        if in_list:
            list_kind = marker
        heading = _is_heading(line) and marker is None
        if pending_break and not in_list:
            passage += 1
            list_open, list_kind = False, None
        elif heading and sentences and not prev_blank and not in_list:
            passage += 1  # an inline subheading starts a new passage
            list_open, list_kind = False, None
        pending_break = False
        prev_blank = False
        for s_, e_ in _split_line(line, urls):
            sent_text = line[s_:e_]
            if sentences and openers.match(sent_text) and not prev_heading_opens(sentences):
                passage += 1
                list_open, list_kind = False, None
            # a lead-in ("Mục tiêu cụ thể đến năm 2025:") or a numbered subheading ("1. Chỉ tiêu đến
            # năm 2025") opens the list of items that follows it
            opens = sent_text.rstrip().endswith(":") or (
                marker is not None and _is_heading(line) and not (title_line and first_content_line))
            sentences.append(Sentence(
                start=line_start + s_, end=line_start + e_, index=len(sentences), line=line_no,
                paragraph=paragraph, passage=passage, is_heading=heading,
                is_title=title_line and first_content_line, opens_list=opens, section=section,
                list_item=in_list,
            ))
            if opens:
                list_open, list_kind = True, None
        if first_content_line and title_line:
            passage += 1  # the headline is a passage of its own
        first_content_line = False
        if head is not None and sum(not s.is_title for s in sentences) >= head:
            break
    return sentences


def prev_heading_opens(sentences: list[Sentence]) -> bool:
    """True when the sentence before is a lead-in ending with ':' (its list continues)."""
    return bool(sentences) and sentences[-1].opens_list
