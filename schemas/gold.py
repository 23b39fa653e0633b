"""Pydantic models of the gold format (CONTRACT.md section 3).

Gold is looser than a record: evidence, month/day and text may be omitted, and notes are allowed.
"""
from __future__ import annotations

from typing import Any, Optional

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .records import Currency, Op


class _Loose(BaseModel):
    model_config = ConfigDict(extra="allow")


class GoldPercentage(_Loose):
    value: float = Field(ge=0, le=100)
    op: Op = "="
    value_max: Optional[float] = None


class GoldFunding(_Loose):
    amount: float = Field(gt=0)
    currency: Currency = "VND"
    op: Op = "="
    per: Optional[str] = None


class GoldTrainees(_Loose):
    count: int = Field(ge=0)
    op: Op = "="
    unit: Optional[str] = None
    count_max: Optional[int] = None


class GoldDeadline(_Loose):
    year: int
    month: Optional[int] = None
    day: Optional[int] = None
    text: Optional[str] = None


class GoldTarget(_Loose):
    percentage: Optional[GoldPercentage] = None
    target_group: Optional[str] = None
    deadline: Optional[GoldDeadline] = None
    funding: Optional[GoldFunding] = None
    trainees: Optional[GoldTrainees] = None
    indicator: Optional[str] = None
    evidence: Optional[dict[str, Any]] = None
    inferred: bool = False
    note: Optional[str] = None

    @model_validator(mode="after")
    def _has_quantity(self) -> "GoldTarget":
        if self.percentage is None and self.funding is None and self.trainees is None:
            raise ValueError("a gold target needs at least one of percentage, funding, trainees")
        return self


class GoldPlan(_Loose):
    doc_numbers: list[str] = Field(default_factory=list)


class GoldDocument(_Loose):
    doc_id: str = Field(min_length=1)
    targets: list[GoldTarget] = Field(default_factory=list)
    plan: GoldPlan = Field(default_factory=GoldPlan)
    split: Optional[str] = Field(default=None, description="corpus split: 'dev', 'test' or 'holdout'")
