"""Every rule file's examples and negatives, run through the stage its `checker` names
(Duckling's makeCorpusTest): one generic test, one case per example, named `<rule id>:<text>`.

How each checker is run:

- ``number``   NumberReader.value_of(text) == expect.value (abs tol 1e-3); a negative reads as None.
               An example that expects ``gate`` instead tests NumberReader.may_hold(text), the cheap
               test (gate_words) before a sentence is searched for quantities.
- ``op``       the op pipeline.link gives the first quantity of the text, read on a View built the way
               pipeline/extractor.py builds one (normalized text, tone-folded match text, spaCy Doc).
               We test the link stage rather than extract(): an op example such as "tối thiểu 90% cán
               bộ" has no aim cue, so extract() rightly keeps no target, yet its op must still be read.
               Op rules have no negatives (an op is always read, "=" by default).
- ``deadline`` Matchers.deadlines.find(fold_tone(text)): the first cue (the last with ``cue: last``,
               for a cue that only follows another) has the year/month/day the example gives; a
               negative has no cue other than a relative one ("trong 3 năm tới").
- ``extract``  extract(text).targets: same count as expect.targets and, per expected target, every key
               it gives equals the record's (a partial dict match); a negative yields no target.
- ``metadata`` extract(text).plan / .published / .title: the fields expect names; a negative of documents.yaml
               yields no doc number, one of provinces.yaml no location.
- ``normalize`` expect.dropped true: pipeline.normalize.is_furniture_line(text); a negative is not.

A checker this file does not know fails its case, so a new kind of rule file cannot go untested.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pytest

from pipeline.rules import RULE_MODELS, load_rule_file, rules_dir

pytestmark = pytest.mark.usefixtures("rules_alone")  # what the rules read; the learned judge: test_learn.py

RULE_FILES = {name: load_rule_file(rules_dir() / f"{name}.yaml", model) for name, model in RULE_MODELS.items()}


def _cases() -> list:
    cases = []
    for name, rule in RULE_FILES.items():
        for ex in rule.examples:
            cases.append(pytest.param(rule.checker, name, ex.text, ex.expect, True, id=f"{rule.id}:{ex.text}"))
        for text in rule.negatives:
            cases.append(pytest.param(rule.checker, name, text, None, False, id=f"{rule.id}:NOT:{text}"))
    return cases


# ---- checkers ---------------------------------------------------------------------------------

def check_number(name: str, text: str, expect: Any, positive: bool) -> None:
    from pipeline.numbers import get_number_reader

    reader = get_number_reader()
    if positive and "gate" in expect:
        assert reader.may_hold(text) is expect["gate"], f"{text!r}: the gate says {not expect['gate']}"
        return
    value = reader.value_of(text)
    if positive:
        assert value == pytest.approx(expect["value"], abs=1e-3), f"{text!r} read as {value}"
    else:
        assert value is None, f"{text!r} must not read as a number, got {value}"


def first_link_op(text: str) -> str:
    """The op pipeline.link reads for the first quantity of `text` (a one-sentence document)."""
    from pipeline.link import sentence_candidates
    from pipeline.match import View, get_matchers
    from pipeline.normalize import normalize
    from pipeline.numbers import get_number_reader
    from pipeline.tokenize import to_doc

    norm = normalize(text)
    view = View.build(norm.text, norm.match_text, 0, to_doc(norm.text))
    cands = sentence_candidates(view, get_matchers(), get_number_reader(), 0, None)
    assert cands, f"no quantity found in {text!r}"
    return cands[0].op


def check_op(name: str, text: str, expect: Any, positive: bool) -> None:
    assert positive, "op rules have no negatives: an op is always read ('=' by default)"
    assert first_link_op(text) == expect["op"]


def check_deadline(name: str, text: str, expect: Any, positive: bool) -> None:
    from pipeline.match import get_matchers
    from pipeline.normalize import fold_tone

    cues = get_matchers().deadlines.find(fold_tone(text))
    if positive:
        assert cues, f"no deadline cue in {text!r}"
        which = expect.get("cue", "first")
        cue = cues[-1] if which == "last" else cues[0]
        got = {key: getattr(cue, key) for key in ("year", "month", "day") if key in expect}
        want = {key: value for key, value in expect.items() if key != "cue"}
        assert got == want, f"{which} cue {cue.text!r} ({cue.kind}, rule {cue.rule})"
    else:
        absolute = [(c.text, c.kind, c.rule) for c in cues if c.kind != "relative"]
        assert absolute == [], f"{text!r} must give no (non-relative) deadline cue"


def _dotted(obj: Any, key: str) -> Any:
    return obj.get(key) if isinstance(obj, dict) else getattr(obj, key)


def partial_match(expected: dict, actual: dict, path: str = "") -> list[str]:
    """Keys of `expected` whose values differ in `actual` (nested dicts compared key by key)."""
    problems = []
    for key, want in expected.items():
        got = actual.get(key) if isinstance(actual, dict) else None
        where = f"{path}{key}"
        if isinstance(want, dict):
            if not isinstance(got, dict):
                problems.append(f"{where}: expected {want}, got {got}")
            else:
                problems.extend(partial_match(want, got, where + "."))
        elif isinstance(want, float) or isinstance(got, float):
            if got is None or want is None or got != pytest.approx(want, rel=1e-6, abs=1e-6):
                problems.append(f"{where}: expected {want!r}, got {got!r}")
        elif got != want:
            problems.append(f"{where}: expected {want!r}, got {got!r}")
    return problems


def check_extract(name: str, text: str, expect: Any, positive: bool) -> None:
    from pipeline import extract

    targets = [t.model_dump() for t in extract(text, doc_id="t").targets]
    summary = [{k: t[k] for k in ("percentage", "funding", "trainees", "target_group") if t[k] is not None}
               for t in targets]
    if not positive:
        assert targets == [], f"{text!r} must yield no target, got {summary}"
        return
    wanted = expect["targets"]
    assert len(targets) == len(wanted), f"expected {len(wanted)} targets, got {summary}"
    for i, (want, got) in enumerate(zip(wanted, targets)):
        problems = partial_match(want, got)
        assert not problems, f"target {i}: " + "; ".join(problems)


def check_metadata(name: str, text: str, expect: Any, positive: bool) -> None:
    from pipeline import extract

    record = extract(text, doc_id="t")
    plan = record.plan.model_dump(mode="json")
    if not positive:
        if name == "documents":
            assert plan["doc_numbers"] == [], f"{text!r} cites no document number"
        elif name == "provinces":
            assert plan["location"] is None, f"{text!r} names no province"
        else:
            pytest.fail(f"no negative check defined for metadata rule file {name!r}")
        return
    for key, want in expect.items():
        if key == "published":
            got = record.published.isoformat() if record.published else None
        elif key == "title":
            got = record.title
        else:
            got = plan.get(key)
        assert got == want, f"{key}: expected {want!r}, got {got!r}"


def check_normalize(name: str, text: str, expect: Any, positive: bool) -> None:
    from pipeline.normalize import is_furniture_line

    if positive:
        assert is_furniture_line(text) is bool(expect["dropped"])
    else:
        assert is_furniture_line(text) is False, f"{text!r} is content, not furniture"


CHECKERS: dict[str, Callable[[str, str, Any, bool], None]] = {
    "number": check_number,
    "op": check_op,
    "deadline": check_deadline,
    "extract": check_extract,
    "metadata": check_metadata,
    "normalize": check_normalize,
}


# ---- the tests ---------------------------------------------------------------------------------

@pytest.mark.parametrize("checker, name, text, expect, positive", _cases())
def test_rule_example(checker: str, name: str, text: str, expect: Any, positive: bool) -> None:
    if checker not in CHECKERS:
        pytest.fail(f"rules/{name}.yaml names checker {checker!r}, which tests/test_rules_examples.py does not know")
    CHECKERS[checker](name, text, expect, positive)


@pytest.mark.parametrize("name", sorted(RULE_FILES))
def test_rule_file_has_examples(name: str) -> None:
    assert RULE_FILES[name].examples, f"rules/{name}.yaml has no examples"


def test_every_yaml_rule_file_is_loaded() -> None:
    """A rules/*.yaml that RULE_MODELS does not know would never have its examples run."""
    on_disk = {p.stem for p in Path(rules_dir()).glob("*.yaml")}
    assert on_disk == set(RULE_FILES)


def test_every_declared_checker_is_known() -> None:
    from pipeline.rules import RuleFile

    declared = set(RuleFile.model_fields["checker"].annotation.__args__)
    assert declared <= set(CHECKERS), f"checkers without a runner: {declared - set(CHECKERS)}"
