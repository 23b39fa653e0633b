"""`chitieu ingest | search | stats | export`: the searchable target database (pipeline.db)."""
from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from ..errors import ChitieuError
from . import main
from .limit_options import limit_options, make_limits

_DB_HELP = "database: a SQLite file (created if missing) or postgresql://user:pw@host/db"


def db_options(func):
    """--db and --pg-schema, shared by every database command."""
    @click.option("--db", "db", default="targets.db", show_default=True, envvar="CHITIEU_DB", help=_DB_HELP)
    @click.option("--pg-schema", envvar="CHITIEU_PG_SCHEMA", default=None,
                  help="PostgreSQL only: keep the tables in this schema (created if missing).")
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs)
    return wrapper


def _open(db: str, pg_schema, create: bool = False):
    from ..db import open_store

    return open_store(db, pg_schema=pg_schema, create=create)


def _fail(exc: ChitieuError):
    raise click.ClickException(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)


@main.command("ingest")
@click.argument("paths", nargs=-1)
@db_options
@click.option("--watch", "watch_dir", type=click.Path(file_okay=False, exists=True),
              help="Keep watching FOLDER: ingest its files, then each new or changed one, until Ctrl-C.")
@click.option("--timeout", type=float, default=None, help="With --watch: stop after this many seconds.")
@click.option("--batch-size", type=click.IntRange(1), default=500, show_default=True,
              help="Documents per transaction.")
@limit_options
def ingest_command(paths, db, pg_schema, watch_dir, timeout, batch_size, max_bytes, max_unzipped, doc_timeout):
    """Store documents and their targets in the database.

    PATHS are record JSONL files (lines that are document records, as `chitieu extract` writes),
    raw documents or folders of them (extracted on the way), or - for standard input. A document
    ingested again (same doc_id or same text) replaces its earlier version. Invalid record lines
    are reported with file and line number and skipped; the exit status is then 1.

    Example: chitieu ingest out.jsonl --db targets.db
    """
    if not paths and not watch_dir:
        raise click.UsageError("give PATH... (or - for standard input) or --watch FOLDER")
    def echo_rejection(r):
        click.echo(f"rejected: {r}", err=True)
    from ..db.load import IngestReport

    report = IngestReport()  # filled as batches commit: right after Ctrl-C too
    limits = make_limits(max_bytes, max_unzipped, doc_timeout)
    try:
        with _open(db, pg_schema, create=True) as store:
            from ..db import ingest_paths

            if paths:
                ingest_paths(store, paths, batch_size=batch_size, on_rejection=echo_rejection, report=report,
                             limits=limits)
            if watch_dir:
                _watch(store, watch_dir, timeout, echo_rejection, report, limits)
    except ChitieuError as exc:
        _fail(exc)
    except KeyboardInterrupt:
        click.echo("stopped", err=True)
        if not watch_dir:  # Ctrl-C is how a watch ends; it cuts a plain ingest short
            _summary(report)
            sys.exit(130)
    _summary(report)
    if report.rejected:
        sys.exit(1)


def _summary(report) -> None:
    click.echo(f"stored {report.documents} documents ({report.targets} targets), replaced {report.replaced}, "
               f"rejected {len(report.rejected)}", err=True)


def _watch(store, folder, timeout, echo_rejection, total, limits):
    import threading

    from ..db.watch import watch

    stop = threading.Event()
    if timeout is not None:
        timer = threading.Timer(timeout, stop.set)
        timer.daemon = True
        timer.start()
    def on_file(path, r):
        click.echo(f"{path}: {r.documents} documents, {r.targets} targets", err=True)
    click.echo(f"watching {folder} (Ctrl-C to stop)", err=True)
    watch(store, folder, stop=stop, on_file=on_file, on_rejection=echo_rejection, total=total, limits=limits)


@main.command("search")
@click.argument("query", nargs=-1)
@db_options
@click.option("--group", help="Target group contains these words (diacritics optional).")
@click.option("--year-from", type=click.IntRange(0, 9999), help="Deadline year at least.")
@click.option("--year-to", type=click.IntRange(0, 9999), help="Deadline year at most.")
@click.option("--min-pct", type=click.FloatRange(0, 100), help="Percentage at least.")
@click.option("--max-pct", type=click.FloatRange(0, 100), help="Percentage at most.")
@click.option("--province", help="Province (plan.location), diacritics optional: 'Dak Nong'.")
@click.option("--kind", type=click.Choice(["percentage", "funding", "trainees"]), help="Targets with this quantity.")
@click.option("--doc-type", help="Document type: 'Kế hoạch', 'Quyết định' (diacritics optional).")
@click.option("--min-confidence", type=click.FloatRange(0, 1),
              help="Only targets whose calibrated confidence is at least this (0-1).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.option("--limit", type=click.IntRange(0, 1_000_000_000), default=20, show_default=True,
              help="At most N hits (0: all).")
def search_command(query, db, pg_schema, fmt, limit, **filters):
    """Full-text search over target group, indicator, evidence and title, best first.

    Words are plain words (no operators), all must occur; diacritics are optional ("can bo cap xa"
    finds "cán bộ cấp xã"). Filters narrow the hits; without words, hits are listed by document.

    Example: chitieu search can bo cap xa --province "Dak Nong" --year-from 2020 --db targets.db
    """
    from ..db import SearchQuery
    from ..db import render

    q = SearchQuery(text=" ".join(query) or None, limit=limit or None, **filters)
    try:
        with _open(db, pg_schema) as store:
            hits = store.search(q)
    except ChitieuError as exc:
        _fail(exc)
    click.echo({"table": render.hits_table, "json": render.hits_json, "csv": render.hits_csv}[fmt](hits))


@main.command("stats")
@db_options
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--top", type=click.IntRange(1), default=20, show_default=True, help="Rows per table (table format).")
def stats_command(db, pg_schema, fmt, top):
    """Counts of documents and targets, by province, deadline year, group head and kind.

    Example: chitieu stats --db targets.db
    """
    from ..db import render

    try:
        with _open(db, pg_schema) as store:
            stats = store.stats()
    except ChitieuError as exc:
        _fail(exc)
    click.echo(render.stats_table(stats, top) if fmt == "table" else render.stats_json(stats))


@main.command("export")
@db_options
@click.option("--format", "fmt", type=click.Choice(["csv", "parquet"]), default=None,
              help="Output format (default: from the file name, else csv).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="File to write.")
def export_command(db, pg_schema, fmt, output):
    """Write the targets table (one row per target, document fields included) as CSV or Parquet.

    Example: chitieu export --db targets.db --format parquet -o targets.parquet
    """
    fmt = fmt or ("parquet" if Path(output).suffix.lower() == ".parquet" else "csv")
    try:
        with _open(db, pg_schema) as store:
            n = store.export(output, fmt)
    except ChitieuError as exc:
        _fail(exc)
    click.echo(f"wrote {n} targets to {output}", err=True)
