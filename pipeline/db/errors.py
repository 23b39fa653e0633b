"""Errors of the target database (part of the ChitieuError hierarchy)."""
from __future__ import annotations

from ..errors import ChitieuError


class StoreError(ChitieuError):
    """The database cannot be opened, created or queried as asked; the message says how to fix it."""
