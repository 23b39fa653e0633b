"""Invariants every extracted record keeps, checked over the whole bundled corpus: strings are
read from the text (group, indicator, deadline cue, trainee unit), evidence offsets index the
normalized text, and each number can be found again inside its evidence."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from pipeline.api import extract_document
from pipeline.ingest import iter_sources
from pipeline.normalize import normalize
from pipeline.source import SourceDocument

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "docs"


@lru_cache(maxsize=1)
def corpus_records() -> list[tuple[str, str, object]]:
    out = []
    for doc in iter_sources([CORPUS]):
        assert isinstance(doc, SourceDocument), doc
        out.append((doc.doc_id, normalize(doc.text).text, extract_document(doc)))
    return out


def test_corpus_gives_targets() -> None:
    records = corpus_records()
    assert len(records) >= 60
    assert sum(len(r.targets) for _, _, r in records) >= 200


@pytest.mark.parametrize("field", ["target_group", "indicator", "deadline", "unit", "evidence"])
def test_strings_come_from_the_text(field: str) -> None:
    for doc_id, text, record in corpus_records():
        for t in record.targets:
            ev = t.evidence
            assert text[ev.start:ev.end] == ev.text, (doc_id, ev)
            if field == "target_group" and t.target_group:
                assert t.target_group in text, (doc_id, t.target_group)
            if field == "indicator" and t.indicator:
                assert t.indicator in text, (doc_id, t.indicator)
            if field == "deadline" and t.deadline and t.deadline.text:
                assert t.deadline.text in text, (doc_id, t.deadline.text)
            if field == "unit" and t.trainees:
                assert t.trainees.unit in text, (doc_id, t.trainees.unit)


def test_records_are_deterministic() -> None:
    first = [r.model_dump_json() for _, _, r in corpus_records()[:20]]
    again = [extract_document(d).model_dump_json() for d in list(iter_sources([CORPUS]))[:20]]
    assert first == again
