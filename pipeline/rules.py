"""Load and validate the extraction rules in rules/*.yaml.

Every rule file is YAML with an `id`, a `description`, a `checker` (which stage its examples test),
its own payload, `examples` ({text, expect}) and `negatives` (texts that must yield nothing).
Each file is validated by a pydantic model that forbids unknown keys; errors name the file and
the field. Rules load once per process (`load_rules()` is cached).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

from .errors import RuleError
from .rules_io import read_yaml, rules_dir, validate

Op = Literal["=", ">=", ">", "<=", "<", "~"]


class Example(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str
    expect: dict[str, Any]


class RuleFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    description: str
    checker: Literal["number", "op", "deadline", "extract", "metadata", "normalize"]
    examples: list[Example] = Field(default_factory=list)
    negatives: list[str] = Field(default_factory=list)


class NumberRules(RuleFile):
    scales: dict[str, int]
    digit_words: dict[str, int]
    ten_word: str
    tens_word: str
    hundred_words: list[str]
    zero_fillers: list[str]
    fractions: dict[str, float]
    percent_words: list[str]
    digit_fraction: str
    not_percent: list[str]
    gate_words: list[str]


class OpRules(RuleFile):
    before: dict[str, Op]
    after: dict[str, Op]
    aim_ops: list[str]
    max_gap: int
    gap_words: list[str]


class DeadlinePattern(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    kind: Literal["until", "at"]
    regex: str
    year_of_span: Literal["first", "last"] = "last"


class DeadlineRules(RuleFile):
    patterns: list[DeadlinePattern]
    vision: str
    relative: list[str]
    this_year: list[str] = []


class CueRules(RuleFile):
    aim: list[str]
    aim_local: list[str]
    past: list[str]
    comparison: list[str]
    past_strong: list[str]
    past_strong_override: list[str]
    rate_words: list[str]
    bracket_parts: list[str]
    abbreviations: list[str]
    change_baseline: str
    past_override: list[str]
    anaphora: list[str]
    respectively: str
    every_year: list[str]
    section_aim: list[str]
    section_past: list[str]
    comparison_base: str
    since_base: str = r"(?!)"
    past_not: list[str] = []
    aim_reported: list[str] = []
    hedges: list[str] = []   # after a weak aim word these make a figure a possibility or a forecast   # phrases with an aim word that report targets met or assigned
    plan_followers: list[str]
    plan_news: str
    plan_news_lead: int = Field(3, ge=0)   # a plan's adoption reported in one of the first N body sentences makes a news item about a plan
    plan_adoption: str
    list_continuation: list[str]
    passage_openers: list[str]


class GroupRules(RuleFile):
    indicator_strong: list[str]
    indicator_start: list[str]
    indicator_list_safe: list[str]
    fixed_phrases: list[str]
    place_tail: str
    trim_start: list[str]
    trim_end: list[str]
    group_end: list[str]
    group_end_active: list[str]
    qualifier_verbs: list[str]
    determiners: list[str]
    have_verbs: list[str]
    have_qualifiers: list[str]
    complement_markers: list[str]
    subject_verbs: list[str]
    noun_tags: list[str]
    not_own_words: list[str]
    leading_strip: list[str]
    not_group_start: list[str]
    comma_stops: list[str]
    share_prefixes: list[str]
    share_whole_before: str
    change_before: str = r"(?!)"
    generic_heads: list[str]
    heads: list[str]


class UnitRules(RuleFile):
    people: list[str]
    money: dict[str, Literal["VND", "USD"]]
    money_per: list[str]
    price_units: list[str]
    funded_rate_units: list[str] = []
    funded_rate_before: str = r"(?!)"
    funded_rate_reach: int = 120
    bare_money: str = r"(?!)"
    bare_money_after: str = r"(?!)"
    bare_money_words: list[str] = []
    funding_context: list[str]
    funding_allocation: list[str]
    funding_source_after: list[str] = []
    funding_plan_nouns: list[str]
    not_funding: list[str]
    count_prefixes: list[str]
    not_reach_verbs: list[str]
    training_verbs: list[str]


class IssuerCaps(BaseModel):
    model_config = ConfigDict(extra="forbid")
    names: list[str] = Field(default_factory=list)
    acronyms: list[str] = Field(default_factory=list)
    place_after: list[str] = Field(default_factory=list)
    two_lines: str = ""             # a body and its place on two header lines: the line break (group 1) read as a space


class PeriodChoice(BaseModel):
    """What the learned choice of the plan period reads besides the period patterns (pipeline/learn/period.py)."""
    model_config = ConfigDict(extra="forbid")
    head_chars: int = 1500          # one-year candidates are looked for in the text's first characters
    head_year: str = ""             # a year written as one in the head: a one-year candidate
    plan_words: list[str] = Field(default_factory=list)   # how much the text speaks of plans (the "none" candidate)
    plan_words_chars: int = 20000   # ... counted in the text's first characters
    max_years: int = 30             # a longer span is no period


class WrittenYear(BaseModel):
    """What the learned guess of the year a text was written in reads (pipeline/learn/written_year.py)."""
    model_config = ConfigDict(extra="forbid")
    year: str                       # a year the text names (group "y"): a candidate
    first: int                      # candidates are years from ``first`` to ``last``
    last: int
    word: str                       # the words (and marks: "/", ",") read around each mention
    before_chars: int               # ... three words from the characters before it
    after_chars: int                # ... two words from those after it
    max_mentions: int               # the words around a year are read at its first mentions only


class DocumentRules(RuleFile):
    doc_types: list[str]
    doc_number: str
    doc_number_min_letters: int
    cited_before: list[str]
    cited_lines: str = ""           # the legal basis of an official text: its period, issuer and date are not the plan's ("" none)
    cited_lines_cue: str = ""       # a cheap test: cited_lines is looked for only in a text holding it
    issuers: list[str]
    issuer_caps: IssuerCaps = Field(default_factory=IssuerCaps)
    title_after: str = ""           # an official text's type heading: the line after it is the title ("" none)
    adopting: str = ""              # a title that adopts another document ("Ban hành Kế hoạch ..."): its type is the text's
    official_markers: list[str]
    regulatory_article: str
    regulatory_min_articles: int
    published_patterns: list[str]
    issued_patterns: list[str]
    written_in_patterns: list[str]
    period_patterns: list[str]
    period_needs: str = ""          # a cheap test: what every period pattern's match holds ("" none)
    one_year_plans: list[str]
    period_choice: PeriodChoice = Field(default_factory=PeriodChoice)
    written_year: WrittenYear


class Province(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    aliases: list[str] = Field(default_factory=list)
    merged_into: str


class ProvinceRules(RuleFile):
    provinces: list[Province]
    source_tags: dict[str, str]
    person_name_before: list[str] = Field(default_factory=list)


class FurnitureRules(RuleFile):
    lines: list[str]
    caption_lines: list[str]
    caption_needs: str = ""         # a cheap test: what every caption line holds ("" none)
    caption_max_chars: int
    not_captions: list[str] = []   # text that ends with a photo credit: not a caption
    strip_prefixes: list[str]
    tail_markers: list[str]


RULE_MODELS: dict[str, type[RuleFile]] = {
    "numbers": NumberRules,
    "ops": OpRules,
    "deadlines": DeadlineRules,
    "cues": CueRules,
    "groups": GroupRules,
    "units": UnitRules,
    "documents": DocumentRules,
    "provinces": ProvinceRules,
    "furniture": FurnitureRules,
}


class Rules(BaseModel):
    """All extraction rules, validated."""

    numbers: NumberRules
    ops: OpRules
    deadlines: DeadlineRules
    cues: CueRules
    groups: GroupRules
    units: UnitRules
    documents: DocumentRules
    provinces: ProvinceRules
    furniture: FurnitureRules


def load_rule_file(path: Path, model: type[RuleFile]) -> RuleFile:
    """Read one YAML rule file; a problem raises RuleError naming file, rule id and field."""
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise RuleError(f"{path}: a rule file must be a mapping")
    try:
        return validate(data, model, source=path)
    except RuleError as exc:
        raise RuleError(f"{exc} (rule id {data.get('id')!r})") from exc.__cause__


@lru_cache(maxsize=4)
def load_rules(directory: Optional[str] = None) -> Rules:
    base = Path(directory) if directory else rules_dir()
    loaded = {name: load_rule_file(base / f"{name}.yaml", model) for name, model in RULE_MODELS.items()}
    for name, rule in loaded.items():
        if rule.id != name:
            raise RuleError(f"{base / (name + '.yaml')}: id is {rule.id!r}, expected {name!r}")
    return Rules(**loaded)
