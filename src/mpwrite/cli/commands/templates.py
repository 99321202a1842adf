"""``mpwrite templates …``: tools for people writing campaign folders."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mpwrite.cli.commands._output import note

app = typer.Typer(help="Check campaign letter templates.", no_args_is_help=True)


@app.command("check")
def check(
    path: Annotated[Path, typer.Argument(help="The campaign folder to check.")],
) -> None:
    """Check a campaign folder: manifest, both languages, every template renders."""
    from mpwrite.letter.check import check_campaign

    report = check_campaign(path)
    for warning in report.warnings:
        note(warning)
    for problem in report.problems:
        typer.echo(problem)
    if not report.ok:
        count = len(report.problems)
        note(f"{count} problem{'s' if count != 1 else ''} in {path}")
        raise typer.Exit(1)
    typer.echo(f"OK: {report.templates_checked} templates")
