"""Find and load data files under rules/, validated by pydantic models that forbid unknown keys.

The rules directory is ``pipeline/_rules`` in an installed wheel (pyproject maps rules/ there) and
``<repo>/rules`` in a source checkout. Any problem with a file raises RuleError naming the file and
the field, so a typo in YAML never turns into a silent default.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from .errors import RuleError

M = TypeVar("M", bound=BaseModel)


class StrictModel(BaseModel):
    """Base for rule-file models: unknown keys are errors, values are not coerced silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


@lru_cache(maxsize=1)
def rules_dir() -> Path:
    """The directory holding the rule files (installed copy first, then the repository's)."""
    import pipeline

    installed = Path(pipeline.__file__).parent / "_rules"
    if installed.is_dir():
        return installed
    return Path(pipeline.__file__).resolve().parent.parent / "rules"


def rule_path(relative: str) -> Path:
    """``rules/<relative>`` as a path, whether or not the file exists."""
    return rules_dir() / relative


def read_yaml(path: Path) -> Any:
    """Parse one YAML file; a missing file or a syntax error becomes a RuleError naming it."""
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RuleError(f"{path}: cannot read rule file ({exc.strerror or exc})") from exc
    try:
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml when present
    except yaml.YAMLError as exc:
        raise RuleError(f"{path}: invalid YAML ({exc})") from exc


def validate(data: Any, model: type[M], *, source: Path) -> M:
    """Validate parsed data against ``model``; errors name the file and every failing field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"field {'.'.join(str(part) for part in err['loc']) or '<top>'}: {err['msg']}"
            for err in exc.errors()
        )
        raise RuleError(f"{source}: {problems}") from exc


def load_rule_file(relative: str, model: type[M]) -> M:
    """Load ``rules/<relative>`` (YAML) and validate it as ``model``."""
    path = rule_path(relative)
    return validate(read_yaml(path), model, source=path)
