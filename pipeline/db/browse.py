"""What a browser of the database needs beyond `search`: the total of a query, facet counts, one
document with its targets, deleting a document, and the normalized text of a document.

Everything is built on the store's own pieces (``filter_sql``, the backend's full-text match), so a
count or a facet agrees with ``store.search`` for the same query on both backends.

Texts live in a table of their own, ``texts(text_sha256, text)``, keyed by the record's
``text_sha256`` (content-addressed: a text stored twice is stored once, and storing it never
conflicts with an ingest). Records ingested from JSONL have no text there; their documents are
shown by their evidence passages.
"""
from __future__ import annotations

from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Iterator, Optional

from . import schema
from .base import BaseStore
from .search import KIND_COLUMNS, KINDS, SearchQuery, filter_sql

FACETS = ("province", "deadline_year", "kind", "doc_type")
# what facets count, per target: its id, province key, deadline year, doc type key and kinds (one bit each,
# in KINDS order); summary and results read the same
_FACET_SELECT = "t.id, t.province_key, t.deadline_year, t.doc_type_key, " + " + ".join(
    f"CASE WHEN t.{c} IS NULL THEN 0 ELSE {1 << i} END" for i, c in enumerate(KIND_COLUMNS.values()))
_TEXTS_DDL = "CREATE TABLE IF NOT EXISTS texts (text_sha256 TEXT PRIMARY KEY, text TEXT NOT NULL)"


def is_sqlite(store: BaseStore) -> bool:
    from .sqlite import SQLiteStore

    return isinstance(store, SQLiteStore)


def _where(store: BaseStore, query: SearchQuery) -> tuple[str, list]:
    """FROM + WHERE of the targets matching ``query`` (full text and filters), as ``search`` reads them."""
    if query.kind is not None and query.kind not in KINDS:
        from .errors import StoreError

        raise StoreError(f"unknown kind {query.kind!r}: use one of {', '.join(KINDS)}")
    conds, params = filter_sql(query, store.ph)
    words = query.words()
    source = "targets AS t"
    if words and is_sqlite(store):
        facets, _ = store._facet_match(query)
        conds.insert(0, "t.id IN (SELECT rowid FROM targets_fts WHERE targets_fts MATCH ?)")
        params.insert(0, store._match(words, facets))
    elif words:
        source, cond, fts_params, _ = store._fulltext(words)
        conds.insert(0, cond)
        params = fts_params + params
    return source + (" WHERE " + " AND ".join(conds) if conds else ""), params


COUNT_CAP = 10_000  # totals and facets are exact up to this many hits (a broad query on a large database stops here)


def count(store: BaseStore, query: SearchQuery, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """(how many targets ``query`` finds, whether that is exact): at most ``cap``, as search engines
    report totals, so that counting a broad query on a million targets stays cheap."""
    where, params = _where(store, query)
    (n,), = store._query(f"SELECT count(*) FROM (SELECT 1 FROM {where} LIMIT {int(cap) + 1}) AS hits", params)
    return min(int(n), cap), int(n) <= cap


def summary(store: BaseStore, query: SearchQuery, cap: int = COUNT_CAP, top: int = 12) -> tuple[int, bool, dict]:
    """(total, exact, facets): the count of ``count`` and the hits' counts by province, deadline year,
    kind and doc type (largest first; years in order), over the first ``cap`` hits. A facet value is
    what the matching filter takes (``province=``, ``year_from``/``year_to``, ``kind=``, ``doc_type=``)."""
    where, params = _where(store, query)
    rows = store._query(f"SELECT {_FACET_SELECT} FROM {where} LIMIT {int(cap) + 1}", params)
    exact = len(rows) <= cap
    rows = rows[:cap]
    return len(rows), exact, facet_counts(store, list(zip(*rows)), top)


def facet_counts(store: BaseStore, columns: list[tuple], top: int = 12) -> dict:
    """The facets of targets given as the columns of ``_FACET_SELECT`` (none for no target). A
    province or doc type is shown as the target with the smallest id spells it (one key may be
    spelled several ways)."""
    ids, provinces, years, doc_types, kinds = columns or [()] * 5
    counts = {"province": Counter(provinces), "deadline_year": Counter(years), "kind": Counter(),
              "doc_type": Counter(doc_types)}
    for name in ("province", "doc_type"):
        counts[name].pop(None, None)
        counts[name].pop("", None)
    counts["deadline_year"].pop(None, None)
    for bits, n in Counter(kinds).items():
        for i, kind in enumerate(KINDS):
            if bits & (1 << i):
                counts["kind"][kind] += n
    facets = {}
    for name, counter in counts.items():
        ranked = sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0])))[:top]
        if name == "deadline_year":
            ranked.sort()
        facets[name] = ranked
    labels = _labels(store, ids, {"province": provinces, "doc_type": doc_types},
                     {name: [value for value, _ in facets[name]] for name in ("province", "doc_type")})
    return {name: [(labels.get((name, value), value), n) for value, n in rows] for name, rows in facets.items()}


def _labels(store: BaseStore, ids: tuple, keys: dict, shown: dict) -> dict:
    """(facet, key) -> the spelling of the key's target with the smallest id, for the keys ``shown``."""
    first: dict = {}  # (facet, key) -> smallest id
    for name, values in keys.items():
        if not shown[name]:
            continue
        if len(set(values)) == 1:  # one key (a filter on it)
            first[name, values[0]] = min(ids)
            continue
        ids_down, values_down = zip(*sorted(zip(ids, values), reverse=True))
        smallest = dict(zip(values_down, ids_down))  # the smallest id comes last: it stays
        first.update(((name, value), smallest[value]) for value in shown[name])
    if not first:
        return {}
    wanted = sorted(set(first.values()))
    by_id = {r[0]: r[1:] for r in store._query(
        f"SELECT t.id, t.province, t.doc_type FROM targets AS t WHERE t.id IN ({', '.join([store.ph] * len(wanted))})",
        wanted)}
    return {(name, value): by_id[i][0 if name == "province" else 1] for (name, value), i in first.items()}


@dataclass
class Results:
    """One page of a search with its total (exact up to COUNT_CAP) and, when asked for, its facets."""

    hits: list[dict]
    total: int
    exact: bool
    facets: Optional[dict] = None


def results(store: BaseStore, query: SearchQuery, offset: int, size: int, *, facets: bool = False) -> Results:
    """Hits ``offset`` .. ``offset + size`` of ``query`` (as ``page``), the total (as ``count``) and, with
    ``facets``, the facets (as ``summary``). A full-text query with filters that SQLite ranks in Python
    gives all three from the one read of its candidates."""
    scored = store.scored(query, facets, top=offset + size) if is_sqlite(store) else None
    if scored is not None:
        ranking, total, columns = scored
        return Results(store.hits(ranking[offset:offset + size]), total, True,
                       facet_counts(store, columns) if facets else None)
    hits = page(store, query, offset, size)
    if facets:
        total, exact, counts = summary(store, query)
        return Results(hits, total, exact, counts)
    if len(hits) < size and (hits or offset == 0):  # the last page: the total is known
        return Results(hits, offset + len(hits), True)
    return Results(hits, *count(store, query))


def page(store: BaseStore, query: SearchQuery, offset: int, size: int) -> list[dict]:
    """Hits ``offset`` .. ``offset + size`` of ``query``, in ``search``'s order."""
    return store.search(replace(query, limit=offset + size))[offset:]


def document(store: BaseStore, doc_id: str) -> Optional[tuple[dict, list[dict]]]:
    """(document row, target rows by position) as stored, or None when there is no such document.
    Rows have the shape of ``schema.flatten``'s (rules as a JSON list, dates as ISO strings)."""
    names = [c.name for c in schema.DOCUMENT_COLUMNS]
    rows = store._query(f"SELECT {', '.join(names)} FROM documents WHERE doc_id = {store.ph}", [doc_id])
    if not rows:
        return None
    doc = schema.to_python(dict(zip(names, rows[0])))
    cols = [c.name for c in schema.TARGET_COLUMNS]
    targets = [schema.to_python(dict(zip(cols, r))) for r in store._query(
        f"SELECT {', '.join('t.' + c for c in cols)} FROM targets AS t WHERE t.doc_id = {store.ph} "
        "ORDER BY t.position", [doc_id])]
    return doc, targets


def flat_record(record) -> tuple[dict, list[dict]]:
    """The same (document row, target rows) for a record that is not stored."""
    flat = schema.flatten(record)
    return flat.document, flat.targets


@contextmanager
def _transaction(store: BaseStore) -> Iterator[None]:
    with store._lock:
        try:
            with _transaction_of(store):
                yield
        finally:
            store.writes += 1


@contextmanager
def _transaction_of(store: BaseStore) -> Iterator[None]:
    if is_sqlite(store):
        store.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
            store.conn.execute("COMMIT")
        except BaseException:
            store.conn.execute("ROLLBACK")
            raise
    else:
        from .postgres import _LOCK_ID

        with store.conn.transaction():
            store.conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_ID,))
            yield


def _execute(store: BaseStore, sql: str, params: list) -> int:
    """Run one writing statement; returns the number of rows it changed."""
    return store.conn.execute(sql.replace("?", store.ph), params).rowcount


def delete(store: BaseStore, doc_id: str) -> bool:
    """Remove a document, its targets and its text (when no other document has it), in one transaction."""
    with _transaction(store):
        rows = store.conn.execute(f"SELECT text_sha256 FROM documents WHERE doc_id = {store.ph}", [doc_id]).fetchall()
        if not rows:
            return False
        _execute(store, "DELETE FROM targets WHERE doc_id = ?", [doc_id])
        _execute(store, "DELETE FROM documents WHERE doc_id = ?", [doc_id])
        _drop_orphan_text(store, rows[0][0])
    return True


def _has_texts(store: BaseStore) -> bool:
    if is_sqlite(store):
        return bool(store._query("SELECT 1 FROM sqlite_master WHERE name = 'texts'"))
    return bool(store._query("SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() "
                             "AND table_name = 'texts'"))


def _drop_orphan_text(store: BaseStore, sha: Optional[str]) -> None:
    if sha and _has_texts(store):
        _execute(store, "DELETE FROM texts WHERE text_sha256 = ? AND NOT EXISTS "
                        "(SELECT 1 FROM documents WHERE text_sha256 = ?)", [sha, sha])


def store_document(store: BaseStore, record, text: Optional[str]):
    """`chitieu ingest` of one extracted document, keeping its normalized ``text`` for the document
    view. Returns the store's IngestCounts (``replaced`` = 1 when an earlier version was replaced)."""
    old = store._query(f"SELECT text_sha256 FROM documents WHERE doc_id = {store.ph}", [record.doc_id])
    if text is not None and record.text_sha256:
        with _transaction(store):
            _execute(store, _TEXTS_DDL, [])
            _execute(store, "INSERT INTO texts (text_sha256, text) VALUES (?, ?) ON CONFLICT DO NOTHING",
                     [record.text_sha256, text])
    counts = store.ingest_record(record)
    if old and old[0][0] != record.text_sha256:
        with _transaction(store):
            _drop_orphan_text(store, old[0][0])
    return counts


def text_of(store: BaseStore, text_sha256: Optional[str]) -> Optional[str]:
    """The stored normalized text with this digest, or None."""
    if not text_sha256 or not _has_texts(store):
        return None
    rows = store._query(f"SELECT text FROM texts WHERE text_sha256 = {store.ph}", [text_sha256])
    return rows[0][0] if rows else None
