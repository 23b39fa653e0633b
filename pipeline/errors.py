"""One exception hierarchy for chitieu; only the CLI turns these into messages."""
from __future__ import annotations

from typing import Optional


class ChitieuError(Exception):
    """Root of every error chitieu raises on purpose."""


class RuleError(ChitieuError):
    """A file in rules/ is malformed: names the file, the rule id and the field."""


class InputError(ChitieuError):
    """One input document cannot be read. Carries where (path, line) and why."""

    def __init__(self, message: str, *, path: Optional[str] = None, line: Optional[int] = None) -> None:
        self.path = path
        self.line = line
        self.reason = message
        where = path or "<input>"
        if line is not None:
            where = f"{where}:{line}"
        super().__init__(f"{where}: {message}")

    def to_dict(self) -> dict:
        return {"path": self.path, "line": self.line, "error": self.reason}


class GoldError(ChitieuError):
    """A gold file line is malformed."""
