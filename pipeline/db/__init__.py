"""The searchable target database: SQLite by default, PostgreSQL when shared.

    store = open_store("targets.db")            # or "postgresql://user:pw@host/db"
    ingest_paths(store, ["out.jsonl"])          # record JSONL or raw documents
    store.search(SearchQuery(text="can bo cap xa", province="Dak Nong", year_from=2020))
    store.stats(); store.export("targets.parquet", "parquet")
"""
from .base import BaseStore, IngestCounts, Stats  # noqa: F401
from .errors import StoreError  # noqa: F401
from .load import IngestReport, Rejection, ingest_items, ingest_paths, iter_inputs  # noqa: F401
from .search import SearchQuery, fold, tokens  # noqa: F401
from .store import open_store  # noqa: F401
