"""Build SourceDocuments the same way for every format: title convention, repairs, warnings."""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Optional

from ..source import SourceDocument
from .encodings import repair_text

if TYPE_CHECKING:
    from .html import HtmlContent


def join_title(title: Optional[str], body: str) -> str:
    """The JSONL convention the evaluation relies on: ``(title or "") + "\\n" + body``.

    A body that already opens with the title line (an HTML page's <h1>) does not repeat it.
    """
    first, _, rest = body.partition("\n")
    if title and first.strip() == title.strip():
        body = rest
    return f"{title or ''}\n{body}"


def from_html(content: HtmlContent, *, title_key: bool = False, title: Optional[str] = None, **meta) -> SourceDocument:
    """A document from extracted HTML. ``title_key``: the caller gave a title (possibly null)."""
    chosen = title if title_key else content.title
    text = join_title(chosen, content.text) if (title_key or chosen) else content.text
    return build(text, title=chosen, title_in_text=bool(title_key or chosen),
                 published=meta.pop("published", None) or content.published,
                 warnings=list(content.warnings), **meta)


NUL_ERROR = "binary file (contains NUL bytes; not a text document)"


def refuse_nul(text: str) -> str:
    """``text``, or ValueError when it holds a NUL: a text document never does (a file, a JSONL
    line and standard input are refused alike)."""
    if "\x00" in text:
        raise ValueError(NUL_ERROR)
    return text


def build(text: str, *, warnings: Optional[list[str]] = None, title: Optional[str] = None, **meta) -> SourceDocument:
    """SourceDocument with legacy-font mojibake repaired in text and title (warnings added)."""
    warnings = list(warnings or [])
    text, repaired = repair_text(text)
    if title:
        title, title_repaired = repair_text(title)
        repaired = repaired or title_repaired
    for warning in repaired:
        if warning not in warnings:
            warnings.append(warning)
    return SourceDocument(text=text, title=title, warnings=warnings, **meta)


def parse_published(value: object) -> tuple[Optional[date], Optional[str]]:
    """(date, warning): ISO dates and datetimes, or Vietnamese day/month/year."""
    if value is None or value == "":
        return None, None
    if isinstance(value, str):
        text = value.strip()
        for parse in (_iso, _dmy):
            parsed = parse(text)
            if parsed is not None:
                return parsed, None
    return None, f"published {value!r} is not a date (YYYY-MM-DD or DD/MM/YYYY): ignored"


def _iso(text: str) -> Optional[date]:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _dmy(text: str) -> Optional[date]:
    parts = text.replace("-", "/").split("/")
    if len(parts) != 3 or not all(part.isdigit() for part in parts):
        return None
    try:
        return date(int(parts[2]), int(parts[1]), int(parts[0]))
    except ValueError:
        return None
