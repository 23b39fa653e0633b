"""open_store(url) -> the backend for a database URL: a file path (SQLite, the default) or
``postgresql://...`` (PostgreSQL). Every backend offers ingest_record / ingest_batch / search /
stats / export / close."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from .base import BaseStore
from .errors import StoreError

PG_PREFIXES = ("postgresql://", "postgres://")


def is_postgres(url: str) -> bool:
    return url.startswith(PG_PREFIXES)


def open_store(url: str, *, pg_schema: Optional[str] = None, create: bool = True) -> BaseStore:
    """Open (with ``create``: creating when missing) the target database at ``url``.

    ``targets.db`` or ``sqlite:///path/targets.db`` -> SQLite file; ``:memory:`` -> in memory;
    ``postgresql://user:pw@host/db`` -> PostgreSQL (``pg_schema``: use that schema, created if needed).
    """
    if not url:
        raise StoreError("no database given: pass --db targets.db or --db postgresql://...")
    if is_postgres(url):
        from .postgres import PostgresStore

        return PostgresStore(url, schema_name=pg_schema)
    if "://" in url and not url.startswith("sqlite:///"):
        raise StoreError(f"unsupported database URL {url!r}: use a file path or postgresql://...")
    from .sqlite import SQLiteStore

    path = url[len("sqlite:///"):] if url.startswith("sqlite:///") else url
    if not create and path != ":memory:" and not Path(path).exists():
        raise StoreError(f"{path}: no such database (create it with: chitieu ingest PATH --db {path})")
    return SQLiteStore(path)
