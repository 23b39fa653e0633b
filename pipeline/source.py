"""The unit that flows from ingest into extraction: one decoded document and what is known about it."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Optional


@dataclass
class SourceDocument:
    """A decoded input document, before normalization.

    ``text`` is Unicode (already decoded, e.g. from TCVN3 or an HTML page); ``warnings`` carries what
    ingest repaired (encoding conversions, missing text layer...). ``path``/``line`` say where it came
    from, for error messages.
    """

    text: str
    doc_id: Optional[str] = None
    source: Optional[str] = None
    title: Optional[str] = None
    published: Optional[date] = None
    url: Optional[str] = None
    path: Optional[str] = None
    line: Optional[int] = None
    warnings: list[str] = field(default_factory=list)
    title_in_text: bool = False  # True when `text` already starts with the title line
    # the year it was written in, as the user knows it (a news dump's crawl year): read where the text
    # has no date of its own, in place of the year guessed from the dates it cites
    written_in: Optional[int] = None
