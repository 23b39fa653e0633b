"""chitieu: extract quantified targets from Vietnamese plan documents.

    >>> from pipeline import extract
    >>> record = extract("Phấn đấu đến năm 2025, 100% cán bộ cấp xã được bồi dưỡng.", doc_id="x")
    >>> record.targets[0].percentage.value
    100.0
"""
from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["extract", "extract_document", "__version__"]


def __getattr__(name: str):  # lazy: `import pipeline` stays cheap for the CLI
    if name in ("extract", "extract_document"):
        from . import api

        return getattr(api, name)
    raise AttributeError(name)
