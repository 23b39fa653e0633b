"""HTML -> main text, title and publication date, by trafilatura.

trafilatura finds the article body (dropping menus, comments, related links), keeps one paragraph
per line and reads title/date from the page's metadata (og:, JSON-LD, <time>...); hand-written
tag stripping gets none of that right on real news sites.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from html.parser import HTMLParser as _StreamParser
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
    # its SIGALRM timer breaks in worker threads; pipeline.limits (--doc-timeout) bounds the time instead
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    return config


def extract_html(html: str, *, url: Optional[str] = None) -> HtmlContent:
    """Main content of one HTML page (favouring recall of body text) plus its metadata.

    Costs time linear in the page's size: a stray '<' that opens no real tag ("(<C10, ...") is
    escaped first (left as a tag, it holds the rest of the page and trafilatura's paragraph
    handling turns quadratic); the page is parsed with libxml2's deep-tree option (nesting up to
    2048 levels) and elements deeper than 100 levels are unwrapped (trafilatura's cost grows with
    the square of the depth); a page nested deeper than 2048 is read as plain text, with a warning."""
    import trafilatura

    html = escape_stray_tags(html)
    tree = _parse(html)
    if tree is None:
        return HtmlContent(text=flat_text(html), warnings=[
            f"HTML: nested deeper than {_MAX_DEPTH} levels; read as plain text without finding the main content"])
    doc = trafilatura.bare_extraction(
        tree, url=url, with_metadata=True, include_comments=False, include_tables=True,
        favor_recall=True, config=_config(),
    )
    if doc is None or not (getattr(doc, "text", None) or "").strip():
        text = trafilatura.html2txt(_parse(html)) or ""
        return HtmlContent(text=text.strip(), warnings=["HTML: main content not found; used the whole page's text"])
    return HtmlContent(text=doc.text.strip(), title=_clean(doc.title), published=_parse_date(doc.date))


# -- parsing -------------------------------------------------------------------------------------
_MAX_DEPTH = 2048  # libxml2's limit with XML_PARSE_HUGE (256 without it)


@lru_cache(maxsize=1)
def _known_tags() -> frozenset:
    from lxml.html import defs

    svg_math = {"g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "defs", "use",
                "symbol", "text", "tspan", "lineargradient", "radialgradient", "stop", "clippath", "mask",
                "pattern", "image", "foreignobject", "mi", "mn", "mo", "mrow", "msup", "msub", "mfrac"}
    html5 = {"main", "picture", "template", "slot", "dialog", "data", "search", "nobr", "frame", "noframes"}
    return frozenset(defs.tags) | svg_math | html5


_TAG_START = re.compile(r"<(/?)([A-Za-z][^\s/>]*)")
_CLOSING = re.compile(r"</([A-Za-z][^\s/>]*)")


def escape_stray_tags(html: str) -> str:
    """Escape each '<' that opens a tag no page means: a name that is no HTML/SVG element, has no
    ':' or '-' (namespaced or custom elements) and is never closed ("(<C10, tăng 5%)")."""
    closed: Optional[set[str]] = None
    known = _known_tags()

    def fix(m: re.Match) -> str:
        nonlocal closed
        name = m.group(2).lower()
        if m.group(1) or name in known or ":" in name or "-" in name:
            return m.group(0)
        if closed is None:
            closed = {n.lower() for n in _CLOSING.findall(html)}
        return m.group(0) if name in closed else "&lt;" + m.group(2)

    return _TAG_START.sub(fix, html)


@lru_cache(maxsize=1)
def _parser() -> Any:
    from lxml.html import HTMLParser

    # trafilatura's own parser options, with the deep-tree limit
    return HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True,
                      remove_pis=True, huge_tree=True)


def _parse(html: str) -> Any:
    """The page as trafilatura would load it (its repairs, its parser options); None when libxml2
    stopped at its depth limit and dropped what lies deeper."""
    from lxml.html import fromstring
    from trafilatura.utils import repair_faulty_html

    parser = _parser()
    html = repair_faulty_html(html, html[:50].lower())
    try:
        tree = fromstring(html, parser=parser)
    except ValueError:  # a Unicode string with an encoding declaration
        tree = fromstring(html.encode("utf-8", "surrogatepass"), parser=parser)
    if any("Excessive depth" in entry.message for entry in parser.error_log):
        return None
    _flatten(tree)
    return tree


_DEEP = 100  # real pages nest far less; trafilatura's cost grows with the square of the depth
_KEEP_DEEP = frozenset({"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr", "td", "th", "table",
                        "ul", "ol", "blockquote", "pre"})


def _flatten(tree: Any) -> None:
    """Unwrap elements nested deeper than `_DEEP` (their text and children stay in place, in the
    element above; a block's text on its own line), except those that mark a paragraph or a line."""
    from lxml import etree

    deep, depth = [], 0
    for event, element in etree.iterwalk(tree, events=("start", "end")):
        if event == "end":
            depth -= 1
            continue
        depth += 1
        if depth > _DEEP and isinstance(element.tag, str) and element.tag not in _KEEP_DEEP:
            deep.append(element)
    for element in deep:
        if element.tag in _BLOCKS:  # keep the block's text apart from its neighbours'
            element.text = "\n" + (element.text or "")
            element.tail = "\n" + (element.tail or "")
        element.drop_tag()


_BLOCKS = frozenset({"div", "section", "article", "header", "footer", "main", "aside", "nav", "form",
                     "center", "figure", "figcaption", "dl", "dt", "dd", "address", "fieldset"})


class _TextCollector(_StreamParser):
    """Text of a page without building a tree (no depth limit): a line break at each block."""

    BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section",
              "article", "ul", "ol", "blockquote", "pre", "header", "footer", "td", "th", "title"}
    SKIP = {"script", "style", "noscript", "template"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs) -> None:  # noqa: ARG002
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag) -> None:
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data) -> None:
        if not self.skipping:
            self.parts.append(data)


def flat_text(html: str) -> str:
    """The page's text, one block per line, blank lines and outer spaces dropped."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    lines = (" ".join(line.split()) for line in "".join(collector.parts).split("\n"))
    return "\n".join(line for line in lines if line)


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

