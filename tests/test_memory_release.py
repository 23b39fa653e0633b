"""What the extractor keeps of a sentence once it is read: its Doc (tokenize.WordDoc) is let go when the
sentence's candidates are built (the word boundaries stay), recent sentences' Docs are cached
within a bound, and extract() lets the analysis go while it builds the targets. Asserts count
live objects, never time (speed and memory are measured by bench/adversarial.py)."""
from __future__ import annotations

import gc

from pipeline import tokenize
from pipeline.extractor import Extractor
from pipeline.link import Candidate
from pipeline.match import View
from pipeline.source import SourceDocument
from pipeline.tokenize import DocCache, WordDoc as Doc, to_doc

LINE = "- Đến năm 2025, 80% cán bộ, công chức cấp xã được bồi dưỡng."


def _alive(kind: type) -> int:
    gc.collect()
    return sum(isinstance(o, kind) for o in gc.get_objects())


def test_view_keeps_word_bounds_after_release() -> None:
    doc = to_doc("thực hiện 80% cán bộ")
    view = View.build(doc.text, doc.text, 0, doc)
    before = [(i, view.at_word_start(i), view.at_word_end(i)) for i in range(len(doc.text) + 2)]
    assert view.aligned(0, 9) and not view.aligned(5, 9)  # "hiện" is inside the word "thực hiện"
    view.release()
    assert view.doc is None
    assert [(i, view.at_word_start(i), view.at_word_end(i)) for i in range(len(doc.text) + 2)] == before
    assert not view.aligned(5, 9)
    plain = View.build(doc.text, doc.text, 0)  # never tokenized: every offset is a boundary
    assert plain.aligned(5, 9)


def test_sentence_docs_are_released_after_their_sentence(monkeypatch) -> None:
    """A text of 300 distinct target lines holds no more Docs after its analysis than the cache of
    recent sentences does."""
    monkeypatch.setattr(DocCache, "SIZE", 8)
    monkeypatch.setattr(tokenize, "_DOCS", DocCache())
    text = "Mục tiêu:\n" + "\n".join(f"- Đến năm {2020 + i % 11}, {i % 97}% cán bộ xã số {i} được bồi dưỡng."
                                     for i in range(300))
    extractor = Extractor()
    extractor.analyze(SourceDocument(text="Đến năm 2025, 80% cán bộ được bồi dưỡng.", doc_id="warm"))
    before = _alive(Doc)
    a = extractor.analyze(SourceDocument(text=text, doc_id="many"))
    assert len(a.cands) >= 300
    assert all(c.view.doc is None and c.view.bounds is not None for c in a.cands)
    assert _alive(Doc) - before <= 8


def test_doc_cache_is_bounded_and_reuses_docs(monkeypatch) -> None:
    made: list[str] = []
    real = tokenize.to_doc
    monkeypatch.setattr(tokenize, "to_doc", lambda text: made.append(text) or real(text))
    cache = DocCache()
    first = cache.get(LINE)
    assert cache.get(LINE) is first and made == [LINE]
    for i in range(DocCache.SIZE + 10):
        cache.get(f"{i}% cán bộ")
    assert len(cache) == DocCache.SIZE
    assert cache.get(LINE) is not first  # evicted, made again
    long = "cán bộ " * (DocCache.MAX_CHARS // 7 + 1)
    cache.get(long)
    cache.get(long)
    assert made.count(long) == 2  # a long sentence is not kept


def test_extract_releases_candidates_while_building_targets() -> None:
    text = "Mục tiêu:\n" + "\n".join(f"- Đến năm 2025, {i}% cán bộ xã được bồi dưỡng." for i in range(1, 60))
    extractor = Extractor()
    before = _alive(Candidate)
    record = extractor.extract(SourceDocument(text=text, doc_id="r"))
    assert len(record.targets) >= 50
    assert _alive(Candidate) == before
