"""Export the JSON Schema of DocumentRecord; `record.schema.json` beside this file is its committed copy."""
from __future__ import annotations

import json
from pathlib import Path

from .records import DocumentRecord

SCHEMA_PATH = Path(__file__).with_name("record.schema.json")


def schema_json() -> str:
    """The JSON Schema of a document record, as stable, pretty-printed JSON."""
    schema = DocumentRecord.model_json_schema()
    schema["$id"] = "https://chitieu.example/schemas/record.schema.json"
    schema["title"] = "chitieu document record"
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":  # python -m schemas.export > schemas/record.schema.json
    print(schema_json(), end="")
