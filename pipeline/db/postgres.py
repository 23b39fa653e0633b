"""The shared backend: PostgreSQL through psycopg 3.

Same tables as SQLite; full text is a ``tsvector`` column (GIN index) built from the same folded
words as SQLite's FTS5 index, weighted A (group) .. D (title), so both backends find the same
targets. For ad-hoc SQL the database also gets ``chitieu_fold(text)`` (unaccent + đ→d + lower), e.g.
``WHERE tsv @@ plainto_tsquery('simple', chitieu_fold('cán bộ cấp xã'))``.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Optional

from .. import __version__
from . import schema
from .base import BaseStore
from .errors import StoreError

_TYPES = {"text": "text", "int": "integer", "bigint": "bigint", "real": "double precision",
          "bool": "boolean", "date": "date"}
_WEIGHTS = "ABCD"  # FTS_FIELDS order: group, indicator, evidence, title
_RANK_WEIGHTS = "{0.125, 0.25, 0.5, 1.0}"  # ts_rank order is {D, C, B, A}; same ratios as SQLite's bm25
_DOC_COLS = [c.name for c in schema.DOCUMENT_COLUMNS]
_TARGET_COLS = [c.name for c in schema.TARGET_COLUMNS] + ["tsv"]
_LOCK_ID = 7_349_921_001  # advisory lock serializing chitieu writers on one database


def _ddl() -> list[str]:
    def cols(columns):
        return ", ".join(f"{c.name} {_TYPES[c.type]}" for c in columns)

    doc_cols = [c for c in schema.DOCUMENT_COLUMNS if c.name != "doc_id"]
    statements = [
        "CREATE TABLE meta (key text PRIMARY KEY, value text)",
        f"CREATE TABLE documents (doc_id text PRIMARY KEY, {cols(doc_cols)})",
        f"CREATE TABLE targets (id bigserial PRIMARY KEY, {cols(schema.TARGET_COLUMNS)}, "
        "tsv tsvector NOT NULL DEFAULT ''::tsvector)",
        "CREATE INDEX targets_tsv ON targets USING gin (tsv)",
    ]
    statements += [f"CREATE {'UNIQUE ' if name in schema.UNIQUE_INDEXES else ''}INDEX {name} ON {table} ({columns})"
                   for name, table, columns in schema.INDEXES]
    return statements


_FOLD_FUNCTION = """
CREATE OR REPLACE FUNCTION chitieu_fold(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT lower(translate(public.unaccent('public.unaccent'::regdictionary, t), 'đĐ', 'dD')) $$
"""


def tsvector_literal(row: dict) -> str:
    """The tsvector of a target row, written out: "'can':1A 'bo':2A ..." (no parser involved)."""
    parts, pos = [], 0
    for weight, words in zip(_WEIGHTS, schema.fts_tokens(row)):
        for w in words:
            pos += 1
            parts.append(f"'{_quote(w)}':{min(pos, 16383)}{weight}")
    return " ".join(parts)


def _quote(word: str) -> str:
    return word.replace("\\", "\\\\").replace("'", "''")


class PostgresStore(BaseStore):
    """A target database in PostgreSQL; ``schema`` (optional) keeps it in its own schema."""

    ph = "%s"

    def __init__(self, url: str, *, schema_name: Optional[str] = None) -> None:
        super().__init__()
        try:
            import psycopg
        except ImportError as exc:
            raise StoreError("PostgreSQL support needs psycopg: pip install 'chitieu[postgres]'") from exc
        self._psycopg = psycopg
        self.url = url
        self.schema_name = schema_name
        try:
            self.conn = psycopg.connect(url, autocommit=True)
        except psycopg.Error as exc:
            raise StoreError(f"cannot connect to PostgreSQL ({str(exc).strip().splitlines()[0]})") from exc
        try:
            self._setup()
        except psycopg.Error as exc:
            self.conn.close()
            raise StoreError(f"cannot set up the chitieu tables in PostgreSQL ({exc})") from exc

    def _setup(self) -> None:
        c = self.conn
        if self.schema_name:
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,62}", self.schema_name):
                raise StoreError(f"invalid schema name {self.schema_name!r}")
            c.execute(f'CREATE SCHEMA IF NOT EXISTS "{self.schema_name}"')
            c.execute(f'SET search_path TO "{self.schema_name}"')
        with c.transaction():
            c.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_ID,))
            exists = c.execute("SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() "
                               "AND table_name = 'meta'").fetchone()
            if exists:
                row = c.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
                if not row or row[0] != schema.SCHEMA_VERSION:
                    raise StoreError(f"database schema version {row and row[0]}, this chitieu needs "
                                     f"{schema.SCHEMA_VERSION}; use a new database or schema")
                return
            for stmt in _ddl():
                c.execute(stmt)
            now = datetime.now(timezone.utc).isoformat(timespec="seconds")
            with c.cursor() as cur:
                cur.executemany("INSERT INTO meta VALUES (%s, %s)", [
                    ("schema_version", schema.SCHEMA_VERSION), ("created_by", f"chitieu {__version__}"),
                    ("created_at", now), ("backend", "postgresql")])
        self._try_fold_function()

    def _try_fold_function(self) -> None:
        """unaccent is optional (postgresql-contrib): without it only the SQL helper is missing."""
        try:
            with self.conn.transaction():
                self.conn.execute("CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public")
                self.conn.execute(_FOLD_FUNCTION)
        except self._psycopg.Error:
            pass

    def _write(self, docs: list[schema.FlatDocument]) -> int:
        try:
            return self._write_all(docs)
        except self._psycopg.Error as exc:  # disk full, lost connection...: the server's own words
            raise StoreError(f"cannot store the documents ({str(exc).strip().splitlines()[0]})") from exc

    def _write_all(self, docs: list[schema.FlatDocument]) -> int:
        c = self.conn
        ids = [d.record_id for d in docs]
        keys = [d.key for d in docs if d.key]
        with c.transaction(), c.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_ID,))
            cur.execute("SELECT doc_id FROM documents WHERE doc_id = ANY(%s) OR dedupe_key = ANY(%s)", (ids, keys))
            old = [r[0] for r in cur.fetchall()]
            if old:
                cur.execute("DELETE FROM targets WHERE doc_id = ANY(%s)", (old,))
                cur.execute("DELETE FROM documents WHERE doc_id = ANY(%s)", (old,))
            with cur.copy(f"COPY documents ({', '.join(_DOC_COLS)}) FROM STDIN") as copy:
                for d in docs:
                    copy.write_row([d.document[n] for n in _DOC_COLS])
            with cur.copy(f"COPY targets ({', '.join(_TARGET_COLS)}) FROM STDIN") as copy:
                for d in docs:
                    for row in d.targets:
                        copy.write_row([row[c.name] for c in schema.TARGET_COLUMNS] + [tsvector_literal(row)])
        return len(old)

    def _query(self, sql, params=()):
        with self._lock:
            try:
                return self.conn.execute(sql, list(params)).fetchall()
            except self._psycopg.Error as exc:
                raise StoreError(f"query failed ({str(exc).strip().splitlines()[0]})") from exc

    def _fulltext(self, words):
        query = " & ".join(f"'{_quote(w)}'" for w in words)
        return ("targets AS t CROSS JOIN (SELECT %s::tsquery AS q) AS fq", "t.tsv @@ fq.q",
                [query], f"ts_rank('{_RANK_WEIGHTS}', t.tsv, fq.q)")

    def optimize(self) -> None:
        """Refresh planner statistics (after a large ingest)."""
        self.conn.execute("ANALYZE documents")
        self.conn.execute("ANALYZE targets")

    def drop(self) -> None:
        """Remove chitieu's tables (and the schema, when the store has its own)."""
        with self.conn.transaction():
            if self.schema_name:
                self.conn.execute(f'DROP SCHEMA IF EXISTS "{self.schema_name}" CASCADE')
            else:
                self.conn.execute("DROP TABLE IF EXISTS targets, documents, meta")

    def close(self) -> None:
        with self._lock:
            self.conn.close()
