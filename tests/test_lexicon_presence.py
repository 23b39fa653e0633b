"""The lexicons' presence check (pipeline.match._Presence): a sentence that holds none of a
lexicon's entries is not searched, so it must never rule out a text the pattern matches."""
from __future__ import annotations

from pathlib import Path

from pipeline.match import Lexicon, View, get_matchers
from pipeline.normalize import normalize
from pipeline.segment import segment

ROOT = Path(__file__).resolve().parents[1]


def _pattern_hits(lex: Lexicon, view: View) -> list[tuple[int, int]]:
    """The hits the pattern alone gives (no presence check)."""
    return [(m.start(), m.end()) for m in lex.pattern.finditer(view.match) if lex._ok(view, m)]


def _pattern_search(lex: Lexicon, view: View):
    """Lexicon.search's first hit from the pattern alone."""
    m = lex.pattern.search(view.match)
    while m is not None and not lex._ok(view, m):
        m = lex.pattern.search(view.match, m.start() + 1)
    return None if m is None else (m.start(), m.end())


def _lexicons() -> list[Lexicon]:
    m = get_matchers()
    return [v for v in vars(m).values() if isinstance(v, Lexicon)]


def test_presence_never_hides_a_hit_on_the_corpus() -> None:
    lexicons = _lexicons()
    assert len(lexicons) > 20
    checked = hits = 0
    for path in sorted((ROOT / "corpus" / "docs").glob("*.txt"))[:40]:
        norm = normalize(path.read_text(encoding="utf-8"))
        for s in segment(norm.text):
            view = View.build(norm.text[s.start:s.end], norm.match_text[s.start:s.end], s.start)
            for lex in lexicons:
                expected = _pattern_hits(lex, view)
                assert [(h.start, h.end) for h in lex.finditer(view)] == expected, (path.name, view.text)
                found = lex.search(view)
                assert (None if found is None else (found.start, found.end)) == _pattern_search(lex, view)
                checked += 1
                hits += bool(expected)
    assert checked > 10_000 and hits > 500


def test_presence_reads_case_and_any_space_as_the_pattern_does() -> None:
    lex = Lexicon(["kế hoạch", "Đào tạo"])
    for text, expected in [("KẾ HOẠCH năm", [(0, 8)]), ("Kế\thoạch", [(0, 8)]), ("kế\u00a0hoạch", [(0, 8)]),
                           ("ĐÀO TẠO cán bộ", [(0, 7)]), ("đào  tạo", []), ("kếhoạch", []), ("", [])]:
        view = View(text, text, 0)
        assert [(h.start, h.end) for h in lex.finditer(view)] == expected == _pattern_hits(lex, view), text
    from pipeline.wordscan import casefold_spaces

    assert casefold_spaces("A\tB\u00a0C\nD") == "a b c d"


def test_a_lexicon_made_later_is_found_too() -> None:
    view = View("Tỉnh phấn đấu giảm nghèo", "Tỉnh phấn đấu giảm nghèo", 0)
    first = Lexicon(["phấn đấu"])
    assert first.search(view) is not None  # the answer for this text is now kept
    later = Lexicon(["giảm nghèo"])
    assert later.search(view) is not None and (later.search(view).start, later.search(view).end) == (14, 24)
    assert Lexicon([]).search(view) is None
