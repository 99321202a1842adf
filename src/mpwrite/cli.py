"""The ``mpwrite`` command line: parse, call the core, render.

Each command lives in its own module under ``mpwrite.commands``. This module
builds the app and is the one place where a domain error becomes
``Error: …`` on stderr and an exit code.
"""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from mpwrite import __version__
from mpwrite.commands import bulk as bulk_commands
from mpwrite.commands import data as data_commands
from mpwrite.commands import demands as demands_commands
from mpwrite.commands import draft as draft_commands
from mpwrite.commands import event as event_commands
from mpwrite.commands import lookup as lookup_commands
from mpwrite.commands import templates as templates_commands
from mpwrite.errors import MpwriteError


class ErrorReportingGroup(TyperGroup):
    """Turns mpwrite's own errors into one line on stderr and an exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except MpwriteError as error:
            typer.echo(f"Error: {error}", err=True)
            raise typer.Exit(error.exit_code) from None


app = typer.Typer(
    cls=ErrorReportingGroup,
    name="mpwrite",
    help="Write to your Member of Parliament: find your MP by postal code and fill a "
    "campaign letter.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"mpwrite {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", help="Show the version and exit.", callback=_version, is_eager=True
    ),
) -> None:
    """Write to your Member of Parliament."""


app.command("lookup")(lookup_commands.lookup)
app.command("bulk")(bulk_commands.bulk)
app.command("ridings")(lookup_commands.ridings)
app.add_typer(data_commands.app, name="data")
app.command("draft")(draft_commands.draft)
app.command("event")(event_commands.event)
app.command("demands")(demands_commands.demands)
app.add_typer(templates_commands.app, name="templates")


def main() -> None:
    """Entry point of the ``mpwrite`` console script."""
    app()
