"""Typer's own words (usage errors, ``--help`` pages) in the language of messages.

Typer builds its help pages and usage errors from English text in its code
(its bundled Click has no catalogue), so in French :func:`speaking_french`
translates them for one run: the help of every command and option (marked
``N_()`` where declared), the titles and tags of the help pages, the
``Usage:`` line and the usage errors, recognised by their English wording.
An English run only looks for ``--lang`` on the command line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import typer
from typer._click.exceptions import UsageError
from typer._click.formatting import HelpFormatter

from mpwrite.i18n import N_, _

#: Typer's settings for the words of its help pages and error boxes.
_PAGE_WORDS = {
    "ARGUMENTS_PANEL_TITLE": N_("Arguments"),
    "OPTIONS_PANEL_TITLE": N_("Options"),
    "COMMANDS_PANEL_TITLE": N_("Commands"),
    "ERRORS_PANEL_TITLE": N_("Error"),
    "ABORTED_TEXT": N_("Aborted."),
    "RICH_HELP": N_("Try [blue]'{command_path} {help_option}'[/] for help."),
    "DEFAULT_STRING": N_("[default: {}]"),
    "REQUIRED_LONG_STRING": N_("[required]"),
    "ENVVAR_STRING": N_("[env var: {}]"),
    "DEPRECATED_STRING": N_("(deprecated) "),
}

#: The help of the options Typer adds itself (translated with the rest of the help).
_OPTION_HELP = (
    N_("Show this message and exit."),
    N_("Install completion for the current shell."),
    N_("Show completion for the current shell, to copy it or customize the installation."),
)

#: Typer's and Click's usage errors, as they word them, and the same in our catalogue.
_USAGE_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.DOTALL), message)
    for pattern, message in (
        (
            r"No such option: (?P<option>\S+) \(Possible options: (?P<options>.+)\)",
            N_("No such option: {option} (Possible options: {options})"),
        ),
        (r"No such option: (?P<option>.+)", N_("No such option: {option}")),
        (r"No such command (?P<name>.+)\.", N_("No such command {name}.")),
        (r"Missing command\.", N_("Missing command.")),
        (r"Missing option (?P<name>.+?)\.", N_("Missing option {name}.")),
        (r"Missing argument (?P<name>.+?)\.", N_("Missing argument {name}.")),
        (r"Missing parameter: (?P<name>.+)", N_("Missing parameter: {name}")),
        (
            r"Got unexpected extra argument\(s\) \((?P<arguments>.+)\)",
            N_("Got unexpected extra argument(s) ({arguments})"),
        ),
        (
            r"Option (?P<option>.+) requires an argument\.",
            N_("Option {option} requires an argument."),
        ),
        (
            r"Option (?P<option>.+) requires (?P<count>\d+) arguments\.",
            N_("Option {option} requires {count} arguments."),
        ),
        (
            r"Option (?P<option>.+) does not take a value\.",
            N_("Option {option} does not take a value."),
        ),
        (
            r"Argument (?P<name>.+) takes (?P<count>\d+) values\.",
            N_("Argument {name} takes {count} values."),
        ),
        (
            r"Invalid value for (?P<name>.+?): (?P<problem>.+)",
            N_("Invalid value for {name}: {problem}"),
        ),
        (r"Invalid value: (?P<problem>.+)", N_("Invalid value: {problem}")),
        (
            r"Input should be a valid integer, unable to parse string as an integer",
            N_("Input should be a valid integer, unable to parse string as an integer"),
        ),
        (
            r"Value (?P<value>.+) is not a valid (?P<kind>.+)\.",
            N_("Value {value} is not a valid {kind}."),
        ),
    )
)


def translate_usage_error(message: str) -> str:
    """``message`` in the current language when it is one of Typer's, else unchanged."""
    for pattern, wording in _USAGE_ERRORS:
        found = pattern.fullmatch(message)
        if found:
            parts = found.groupdict()
            if "problem" in parts:
                parts["problem"] = translate_usage_error(parts["problem"])
            return _(wording).format(**parts)
    return message


def in_french(error: UsageError) -> UsageError:
    """A usage error saying what ``error`` says in French (the help-page error is kept)."""
    if type(error).__name__ == "NoArgsIsHelpError":
        return error
    translated = UsageError(translate_usage_error(error.format_message()), error.ctx)
    translated.exit_code = error.exit_code
    return translated


class _Formatter(HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, _("Usage: ") if prefix is None else prefix)


class _Context(typer.Context):
    formatter_class = _Formatter


def _translate_command(command: Any) -> None:
    """Translate the help of ``command``, its options and its subcommands, in place."""
    command.context_class = _Context
    for attribute in ("help", "short_help", "epilog"):
        text = getattr(command, attribute, None)
        if text:
            setattr(command, attribute, _(text))
    help_option = command.get_help_option(_Context(command))
    for parameter in [*command.params, *([help_option] if help_option else [])]:
        if getattr(parameter, "help", None):
            parameter.help = _(parameter.help)
    for subcommand in getattr(command, "commands", {}).values():
        _translate_command(subcommand)


@contextmanager
def speaking_french(root: Any) -> Iterator[None]:
    """Typer's words in French while ``root`` (a freshly built command tree) runs."""
    from typer import rich_utils

    _translate_command(root)
    kept = {name: getattr(rich_utils, name) for name in _PAGE_WORDS}
    for name, words in _PAGE_WORDS.items():
        setattr(rich_utils, name, _(words))
    try:
        yield
    finally:
        for name, words in kept.items():
            setattr(rich_utils, name, words)


def language_in_arguments(arguments: Sequence[str]) -> str | None:
    """en or fr from ``--lang X``, ``-l X`` or ``--lang=X`` on the command line, else None.

    The language must be known before Typer parses anything, so that its help
    pages and usage errors are in it too.
    """
    from mpwrite.choices import language_code

    for index, argument in enumerate(arguments):
        if argument == "--":
            break
        if argument in ("--lang", "-l") and index + 1 < len(arguments):
            return language_code(arguments[index + 1])
        if argument.startswith("--lang="):
            return language_code(argument.partition("=")[2])
    return None
