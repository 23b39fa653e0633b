"""The record contract as pydantic v2 models, and its exported JSON Schema."""
from .records import (  # noqa: F401
    SCHEMA_VERSION, Deadline, DocumentRecord, Evidence, Funding, Percentage, Period, Plan, Target,
    Trainees, check_offsets,
)
from .export import schema_json, SCHEMA_PATH  # noqa: F401
