"""A fixed set of open stores, one per concurrent request: each has its own connection, so searches
run while another connection writes (SQLite in WAL mode; PostgreSQL sessions); and the cache of
search results they share.

With SQLite, the requests that read (searches, pages, documents, counts) run one at a time per
process (``reading``, taken by web.app.one_at_a_time). Their work is CPU work in this process: two
at once take turns on the interpreter lock (the sqlite3 module lets go of it at every row it reads)
and both run slower than one after the other (``python bench/facets_inproc.py --threads 2``).
Extraction and writes go on beside them. PostgreSQL does a read's work in the database server, and
its reads are not held."""
from __future__ import annotations

import queue
import threading
from contextlib import contextmanager, nullcontext
from typing import Iterator, Optional

from ..db import BaseStore, SearchQuery, browse, open_store
from .cache import ResultCache

CACHED_HITS = 100  # pages up to this size are cached (larger ones are downloads)


class StorePool:
    def __init__(self, url: str, *, size: int = 8, pg_schema: Optional[str] = None, create: bool = True,
                 cache_size: int = 256) -> None:
        self.url = url
        self.cache = ResultCache(cache_size)
        self._free: "queue.Queue[BaseStore]" = queue.Queue()
        self._all: list[BaseStore] = []
        first = open_store(url, pg_schema=pg_schema, create=create)  # creates the database when allowed
        self.reading = threading.Lock() if browse.is_sqlite(first) else nullcontext()  # see the docstring
        self._add(first)
        for _ in range(size - 1):
            self._add(open_store(url, pg_schema=pg_schema, create=False))

    def _add(self, store: BaseStore) -> None:
        self.cache.track(store)
        self._all.append(store)
        self._free.put(store)

    @contextmanager
    def store(self) -> Iterator[BaseStore]:
        """A store for the length of one request (waits while all are busy)."""
        s = self._free.get()
        try:
            yield s
        finally:
            self._free.put(s)

    def results(self, query: SearchQuery, offset: int, size: int, *, facets: bool = False) -> browse.Results:
        """browse.results on one of the stores, from the cache when the same search was answered since
        the data last changed."""
        with self.store() as s:
            if size > CACHED_HITS:
                return browse.results(s, query, offset, size, facets=facets)
            return self.cache.get(s, (query, offset, size, facets),
                                  lambda: browse.results(s, query, offset, size, facets=facets))

    def close(self) -> None:
        for s in self._all:
            s.close()
