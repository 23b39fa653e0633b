"""A small LRU cache of search results that never outlives a change of the database.

Every lookup first asks the store it is about to use for its data version (SQLite: ``PRAGMA
data_version``, which moves when another connection or process commits, and the count of the
store's own writes). When any store shows a version other than the one it showed last, the cache is
emptied before the lookup, so an answer computed before an ingest is never served after it. An
answer computed while the data changed is not kept (the generation moved during its computation).
Stores that cannot tell their version (PostgreSQL) are not cached.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable, Hashable, TypeVar

from ..db import BaseStore

T = TypeVar("T")


class ResultCache:
    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._entries: "OrderedDict[Hashable, object]" = OrderedDict()
        self._seen: dict[int, object] = {}  # id(store) -> the version it showed last
        self._generation = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def track(self, store: BaseStore) -> None:
        """Note the version of a store that will use the cache (before anything is cached through it)."""
        with self._lock:
            self._seen[id(store)] = store.data_version()

    def get(self, store: BaseStore, key: Hashable, compute: Callable[[], T]) -> T:
        """The cached value of ``key``, or ``compute()`` (kept unless the data changed meanwhile)."""
        version = store.data_version() if self.size else None
        if version is None:
            return compute()
        with self._lock:
            if self._seen.get(id(store)) != version:  # also a store not tracked: its first version says nothing
                self._seen[id(store)] = version
                self._entries.clear()
                self._generation += 1
            generation = self._generation
            if key in self._entries:
                self._entries.move_to_end(key)
                self.hits += 1
                return self._entries[key]  # type: ignore[return-value]
            self.misses += 1
        value = compute()
        with self._lock:
            if self._generation == generation:
                self._entries[key] = value
                while len(self._entries) > self.size:
                    self._entries.popitem(last=False)
        return value
