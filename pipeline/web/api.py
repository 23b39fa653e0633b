"""The JSON API: extract, store, read, delete, search, stats, health."""
from __future__ import annotations

from datetime import date
from typing import Literal, Optional

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..db import browse, render
from ..errors import InputError
from . import inputs
from .app import Settings, bearer, check_token, error, one_at_a_time
from .query import MAX_OFFSET, paging, search_query

MAX_DOWNLOAD = 10_000  # hits in one CSV/JSON download


class TextInput(BaseModel):
    """A document as JSON (or send multipart/form-data with ``file``, or ``text``, and the same fields)."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, description="the document text (Vietnamese, any length up to the body limit)")
    doc_id: Optional[str] = Field(None, max_length=500, description="default: sha256: + digest of the text")
    title: Optional[str] = Field(None, max_length=2000)
    published: Optional[date] = None


_BODY_DOC = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": TextInput.model_json_schema()},
    "multipart/form-data": {"schema": {"type": "object", "properties": {
        "file": {"type": "string", "format": "binary", "description": "txt, HTML, DOCX, PDF, one-document JSONL"},
        "text": {"type": "string"}, "doc_id": {"type": "string"}, "title": {"type": "string"}}}},
}}}


async def read_form(request: Request):
    """The request's form; a pasted text may be as long as the body limit (Starlette's default is 1 MB)."""
    return await request.form(max_part_size=request.app.state.settings.max_upload)


async def read_document(request: Request):
    """The SourceDocument of a request: JSON {"text", ...} or a form with ``file`` or ``text``."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "application/json":
        try:
            payload = await request.json()
        except ValueError as exc:
            raise InputError(f"body is not JSON ({exc})", path="request") from None
        try:
            body = TextInput.model_validate(payload)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "body"
            raise InputError(f"{where}: {first['msg']}", path="request") from None
        doc = inputs.from_text(body.text, doc_id=body.doc_id, title=body.title)
        doc.published = body.published
        return doc
    if ctype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        form = await read_form(request)
        upload = form.get("file")
        fields = {k: (form.get(k) or "").strip() or None for k in ("doc_id", "title")}
        if upload is not None and not isinstance(upload, str) and upload.filename:
            data = await upload.read()
            doc = await run_in_threadpool(inputs.from_upload, upload.filename, data)
            doc.doc_id = fields["doc_id"] or doc.doc_id
            doc.title = fields["title"] or doc.title
            return doc
        text = form.get("text")
        if isinstance(text, str) and text.strip():
            return inputs.from_text(text, **fields)
        raise InputError("give a non-empty text field or a file", path="request")
    raise InputError(f"unsupported content type {ctype or '(none)'!r}: send application/json or "
                     "multipart/form-data", path="request")


def router(settings: Settings) -> APIRouter:
    r = APIRouter()

    def pool(request: Request):
        return request.app.state.pool

    @r.get("/healthz", tags=["server"])
    def healthz(request: Request):
        with pool(request).store() as s:
            s._query("SELECT 1")
        return {"status": "ok", "read_only": settings.read_only}

    @r.post("/api/extract", tags=["documents"], openapi_extra=_BODY_DOC)
    async def extract(request: Request):
        """Extract one document (text or uploaded file); nothing is stored. Answers the document record."""
        doc = await read_document(request)
        record, _ = await run_in_threadpool(inputs.extract_with_text, doc)
        return JSONResponse(record.model_dump(mode="json"))

    if not settings.read_only:
        @r.post("/api/documents", tags=["documents"], openapi_extra=_BODY_DOC, status_code=200)
        async def store_document(request: Request):
            """Extract and store one document as `chitieu ingest` does: a document that arrives again (same
            doc_id or same text) replaces its earlier version. Needs ``Authorization: Bearer TOKEN`` when set."""
            if not check_token(settings, bearer(request)):
                return error(401, "missing or wrong token: send Authorization: Bearer TOKEN")
            doc = await read_document(request)
            record, text = await run_in_threadpool(inputs.extract_with_text, doc)

            def save():
                with pool(request).store() as s:
                    return browse.store_document(s, record, text)
            counts = await run_in_threadpool(save)
            return {"record": record.model_dump(mode="json"), "replaced": counts.replaced > 0}

        @r.delete("/api/documents/{doc_id:path}", tags=["documents"])
        def delete_document(doc_id: str, request: Request):
            """Remove a document and its targets. Needs the token when one is set."""
            if not check_token(settings, bearer(request)):
                return error(401, "missing or wrong token: send Authorization: Bearer TOKEN")
            with pool(request).store() as s:
                if not browse.delete(s, doc_id):
                    return error(404, f"no document {doc_id!r}")
            return {"deleted": doc_id}

    @r.get("/api/documents/{doc_id:path}", tags=["documents"])
    @one_at_a_time
    def get_document(doc_id: str, request: Request):
        """A stored document: its fields, its targets (as stored) and its text when it was kept."""
        with pool(request).store() as s:
            found = browse.document(s, doc_id)
            if found is None:
                return error(404, f"no document {doc_id!r}")
            doc, targets = found
            text = browse.text_of(s, doc.get("text_sha256"))
        return {"document": doc, "targets": targets, "text": text}

    @r.get("/api/search", tags=["search"])
    @one_at_a_time
    def search(request: Request,
               q: Optional[str] = Query(None, description="plain words, diacritics optional"),
               group: Optional[str] = None, year_from: Optional[int] = None, year_to: Optional[int] = None,
               min_pct: Optional[float] = None, max_pct: Optional[float] = None, province: Optional[str] = None,
               kind: Optional[Literal["percentage", "funding", "trainees"]] = None, doc_type: Optional[str] = None,
               min_confidence: Optional[float] = Query(None, description="only when targets carry a confidence"),
               offset: int = Query(0, ge=0, le=MAX_OFFSET), limit: int = Query(20, ge=1, le=MAX_DOWNLOAD),
               facets: bool = Query(False, description="add counts by province, deadline year, kind, doc type"),
               format: Literal["json", "csv"] = "json"):
        """`chitieu search` over HTTP: every filter, paginated (offset, limit), with the total. Totals and
        facets are exact up to 10,000 hits; past that ``total_exact`` is false and facets count the first 10,000."""
        params = dict(request.query_params)
        query = search_query(params, limit=None)
        offset, limit = paging(params, default=20, most=MAX_DOWNLOAD)
        if format == "csv":
            with pool(request).store() as s:
                hits = browse.page(s, query, offset, limit)
            return Response(render.hits_csv(hits) + "\n", media_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": 'attachment; filename="chitieu-search.csv"'})
        found = pool(request).results(query, offset, limit, facets=facets)
        out = {"total": found.total, "total_exact": found.exact, "offset": offset, "limit": limit, "hits": found.hits}
        if found.facets is not None:
            out["facets"] = {k: [{"value": v, "targets": n} for v, n in rows] for k, rows in found.facets.items()}
        return JSONResponse(out)  # plain JSON values already: FastAPI's own encoding pass would only cost time

    @r.get("/api/stats", tags=["search"])
    @one_at_a_time
    def stats(request: Request):
        """Counts of documents and targets, by province, deadline year, group head and kind."""
        with pool(request).store() as s:
            return s.stats().to_dict()

    return r
