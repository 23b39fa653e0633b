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
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

import regex

from .rules import FurnitureRules, load_rules

_DROP = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e", "\u200f"}
_SPACES = {"\u00a0", "\u2000", "\u2001", "\u2002", "\u2003", "\u2004", "\u2005", "\u2006",
           "\u2007", "\u2008", "\u2009", "\u200a", "\u202f", "\u205f", "\u3000", "\x0b", "\x0c"}


class Offsets:
    """For each normalized character, the span of raw input it came from, kept as runs: a copied
    stretch maps its k-th character to [raw + k, raw + k + 1); a made one (a recomposed cluster, a
    CRLF read as one line break, a line break put between kept lines) maps each of its characters to
    one span. Memory grows with the edits normalization made, not with the length of the text."""

    __slots__ = ("starts", "raws", "ends", "length")

    def __init__(self) -> None:
        self.starts: list[int] = []          # normalized offset where each run begins
        self.raws: list[int] = []            # raw start of the run (of its first character)
        self.ends: list[Optional[int]] = []  # None: a copy; else the raw end shared by the run
        self.length = 0

    @classmethod
    def identity(cls, n: int) -> "Offsets":
        out = cls()
        out.copy(0, n)
        return out

    def copy(self, raw: int, n: int) -> None:
        """Append ``n`` characters copied from raw offset ``raw``."""
        self._append(raw, None, n)

    def made(self, raw_start: int, raw_end: int, n: int = 1) -> None:
        """Append ``n`` characters that all come from raw[raw_start:raw_end]."""
        self._append(raw_start, raw_end, n)

    def _append(self, raw: int, end: Optional[int], n: int) -> None:
        if n <= 0:
            return
        if self.ends and self.ends[-1] == end and (
                self.raws[-1] == raw if end is not None else self.raws[-1] + self.length - self.starts[-1] == raw):
            self.length += n  # the run before goes on
            return
        self.starts.append(self.length)
        self.raws.append(raw)
        self.ends.append(end)
        self.length += n

    def span(self, k: int) -> tuple[int, int]:
        """Raw span of normalized character ``k``."""
        if k < 0:
            k += self.length
        if not 0 <= k < self.length:
            raise IndexError(k)
        i = bisect_right(self.starts, k) - 1
        end = self.ends[i]
        if end is None:
            raw = self.raws[i] + k - self.starts[i]
            return raw, raw + 1
        return self.raws[i], end

    def take(self, a: int, b: int, into: "Offsets") -> None:
        """Append the spans of normalized characters [a, b) to ``into``."""
        i = bisect_right(self.starts, a) - 1
        while a < b:
            run_end = self.starts[i + 1] if i + 1 < len(self.starts) else self.length
            upto = min(b, run_end)
            end = self.ends[i]
            if end is None:
                into.copy(self.raws[i] + a - self.starts[i], upto - a)
            else:
                into.made(self.raws[i], end, upto - a)
            a, i = upto, i + 1


class RawOffsets(Sequence[int]):
    """`raw_start` or `raw_end` of every normalized character, read from the runs of Offsets."""

    def __init__(self, offsets: Offsets, side: int) -> None:
        self._offsets, self._side = offsets, side

    def __len__(self) -> int:
        return self._offsets.length

    def __getitem__(self, k):  # type: ignore[override]
        if isinstance(k, slice):
            return [self._offsets.span(i)[self._side] for i in range(*k.indices(len(self)))]
        return self._offsets.span(k)[self._side]


@dataclass
class NormalizedText:
    """Normalized text plus, per character, the span of raw input it came from."""

    text: str
    offsets: Offsets
    match_text: str
    dropped_lines: int = 0

    @property
    def raw_start(self) -> RawOffsets:
        return RawOffsets(self.offsets, 0)

    @property
    def raw_end(self) -> RawOffsets:
        return RawOffsets(self.offsets, 1)

    def to_raw(self, start: int, end: int) -> tuple[int, int]:
        """Raw-input offsets of the normalized span [start, end)."""
        n = self.offsets.length
        if start >= end:
            pos = self.offsets.span(start)[0] if start < n else (self.offsets.span(n - 1)[1] if n else 0)
            return pos, pos
        return self.offsets.span(start)[0], self.offsets.span(end - 1)[1]


_SPECIAL = regex.compile(r"[\r\p{Mn}" + "".join(sorted(_DROP | _SPACES)) + "]")


def _char_pass(raw: str) -> tuple[str, Offsets]:
    """NFC per combining cluster, drop invisible characters, unify spaces and line breaks.
    Plain stretches are copied in bulk; only special characters are handled one by one."""
    out: list[str] = []
    off = Offsets()
    pos, n = 0, len(raw)
    for m in _SPECIAL.finditer(raw):
        i = m.start()
        if i < pos:
            continue
        if unicodedata.combining(raw[i]) and i > pos:
            # a combining mark after a plain base character: recompose the cluster (NFC)
            out.append(raw[pos:i - 1])
            off.copy(pos, i - 1 - pos)
            j = i
            while j < n and unicodedata.combining(raw[j]):
                j += 1
            cluster = unicodedata.normalize("NFC", raw[i - 1:j])
            out.append(cluster)
            off.made(i - 1, j, len(cluster))
            pos = j
            continue
        out.append(raw[pos:i])
        off.copy(pos, i - pos)
        ch = raw[i]
        j = i + 1
        if ch == "\r":
            if j < n and raw[j] == "\n":
                j += 1
            out.append("\n")
            off.made(i, j)  # CR and CRLF are one line break
        elif ch in _SPACES:
            out.append(" ")
            off.copy(i, 1)
        elif ch not in _DROP:  # a combining mark with no base: keep it as it is
            out.append(ch)
            off.copy(i, 1)
        pos = j
    if pos == 0:
        return raw, Offsets.identity(n)  # nothing to change: the common case
    out.append(raw[pos:])
    off.copy(pos, n - pos)
    return "".join(out), off


_DELETE = regex.compile(r"(?<= ) +| +(?=[\n\t]|$)|(?<=[\n\t]|^) +|(?<=\n\n)\n+|^\n+|\n+$")


_DELETE_NEAR = (("  ", 0), (" \n", 0), (" \t", 0), ("\n ", 1), ("\t ", 1), ("\n\n\n", 2))


def _deletions(text: str) -> list[tuple[int, int]]:
    """The matches of _DELETE, as finditer gives them, tried only where one can start: at or just
    after a double space, a space before or after a line break or tab, a third line break, or at
    either end (a scan of every position costs more than the rest of normalization)."""
    n = len(text)
    starts = {0}
    for pair, shift in _DELETE_NEAR:
        at = text.find(pair)
        while at >= 0:
            starts.update(range(at, min(n, at + shift + 2)))
            at = text.find(pair, at + 1)
    if text.endswith(" "):
        starts.add(n - 1)
    if text.endswith("\n"):
        starts.add(len(text.rstrip("\n")))
    cuts: list[tuple[int, int]] = []
    pos = 0
    for p in sorted(starts):
        if p < pos:
            continue
        m = _DELETE.match(text, p)
        if m is not None:
            cuts.append((m.start(), m.end()))
            pos = m.end()
    return cuts


def _collapse_spaces(text: str, off: Offsets) -> tuple[str, Offsets]:
    """Collapse space runs, strip line ends, allow at most one blank line in a row."""
    if not (text[:1] in (" ", "\n") or text[-1:] in (" ", "\n") or "  " in text or " \n" in text
            or "\n " in text or "\n\n\n" in text or " \t" in text or "\t " in text):
        return text, off
    cuts = _deletions(text)
    if not cuts:
        return text, off
    pieces: list[str] = []
    out = Offsets()
    pos = 0
    for a, b in cuts:
        pieces.append(text[pos:a])
        off.take(pos, a, out)
        pos = b
    pieces.append(text[pos:])
    off.take(pos, len(text), out)
    return "".join(pieces), out


@dataclass
class _Caption:
    """A photo caption line: it matches a caption pattern and is not text that ends with a credit."""

    pattern: regex.Pattern
    not_caption: regex.Pattern
    needs: Optional[regex.Pattern] = None   # what every caption holds: a cheap test first

    def fullmatch(self, line: str) -> bool:
        return ((self.needs is None or self.needs.search(line) is not None)
                and self.pattern.fullmatch(line) is not None and self.not_caption.fullmatch(line) is None)


@lru_cache(maxsize=4)
def _furniture_patterns(_key: int) -> tuple:
    rules: FurnitureRules = load_rules().furniture
    whole = regex.compile("|".join(f"(?:{p})" for p in rules.lines), regex.I | regex.V1)
    caption = _Caption(regex.compile("|".join(f"(?:{p})" for p in rules.caption_lines), regex.I | regex.V1),
                       regex.compile("|".join(f"(?:{p})" for p in rules.not_captions) or "(?!)", regex.I | regex.V1),
                       regex.compile(rules.caption_needs, regex.I | regex.V1) if rules.caption_needs else None)
    tail = regex.compile("|".join(f"(?:{p})" for p in rules.tail_markers), regex.I)
    return whole, caption, rules.caption_max_chars, tail, tuple(rules.strip_prefixes)


def is_furniture_line(line: str) -> bool:
    """True when a whole line is page furniture (menu, byline, caption, footer marker)."""
    whole, caption, max_chars, _, _ = _furniture_patterns(0)
    line = line.strip()
    return whole.fullmatch(line) is not None or (len(line) <= max_chars and caption.fullmatch(line))


_DIGIT = regex.compile(r"\d")


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
        if _DIGIT.search(line):
            keep.append((start, end))  # a line with a number is never dropped as a menu or byline
            continue
        if whole.fullmatch(line):
            dropped += 1
            continue
        keep.append((start, end))
    return _merge_lines(keep), dropped


def _merge_lines(keep: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Ranges of consecutive whole lines as one range (with the line breaks between them: the same
    characters and spans as the lines joined by line breaks)."""
    merged: list[tuple[int, int]] = []
    for start, end in keep:
        if merged and start == merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


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
    text, off = _collapse_spaces(*_char_pass(raw))
    dropped = 0
    if drop_furniture and text:
        keep, dropped = _keep_ranges(text)
        if keep != [(0, len(text))]:
            text, off = _join_kept(text, off, keep)
        text, off = _collapse_spaces(text, off)  # again: dropped lines and cut spaces can leave runs
    return NormalizedText(text=text, offsets=off, match_text=_tone_convention(text), dropped_lines=dropped)


def _join_kept(text: str, off: Offsets, keep: list[tuple[int, int]]) -> tuple[str, Offsets]:
    """The kept line ranges joined by line breaks; a line break put between two ranges maps to the
    raw span of the character before the second range."""
    pieces: list[str] = []
    out = Offsets()
    for start, end in keep:
        if pieces:
            anchor = start - 1 if start > 0 else 0
            a, b = off.span(anchor) if anchor < off.length else ((off.span(off.length - 1)[1],) * 2 if off.length else (0, 0))
            pieces.append("\n")
            out.made(a, b)
        pieces.append(text[start:end])
        off.take(start, end, out)
    return "".join(pieces), out


def fold_tone(s: str) -> str:
    """The tone-mark convention alone, for lexicon entries (same length as the input)."""
    return _tone_convention(unicodedata.normalize("NFC", s))


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str | int]:
    table: dict[int, str | int] = {}
    for cp in list(range(0xC0, 0x250)) + list(range(0x1E00, 0x1F00)):
        ch = chr(cp)
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        if base != ch or ch.lower() != ch:
            table[cp] = base.lower()
    table[ord("đ")] = table[ord("Đ")] = "d"
    # every other character below U+2100 (Vietnamese letters, punctuation, dashes and quotes) maps
    # to itself: str.translate raises and catches a LookupError for each character a table lacks
    for cp in range(0x2100):
        table.setdefault(cp, cp)
    return table


def strip_diacritics(s: str) -> str:
    """Lower-case folding without marks: 'Đắk Nông' -> 'dak nong' (province lookup and search)."""
    return unicodedata.normalize("NFC", s).translate(_fold_table()).lower()
