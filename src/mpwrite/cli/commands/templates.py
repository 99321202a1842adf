"""``mpwrite templates …``: tools for people writing campaign folders."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mpwrite.cli.commands._output import note
from mpwrite.i18n import N_, _

app = typer.Typer(help=N_("Check campaign letter templates."), no_args_is_help=True)


@app.command(
    "check", help=N_("Check a campaign folder: manifest, both languages, every template renders.")
)
def check(
    path: Annotated[Path, typer.Argument(help=N_("The campaign folder to check."))],
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
        note(
            (_("1 problem in {path}") if count == 1 else _("{count} problems in {path}")).format(
                count=count, path=path
            )
        )
        raise typer.Exit(1)
    typer.echo(_("OK: {count} templates").format(count=report.templates_checked))
