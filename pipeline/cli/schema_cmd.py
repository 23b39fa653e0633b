"""`chitieu schema`: print the JSON Schema of a document record."""
from __future__ import annotations

import click

from . import main


@main.command("schema")
def schema_command() -> None:
    """Print the JSON Schema of the document record.

    Example: chitieu schema > record.schema.json
    """
    from schemas import schema_json

    click.echo(schema_json(), nl=False)
