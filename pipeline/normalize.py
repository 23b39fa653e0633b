"""Normalize: raw Unicode text -> normalized text with an exact offset map back to the raw input.

What it does, in order:
- Unicode NFC (decomposed tone marks composed), CR/CRLF to LF;
- zero-width characters, soft hyphens and BOMs removed; NBSP and other spaces become " " (tabs
  stay: they are the columns of a table flattened to text);
- runs of spaces collapsed, lines stripped, three or more newlines become two;
- web-page furniture (rules/furniture.yaml) dropped: menu lines, bylines, photo captions, the
  page footer after "Ý kiến bạn đọc" / "Tin xem nhiều", scraper debris such as a leading "null ".

It also gives `match_text`: the same text with one tone-mark convention ("hoà" -> "hòa",
"uỷ" -> "ủy"), character for character the same length, so rules match either spelling while
every offset still indexes the normalized text.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

import regex

from .rules import FurnitureRules, load_rules

_DROP = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e", "\u200f"}
_SPACES = {"\u00a0", "\u2000", "\u2001", "\u2002", "\u2003", "\u2004", "\u2005", "\u2006",
           "\u2007", "\u2008", "\u2009", "\u200a", "\u202f", "\u205f", "\u3000", "\x0b", "\x0c"}


@dataclass
class NormalizedText:
    """Normalized text plus, per character, the span of raw input it came from."""

    text: str
    raw_start: list[int]
    raw_end: list[int]
    match_text: str
    dropped_lines: int = 0

    def to_raw(self, start: int, end: int) -> tuple[int, int]:
        """Raw-input offsets of the normalized span [start, end)."""
        if start >= end:
            pos = self.raw_start[start] if start < len(self.raw_start) else (self.raw_end[-1] if self.raw_end else 0)
            return pos, pos
        return self.raw_start[start], self.raw_end[end - 1]


_SPECIAL = regex.compile(r"[\r\p{Mn}" + "".join(sorted(_DROP | _SPACES)) + "]")


def _char_pass(raw: str) -> tuple[str, list[int], list[int]]:
    """NFC per combining cluster, drop invisible characters, unify spaces and line breaks.
    Plain stretches are copied in bulk; only special characters are handled one by one."""
    out: list[str] = []
    rs: list[int] = []
    re_: list[int] = []
    pos, n = 0, len(raw)
    for m in _SPECIAL.finditer(raw):
        i = m.start()
        if i < pos:
            continue
        if unicodedata.combining(raw[i]) and i > pos:
            # a combining mark after a plain base character: recompose the cluster (NFC)
            out.extend(raw[pos:i - 1])
            rs.extend(range(pos, i - 1))
            re_.extend(range(pos + 1, i))
            j = i
            while j < n and unicodedata.combining(raw[j]):
                j += 1
            for c in unicodedata.normalize("NFC", raw[i - 1:j]):
                out.append(c)
                rs.append(i - 1)
                re_.append(j)
            pos = j
            continue
        out.extend(raw[pos:i])
        rs.extend(range(pos, i))
        re_.extend(range(pos + 1, i + 1))
        ch = raw[i]
        j = i + 1
        if ch == "\r":
            if j < n and raw[j] == "\n":
                j += 1
            out.append("\n"); rs.append(i); re_.append(j)  # CR and CRLF are one line break
        elif ch in _SPACES:
            out.append(" "); rs.append(i); re_.append(j)
        elif ch in _DROP:
            pass
        else:  # a combining mark with no base: keep it as it is
            out.append(ch); rs.append(i); re_.append(j)
        pos = j
    out.extend(raw[pos:])
    rs.extend(range(pos, n))
    re_.extend(range(pos + 1, n + 1))
    return "".join(out), rs, re_


_DELETE = regex.compile(r"(?<= ) +| +(?=[\n\t]|$)|(?<=[\n\t]|^) +|(?<=\n\n)\n+|^\n+|\n+$")


def _collapse_spaces(text: str, rs: list[int], re_: list[int]) -> tuple[str, list[int], list[int]]:
    """Collapse space runs, strip line ends, allow at most one blank line in a row."""
    if not (text[:1] in (" ", "\n") or text[-1:] in (" ", "\n") or "  " in text or " \n" in text
            or "\n " in text or "\n\n\n" in text or " \t" in text or "\t " in text):
        return text, rs, re_
    cuts = [(m.start(), m.end()) for m in _DELETE.finditer(text)]
    if not cuts:
        return text, rs, re_
    pieces, nrs, nre = [], [], []
    pos = 0
    for a, b in cuts:
        pieces.append(text[pos:a]); nrs.extend(rs[pos:a]); nre.extend(re_[pos:a])
        pos = b
    pieces.append(text[pos:]); nrs.extend(rs[pos:]); nre.extend(re_[pos:])
    return "".join(pieces), nrs, nre


@lru_cache(maxsize=4)
def _furniture_patterns(_key: int) -> tuple:
    rules: FurnitureRules = load_rules().furniture
    whole = regex.compile("|".join(f"(?:{p})" for p in rules.lines), regex.I | regex.V1)
    caption = regex.compile("|".join(f"(?:{p})" for p in rules.caption_lines), regex.I | regex.V1)
    tail = regex.compile("|".join(f"(?:{p})" for p in rules.tail_markers), regex.I)
    return whole, caption, rules.caption_max_chars, tail, tuple(rules.strip_prefixes)


def is_furniture_line(line: str) -> bool:
    """True when a whole line is page furniture (menu, byline, caption, footer marker)."""
    whole, caption, max_chars, _, _ = _furniture_patterns(0)
    line = line.strip()
    return whole.fullmatch(line) is not None or (len(line) <= max_chars and caption.fullmatch(line) is not None)


def _keep_ranges(text: str) -> tuple[list[tuple[int, int]], int]:
    """Line ranges [start, end) of text to keep, and how many lines were dropped."""
    whole, caption, max_chars, tail, prefixes = _furniture_patterns(0)
    lines = []
    pos = 0
    for part in text.split("\n"):
        lines.append((pos, pos + len(part)))
        pos += len(part) + 1
    keep: list[tuple[int, int]] = []
    dropped = 0
    n_chars = len(text)
    for start, end in lines:
        line = text[start:end]
        if not line:
            keep.append((start, start))
            continue
        if tail.fullmatch(line) and start > n_chars * 0.3:
            dropped += 1 + sum(1 for s, e in lines if s > start and e > s)
            break
        for prefix in prefixes:
            if line.startswith(prefix) and len(line) > len(prefix):
                start += len(prefix)
                line = line[len(prefix):]
        if len(line) <= max_chars and caption.fullmatch(line):
            dropped += 1
            continue
        if regex.search(r"\d", line):
            keep.append((start, end))  # a line with a number is never dropped as a menu or byline
            continue
        if whole.fullmatch(line):
            dropped += 1
            continue
        keep.append((start, end))
    return keep, dropped


def _tone_convention(text: str) -> str:
    """Move a tone mark from the second to the first vowel of a final oa/oe/uy ("hoà" -> "hòa")."""
    def fix(m: regex.Match) -> str:
        first, second = m.group(1), m.group(2)
        decomposed = unicodedata.normalize("NFD", second)
        base, marks = decomposed[0], decomposed[1:]
        return unicodedata.normalize("NFC", first + marks) + base

    return _TONE_RE.sub(fix, text)


_TONE_RE = regex.compile(r"(?<![qQ])([oOuU])([àáảãạèéẻẽẹỳýỷỹỵÀÁẢÃẠÈÉẺẼẸỲÝỶỸỴ])(?!\p{L})")


def normalize(raw: str, *, drop_furniture: bool = True) -> NormalizedText:
    """Normalize raw text; see the module docstring."""
    chars, rs, re_ = _char_pass(raw)
    text, rs, re_ = _collapse_spaces(chars, rs, re_)
    dropped = 0
    if drop_furniture and text:
        keep, dropped = _keep_ranges(text)
        pieces: list[str] = []
        nrs: list[int] = []
        nre: list[int] = []
        for idx, (start, end) in enumerate(keep):
            if idx:
                anchor = start - 1 if start > 0 else 0
                pieces.append("\n")
                nrs.append(rs[anchor] if anchor < len(rs) else (re_[-1] if re_ else 0))
                nre.append(re_[anchor] if anchor < len(re_) else (re_[-1] if re_ else 0))
            pieces.append(text[start:end])
            nrs.extend(rs[start:end])
            nre.extend(re_[start:end])
        text, rs, re_ = _collapse_spaces("".join(pieces), nrs, nre) if pieces else ("", [], [])
    return NormalizedText(text=text, raw_start=rs, raw_end=re_, match_text=_tone_convention(text), dropped_lines=dropped)


def fold_tone(s: str) -> str:
    """The tone-mark convention alone, for lexicon entries (same length as the input)."""
    return _tone_convention(unicodedata.normalize("NFC", s))


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in list(range(0xC0, 0x250)) + list(range(0x1E00, 0x1F00)):
        ch = chr(cp)
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        if base != ch or ch.lower() != ch:
            table[cp] = base.lower()
    table[ord("đ")] = table[ord("Đ")] = "d"
    return table


def strip_diacritics(s: str) -> str:
    """Lower-case folding without marks: 'Đắk Nông' -> 'dak nong' (province lookup and search)."""
    return unicodedata.normalize("NFC", s).translate(_fold_table()).lower()
