"""The record contract as code: the committed JSON Schema matches the models, the CLI prints it,
and the models refuse records the contract forbids."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from pydantic import ValidationError

from pipeline.cli import main
from schemas import SCHEMA_PATH, DocumentRecord, Evidence, Target
from schemas.export import schema_json

REGENERATE = "regenerate it with: chitieu schema > schemas/record.schema.json"


def test_committed_schema_matches_models() -> None:
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_json(), (
        f"{SCHEMA_PATH} is out of date with schemas/records.py; {REGENERATE}")


def test_schema_is_valid_json_with_contract_fields() -> None:
    schema = json.loads(schema_json())
    assert set(schema["properties"]) >= {"schema_version", "doc_id", "source", "title", "published", "plan",
                                         "targets", "warnings"}
    target = schema["$defs"]["Target"]["properties"]
    assert set(target) >= {"percentage", "target_group", "deadline", "funding", "trainees", "indicator",
                           "evidence", "inferred"}


def test_cli_prints_the_schema() -> None:
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0, result.output
    assert result.output == schema_json()


EVIDENCE = {"text": "Đạt 70%.", "start": 10, "end": 18}


def record_with(target: dict) -> dict:
    return {"doc_id": "x", "targets": [target]}


def test_valid_record() -> None:
    record = DocumentRecord.model_validate(record_with({"percentage": {"value": 70, "op": ">="}, "evidence": EVIDENCE}))
    assert record.targets[0].percentage.value == 70
    assert record.schema_version == "1"


def test_target_without_a_quantity_fails() -> None:
    with pytest.raises(ValidationError, match="at least one of percentage, funding, trainees"):
        DocumentRecord.model_validate(record_with({"target_group": "cán bộ", "evidence": EVIDENCE}))


@pytest.mark.parametrize("evidence", [
    {"text": "Đạt 70%.", "start": 10, "end": 17},
    {"text": "Đạt 70%.", "start": 10, "end": 30},
    {"text": "", "start": 5, "end": 4},
], ids=["one-short", "too-long", "end-before-start"])
def test_evidence_with_wrong_length_fails(evidence: dict) -> None:
    with pytest.raises(ValidationError):
        Evidence.model_validate(evidence)
    with pytest.raises(ValidationError):
        Target.model_validate({"percentage": {"value": 70}, "evidence": evidence})


@pytest.mark.parametrize("target", [
    {"percentage": {"value": 101}, "evidence": EVIDENCE},
    {"percentage": {"value": 30, "value_max": 20}, "evidence": EVIDENCE},
    {"percentage": {"value": 30, "op": "=>"}, "evidence": EVIDENCE},
    {"funding": {"amount": 5, "currency": "EUR"}, "evidence": EVIDENCE},
    {"trainees": {"count": 5}, "evidence": EVIDENCE},
    {"percentage": {"value": 30}, "deadline": {"year": 0}, "evidence": EVIDENCE},
    {"percentage": {"value": 30}, "group": "cán bộ", "evidence": EVIDENCE},
], ids=["pct-over-100", "range-reversed", "unknown-op", "unknown-currency", "trainees-without-unit",
        "deadline-year-0", "unknown-field"])
def test_contract_violations_fail(target: dict) -> None:
    with pytest.raises(ValidationError):
        DocumentRecord.model_validate(record_with(target))


def test_empty_doc_id_fails() -> None:
    with pytest.raises(ValidationError):
        DocumentRecord.model_validate({"doc_id": ""})
