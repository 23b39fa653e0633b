"""Shared fixtures."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def rules_alone():
    """The process's extractor without the learned judge and group reader, for tests of what the rules themselves
    read (rules/*.yaml examples, linking): the judge has tests of its own (tests/test_learn.py)."""
    from pipeline.extractor import get_extractor

    extractor = get_extractor()
    saved, extractor.judge = extractor.judge, None
    tagger, extractor.group_tagger = extractor.group_tagger, None  # the rules' own groups
    yield extractor
    extractor.judge, extractor.group_tagger = saved, tagger


@pytest.fixture
def filled_db(tmp_path):
    """An SQLite target database holding pipeline.db.synth.sample_records()."""
    from pipeline.db import open_store
    from pipeline.db.synth import sample_records

    path = str(tmp_path / "t.db")
    with open_store(path) as store:
        store.ingest_batch(sample_records())
    return path
