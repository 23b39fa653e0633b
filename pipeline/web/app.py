"""The ASGI application: settings, the body-size limit, the token check and the JSON errors.

    app = create_app(Settings(db="targets.db", read_only=True))
    uvicorn.run(app, host="127.0.0.1", port=8000)
"""
from __future__ import annotations

import functools
import hmac
import json
import os
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Optional

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..errors import ChitieuError, InputError
from .pool import StorePool
from .query import BadParameter

DEFAULT_MAX_UPLOAD = 20 * 1024 * 1024


@dataclass
class Settings:
    db: str = "targets.db"
    pg_schema: Optional[str] = None
    read_only: bool = False
    token: Optional[str] = None  # write endpoints need it when set
    max_upload: int = DEFAULT_MAX_UPLOAD  # bytes of a request body
    pool_size: int = 8
    threads: int = 2  # requests worked on at once per process (the rest wait their turn): see create_app


ENV_SETTINGS = "CHITIEU_SERVE_SETTINGS"


def one_at_a_time(endpoint):
    """A read endpoint (its ``request`` a keyword argument) that waits while another read of this
    process runs (StorePool.reading: SQLite reads, see web.pool)."""
    @functools.wraps(endpoint)
    def run(*args, **kwargs):
        with kwargs["request"].app.state.pool.reading:
            return endpoint(*args, **kwargs)
    return run


def read_token(path: str) -> str:
    from ..errors import ChitieuError

    token = open(path, encoding="utf-8").read().strip()
    if not token:
        raise ChitieuError(f"{path}: the token file is empty")
    return token


def app_from_environment() -> FastAPI:
    """The app of one of several worker processes (`chitieu serve --workers N`): its settings come from
    $CHITIEU_SERVE_SETTINGS (JSON; the token as the path of its file, read here)."""
    values = json.loads(os.environ[ENV_SETTINGS])
    token_file = values.pop("token_file", None)
    return create_app(Settings(**values, token=read_token(token_file) if token_file else None))


class BodyTooLarge(Exception):
    pass


class BodyLimit:
    """ASGI middleware: a request body over ``limit`` bytes gets 413 (by Content-Length, or while streaming)."""

    def __init__(self, app, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            return await self._reject(send)
        seen = 0
        started = False

        async def counting_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLarge()
            return message

        async def tracking_send(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await self._reject(send)

    async def _reject(self, send) -> None:
        response = error(413, f"request body larger than the limit of {self.limit:,} bytes")
        await response({"type": "http"}, None, send)


def error(status: int, message: str, **extra) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status)


def check_token(settings: Settings, given: Optional[str]) -> bool:
    """True when no token is set, or ``given`` equals it (compared in constant time)."""
    if settings.token is None:
        return True
    return given is not None and hmac.compare_digest(given.encode("utf-8"), settings.token.encode("utf-8"))


def bearer(request: Request) -> Optional[str]:
    auth = request.headers.get("authorization", "")
    return auth[7:].strip() if auth[:7].lower() == "bearer " else None


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:3]:
        loc = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "body", "path")) or "request"
        parts.append(f"{loc}: {err.get('msg')}")
    return "; ".join(parts) or "invalid request"


def create_app(settings: Settings, *, pool: Optional[StorePool] = None) -> FastAPI:
    """The API (/api/..., /healthz, /openapi.json, /docs) and the pages (/, /documents/..., /new, /overview)."""
    from . import api, pages

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        # Endpoints run in a thread pool (40 threads by default). Searches are CPU work under one
        # interpreter lock: with 8 clients, 2 threads answered every kind faster, p95 included, than 40
        # (bench/serve.py, README), since threads that take turns on the lock slow each other down.
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.threads
        yield
        if own_pool:
            app.state.pool.close()

    own_pool = pool is None
    app = FastAPI(title="chitieu", version=__version__, lifespan=lifespan,
                  description="Quantified targets from Vietnamese plan documents: extract, store, search.")
    app.state.settings = settings
    app.state.pool = pool or StorePool(settings.db, size=settings.pool_size, pg_schema=settings.pg_schema,
                                       create=not settings.read_only)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request, exc: RequestValidationError):
        return error(422, _validation_message(exc))

    @app.exception_handler(BadParameter)
    async def _bad_parameter(request, exc: BadParameter):
        return error(400, str(exc), parameter=exc.name)

    @app.exception_handler(InputError)
    async def _bad_input(request, exc: InputError):
        return error(422, str(exc))

    @app.exception_handler(ChitieuError)
    async def _chitieu(request, exc: ChitieuError):
        return error(400, str(exc).splitlines()[0] if str(exc) else type(exc).__name__)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request, exc: StarletteHTTPException):
        return error(exc.status_code, str(exc.detail))

    @app.exception_handler(Exception)
    async def _unexpected(request, exc: Exception):  # never a traceback to the client
        return error(500, f"internal error ({type(exc).__name__})")

    app.include_router(api.router(settings))
    app.include_router(pages.router(settings))
    app.add_middleware(BodyLimit, limit=settings.max_upload)
    return app
