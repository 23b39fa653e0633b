"""`chitieu extract`: documents in, one validated JSONL record per document out (wraps pipeline.batch)."""
from __future__ import annotations

import sys

import click

from . import main
from .limit_options import limit_options, make_limits, written_in_option


@main.command("extract")
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default=None,
              help="JSONL output file (default: stdout).")
@click.option("--workers", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: number of cores; 1 = in this process).")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Where documents are extracted: local processes or Dask distributed.")
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="Dask scheduler address (tcp://host:8786) or scheduler file (*.json); "
                   "without it --engine dask starts a LocalCluster.")
@click.option("--resume", is_flag=True, help="Keep the output, drop a partial last line, skip doc_ids already there.")
@click.option("--errors", "errors", type=click.Path(dir_okay=False), default=None,
              help="JSONL file with one line per failed document {path, line, doc_id, error}.")
@click.option("--duplicates", type=click.Path(dir_okay=False), default=None,
              help="JSONL file listing documents skipped as duplicates of an earlier one.")
@click.option("--chunk-size", type=click.IntRange(min=1), default=None,
              help="Documents per task (default: 1 in-process, 4 local pool, 16 Dask).")
@click.option("--fsync/--no-fsync", default=False, show_default=True, help="Force each record to disk.")
@click.option("--progress/--no-progress", default=None,
              help="Progress bar on stderr (default: only when stderr is a terminal).")
@written_in_option
@limit_options
def extract_command(paths, output, workers, engine, scheduler, resume, errors, duplicates, chunk_size,
                    fsync, progress, written_in, max_bytes, max_unzipped, doc_timeout) -> None:
    """Extract targets from PATHS (files, directories, '-' for JSONL on stdin) into JSONL.

    One record per document, in input order; a summary goes to stderr; the exit status is 1 when
    any document failed.

    Example: chitieu extract corpus/docs -o out.jsonl --workers 4 --errors errors.jsonl --resume
    """
    from ..batch import run_batch
    from ..errors import ChitieuError

    if scheduler and engine != "dask":
        engine = "dask"
    try:
        summary = run_batch(paths, output=output, errors=errors, duplicates=duplicates, resume=resume,
                            engine=engine, workers=workers, scheduler=scheduler, chunk_size=chunk_size,
                            fsync=fsync, progress=progress,
                            limits=make_limits(max_bytes, max_unzipped, doc_timeout), written_in=written_in)
    except (ChitieuError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(summary.line(), err=True)
    if summary.interrupted:
        sys.exit(130)
    if summary.failed:
        sys.exit(1)
