"""The ``mpwrite`` command line: parse, call the core, render.

Each command lives in its own module under ``mpwrite.cli.commands``. This module
builds the app and is the one place where a domain error becomes
``Error: …`` on stderr and an exit code.

``mpwrite lookup K1A0A6`` must start about as fast as a one-command Typer app,
so :func:`main` builds an app holding only the command being run when the
first argument names one; anything else (``--help``, ``--version``, a typo)
gets the whole app. ``mpwrite.cli.root.app`` is always the whole app. Shell
completion needs no special case: the shell runs ``mpwrite`` with no arguments
(the words to complete are in environment variables), so it gets the whole app.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterable, Sequence
from typing import Any

import typer
from typer._click.exceptions import UsageError as ClickUsageError
from typer.core import TyperGroup

from mpwrite import __version__
from mpwrite.errors import MpwriteError
from mpwrite.i18n import N_

#: Command name → (module, function), in the order ``mpwrite --help`` lists them.
COMMANDS: dict[str, tuple[str, str]] = {
    "lookup": ("mpwrite.cli.commands.lookup", "lookup"),
    "bulk": ("mpwrite.cli.commands.bulk", "bulk"),
    "ridings": ("mpwrite.cli.commands.lookup", "ridings"),
    "draft": ("mpwrite.cli.commands.draft", "draft"),
    "call": ("mpwrite.cli.commands.call", "call"),
    "event": ("mpwrite.cli.commands.event", "event"),
    "demands": ("mpwrite.cli.commands.demands", "demands"),
    "report": ("mpwrite.cli.commands.report", "report"),
}
#: What ``--help`` says of each command (its docstring, marked for translation).
COMMAND_HELP: dict[str, str] = {
    "lookup": N_("Find the MP for a postal code or a riding."),
    "bulk": N_("Write a letter for every supporter in a CSV file, with a report on every row."),
    "ridings": N_("List ridings and their MPs, to find the right --riding."),
    "draft": N_("Write a campaign letter to your MP."),
    "call": N_("Call your MP: the numbers to dial and a short script for a demand."),
    "event": N_("Run a letter-writing table: one supporter after another, nothing kept."),
    "demands": N_("List a campaign's demands: number, id, title, summary and numbered asks."),
    "report": N_("Letters, calls and meetings per MP, province and party; replies; overdue MPs."),
}
#: Command groups (``mpwrite data info`` …): name → module holding a Typer ``app``.
GROUPS: dict[str, str] = {
    "data": "mpwrite.cli.commands.data",
    "templates": "mpwrite.cli.commands.templates",
    "replies": "mpwrite.cli.commands.replies",
    "ledger": "mpwrite.cli.commands.ledger",
}


class ErrorReportingGroup(TyperGroup):
    """Turns mpwrite's own errors into one line on stderr and an exit code.

    It also chooses the language of the run before anything is parsed, so that
    Typer's help pages and usage errors are in it too.
    """

    def main(self, args: Sequence[str] | None = None, *rest: Any, **options: Any) -> Any:
        from mpwrite.i18n import forget_language, language, use_language

        forget_language()  # a command's --lang holds for that run only
        arguments = sys.argv[1:] if args is None else args
        if any(argument == "-l" or argument.startswith("--lang") for argument in arguments):
            from mpwrite.cli.typer_words import language_in_arguments

            use_language(language_in_arguments(arguments))
        if language() == "en":
            return super().main(args, *rest, **options)
        from mpwrite.cli.typer_words import speaking_french

        with speaking_french(self):
            return super().main(args, *rest, **options)

    def make_context(self, *args: Any, **options: Any) -> Any:
        try:
            return super().make_context(*args, **options)
        except ClickUsageError as error:
            raise _in_language(error) from None

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except ClickUsageError as error:
            raise _in_language(error) from None
        except MpwriteError as error:
            from mpwrite.i18n import _

            typer.echo(_("Error: {message}").format(message=error), err=True)
            raise typer.Exit(error.exit_code) from None


def _in_language(error: ClickUsageError) -> ClickUsageError:
    from mpwrite.i18n import language

    if language() == "en":
        return error
    from mpwrite.cli.typer_words import in_french

    return in_french(error)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"mpwrite {__version__}")
        raise typer.Exit()


def _root(
    version: bool = typer.Option(
        False, "--version", help=N_("Show the version and exit."), callback=_version, is_eager=True
    ),
) -> None:
    """Write to your Member of Parliament."""


def build_app(names: Iterable[str] | None = None) -> typer.Typer:
    """The app with the named commands and groups, or with all of them."""
    wanted = set(COMMANDS) | set(GROUPS) if names is None else set(names)
    built = typer.Typer(
        cls=ErrorReportingGroup,
        name="mpwrite",
        help=N_(
            "Write to your Member of Parliament: find your MP by postal code and fill a "
            "campaign letter."
        ),
        no_args_is_help=True,
        add_completion=True,
        pretty_exceptions_enable=False,
    )
    built.callback()(_root)
    for name, (module, function) in COMMANDS.items():
        if name in wanted:
            built.command(name, help=COMMAND_HELP.get(name))(
                getattr(importlib.import_module(module), function)
            )
    for name, module in GROUPS.items():
        if name in wanted:
            built.add_typer(importlib.import_module(module).app, name=name)
    return built


def __getattr__(name: str) -> Any:
    # ``from mpwrite.cli.root import app`` (tests, embedding) gets the whole app,
    # built once on first use rather than on every start-up.
    if name == "app":
        whole = build_app()
        globals()["app"] = whole
        return whole
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: Options whose value is a file or folder name: on POSIX a name need not be
#: UTF-8, and Python hands it over intact, so only these may carry such bytes.
PATH_OPTIONS = frozenset(
    {"--campaign", "--note-file", "--out", "--output", "-o", "--save-dir"}
    | {"--ledger", "--html", "--csv", "--supporters"}
)


def undecodable_argument(arguments: list[str]) -> str | None:
    """A usage error for the first argument that is not valid text, or None.

    Python decodes bytes that are not UTF-8 into lone surrogates, which crash
    the first time a letter, a link or a message is encoded. A file name is
    let through (an existing path, or the value of a path option); any other
    text is refused before a command runs.
    """
    import os

    for index, argument in enumerate(arguments):
        try:
            argument.encode("utf-8")
        except UnicodeEncodeError:
            pass
        else:
            continue
        option, has_value, value = argument.partition("=")
        previous = arguments[index - 1] if index else ""
        if (has_value and option in PATH_OPTIONS) or previous in PATH_OPTIONS:
            continue
        if os.path.lexists(argument):
            continue
        if has_value and option.startswith("-"):
            named, argument = f"the value of {option}", value
        elif previous.startswith("-"):
            named = f"the value of {previous}"
        else:
            named = f"argument {index + 1}"
        shown = os.fsencode(argument).decode("utf-8", "backslashreplace")
        return (
            f"{named} ({shown[:40]!s}{'…' if len(shown) > 40 else ''}) is not valid UTF-8 "
            f"text; retype it, or set your terminal to UTF-8"
        )
    return None


def main() -> None:
    """Entry point of the ``mpwrite`` console script."""
    problem = undecodable_argument(sys.argv[1:])
    if problem:
        sys.stderr.write(f"Error: {problem}\n")
        raise SystemExit(2)
    first = sys.argv[1] if len(sys.argv) > 1 else ""
    if first in COMMANDS or first in GROUPS:
        build_app([first])()
    else:
        build_app()()
