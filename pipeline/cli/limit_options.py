"""The per-document options shared by commands: limits (`chitieu extract`, `chitieu ingest`) and the year
undated documents were written in (`chitieu extract`, `chitieu eval`)."""
from __future__ import annotations

import re
from typing import Optional

import click

from ..limits import Limits

_DEFAULT = Limits()
_UNITS = {"": 1, "k": 1 << 10, "kb": 1 << 10, "kib": 1 << 10, "m": 1 << 20, "mb": 1 << 20, "mib": 1 << 20,
          "g": 1 << 30, "gb": 1 << 30, "gib": 1 << 30}


class ByteSize(click.ParamType):
    """A size in bytes: 5000000, 16M, 64MiB, 1G (binary units); 0 turns the limit off."""

    name = "SIZE"

    def convert(self, value, param, ctx) -> int:
        if isinstance(value, int):
            return value
        m = re.fullmatch(r"\s*(\d+)\s*([a-zA-Z]*)\s*", str(value))
        if not m or m.group(2).lower() not in _UNITS:
            self.fail(f"{value!r} is not a size (a number of bytes, or with K, M or G: 16M)", param, ctx)
        return int(m.group(1)) * _UNITS[m.group(2).lower()]


def limit_options(command):
    """Add --max-bytes, --max-unzipped and --doc-timeout to a click command."""
    options = [
        click.option("--max-bytes", type=ByteSize(), default=_DEFAULT.max_bytes, show_default="16M",
                     help="Largest document: a file, a JSONL line, standard input, or the text of a "
                          ".docx/.pdf (K, M, G units; 0 = no limit). A larger one is an error."),
        click.option("--max-unzipped", type=ByteSize(), default=_DEFAULT.max_unzipped, show_default="64M",
                     help="Most a .docx may unzip to (0 = no limit). A larger one is an error."),
        click.option("--doc-timeout", type=click.FloatRange(min=0), default=_DEFAULT.doc_timeout,
                     show_default=True, metavar="SECONDS",
                     help="Seconds to read a document, and again to extract it (0 = no limit). "
                          "A document over it is an error; the others go on."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def make_limits(max_bytes: Optional[int], max_unzipped: Optional[int], doc_timeout: Optional[float]) -> Limits:
    return Limits(max_bytes=max_bytes or None, max_unzipped=max_unzipped or None, doc_timeout=doc_timeout or None)


written_in_option = click.option(
    "--written-in", type=click.IntRange(1900, 2100), default=None, metavar="YEAR",
    help="The year the documents were written in (a news dump's crawl year), read for those without a date "
         "of their own (a date line, a JSONL 'published'); it dates 'năm nay' and tells past results from aims.")
