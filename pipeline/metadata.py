"""Plan metadata: title, published date, document numbers, type, issuer, issued date, period,
location. Patterns and lexicons are in rules/documents.yaml and rules/provinces.yaml.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Optional

import regex

from .patterns import P

from .normalize import fold_tone, is_furniture_line, strip_diacritics
from .rules import load_rules
from .segment import Sentence
from .wordscan import AnyOf, Occurrences


HEAD_SENTENCES = 12   # the body sentences read for the document type (and the first for the title)


@dataclass
class Metadata:
    title: Optional[str] = None
    published: Optional[date] = None
    doc_numbers: list[str] = None  # type: ignore[assignment]
    doc_type: Optional[str] = None
    issuer: Optional[str] = None
    issued: Optional[date] = None
    period: Optional[tuple[int, int]] = None
    location: Optional[str] = None
    names_province: bool = False   # a province's name occurs in the head as a whole word, in any case or use
                                   # (what the judge reads: pipeline.learn.features, "doc=location")
    cited: list[tuple[int, int]] = field(default_factory=list)   # the clauses citing its legal basis (cited_spans)


class _CapsReader:
    """All-capitals lines in sentence case: "ỦY BAN NHÂN DÂN TỈNH SÓC TRĂNG" -> "Ủy ban nhân dân tỉnh Sóc
    Trăng" (the first word and the words of a place, after "tỉnh", "huyện", ..., capitalized up to a
    comma; ``names`` written as listed; acronyms kept). Other lines, and the length of every line, stay
    as they are."""

    def __init__(self, names: list[str], acronyms: list[str], place_after: list[str]) -> None:
        self.acronyms = {a.upper() for a in acronyms}
        self.place_after = sorted((tuple(p.lower().split()) for p in place_after), key=len, reverse=True)
        self.names = regex.compile(r"(?<!\p{L})(?:" + "|".join(
            regex.escape(n) for n in sorted(names, key=len, reverse=True)) + r")(?!\p{L})", regex.I) if names else None
        self.spelling = {n.lower(): n for n in names}

    def sentence_case(self, text: str) -> str:
        return "\n".join(self._line(line) for line in text.split("\n"))

    def _line(self, line: str) -> str:
        if line != line.upper() or line == line.lower() or sum(ch.isalpha() for ch in line) < 4:
            return line   # a lower-case letter, no letter with a case, or too few letters
        words = line.split(" ")
        out = [w.lower() for w in words]
        bare = [w.strip(",.;:()") for w in words]
        lowered = [b.lower() for b in bare]
        place = False
        for i, w in enumerate(words):
            if bare[i] in self.acronyms:
                out[i] = w
            elif place or not any(o for o in out[:i]):   # a place's word, or the line's first word
                out[i] = w[:1] + w[1:].lower()
            if place and w.endswith(","):
                place = False
            if not place and any(tuple(lowered[i - len(p) + 1:i + 1]) == p for p in self.place_after):
                place = not w.endswith(",")
        joined = " ".join(out)
        if self.names is not None:
            joined = self.names.sub(lambda m: self.spelling.get(m.group().lower(), m.group()), joined)
        return joined if len(joined) == len(line) else line


class MetadataReader:
    def __init__(self) -> None:
        r = load_rules()
        d = r.documents
        self.doc_number = regex.compile(d.doc_number)
        self.min_letters = d.doc_number_min_letters
        self.doc_types = {fold_tone(t).lower(): t for t in d.doc_types}
        alt = "|".join(sorted(map(regex.escape, self.doc_types), key=len, reverse=True))
        self.doc_type_re = regex.compile(rf"(?<!\p{{L}})({alt})(?!\p{{L}})", regex.I)
        self._types = AnyOf(self.doc_types)
        self.cited = {c.lower() for c in d.cited_before}
        self.cited_lines = regex.compile(d.cited_lines) if d.cited_lines else None
        self.cited_lines_cue = d.cited_lines_cue
        # an issuer never starts inside a word or a document number ("QĐ-UBND")
        self.issuers = [regex.compile(r"(?<![\p{L}\d/&-])(?:" + p + ")") for p in d.issuers]
        self.caps = _CapsReader(d.issuer_caps.names, d.issuer_caps.acronyms, d.issuer_caps.place_after)
        self.two_lines = regex.compile(d.issuer_caps.two_lines) if d.issuer_caps.two_lines else None
        self.official = [regex.compile(p) for p in d.official_markers]
        self.title_after = regex.compile(d.title_after) if d.title_after else None
        self.adopting = regex.compile(d.adopting) if d.adopting else None
        self.article = regex.compile(d.regulatory_article)
        self.min_articles = d.regulatory_min_articles
        self.published = [regex.compile(p, regex.M) for p in d.published_patterns]
        self.issued_re = [regex.compile(p) for p in d.issued_patterns]
        self.period_re = [regex.compile(p, regex.I) for p in d.period_patterns]
        self.written_in = [regex.compile(p, regex.I) for p in d.written_in_patterns]
        self.period_needs = regex.compile(d.period_needs) if d.period_needs else None
        self.one_year = [regex.compile(p, regex.I) for p in d.one_year_plans]
        names: dict[str, str] = {}
        for p in r.provinces.provinces:
            for n in [p.name, *p.aliases]:
                names[strip_diacritics(n)] = p.name
        self.province_names = names
        self._names = Occurrences(names)
        self.source_tags = r.provinces.source_tags
        self.person_names = set(r.provinces.person_name_before)

    # -- pieces --------------------------------------------------------------------------------
    def _heading(self, text: str) -> Optional[tuple[str, str]]:
        """(an official text's type heading, the line after it: its subject), or None."""
        m = self.title_after.search(text, 0, 1500) if self.title_after is not None else None
        if m:
            nxt = next((line.strip() for line in text[m.end():m.end() + 600].split("\n")[1:] if line.strip()), "")
            if 2 <= len(nxt.split()) <= 60 and not is_furniture_line(nxt):
                return m.group().strip(), nxt
        return None

    def title(self, text: str, sentences: list[Sentence], heading: Optional[tuple[str, str]]) -> Optional[str]:
        """An official text's subject, the line after its type ``heading`` ("KẾ HOẠCH"; `_heading`); else
        the text's title line among its first sentences."""
        if heading is not None:
            return heading[1]
        for s in sentences[:3]:
            line = text[s.start:s.end].strip()
            if s.is_title and 2 <= len(line.split()) <= 40 and not is_furniture_line(line):
                return line
        return None

    def is_official(self, text: str) -> bool:
        """An official plan text (its head names the document type in capitals, or gives its number)."""
        head = text[:800]
        return any(p.search(head) for p in self.official)

    def is_regulatory(self, text: str) -> bool:
        """A law or decree (numbered articles): its percentages are rules, not aims."""
        count = 0
        for _ in self.article.finditer(text):
            count += 1
            if count >= self.min_articles:
                return True
        return False

    def published_date(self, text: str) -> Optional[date]:
        head = text[:600]
        tail = text[-400:]
        for chunk in (head, tail):
            for pat in self.published:
                m = pat.search(chunk)
                if m:
                    d = _date(m.group("y"), m.group("m"), m.group("d"))
                    if d:
                        return d
        return None

    # a full date, as digits or in words: two patterns, each with a leading literal the scan can
    # look for (one alternation of both is several times slower); their matches never overlap, so
    # they are the matches of the alternation
    _FULL_DATES = (regex.compile(r"(?<![\d/])(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>(?:19|20)\d\d)(?![\d/])"),
                   regex.compile(r"ngày (?P<d>\d{1,2}) tháng (?P<m>\d{1,2}) năm (?P<y>(?:19|20)\d\d)"))
    _DEADLINE_BEFORE = regex.compile(r"(?:trước|đến|tới|hết|hạn|chậm nhất|từ)\s*(?:ngày\s*)?$", regex.I)

    def reference_year(self, text: str) -> Optional[int]:
        """When the article has no date line: the latest full date it gives (not a deadline date),
        else the latest month, quarter or part of a year it reports on (rules/documents.yaml
        `written_in_patterns`), a stand-in for when it was written, so that 'đến năm 2016' in a 2017
        text reads as past."""
        years = []
        for pattern in self._FULL_DATES:
            for m in pattern.finditer(text):
                if self._DEADLINE_BEFORE.search(text[max(0, m.start() - 20):m.start()]):
                    continue
                if _date(m.group("y"), m.group("m"), m.group("d")):
                    years.append(int(m.group("y")))
        if years:
            return max(years)
        for pat in self.written_in:
            for m in pat.finditer(text):
                if not self._DEADLINE_BEFORE.search(text[max(0, m.start() - 20):m.start()]):
                    years.append(int(m.group("y")))
        return max(years) if years else None

    def numbers(self, text: str) -> list[str]:
        out: list[str] = []
        seen: set[str] = set()
        for m in self.doc_number.finditer(text):
            num = P(r"/{2,}").sub("/", m.group("num"))
            letters = P(r"[^\p{L}]").sub("", num)
            if len(letters) < self.min_letters or not P(r"\p{Lu}").search(num):
                continue
            key = P(r"[^\p{L}\d]").sub("", num).upper()
            if key in seen:
                continue
            seen.add(key)
            out.append(num)
        return out

    def doc_type(self, text: str, sentences: list[Sentence], heading: Optional[tuple[str, str]]) -> Optional[str]:
        """An official text's type: the one its title adopts ("QUYẾT ĐỊNH" / "Ban hành Kế hoạch ...": Kế
        hoạch), else its ``heading``'s (`_heading`); other texts: the first type their head names, not cited."""
        if heading is not None:
            kind, subject = heading
            adopted = self.adopting.match(subject) if self.adopting is not None else None
            if adopted:
                m = self.doc_type_re.match(fold_tone(subject[adopted.end():]))
                if m:
                    return self.doc_types[m.group(1).lower()]
            kind = fold_tone(kind).lower()
            if kind in self.doc_types:
                return self.doc_types[kind]
        body = [s for s in sentences if not s.is_title] or sentences
        for s in body[:HEAD_SENTENCES]:
            seg = text[s.start:s.end]
            folded = fold_tone(seg)
            if not self._may_name_type(folded):
                continue
            for m in self.doc_type_re.finditer(folded):
                before = fold_tone(seg[:m.start()]).lower().split()[-2:]
                if any(w in self.cited for w in before[-1:]) or " ".join(before) in self.cited:
                    continue
                return self.doc_types[m.group(1).lower()]
        for s in sentences[:2]:
            folded = fold_tone(text[s.start:s.end])
            m = self.doc_type_re.search(folded) if self._may_name_type(folded) else None
            if m:
                return self.doc_types[m.group(1).lower()]
        return None

    def _may_name_type(self, folded: str) -> bool:
        """Can `doc_type_re` match here? Only where a document type's words occur, in any case
        (a cheap test: most sentences name none)."""
        return self._types.occur_in(folded)

    def issuer(self, text: str) -> Optional[str]:
        """The first issuer of the text's head (all-capitals lines read in sentence case) that names its
        place, where a pattern has one (``place``); else the first that names none ("UBND"). A body
        and its place on two lines of the header (`issuer_caps.two_lines`) are read as one line."""
        head = text[:3000]
        if self.two_lines is not None:   # the line break of each match (group 1) becomes a space
            head = self.two_lines.sub(lambda m: m.group()[:m.start(1) - m.start()] + " "
                                      + m.group()[m.end(1) - m.start():], head)
        head = self.caps.sentence_case(head)
        best = bare = None
        for pat in self.issuers:
            for m in pat.finditer(head):
                if "place" in pat.groupindex and m.group("place") is None:
                    bare = m if bare is None or m.start() < bare.start() else bare
                    continue
                best = m if best is None or m.start() < best.start() else best
                break
        found = best or bare
        return found.group().strip() if found else None

    def issued(self, text: str, published: Optional[date]) -> Optional[date]:
        for pat in self.issued_re:
            m = pat.search(text[:3000])
            if m:
                y = m.group("y") or (str(published.year) if published else None)
                if y:
                    d = _date(y, m.group("m"), m.group("d"))
                    if d:
                        return d
        return None

    def period(self, text: str) -> Optional[tuple[int, int]]:
        lines = self.period_lines(text)
        for pat in self.period_re if lines else ():
            m = next((m for a, b in lines for m in [pat.search(text, a, b)] if m), None)
            if m:  # the pattern's first match in the text: the others are not read
                a, b = int(m.group("y1")), int(m.group("y2"))
                if a <= b <= a + 30:
                    return a, b
        for pat in self.one_year:
            m = pat.search(text[:1500])
            if m:
                y = int(m.group("y"))
                return y, y
        return None

    def period_lines(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of the lines a period pattern can match in: every match lies within one
        line that holds a match of `period_needs` (rules/documents.yaml), or anywhere without it."""
        if self.period_needs is None:
            return [(0, len(text))]
        lines: list[tuple[int, int]] = []
        for m in self.period_needs.finditer(text):
            if lines and m.start() < lines[-1][1]:
                continue  # on the line already taken
            start = text.rfind("\n", 0, m.start()) + 1
            end = text.find("\n", m.end())
            lines.append((start, len(text) if end < 0 else end))
        return lines

    def location(self, text: str) -> Optional[str]:
        return self.places(text)[0]

    def places(self, text: str) -> tuple[Optional[str], bool]:
        """(the province the text is about: the first name in its head that is written as a place;
        whether any province's name occurs there as a whole word, in any case or use)."""
        head = text[:2500]
        for tag, prov in self.source_tags.items():
            if f"({tag})" in head[:400]:
                return prov, True
        folded = strip_diacritics(head)
        # the first name in the text (the longest at one place), as a whole word: every name's
        # occurrences found in one pass (Aho-Corasick)
        n = len(folded)
        aligned = n == len(head)  # (folding keeps every character's place: the written form can be read)
        best: Optional[tuple[int, int, str]] = None
        named = False
        for name, spans in self._names.find_each(folded).items():
            for at, end in spans:
                if (at == 0 or not folded[at - 1].isalpha()) and (end == n or not folded[end].isalpha()):
                    named = True
                    if not aligned or self._a_place(head, at, end):
                        if best is None or (at, -len(name)) < best[:2]:
                            best = (at, -len(name), name)
                        break  # the name's first whole occurrence written as a place
        return (self.province_names[best[2]] if best else None), named

    def _a_place(self, head: str, at: int, end: int) -> bool:
        """Is the province name written at [at, end) a place: capitalized ("hòa bình" is peace) and not
        right after a family or middle name ("Trương Hòa Bình" is a person)?"""
        written = head[at:end]
        if not all(w[:1].isupper() or not w[:1].isalpha() for w in written.split()):
            return False
        before = head[max(0, at - 12):at].split()
        return not (before and before[-1] in self.person_names)

    def cited_spans(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of the clauses that cite other documents as the text's legal basis
        (rules/documents.yaml `cited_lines`: "Căn cứ Quyết định số ... giai đoạn 2021-2025;")."""
        if self.cited_lines is None or (self.cited_lines_cue and self.cited_lines_cue not in text):
            return []
        return [m.span() for m in self.cited_lines.finditer(text)]

    def own_text(self, text: str, spans: Optional[list[tuple[int, int]]] = None) -> str:
        """The text with its citing clauses (``spans``, else `cited_spans`) blanked: what the plan's
        own period, issuer and date are read from. Every other character stays where it was."""
        spans = self.cited_spans(text) if spans is None else spans
        if not spans:
            return text
        parts, at = [], 0
        for a, b in spans:
            parts += [text[at:a], " " * (b - a)]
            at = b
        parts.append(text[at:])
        return "".join(parts)

    def read(self, text: str, sentences: list[Sentence]) -> Metadata:
        """Metadata of a text; ``sentences`` may be only its first ones, up to HEAD_SENTENCES below
        the title (segment(..., head=HEAD_SENTENCES)): the rest is read from the text. The period,
        issuer and date of issue are the plan's own: not read from the clauses citing its legal
        basis (`own_text`)."""
        published = self.published_date(text)
        location, named = self.places(text)
        heading = self._heading(text)   # read once for the title and the type
        cited = self.cited_spans(text)
        own = self.own_text(text, cited)
        return Metadata(
            title=self.title(text, sentences, heading), published=published, doc_numbers=self.numbers(text),
            doc_type=self.doc_type(text, sentences, heading), issuer=self.issuer(own),
            issued=self.issued(own, published), period=self.period(own), location=location,
            names_province=named, cited=cited,
        )


def _date(y: Optional[str], m: Optional[str], d: Optional[str]) -> Optional[date]:
    try:
        return date(int(y), int(m), int(d)) if y and m and d else None
    except ValueError:
        return None


@lru_cache(maxsize=1)
def get_metadata_reader() -> MetadataReader:
    return MetadataReader()
