"""HTML -> main text, title and publication date, by trafilatura.

trafilatura finds the article body (dropping menus, comments, related links), keeps one paragraph
per line and reads title/date from the page's metadata (og:, JSON-LD, <time>...); hand-written
tag stripping gets none of that right on real news sites.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, Optional


@dataclass
class HtmlContent:
    text: str
    title: Optional[str] = None
    published: Optional[date] = None
    warnings: list[str] = field(default_factory=list)


@lru_cache(maxsize=1)
def _config() -> Any:
    try:
        from trafilatura.settings import use_config
    except ImportError as exc:  # pragma: no cover - trafilatura is a core dependency
        raise ImportError("reading HTML needs trafilatura: pip install 'trafilatura>=1.12' lxml_html_clean") from exc
    config = use_config()
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")  # its SIGALRM timer breaks in worker threads
    return config


def extract_html(html: str, *, url: Optional[str] = None) -> HtmlContent:
    """Main content of one HTML page (favouring recall of body text) plus its metadata."""
    import trafilatura

    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=True,
        favor_recall=True, config=_config(),
    )
    if doc is None or not (getattr(doc, "text", None) or "").strip():
        text = trafilatura.html2txt(html) or ""
        return HtmlContent(text=text.strip(), warnings=["HTML: main content not found; used the whole page's text"])
    return HtmlContent(text=doc.text.strip(), title=_clean(doc.title), published=_parse_date(doc.date))


def _clean(value: Optional[str]) -> Optional[str]:
    value = (value or "").strip()
    return value or None


def _parse_date(value: Optional[str]) -> Optional[date]:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None

