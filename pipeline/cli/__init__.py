"""The `chitieu` command: a thin click group. Each sub-command lives in its own module and wraps one
library call; errors from the library (ChitieuError) become one-line messages here."""
from __future__ import annotations

import click

from .. import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="chitieu")
def main() -> None:
    """chitieu: quantified targets from Vietnamese plan documents, as validated JSON records."""


def _register() -> None:
    from . import schema_cmd, extract_cmd, eval_cmd, db_cmd, train_cmd, web_cmd  # noqa: F401  (each adds its commands)


_register()
