"""`chitieu eval`: score the extractor (or saved predictions) against a gold file."""
from __future__ import annotations

import json

import click

from . import main
from .limit_options import written_in_option


@main.command("eval")
@click.option("--gold", "gold_path", required=True, type=click.Path(exists=True, dir_okay=False),
              help="Gold JSONL file (CONTRACT.md section 3).")
@click.option("--pred", "pred_path", type=click.Path(exists=True, dir_okay=False),
              help="Score these predicted records (JSONL) instead of running the extractor.")
@click.option("--split", type=click.Choice(["dev", "test", "holdout"]), help="Only gold lines with this split.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of the table.")
@click.option("--errors", "show_errors", is_flag=True,
              help="List missed and spurious targets and matched pairs that differ, per document.")
@written_in_option
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
def eval_command(gold_path: str, pred_path: str | None, split: str | None, as_json: bool,
                 show_errors: bool, written_in: int | None, paths: tuple[str, ...]) -> None:
    """Score extraction against gold: target P/R/F1, deadline, group, op, full record, doc numbers.

    PATH... are the documents (files, directories, JSONL); only those whose doc_id (file stem or
    JSONL id) is in the gold file are extracted.

    Example: chitieu eval --gold corpus/gold.jsonl --split test corpus/docs
    """
    from ..errors import ChitieuError
    from ..eval import evaluate, render

    if not paths and not pred_path:
        raise click.UsageError("give the documents (PATH...) or --pred PRED.jsonl")
    if paths and pred_path:
        raise click.UsageError("give either PATH... or --pred, not both")
    try:
        report = evaluate(gold_path, paths=paths, pred_path=pred_path, split=split, written_in=written_in)
    except ChitieuError as exc:
        click.echo(f"chitieu eval: error: {exc}", err=True)
        raise SystemExit(2)
    if as_json:
        out = report.to_dict()
        if show_errors:
            out["errors"] = render.errors_json(report)
        click.echo(json.dumps(out, ensure_ascii=False))
        return
    source = f"--pred {pred_path}" if pred_path else " ".join(paths)
    click.echo(render.table(report, title=f"chitieu eval --gold {gold_path}"
                            f"{f' --split {split}' if split else ''} {source}"))
    if show_errors:
        click.echo("")
        click.echo(render.errors(report))
