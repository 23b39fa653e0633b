"""What both backends share: the store interface, search/stats/export SQL built once."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Hashable, Iterable, Iterator, Optional

from schemas import DocumentRecord

from . import schema
from .errors import StoreError
from .search import KINDS, SearchQuery, filter_sql

EXPORT_SELECT = ", ".join(f"t.{c}" for c in schema.EXPORT_COLUMNS)


@dataclass
class IngestCounts:
    documents: int = 0
    targets: int = 0
    replaced: int = 0

    def add(self, other: "IngestCounts") -> None:
        self.documents += other.documents
        self.targets += other.targets
        self.replaced += other.replaced


@dataclass
class Stats:
    documents: int
    targets: int
    by_province: list[tuple[Optional[str], int]] = field(default_factory=list)
    by_year: list[tuple[Optional[int], int]] = field(default_factory=list)
    by_group_head: list[tuple[Optional[str], int]] = field(default_factory=list)
    by_kind: list[tuple[str, int]] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"documents": self.documents, "targets": self.targets,
                **{name: [{"value": v, "targets": n} for v, n in getattr(self, name)]
                   for name in ("by_province", "by_year", "by_group_head", "by_kind")}}


class BaseStore:
    """A target database. Subclasses provide the connection, DDL, batch writes and full-text SQL."""

    ph = "?"  # the driver's parameter placeholder
    url: str

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self.writes = 0  # write transactions through this store (committed or not)

    # -- writing ----------------------------------------------------------------------------
    def ingest_record(self, record: DocumentRecord) -> IngestCounts:
        """Store one document, replacing an earlier version (same doc_id or same text), atomically."""
        return self.ingest_batch([record])

    def ingest_batch(self, records: list[DocumentRecord]) -> IngestCounts:
        """Store several documents in ONE transaction (all or nothing); later ones replace earlier ones."""
        if not records:
            return IngestCounts()
        kept, replaced_in_batch = schema.dedupe_batch(records)
        with self._lock:
            try:
                replaced = self._write(kept)
            finally:
                self.writes += 1
        return IngestCounts(len(kept), sum(len(k.targets) for k in kept), replaced + replaced_in_batch)

    def _write(self, docs: list[schema.FlatDocument]) -> int:  # pragma: no cover - abstract
        raise NotImplementedError

    # -- reading ----------------------------------------------------------------------------
    def _query(self, sql: str, params: Iterable = ()) -> list[tuple]:  # pragma: no cover - abstract
        raise NotImplementedError

    def _fulltext(self, words: list[str]) -> tuple[str, str, list, str]:  # pragma: no cover - abstract
        """(FROM clause, condition, params, score expression) of a full-text match on ``words``."""
        raise NotImplementedError

    def _fulltext_sql(self, query: SearchQuery, words: list[str], conds: list[str], params: list) -> tuple[str, list]:
        """The SELECT of a search with words: full-text match joined to the filters, best first."""
        source, cond, fts_params, score = self._fulltext(words)
        sql = f"SELECT {EXPORT_SELECT}, {score} AS score FROM {source} WHERE " + " AND ".join([cond] + conds)
        return sql + " ORDER BY score DESC, t.doc_id, t.position" + _limit(query), fts_params + params

    def search(self, query: SearchQuery) -> list[dict]:
        """Targets matching ``query``: best-ranked first when there are words, else by document.
        Each hit is a dict of the exported columns plus ``score`` (higher is better; None without words)."""
        if query.kind is not None and query.kind not in KINDS:
            raise StoreError(f"unknown kind {query.kind!r}: use one of {', '.join(KINDS)}")
        if query.matches_nothing():
            return []
        conds, params = filter_sql(query, self.ph)
        words = query.words()
        if words:
            sql, params = self._fulltext_sql(query, words, conds, params)
        else:
            where = " WHERE " + " AND ".join(conds) if conds else ""
            if query.limit:  # the ids first: sorting them needs only an index, not every matching row
                where = (f" WHERE t.id IN (SELECT t.id FROM targets AS t{where} ORDER BY t.doc_id, t.position"
                         f"{_limit(query)})")
            sql = f"SELECT {EXPORT_SELECT}, NULL AS score FROM targets AS t{where} ORDER BY t.doc_id, t.position"
        names = schema.EXPORT_COLUMNS + ["score"]
        return [schema.to_python(dict(zip(names, row))) for row in self._query(sql, params)]

    def data_version(self) -> Optional[Hashable]:
        """A value that changes whenever the data may have changed (a write through this store or any
        other connection); None when the backend cannot tell, and then nothing may be cached."""
        return None

    def stats(self) -> Stats:
        """Counts: documents, targets, targets by province, deadline year, group head and kind."""
        (docs,), = self._query("SELECT count(*) FROM documents")
        (targets,), = self._query("SELECT count(*) FROM targets")
        by = "ORDER BY 2 DESC, 1 NULLS LAST"
        provinces = self._query(f"SELECT min(province), count(*) FROM targets GROUP BY province_key {by}")
        years = self._query("SELECT deadline_year, count(*) FROM targets GROUP BY 1 ORDER BY 1 NULLS LAST")
        heads = self._query(f"SELECT group_head, count(*) FROM targets GROUP BY 1 {by}")
        kinds = self._query("SELECT count(pct_value), count(funding_amount), count(trainees_count) FROM targets")
        return Stats(int(docs), int(targets), _pairs(provinces), _pairs(years), _pairs(heads),
                     list(zip(KINDS, (int(n) for n in kinds[0]))))

    def iter_export(self, batch: int = 10_000) -> Iterator[list[tuple]]:
        """The targets table (exported columns, by id), in batches of rows."""
        last = -1
        while True:
            rows = self._query(f"SELECT {EXPORT_SELECT} FROM targets AS t WHERE t.id > {self.ph} "
                               f"ORDER BY t.id LIMIT {int(batch)}", [last])
            if not rows:
                return
            yield rows
            last = rows[-1][0]

    def export(self, path: str, fmt: str = "csv") -> int:
        """Write the targets table to ``path`` as csv or parquet; returns the number of rows."""
        from .export import write_export

        return write_export(self, path, fmt)

    # -- lifecycle --------------------------------------------------------------------------
    def close(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _limit(query: SearchQuery) -> str:
    return f" LIMIT {int(query.limit)}" if query.limit else ""


def _pairs(rows: list[tuple]) -> list[tuple]:
    return [(label, int(n)) for label, n in rows]
