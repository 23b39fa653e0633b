"""The embedded backend: one SQLite file, WAL mode, FTS5 over diacritic-folded copies of the text.

The full-text index is an FTS5 table ``targets_fts`` with ``content="targets"`` kept in step by
triggers (the layout sqlite-utils creates), so Datasette detects it and its ``_search`` works on the
file as it is. The folded words live in the ``fts_*`` columns of ``targets``; the tokenizer also
removes diacritics, so a Datasette search typed with marks ("cán bộ") matches too.

A second, smaller FTS5 table, ``targets_province_fts`` (contentless, rowids only), holds each target's
words prefixed by its province ("pdaknongxcan" for "can" in Đắk Nông), written by triggers from the same
columns. A full-text search within one province matches there: it reads that province's share of each
word's postings instead of all of them (FTS5 decodes every posting of every word of an AND query).

A narrow copy of the targets, ``target_ranking`` (written by triggers too), holds only what ranking and
facets read of a full-text candidate: its order (doc_id, position), the filter values, the kinds as bits
and the four fts_* texts, about a third of a targets row: a candidate is found and read faster there.
"""
from __future__ import annotations

import re
import sqlite3
import unicodedata
from dataclasses import replace
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Optional

from .. import __version__
from . import rank, schema, search
from .base import EXPORT_SELECT, BaseStore
from .search import KIND_COLUMNS, KINDS, filter_sql
from .errors import StoreError

_TYPES = {"text": "TEXT", "int": "INTEGER", "bigint": "INTEGER", "real": "REAL", "bool": "INTEGER", "date": "TEXT"}
_TEXT_COLS = [name for name, _, _ in schema.FTS_FIELDS]
_FTS_COLS = _TEXT_COLS + ["fts_filters"]  # filter values as tokens: see schema.facet_tokens
_RANK = "bm25(" + ", ".join(str(w) for _, _, w in schema.FTS_FIELDS) + ", 0.0)"
_MAX_SCORED = 10_000  # filtered full-text candidates ranked in Python (as many as browse.COUNT_CAP counts: a page, its total and facets come from one read); more go to FTS5's bm25
_MAX_YEAR_SPAN = 60  # a longer year range is left to the SQL filter
_TARGET_INSERT_COLS = [c.name for c in schema.TARGET_COLUMNS] + _FTS_COLS
_DOC_COLS = [c.name for c in schema.DOCUMENT_COLUMNS]
_PROVINCE_FTS = "targets_province_fts"
_RANKING = "target_ranking"
# (column, type, SQL of its value from a targets row); kinds: one bit per kind, in KINDS order
_RANKING_COLS = [("doc_id", "TEXT", "{r}.doc_id"), ("position", "INTEGER", "{r}.position"),
                 ("province_key", "TEXT", "{r}.province_key"), ("deadline_year", "INTEGER", "{r}.deadline_year"),
                 ("doc_type_key", "TEXT", "{r}.doc_type_key"),
                 ("kinds", "INTEGER", " + ".join(f"({{r}}.{c} IS NOT NULL) * {1 << i}" for i, c in enumerate(KIND_COLUMNS.values())))]
_RANKING_COLS += [(c, "TEXT", "{r}." + c) for c in _TEXT_COLS]
_PLAIN_WORD = re.compile(r"[a-z0-9]+")  # words the province index can be asked for as they are


def _ddl() -> list[str]:
    def cols(columns):
        return ", ".join(f"{c.name} {_TYPES[c.type]}" for c in columns)

    fts_new = ", ".join(f"new.{c}" for c in _FTS_COLS)
    fts_old = ", ".join(f"old.{c}" for c in _FTS_COLS)
    fts_names = ", ".join(_FTS_COLS)
    delete_old = (f"INSERT INTO targets_fts(targets_fts, rowid, {fts_names}) "
                  f"VALUES ('delete', old.id, {fts_old});")
    insert_new = f"INSERT INTO targets_fts(rowid, {fts_names}) VALUES (new.id, {fts_new});"
    doc_cols = [c for c in schema.DOCUMENT_COLUMNS if c.name != "doc_id"]
    statements = [
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)",
        f"CREATE TABLE documents (doc_id TEXT PRIMARY KEY, {cols(doc_cols)})",
        f"CREATE TABLE targets (id INTEGER PRIMARY KEY, {cols(schema.TARGET_COLUMNS)}, "
        + ", ".join(f"{c} TEXT" for c in _FTS_COLS) + ")",
        f'CREATE VIRTUAL TABLE targets_fts USING fts5({fts_names}, content="targets", content_rowid="id", '
        "tokenize='unicode61 remove_diacritics 2')",
        f"INSERT INTO targets_fts(targets_fts, rank) VALUES ('rank', '{_RANK}')",
        f"CREATE TRIGGER targets_ai AFTER INSERT ON targets BEGIN {insert_new} END",
        f"CREATE TRIGGER targets_ad AFTER DELETE ON targets BEGIN {delete_old} END",
        f"CREATE TRIGGER targets_au AFTER UPDATE ON targets BEGIN {delete_old} {insert_new} END",
    ]
    return statements + _province_words_ddl() + _ranking_ddl() + _index_ddl()


def _province_prefix(row: str) -> str:
    """SQL: the prefix of a target's province words ("pdaknongx"); different provinces may share one
    ("ha noi", "han oi"), which only adds candidates: the province filter itself stays in SQL."""
    return f"('p' || replace({row}.province_key, ' ', '') || 'x')"


def _province_words(row: str) -> str:
    """SQL: the words of the fts_* columns of ``row`` (new/old in a trigger), each with the prefix."""
    words = " || ' ' || ".join(f"coalesce({row}.{c}, '')" for c in _TEXT_COLS)
    prefix = _province_prefix(row)
    return f"{prefix} || replace(trim({words}), ' ', ' ' || {prefix})"


def _province_words_ddl() -> list[str]:
    table = _PROVINCE_FTS
    insert = (f"INSERT INTO {table}(rowid, words) SELECT new.id, {_province_words('new')} "
              "WHERE new.province_key IS NOT NULL;")
    delete = (f"INSERT INTO {table}({table}, rowid, words) SELECT 'delete', old.id, {_province_words('old')} "
              "WHERE old.province_key IS NOT NULL;")
    return [
        f"CREATE VIRTUAL TABLE {table} USING fts5(words, content='', detail=none, "
        "tokenize='unicode61 remove_diacritics 2')",
        f"CREATE TRIGGER {table}_ai AFTER INSERT ON targets BEGIN {insert} END",
        f"CREATE TRIGGER {table}_ad AFTER DELETE ON targets BEGIN {delete} END",
        f"CREATE TRIGGER {table}_au AFTER UPDATE ON targets BEGIN {delete} {insert} END",
    ]


def _ranking_values(row: str) -> str:
    return ", ".join([f"{row}.id"] + [sql.format(r=row) for _, _, sql in _RANKING_COLS])


def _ranking_ddl() -> list[str]:
    table = _RANKING
    insert = f"INSERT INTO {table} VALUES ({_ranking_values('new')});"
    delete = f"DELETE FROM {table} WHERE id = old.id;"
    return [
        f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, " + ", ".join(f"{c} {t}" for c, t, _ in _RANKING_COLS) + ")",
        f"CREATE TRIGGER {table}_ai AFTER INSERT ON targets BEGIN {insert} END",
        f"CREATE TRIGGER {table}_ad AFTER DELETE ON targets BEGIN {delete} END",
        f"CREATE TRIGGER {table}_au AFTER UPDATE ON targets BEGIN {delete} {insert} END",
    ]


def _index_ddl() -> list[str]:
    return [f"CREATE {'UNIQUE ' if name in schema.UNIQUE_INDEXES else ''}INDEX IF NOT EXISTS {name} ON {table} ({columns})"
            for name, table, columns in schema.INDEXES]


def _value(v):
    return v.isoformat() if isinstance(v, date) else v


class SQLiteStore(BaseStore):
    """A target database in one SQLite file (``:memory:`` works too)."""

    ph = "?"

    def __init__(self, path: str) -> None:
        super().__init__()
        self.url = path
        if path != ":memory:" and not Path(path).parent.exists():
            raise StoreError(f"{path}: folder {Path(path).parent} does not exist")
        try:
            self.conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=60)
            self._setup()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path}: cannot open as a chitieu SQLite database ({exc})") from exc

    def _setup(self) -> None:
        c = self.conn
        c.execute("PRAGMA journal_mode=WAL")
        c.execute("PRAGMA synchronous=NORMAL")
        c.execute("PRAGMA cache_size=-131072")  # 128 MiB
        c.execute("PRAGMA mmap_size=17179869184")  # the whole file, up to SQLite's own cap (2 GiB by default)
        c.execute("PRAGMA temp_store=MEMORY")
        with self._lock:
            c.execute("BEGIN IMMEDIATE")
            try:
                self._create_or_check()
                c.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise

    def _create_or_check(self) -> None:
        c = self.conn
        if c.execute("SELECT 1 FROM sqlite_master WHERE name='meta'").fetchone():
            row = c.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
            found = row[0] if row else None
            if found != schema.SCHEMA_VERSION:
                raise StoreError(f"{self.url}: database schema version {found}, this chitieu needs "
                                 f"{schema.SCHEMA_VERSION}; ingest into a new file")
            if not c.execute(f"SELECT 1 FROM sqlite_master WHERE name = '{_PROVINCE_FTS}'").fetchone():
                self._add_province_words()
            if not c.execute(f"SELECT 1 FROM sqlite_master WHERE name = '{_RANKING}'").fetchone():
                self._add_ranking()
            for stmt in _index_ddl():  # an index added since the file was made is built once, here
                c.execute(stmt)
            return
        if c.execute("SELECT 1 FROM sqlite_master WHERE name IN ('documents', 'targets')").fetchone():
            raise StoreError(f"{self.url}: has documents/targets tables but no chitieu meta table")
        for stmt in _ddl():
            c.execute(stmt)
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        c.executemany("INSERT INTO meta VALUES (?, ?)", [
            ("schema_version", schema.SCHEMA_VERSION), ("created_by", f"chitieu {__version__}"),
            ("created_at", now), ("backend", "sqlite")])

    def _add_province_words(self) -> None:
        """Build the province-word index of a file made before it existed (about 20 s per million targets)."""
        for stmt in _province_words_ddl():
            self.conn.execute(stmt)
        self.conn.execute(f"INSERT INTO {_PROVINCE_FTS}(rowid, words) SELECT t.id, {_province_words('t')} "
                          "FROM targets AS t WHERE t.province_key IS NOT NULL")
        self.conn.execute(f"INSERT INTO {_PROVINCE_FTS}({_PROVINCE_FTS}) VALUES ('optimize')")

    def _add_ranking(self) -> None:
        """Build the narrow ranking copy of a file made before it existed (about 5 s per million targets)."""
        for stmt in _ranking_ddl():
            self.conn.execute(stmt)
        self.conn.execute(f"INSERT INTO {_RANKING} SELECT {_ranking_values('t')} FROM targets AS t")

    def _write(self, docs: list[schema.FlatDocument]) -> int:
        c = self.conn
        doc_sql = f"INSERT INTO documents ({', '.join(_DOC_COLS)}) VALUES ({', '.join('?' * len(_DOC_COLS))})"
        tgt_sql = (f"INSERT INTO targets ({', '.join(_TARGET_INSERT_COLS)}) "
                   f"VALUES ({', '.join('?' * len(_TARGET_INSERT_COLS))})")
        replaced = 0
        c.execute("BEGIN IMMEDIATE")
        try:
            for d in docs:
                old = [r[0] for r in c.execute(
                    "SELECT doc_id FROM documents WHERE doc_id = ? OR dedupe_key = ?", (d.record_id, d.key))]
                for doc_id in old:
                    c.execute("DELETE FROM targets WHERE doc_id = ?", (doc_id,))
                    c.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))
                replaced += len(old)
                c.execute(doc_sql, [_value(d.document[n]) for n in _DOC_COLS])
                c.executemany(tgt_sql, (_target_values(row) for row in d.targets))
            c.execute("COMMIT")
        except sqlite3.Error as exc:
            self._rollback()
            raise StoreError(f"{self.url}: cannot store the documents ({exc})") from exc
        except BaseException:
            self._rollback()
            raise
        return replaced

    def _rollback(self) -> None:
        """Roll back the open transaction, if SQLite has not already (it has after "database or
        disk is full"; a ROLLBACK then fails and its message would hide the real one)."""
        if self.conn.in_transaction:
            try:
                self.conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass

    def data_version(self):
        """(PRAGMA data_version: moves when another connection commits, the writes through this one)."""
        with self._lock:
            return self.conn.execute("PRAGMA data_version").fetchone()[0], self.writes

    def _query(self, sql, params=()):
        with self._lock:
            try:
                return self.conn.execute(sql, list(params)).fetchall()
            except sqlite3.OperationalError as exc:
                raise StoreError(f"{self.url}: query failed ({exc})") from exc

    def search(self, query):
        """As BaseStore.search. A full-text query with filters runs its filters inside the FTS index
        (as tokens) and, when that leaves at most _MAX_SCORED candidates, ranks them here in Python:
        FTS5's bm25() counts every row of every query word to weigh it, which costs 100+ ms on a million
        targets, while every candidate contains every word anyway."""
        scored = self.scored(query, top=int(query.limit) if query.limit else None)
        if scored is not None:
            return self.hits(scored[0])
        return super().search(query)

    def scored(self, query, facets: bool = False, top: Optional[int] = None) -> Optional[tuple[list[tuple], int, Optional[list]]]:
        """For a full-text query with filters that finds at most _MAX_SCORED targets: (the first ``top``
        of the ranking (all of it when None), best first: (-score, doc_id, position, id) per target (see
        rank.py); how many targets the query finds; with ``facets``, the columns browse.facet_counts
        takes (ids, province keys, deadline years, doc type keys, kind bits) of all of them, else None).
        None for any other query (``search`` then ranks in SQL).

        The candidates are read from the narrow ``target_ranking``, joined to ``targets`` only for a
        filter it does not hold (group, percentages, confidence). A facet column that a filter makes
        one value (province, doc type, a single year) is not read: it is that value."""
        words = query.words()
        if not words or query.kind not in (None, *KINDS):
            return None
        fts_facets, _ = self._facet_match(query)
        if not fts_facets:
            return None
        table, match = self._candidates_match(query, words, fts_facets)
        wide = query.has_sql_only_filter()
        conds, params = filter_sql(replace(query, kind=None), "?", "t" if wide else "r")
        if query.kind:
            conds.append(f"r.kinds & {1 << KINDS.index(query.kind)}")
        fixed = self._fixed_facets(query) if facets else {}
        facet_cols = [c for c in ("province_key", "deadline_year", "doc_type_key", "kinds") if c not in fixed]
        names = ["id", "doc_id", "position"] + _TEXT_COLS + (facet_cols if facets else [])
        source = (f"(SELECT rowid FROM {table} WHERE {table} MATCH ?) AS fts CROSS JOIN {_RANKING} AS r ON r.id = fts.rowid"
                  + (" CROSS JOIN targets AS t ON t.id = r.id" if wide else "")
                  + (" WHERE " + " AND ".join(conds) if conds else ""))
        total, columns = self._columns(source, names, [match] + params)
        if total > _MAX_SCORED:
            return None
        n = 3 + len(_TEXT_COLS)
        found = None
        if facets:
            read = dict(zip(facet_cols, columns[n:]))
            found = [columns[0]] + [read[c] if c in read else [fixed[c]] * total
                                    for c in ("province_key", "deadline_year", "doc_type_key", "kinds")]
        if not total or top is not None and top <= 0:
            return [], total, found
        return rank.ranking(words, *columns[:n], top=top), total, found

    def _columns(self, source: str, names: list[str], params: list) -> tuple[int, list]:
        """(how many rows, up to _MAX_SCORED + 1, FROM ``source`` gives; their columns ``names`` of ``r``,
        each a sequence of values, row by row)."""
        rows = self._query(f"SELECT {', '.join('r.' + c for c in names)} FROM {source} LIMIT {_MAX_SCORED + 1}", params)
        return len(rows), list(zip(*rows)) or [()] * len(names)

    @staticmethod
    def _fixed_facets(query) -> dict:
        """The facet columns that every target found by ``query`` has the same value in (the value the
        SQL filter compares them with)."""
        fixed = {}
        if query.province:
            fixed["province_key"] = search.province_key(query.province) or ""
        if query.doc_type:
            fixed["doc_type_key"] = search.key(query.doc_type) or ""
        if query.year_from is not None and query.year_from == query.year_to:
            fixed["deadline_year"] = query.year_from
        return fixed

    def hits(self, ranking: list[tuple]) -> list[dict]:
        """The search hits of part of a ``scored`` ranking, in its order."""
        if not ranking:
            return []
        by_id = {r[0]: r for r in self._query(
            f"SELECT {EXPORT_SELECT} FROM targets AS t WHERE t.id IN ({', '.join('?' * len(ranking))})",
            [r[3] for r in ranking])}
        names = schema.EXPORT_COLUMNS + ["score"]
        return [schema.to_python(dict(zip(names, by_id[r[3]] + (-r[0],)))) for r in ranking]

    def _candidates_match(self, query, words, facets) -> tuple[str, str]:
        """(FTS table, MATCH expression) giving every target that holds the words and the filter tokens
        (or more: the SQL filters decide). Within one province, its words in the province index."""
        key = search.province_key(query.province) if query.province else None
        if key and all(_PLAIN_WORD.fullmatch(w) for w in words):
            prefix = "p" + key.replace(" ", "") + "x"
            return _PROVINCE_FTS, " AND ".join(f'"{prefix}{w}"' for w in words)
        return "targets_fts", self._match(words, facets)

    @staticmethod
    def _match(words, facets) -> str:
        text = "{" + " ".join(_TEXT_COLS) + "} : (" + " AND ".join(f'"{w}"' for w in words) + ")"
        return " AND ".join([text] + [f"fts_filters : ({f})" for f in facets])

    def _fulltext_sql(self, query, words, conds, params):
        """FTS5 does the filtering it can (province, years, kind, doc type as tokens); when that is all
        of it, the ranking and LIMIT run inside the FTS index and only the hits are joined."""
        facets, complete = self._facet_match(query)
        match = self._match(words, facets)
        select = f"SELECT {EXPORT_SELECT}, -fts.rank AS score"
        if complete and query.limit:
            inner = (f"SELECT rowid, rank FROM targets_fts WHERE targets_fts MATCH ? "
                     f"ORDER BY rank LIMIT {int(query.limit)}")
            sql = f"{select} FROM ({inner}) AS fts CROSS JOIN targets AS t ON t.id = fts.rowid"
        else:
            sql = (f"{select} FROM (SELECT rowid, rank FROM targets_fts WHERE targets_fts MATCH ?) AS fts "
                   "CROSS JOIN targets AS t ON t.id = fts.rowid")
        if conds:
            sql += " WHERE " + " AND ".join(conds)
        sql += " ORDER BY score DESC, t.doc_id, t.position" + (f" LIMIT {int(query.limit)}" if query.limit else "")
        return sql, [match] + params

    def _facet_match(self, query) -> tuple[list[str], bool]:
        """FTS5 sub-expressions for the filters that are tokens, and whether they cover every filter."""
        facets = []
        for token in schema.facet_tokens(
                kinds=(query.kind,) if query.kind else (),
                province_key=search.province_key(query.province) if query.province else None,
                doc_type_key=search.key(query.doc_type) if query.doc_type else None):
            facets.append(f'"{token}"')
        if query.province and not search.province_key(query.province) or \
                query.doc_type and not search.key(query.doc_type):
            facets.append('"nomatch"')  # an empty key matches nothing (as the SQL filter does)
        years_done = query.year_from is None and query.year_to is None
        if not years_done and not query.province:  # with a province, years are cheaper as a SQL filter
            years = self._year_range(query.year_from, query.year_to)
            if years is not None:
                facets.append(" OR ".join(f'"y{y}"' for y in years) or '"nomatch"')
                years_done = True
        complete = years_done and not query.has_sql_only_filter()
        return facets, complete

    def _year_range(self, lo, hi):
        (first, last), = self._query("SELECT min(deadline_year), max(deadline_year) FROM targets")
        if first is None:
            return []
        lo = first if lo is None else max(lo, first)
        hi = last if hi is None else min(hi, last)
        return range(lo, hi + 1) if hi - lo <= _MAX_YEAR_SPAN else None

    def optimize(self) -> None:
        """Merge the full-text index and refresh planner statistics (after a large ingest)."""
        with self._lock:
            self.conn.execute("INSERT INTO targets_fts(targets_fts) VALUES ('optimize')")
            self.conn.execute("PRAGMA optimize=0x10002")

    def close(self) -> None:
        with self._lock:
            try:
                self.conn.execute("PRAGMA optimize")  # refreshes planner statistics when they are stale
            except sqlite3.DatabaseError:
                pass
            self.conn.close()


_DJ_WORD = re.compile(r"[^\W_]*đ[^\W_]*")


def _with_dj_words(words: list[str], source: Optional[str]) -> Optional[str]:
    """The folded words, plus each original word spelled with "đ" (unicode61 keeps đ apart from d): so a
    Datasette search typed "đào tạo" finds the text too. chitieu's own queries are folded and never
    contain "đ", so these extra words change no result of `chitieu search`."""
    text = " ".join(words)
    if source and ("đ" in source or "Đ" in source):
        extra = _DJ_WORD.findall(unicodedata.normalize("NFC", source.lower()))
        text = " ".join([text] + extra)
    return text or None


def _target_values(row: dict) -> list:
    values = [_value(row[c.name]) for c in schema.TARGET_COLUMNS]
    texts = [_with_dj_words(words, row[source])
             for words, (_, source, _) in zip(schema.fts_tokens(row), schema.FTS_FIELDS)]
    return values + texts + [" ".join(schema.row_facets(row)) or None]
