"""What the extractor knows about one document before it decides which candidates are targets:
the normalized text, its sentences, the plan metadata and every candidate quantity with the rules'
decision. A judge (`pipeline.learn`) reads it; `Extractor.finish` turns it into a record."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Optional

from .discourse import SentenceResult
from .link import Candidate
from .normalize import NormalizedText
from .segment import Sentence
from .source import SourceDocument


@dataclass
class Analysis:
    doc: SourceDocument
    norm: NormalizedText
    sentences: list[Sentence]
    meta: Any                        # metadata.Metadata
    published: Optional[date]
    ref_year: Optional[int]          # the year the text was written in (published, else guessed)
    official: bool                   # the text is an official document, not news
    regulatory: bool                 # a law or regulation
    news_of_plan: Optional[int]      # index of the sentence reporting a newly adopted plan
    results: list[SentenceResult]
    cands: list[Candidate]           # every candidate, in text order; `keep` is the rules' decision
    # indexes of candidates whose group the learned reader left unread because the target model
    # `unreachable_by` drops them whatever it reads (LearnedJudge.unreachable); only that model may judge
    unreachable: set[int] = field(default_factory=set)
    unreachable_by: Any = None

    @property
    def period_end(self) -> Optional[int]:
        return self.meta.period[1] if self.meta.period else None


# A judge decides, for an analysed document, which candidates are targets (setting `keep` and
# `confidence`) and returns them in text order.
Judge = Callable[[Analysis], list[Candidate]]
