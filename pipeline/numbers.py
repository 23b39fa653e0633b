"""Numbers: find quantities (percentages, money, counts of people) in text and read their values.

Digits follow Vietnamese writing ("1.300" thousands, "4,4" decimal); scale words and number
words come from rules/numbers.yaml; currencies and people units from rules/units.yaml. Per mille
("‰", "%o") and percentage points ("điểm phần trăm") are not percentages. Billions with no currency
word ("khoảng 3.000 tỷ.") are đồng; money per a price unit ("đồng/kg") is a price, not money for a
plan, unless support or cost money comes before it ("hỗ trợ 40 triệu đồng/ha").
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Optional

import regex

from .patterns import P

from .rules import Rules, load_rules
from .wordscan import AnyOf

# At most 8 thousands groups (10^27): a longer run is no amount, and an unbounded group let the
# patterns below backtrack through it from every start (quadratic on "1.000.000.000...").
NUM = r"(?:\d{1,3}(?:\.\d{3}){1,8}(?:,\d+)?|\d{1,3}(?:,\d{3}){2,8}|\d+,\d+|\d+\.\d{1,2}(?![\d.])|\d+)"


@dataclass(slots=True)
class Quantity:
    kind: str                      # "percent" | "money" | "count"
    value: float
    start: int                     # span of the whole quantity (number ... unit) in the text searched
    end: int
    num_start: int                 # where the (first) number starts
    value_max: Optional[float] = None
    unit: Optional[str] = None     # people unit ("học viên") for counts
    currency: Optional[str] = None
    per: Optional[str] = None
    op: str = "="
    words: bool = False            # written in words
    extras: dict = field(default_factory=dict)

    def copy(self) -> "Quantity":
        """A copy that shares nothing mutable with this one."""
        return replace(self, extras=dict(self.extras))


def parse_numeral(s: str) -> float:
    """Read a numeral written with Vietnamese separators: "1.300" -> 1300, "4,4" -> 4.4."""
    s = s.strip()
    if P(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?").fullmatch(s):
        return float(s.replace(".", "").replace(",", "."))
    if P(r"\d{1,3}(?:,\d{3}){2,}").fullmatch(s):
        return float(s.replace(",", ""))
    if P(r"\d+,\d+").fullmatch(s):
        return float(s.replace(",", "."))
    return float(s)


class NumberReader:
    """Compiled patterns for one set of rules."""

    def __init__(self, rules: Rules) -> None:
        nr, ur = rules.numbers, rules.units
        self.rules = rules
        self.scales = {k.lower(): v for k, v in nr.scales.items()}
        scale_alt = "|".join(sorted(map(regex.escape, self.scales), key=len, reverse=True))
        self.scale_re = rf"(?:\s?(?:{scale_alt})(?!\p{{L}}))"
        words = set(nr.digit_words) | {nr.ten_word, nr.tens_word} | set(nr.hundred_words) | set(nr.zero_fillers) | set(self.scales)
        self.word_alt = "|".join(sorted(map(regex.escape, words), key=len, reverse=True))
        self.words_re = rf"(?:(?:{self.word_alt})(?:\s(?:{self.word_alt}))*)"
        frac_alt = "|".join(sorted(map(regex.escape, nr.fractions), key=len, reverse=True))
        pct_words = "|".join(map(regex.escape, nr.percent_words))
        dash = r"\s?(?:-|–|—|đến|tới|~)\s?"
        self.percent = regex.compile(
            rf"(?<![\d.,/\p{{L}}])(?:từ\s)?(?P<a>{NUM})(?:\s?%)?(?:{dash}(?P<b>{NUM}))?\s?(?:%|phần trăm)(?!\s?o\b|\p{{L}})"
            rf"|(?<!\p{{L}})(?P<w>{self.words_re})\s(?:{pct_words})(?!\p{{L}})"
            rf"|(?<!\p{{L}})(?P<f>{frac_alt})(?=\s(?:số|tổng số|các)\s\p{{L}})",
            regex.I,
        )
        self._percent_keys = AnyOf(["phần trăm", *nr.percent_words, *nr.fractions])
        self.gate = regex.compile("|".join([r"\d", *map(regex.escape, nr.gate_words)]), regex.I)
        self.digit_fraction = regex.compile(nr.digit_fraction)
        self.not_percent = regex.compile(  # per mille and percentage points right after a number
            r"\s?(?:" + "|".join(map(regex.escape, sorted(nr.not_percent, key=len, reverse=True))) + ")", regex.I)
        money_alt = "|".join(sorted(map(regex.escape, ur.money), key=len, reverse=True))
        self.money_units = {k.lower(): v for k, v in ur.money.items()}
        self.price_units = {u.lower() for u in ur.price_units}
        self.funded_rate_units = {u.lower() for u in ur.funded_rate_units}
        self.funded_rate = regex.compile(ur.funded_rate_before, regex.I)  # a support rate per unit, not a price
        self.funded_rate_reach = ur.funded_rate_reach
        per_alt = "|".join(f"(?:{p})" for p in ur.money_per)
        self.money = regex.compile(
            rf"(?<![\d.,/\p{{L}}])(?P<a>{NUM})(?P<sa>{self.scale_re}*)(?:{dash}(?P<b>{NUM})(?P<sb>{self.scale_re}*))?"
            rf"\s?(?P<cur>{money_alt})(?!\p{{L}})(?P<per>{per_alt})?",
            regex.I,
        )
        bare = rf"(?<![\d.,/\p{{L}}])(?P<a>{NUM})(?:{dash}(?P<b>{NUM}))?{ur.bare_money}"
        self.bare_money = regex.compile(rf"{bare}(?=(?:{ur.bare_money_after}))", regex.I)
        self.bare_money_anchor = regex.compile(bare, regex.I)  # the same without what must follow (Prefilter.scan)
        self._bare_keys = AnyOf(ur.bare_money_words)  # bare_money ends with one of them
        people = sorted(ur.people, key=len, reverse=True)
        prefix = "|".join(map(regex.escape, ur.count_prefixes))
        self.people_alt = rf"(?:(?:{prefix})\s)?(?:{'|'.join(map(regex.escape, people))})"
        count_digits = rf"(?<![\d.,/\p{{L}}])(?P<a>{NUM})(?:{dash}(?P<b>{NUM}))?(?P<sa>{self.scale_re}*)\s(?P<unit>{self.people_alt})(?!\p{{L}})"
        self.count = regex.compile(
            count_digits + rf"|(?<!\p{{L}})(?P<w>{self.words_re})\s(?P<unitw>{self.people_alt})(?!\p{{L}})",
            regex.I,
        )
        self.count_digits = regex.compile(count_digits, regex.I)  # the first branch alone (for the prefilter)
        self._people_keys = AnyOf(people)  # both branches end with one of them
        self.number_words = words
        self.people_words = [*ur.people, *ur.count_prefixes]
        self.fractions = {k.lower(): v for k, v in nr.fractions.items()}
        self.digit_words = {k.lower(): v for k, v in nr.digit_words.items()}
        self.nr = nr

    # -- number words ------------------------------------------------------------------------
    def words_value(self, text: str) -> Optional[float]:
        """Read Vietnamese number words ("bảy mươi lăm" -> 75); None when not a number."""
        toks = text.lower().split()
        nr = self.nr
        if not toks:
            return None
        multipliers = {nr.ten_word, nr.tens_word, *nr.hundred_words, *self.scales}
        if len(toks) == 1 and toks[0] not in multipliers and toks[0] != nr.ten_word:
            return None  # a lone "năm" or "ba" is too ambiguous
        total, current, last_unit = 0.0, 0.0, None
        for t in toks:
            if t in self.digit_words:
                current += self.digit_words[t]
                last_unit = self.digit_words[t]
            elif t == nr.ten_word:
                current += 10
            elif t == nr.tens_word:
                current = (current - (last_unit or 0)) + (last_unit or 1) * 10 if last_unit is not None else current * 10
                last_unit = None
            elif t in nr.hundred_words:
                current = (current or 1) * 100
                last_unit = None
            elif t in nr.zero_fillers:
                continue
            elif t in self.scales:
                scale = self.scales[t]
                if scale >= 1000:
                    total += (current or 1) * scale
                    current = 0
                else:
                    current *= scale
                last_unit = None
            else:
                return None
        return total + current

    def value_of(self, text: str) -> Optional[float]:
        """A numeral, numeral + scale words, number words or a fraction phrase."""
        t = text.strip().lower()
        if t in self.fractions:
            return self.fractions[t]
        m = regex.fullmatch(rf"(?P<a>{NUM})(?P<s>{self.scale_re}*)", t)
        if m:
            return parse_numeral(m.group("a")) * self._scale(m.group("s"))
        return self.words_value(t)

    def _scale(self, s: Optional[str]) -> float:
        mult = 1.0
        for w in (s or "").split():
            mult *= self.scales.get(w.lower(), 1)
        return mult

    # -- finders ---------------------------------------------------------------------------------
    def may_hold(self, text: str) -> bool:
        """A cheap test before `find`: a digit or one of the gate words (rules/numbers.yaml)."""
        return self.gate.search(text) is not None

    def may_hold_bare_money(self, text: str, *, folded: bool = False) -> bool:
        """Can `bare_money` match in `text`? Only where one of its words (rules/units.yaml
        bare_money_words, no spaces in them) occurs, in any case. ``folded``: `text` is case-folded
        already (AnyOf.occur_in)."""
        return self._bare_keys.occur_in(text, folded=folded)

    def find(self, text: str) -> list[Quantity]:
        """Every quantity in `text`, in order, overlaps resolved (money > percent > count)."""
        found = self._percents(text) + self._fractions(text) + self._money(text) + self._counts(text)
        found.sort(key=lambda q: (q.start, -(q.end - q.start)))
        out: list[Quantity] = []
        for q in found:
            if out and q.start < out[-1].end:
                continue
            out.append(q)
        return out

    def _percents(self, text: str) -> list[Quantity]:
        out = []
        if "%" not in text and not self._percent_keys.occur_in(text):
            return out  # every branch of the pattern holds "%", a percent word or a fraction phrase
        for m in self.percent.finditer(text):
            if self.not_percent.match(text, m.end()) or self._is_point(text, m):
                continue
            if m.group("a"):
                a = parse_numeral(m.group("a"))
                b = parse_numeral(m.group("b")) if m.group("b") else None
                if a > 100 or (b is not None and b > 100):
                    continue  # not a share ("20253%" is a typo or a code)
                if b is not None and b <= a:
                    b = None  # "20-12%" read as a date-like pair: keep the first value only
                num_start = m.start("a")
                q = Quantity("percent", a, m.start() if m.group().lower().startswith("từ") else num_start,
                             m.end(), num_start, value_max=b)
            elif m.group("w"):
                v = self.words_value(m.group("w"))
                if v is None or v > 100:
                    continue
                q = Quantity("percent", v, m.start(), m.end(), m.start(), words=True)
            else:
                q = Quantity("percent", round(self.fractions[m.group("f").lower()] * 100, 2), m.start(), m.end(), m.start(), words=True)
            out.append(q)
        return out

    def _fractions(self, text: str) -> list[Quantity]:
        out = []
        for m in self.digit_fraction.finditer(text):
            value = round(100 * int(m.group("n")) / int(m.group("d")), 2)
            if value < 100:
                out.append(Quantity("percent", value, m.start(), m.end(), m.start()))
        return out

    @staticmethod
    def _is_point(text: str, m: regex.Match) -> bool:
        return bool(P(r"\s?điểm").match(text[m.end():m.end() + 7]))

    def _money(self, text: str) -> list[Quantity]:
        out = []
        for m in self.money.finditer(text):
            cur_word = m.group("cur")
            if cur_word.lower() == "đ" and P(r"\p{L}|/c(?!\p{L})", regex.I).match(text, m.end("cur")):
                continue  # "đ" glued to a word, or "đ/c" (đồng chí); "2.000.000đ/tháng" is money
            a = parse_numeral(m.group("a")) * self._scale(m.group("sa"))
            b = None
            if m.group("b"):
                sb = m.group("sb") or m.group("sa")
                b = parse_numeral(m.group("b")) * self._scale(sb)
                if not m.group("sa") and m.group("sb"):
                    a = parse_numeral(m.group("a")) * self._scale(sb)
            if not 0 < a < math.inf:
                continue  # "0 USD": no amount, so no funding target; or digits past any number
            if b is not None and not b < math.inf:
                b = None
            currency = self.money_units.get(cur_word.lower(), "VND")
            if currency == "VND" and a < 1000:
                continue  # "21 đồng chí", not money
            per = m.group("per")
            per = per.strip().lstrip("/").strip() if per else None
            unit = per.split("/")[0].strip().lower() if per else None
            if unit in self.price_units and not (unit in self.funded_rate_units and self.funded_rate.search(
                    text, max(0, m.start() - self.funded_rate_reach), m.start())):
                continue  # a unit price ("1.246,7 USD/ounce", "8.000 đồng/lít"), not money for a plan
            out.append(Quantity("money", a, m.start(), m.end(), m.start(), value_max=b if b and b > a else None,
                                currency=currency, per=per))
        for m in self.bare_money.finditer(text) if self.may_hold_bare_money(text) else ():  # "3.000 tỷ." (đồng understood)
            scale = self._scale(m.group("sa"))
            a = parse_numeral(m.group("a")) * scale
            b = parse_numeral(m.group("b")) * scale if m.group("b") else None
            if 0 < a < math.inf and (b is None or b < math.inf):
                out.append(Quantity("money", a, m.start(), m.end(), m.start(), value_max=b if b and b > a else None,
                                    currency="VND"))
        return out

    def _counts(self, text: str) -> list[Quantity]:
        out = []
        if not self._people_keys.occur_in(text):
            return out
        for m in self.count.finditer(text):
            if m.group("a"):
                raw = m.group("a")
                if len(raw) >= 3 and raw.startswith("0") and "," not in raw:
                    continue  # phone numbers and codes
                mult = self._scale(m.group("sa"))
                a = parse_numeral(raw) * mult
                b = parse_numeral(m.group("b")) * mult if m.group("b") else None
                unit = m.group("unit")
                if P(r"\s?[/:]\s?\d").match(text[m.start("a") + len(raw):m.start("a") + len(raw) + 3]):
                    continue
            else:
                a = self.words_value(m.group("w"))
                if a is None:
                    continue
                b, unit = None, m.group("unitw")
            if not 0 < a < math.inf or a != int(a) or (b is not None and not b < math.inf):
                continue  # no people, a fraction of one, or digits past any number
            out.append(Quantity("count", a, m.start(), m.end(), m.start(), value_max=b if b and b > a else None,
                                unit=unit, words=m.group("w") is not None))
        return out


@lru_cache(maxsize=2)
def get_number_reader() -> NumberReader:
    return NumberReader(load_rules())
