"""Write the targets table of a store as CSV or Parquet."""
from __future__ import annotations

import csv
from typing import TYPE_CHECKING

from . import schema
from .errors import StoreError

if TYPE_CHECKING:
    from .base import BaseStore

FORMATS = ("csv", "parquet")
_ARROW_TYPES = {"text": "string", "int": "int32", "bigint": "int64", "real": "float64", "bool": "bool_",
                "date": "date32"}


def write_export(store: "BaseStore", path: str, fmt: str) -> int:
    writers = {"csv": _write_csv, "parquet": _write_parquet}
    if fmt not in writers:
        raise StoreError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    try:
        return writers[fmt](store, path)
    except OSError as exc:  # no such folder, no permission, disk full (pyarrow's IO errors are OSErrors)
        raise StoreError(f"{path}: cannot write ({getattr(exc, 'strerror', None) or exc})") from exc


def _write_csv(store: "BaseStore", path: str) -> int:
    n = 0
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(schema.EXPORT_COLUMNS)
        for rows in store.iter_export():
            for row in rows:
                writer.writerow(schema.to_python(dict(zip(schema.EXPORT_COLUMNS, row))).values())
            n += len(rows)
    return n


def _write_parquet(store: "BaseStore", path: str) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise StoreError("Parquet export needs pyarrow: pip install 'chitieu[parquet]'") from exc
    fields = [pa.field(name, getattr(pa, _ARROW_TYPES[schema.COLUMN_TYPES[name]])())
              for name in schema.EXPORT_COLUMNS]
    arrow_schema = pa.schema(fields)
    n = 0
    with pq.ParquetWriter(path, arrow_schema) as writer:
        for rows in store.iter_export():
            columns = list(zip(*rows))
            arrays = [pa.array([_arrow_value(v, f.type) for v in col], type=f.type)
                      for col, f in zip(columns, fields)]
            writer.write_table(pa.Table.from_arrays(arrays, schema=arrow_schema))
            n += len(rows)
    return n


def _arrow_value(v, arrow_type):
    import datetime

    import pyarrow as pa

    if v is None:
        return None
    if pa.types.is_boolean(arrow_type):
        return bool(v)
    if pa.types.is_date32(arrow_type) and isinstance(v, str):
        return datetime.date.fromisoformat(v)
    return v
