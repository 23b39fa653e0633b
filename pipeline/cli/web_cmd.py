"""`chitieu serve` (the HTTP API and pages, pipeline.web) and `chitieu show` (a static HTML report)."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from ..errors import ChitieuError
from . import main
from .db_cmd import db_options


def _need_web():
    try:
        import fastapi  # noqa: F401
        import jinja2  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as exc:
        raise click.ClickException(f"the server needs {exc.name}: pip install 'chitieu[web]'") from None


@main.command("serve")
@db_options
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every interface).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--read-only", is_flag=True, help="No write endpoints: no storing, no deleting.")
@click.option("--token-file", type=click.Path(dir_okay=False, exists=True),
              help="File holding the token that write requests must send (Authorization: Bearer TOKEN).")
@click.option("--max-upload", type=click.IntRange(1), default=20, show_default=True, help="Largest request body, in MB.")
@click.option("--workers", type=click.IntRange(1), default=1, show_default=True,
              help="Server processes (each with its own connections); more use more cores.")
@click.option("--threads", type=click.IntRange(1, 64), default=2, show_default=True,
              help="Requests each process works on at once; the others wait their turn.")
def serve_command(db, pg_schema, host, port, read_only, token_file, max_upload, workers, threads):
    """Serve the target database: JSON API (/api, /docs) and pages (search, document, new, overview).

    Example: chitieu serve --db targets.db --read-only
    """
    _need_web()
    import uvicorn

    from ..web.app import ENV_SETTINGS, Settings, create_app, read_token

    values = {"db": db, "pg_schema": pg_schema, "read_only": read_only, "max_upload": max_upload * 1024 * 1024,
              "threads": threads}
    try:
        token = read_token(token_file) if token_file else None
        app = create_app(Settings(**values, token=token))  # checks the database before serving
    except ChitieuError as exc:
        raise click.ClickException(str(exc).splitlines()[0]) from None
    mode = "read-only" if read_only else ("writes need the token" if token else "writes open")
    click.echo(f"chitieu serve: {db} on http://{host}:{port} ({mode}, {workers} process(es))", err=True)
    if workers == 1:
        uvicorn.run(app, host=host, port=port, log_level="warning")
        return
    app.state.pool.close()
    os.environ[ENV_SETTINGS] = json.dumps({**values, "token_file": token_file})
    uvicorn.run("pipeline.web.app:app_from_environment", factory=True, workers=workers, host=host, port=port,
                log_level="warning")


@main.command("show")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, allow_dash=True),
              help="HTML file to write ('-': stdout).")
def show_command(paths, output):
    """Extract PATHS and write their document view (text with marked evidence, targets, metadata)
    as one self-contained HTML file: no server, no network, styles inline.

    Example: chitieu show corpus/docs/dev_006_daynghe_laodong_nongthon_hatinh.txt -o report.html
    """
    from ..web.report import report_html

    page, failed = report_html(paths)
    for exc in failed:
        click.echo(f"skipped: {exc}", err=True)
    if output == "-":
        click.echo(page)
    else:
        Path(output).write_text(page, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
    if failed:
        sys.exit(1)
