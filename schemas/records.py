"""Pydantic v2 models of the record contract (shared/spec/CONTRACT.md, sections 1-2).

These models know nothing of files or of the pipeline: they are the data contract.
Field names are fixed by the contract; extra fields we add are documented here.
"""
from __future__ import annotations

from datetime import date
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, model_validator

SCHEMA_VERSION = "1"

Op = Literal["=", ">=", ">", "<=", "<", "~"]
Currency = Literal["VND", "USD"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Percentage(_Strict):
    value: float = Field(ge=0, le=100)
    op: Op = "="
    value_max: Optional[float] = Field(default=None, ge=0, le=100, description="upper end of a range such as '3-5%'")

    @model_validator(mode="after")
    def _range_ordered(self) -> "Percentage":
        if self.value_max is not None and self.value_max < self.value:
            raise ValueError(f"value_max {self.value_max} is below value {self.value}")
        return self


class Funding(_Strict):
    amount: float = Field(gt=0)
    currency: Currency = "VND"
    op: Op = "="
    per: Optional[str] = Field(default=None, description="rate denominator: 'người/khóa học', 'tháng'")
    amount_max: Optional[float] = Field(default=None, gt=0)


class Trainees(_Strict):
    count: int = Field(ge=0)
    op: Op = "="
    unit: str
    count_max: Optional[int] = Field(default=None, ge=0)


class Deadline(_Strict):
    year: int = Field(ge=1900, le=2200)
    month: Optional[int] = Field(default=None, ge=1, le=12)
    day: Optional[int] = Field(default=None, ge=1, le=31)
    text: Optional[str] = Field(default=None, description="the cue as written; null when taken from the plan period")


class Evidence(_Strict):
    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    raw_start: Optional[int] = Field(default=None, ge=0, description="start offset in the raw (pre-normalization) input")
    raw_end: Optional[int] = Field(default=None, ge=0, description="end offset in the raw (pre-normalization) input")

    @model_validator(mode="after")
    def _ordered(self) -> "Evidence":
        if self.end < self.start:
            raise ValueError(f"evidence end {self.end} < start {self.start}")
        if len(self.text) != self.end - self.start:
            raise ValueError("evidence text length does not equal end - start")
        return self


class Target(_Strict):
    percentage: Optional[Percentage] = None
    target_group: Optional[str] = None
    deadline: Optional[Deadline] = None
    funding: Optional[Funding] = None
    trainees: Optional[Trainees] = None
    indicator: Optional[str] = None
    evidence: Evidence
    inferred: bool = False
    confidence: Optional[float] = Field(
        default=None, ge=0, le=1,
        description="how likely this is a target of the plan with these values, group and deadline; "
                    "calibrated on held-out real gold; null without an estimate")
    rules: list[str] = Field(default_factory=list, description="ids of the rules that produced this target (trace)")

    @model_validator(mode="after")
    def _has_quantity(self) -> "Target":
        if self.percentage is None and self.funding is None and self.trainees is None:
            raise ValueError("a target needs at least one of percentage, funding, trainees")
        return self


class Period(_Strict):
    start: int = Field(ge=1900, le=2200)
    end: int = Field(ge=1900, le=2200)

    @model_validator(mode="after")
    def _ordered(self) -> "Period":
        if self.end < self.start:
            raise ValueError(f"period end {self.end} < start {self.start}")
        return self


class Plan(_Strict):
    doc_numbers: list[str] = Field(default_factory=list)
    doc_type: Optional[str] = None
    issuer: Optional[str] = None
    issued: Optional[date] = None
    period: Optional[Period] = None
    location: Optional[str] = None


class DocumentRecord(_Strict):
    schema_version: Literal["1"] = SCHEMA_VERSION
    doc_id: str = Field(min_length=1)
    source: Optional[str] = None
    title: Optional[str] = None
    published: Optional[date] = None
    plan: Plan = Field(default_factory=Plan)
    targets: list[Target] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    text_sha256: Optional[str] = Field(default=None, description="sha256 of the normalized text (duplicate detection)")


def check_offsets(record: DocumentRecord, normalized_text: str) -> None:
    """Raise ValueError unless every evidence span indexes ``normalized_text`` exactly."""
    for i, target in enumerate(record.targets):
        ev = target.evidence
        if normalized_text[ev.start:ev.end] != ev.text:
            raise ValueError(f"{record.doc_id}: target {i} evidence [{ev.start}:{ev.end}] does not match the text")
