"""`chitieu show`: the document view of one or many files as one self-contained HTML file
(styles inline, no script, no link to any server), for sending around."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Union

from ..db import browse
from ..errors import InputError
from . import inputs, views


def report_html(paths: Iterable[Union[str, Path]]) -> tuple[str, list[InputError]]:
    """(HTML, the inputs that could not be read). Every document under ``paths`` (files, folders, JSONL)."""
    from ..ingest import iter_sources

    shown, failed = [], []
    for item in iter_sources(paths):
        if isinstance(item, InputError):
            failed.append(item)
            continue
        record, text = inputs.extract_with_text(item)
        doc, targets = browse.flat_record(record)
        shown.append(views.document(doc, targets, text))
    page = views.environment().get_template("report.html").render(views=shown, static=True, path="")
    return page, failed
