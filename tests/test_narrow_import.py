"""pipeline.narrow_import: spaCy and underthesea are imported without their package __init__, and
are whole again as soon as other code asks either package for anything else. Each check runs in a
fresh interpreter, since the point is what gets imported."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(code: str) -> dict:
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          cwd=ROOT, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_extraction_imports_neither_package_whole():
    out = _run("""
        import json, sys
        from pipeline import extract
        record = extract("Phấn đấu đến năm 2025, ít nhất 80% cán bộ, công chức cấp xã được bồi dưỡng.", doc_id="x")
        loaded = [m for m in ("spacy.cli", "spacy.language", "spacy.pipeline", "weasel", "joblib",
                              "underthesea.pipeline.ner", "underthesea.pipeline.chunking") if m in sys.modules]
        from pipeline.narrow_import import is_incomplete
        print(json.dumps({"targets": len(record.targets), "group": record.targets[0].target_group,
                          "loaded": loaded, "matcher": "spacy.matcher" in sys.modules,
                          "incomplete": [is_incomplete("spacy"), is_incomplete("underthesea")]}))
    """)
    assert out == {"targets": 1, "group": "cán bộ, công chức cấp xã", "loaded": [], "matcher": True,
                   "incomplete": [True, True]}


def test_a_text_without_candidates_does_not_import_spacy():
    """spaCy's matchers load when a rule first matches over tokens, not for a text with no number."""
    out = _run("""
        import json, sys
        from pipeline import extract
        record = extract("Hôm nay trời đẹp. Người dân đi chợ sớm.", doc_id="x")
        print(json.dumps({"targets": len(record.targets), "spacy": "spacy" in sys.modules}))
    """)
    assert out == {"targets": 0, "spacy": False}


def test_packages_complete_when_asked_for_more():
    out = _run("""
        import json
        from pipeline.tokenize import get_word_tokenizer, to_doc
        doc = to_doc("Đến năm 2025, 80% cán bộ được bồi dưỡng.")
        from underthesea import word_tokenize
        from pipeline.narrow_import import is_incomplete
        print(json.dumps({"words": word_tokenize("cán bộ được bồi dưỡng"), "doc": doc.words,
                          "incomplete": is_incomplete("underthesea")}))
    """)
    assert out == {"words": ["cán bộ", "được", "bồi dưỡng"],
                   "doc": ["Đến", "năm", "2025", ",", "80", "%", "cán bộ", "được", "bồi dưỡng", "."],
                   "incomplete": False}


def test_text_normalizer_tables_are_underthesea_own():
    """The syllable tokenizer's text_normalizer module is put in place with the tables joblib
    reads from the same file (tokenize._preload_text_normalizer), without importing joblib."""
    out = _run("""
        import json, sys
        from pipeline.tokenize import get_word_tokenizer
        spans = get_word_tokenizer().word_spans("Ðáng chú ý, 80% cán bộ")
        had_joblib = "joblib" in sys.modules
        import joblib
        module = sys.modules["underthesea.pipeline.text_normalize.text_normalizer"]
        data = joblib.load(module.__file__.replace("text_normalizer.py", module.rule_file))
        print(json.dumps({"spans": spans, "joblib_before": had_joblib,
                          "same": [data["character"] == module.character_map, data["token"] == module.token_map]}))
    """)
    assert out == {"spans": [[5, 10], [10, 11], [12, 14], [14, 15], [16, 22]], "joblib_before": False,
                   "same": [True, True]}


def test_submodules_that_need_the_package_init_fall_back_to_it():
    # spacy.vocab before spacy.tokens meets a circular import that only spaCy's __init__ resolves
    out = _run("""
        import json
        from pipeline.narrow_import import import_submodules, is_incomplete
        vocab, tokens = import_submodules("spacy", ["spacy.vocab", "spacy.tokens"])
        doc = tokens.Doc(vocab.Vocab(), words=["a", "b"], spaces=[True, False])
        print(json.dumps({"text": doc.text, "incomplete": is_incomplete("spacy")}))
    """)
    assert out == {"text": "a b", "incomplete": False}


def test_an_already_imported_package_is_used_as_it_is():
    out = _run("""
        import json, spacy
        from pipeline.narrow_import import import_submodules, is_incomplete
        (tokens,) = import_submodules("spacy", ["spacy.tokens"])
        print(json.dumps({"same": tokens is spacy.tokens, "incomplete": is_incomplete("spacy")}))
    """)
    assert out == {"same": True, "incomplete": False}
