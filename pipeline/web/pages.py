"""The server-rendered pages (Vietnamese labels; plain forms and links, no script needed)."""
from __future__ import annotations

from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse

from ..db import browse
from ..errors import ChitieuError, InputError
from ..source import SourceDocument
from . import charts, inputs, views
from .api import read_form
from .app import Settings, check_token, one_at_a_time
from .query import FILTERS, BadParameter, paging, search_query

PAGE_SIZE = 20
# No script runs on these pages, whatever a document holds: styles inline, images only from here.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
                               "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}

_env = views.environment()


def html(template: str, status: int = 200, **context) -> HTMLResponse:
    return HTMLResponse(_env.get_template(template).render(**context), status_code=status, headers=SECURITY_HEADERS)


def doc_href(doc_id: str) -> str:
    return "/documents/" + quote(doc_id, safe="")


_env.globals["doc_href"] = doc_href


def _link(params: dict, **changes) -> str:
    """The search page with ``params`` changed (a None value drops it; any change but the page's goes to page 1)."""
    merged = dict(params)
    if "page" not in changes:
        merged.pop("page", None)
    merged.update(changes)
    return "/?" + urlencode({k: v for k, v in merged.items() if v not in (None, "")})


def router(settings: Settings) -> APIRouter:
    r = APIRouter(include_in_schema=False)

    def page_context(request: Request, **extra) -> dict:
        return {"read_only": settings.read_only, "needs_token": settings.token is not None,
                "path": request.url.path, **extra}

    @r.get("/", response_class=HTMLResponse)
    @one_at_a_time
    def search_page(request: Request):
        params = {k: v for k, v in request.query_params.items() if k in FILTERS + ("q", "page") and v.strip()}
        ctx = page_context(request, params=params, kinds=views.KIND_LABELS)
        try:
            query = search_query(params, limit=None)
            offset, size = paging(params, default=PAGE_SIZE, most=PAGE_SIZE)
        except BadParameter as exc:
            return html("search.html", 400, error=str(exc), hits=[], total=0, exact=True, facets={}, **ctx)
        try:
            found = request.app.state.pool.results(query, offset, size, facets=True)
        except ChitieuError as exc:
            return html("search.html", 400, error=str(exc), hits=[], total=0, exact=True, facets={}, **ctx)
        hits, total, exact, facets = found.hits, found.total, found.exact, found.facets
        facet_links = {name: [(views.KIND_LABELS.get(v, v) if name == "kind" else v, n, _facet_link(params, name, v))
                              for v, n in rows] for name, rows in facets.items()}
        page_no = offset // size + 1
        download = urlencode({**{k: v for k, v in params.items() if k != "page"}, "limit": 10_000})
        return html("search.html", error=None, hits=[views.hit(h) for h in hits], total=total, exact=exact, facets=facet_links,
                    offset=offset, page_no=page_no,
                    prev=_link(params, page=page_no - 1) if page_no > 1 else None,
                    next=_link(params, page=page_no + 1) if offset + size < total else None,
                    csv="/api/search?" + download + "&format=csv", json="/api/search?" + download,
                    has_confidence=any(h.get("confidence") is not None for h in hits),
                    active=[(views.FILTER_LABELS[k], views.KIND_LABELS.get(v, v) if k == "kind" else v,
                             _link(params, **{k: None})) for k, v in params.items() if k in FILTERS], **ctx)

    @r.get("/documents/{doc_id:path}", response_class=HTMLResponse)
    @one_at_a_time
    def document_page(doc_id: str, request: Request):
        with request.app.state.pool.store() as s:
            found = browse.document(s, doc_id)
            if found is None:
                return html("error.html", 404, message=f"Không có văn bản “{doc_id}”.", **page_context(request))
            doc, targets = found
            text = browse.text_of(s, doc.get("text_sha256"))
        return html("document.html", view=views.document(doc, targets, text), **page_context(request))

    @r.get("/new", response_class=HTMLResponse)
    def new_page(request: Request):
        return html("new.html", view=None, form={}, error=None, **page_context(request))

    @r.post("/new", response_class=HTMLResponse)
    async def new_submit(request: Request):
        form = await read_form(request)
        fields = {k: form.get(k) if isinstance(form.get(k), str) else "" for k in
                  ("text", "doc_id", "title", "title_in_text", "action", "token")}
        ctx = page_context(request)
        try:
            doc = await _document_of(form, fields)
        except InputError as exc:
            return html("new.html", 422, view=None, form=fields, error=exc.reason, **ctx)
        form_back = {"text": doc.text, "doc_id": doc.doc_id or "", "title": doc.title or "",
                     "title_in_text": "1" if doc.title_in_text else ""}
        if fields["action"] == "save":
            if settings.read_only:
                return html("new.html", 405, view=None, form=form_back, error="Máy chủ chỉ cho đọc: không lưu được.", **ctx)
            if not check_token(settings, fields["token"] or None):
                return html("new.html", 401, view=None, form=form_back, error="Sai mã truy cập.", **ctx)
        record, text = await run_in_threadpool(inputs.extract_with_text, doc)
        if fields["action"] == "save":
            def save():
                with request.app.state.pool.store() as s:
                    browse.store_document(s, record, text)
            await run_in_threadpool(save)
            return RedirectResponse(doc_href(record.doc_id), status_code=303)
        doc_row, targets = browse.flat_record(record)
        return html("new.html", view=views.document(doc_row, targets, text), form=form_back, error=None, **ctx)

    @r.get("/overview", response_class=HTMLResponse)
    @one_at_a_time
    def overview_page(request: Request):
        with request.app.state.pool.store() as s:
            stats = s.stats()
        kinds = [(views.KIND_LABELS[k], n) for k, n in stats.by_kind]
        kind_keys = {views.KIND_LABELS[k]: k for k, _ in stats.by_kind}
        chart_list = [
            charts.bar_chart("Chỉ tiêu theo năm hạn", stats.by_year, lambda y: _link({}, year_from=y, year_to=y),
                             top=60, label_width=60),
            charts.bar_chart("Chỉ tiêu theo tỉnh/thành", stats.by_province, lambda p: _link({}, province=p)),
            charts.bar_chart("Chỉ tiêu theo loại", kinds, lambda k: _link({}, kind=kind_keys[k])),
        ]
        return html("overview.html", stats=stats, charts=chart_list, **page_context(request))

    return r


def _facet_link(params: dict, name: str, value) -> str:
    if name == "deadline_year":
        return _link(params, year_from=value, year_to=value)
    return _link(params, **{views.FACET_PARAMS[name]: value})


async def _document_of(form, fields: dict) -> SourceDocument:
    upload = form.get("file")
    if upload is not None and not isinstance(upload, str) and upload.filename:
        data = await upload.read()
        doc = await run_in_threadpool(inputs.from_upload, upload.filename, data)
        doc.doc_id = fields["doc_id"].strip() or doc.doc_id
        doc.title = fields["title"].strip() or doc.title
        return doc
    if not fields["text"].strip():
        raise InputError("Hãy dán văn bản hoặc chọn một tệp.", path="form")
    doc = inputs.from_text(fields["text"], doc_id=fields["doc_id"].strip() or None, title=fields["title"].strip() or None)
    doc.title_in_text = fields["title_in_text"] == "1"
    return doc

