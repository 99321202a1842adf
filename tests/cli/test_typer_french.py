"""Typer's own words in French: every --help page and usage error, no English left."""

from __future__ import annotations

import re

import pytest
import typer
from typer.testing import CliRunner

from mpwrite.cli.root import app

babel_pofile = pytest.importorskip(
    "babel.messages.pofile", reason="babel (a test extra) reads the .po catalogue"
)

runner = CliRunner()
NBSP = "\u00a0"
ENGLISH = {"MPWRITE_LANG": "en", "MPWRITE_INTERACTIVE": "0"}
FRENCH = {"MPWRITE_LANG": "fr", "MPWRITE_INTERACTIVE": "0"}
#: What Typer and Click say in English on help pages and in usage errors.
ENGLISH_PHRASES = (
    "Usage:",
    "Try '",
    "for help",
    "No such option",
    "No such command",
    "Missing argument",
    "Missing option",
    "Invalid value",
    "Got unexpected extra",
    "requires an argument",
    "does not take a value",
    "Input should be",
    "Show this message and exit",
    "Commands",
    "Error",
    "[default:",
    "[required]",
    "Install completion",
)
COMMANDS = [
    [],
    ["lookup"],
    ["ridings"],
    ["draft"],
    ["event"],
    ["demands"],
    ["bulk"],
    ["data"],
    ["data", "info"],
    ["data", "update"],
    ["data", "reset"],
    ["data", "import-postcodes"],
    ["templates"],
    ["templates", "check"],
]
#: The commands that take --lang, so that `--lang fr` alone makes the run French.
WITH_LANG = [["draft"], ["event"], ["demands"], ["bulk"]]


def shown(text: str) -> str:
    """Text as read on screen: box edges gone, lines joined."""
    return re.sub(r"[ \n]+", " ", re.sub(r"[│╭╮╰╯─]", " ", text)).strip()


def english_left(text: str) -> list[str]:
    return [phrase for phrase in ENGLISH_PHRASES if phrase in shown(text)]


def name(command: list[str]) -> str:
    return " ".join(command) or "mpwrite"


@pytest.mark.parametrize("command", COMMANDS, ids=name)
def test_help_pages_are_french(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"], env=FRENCH)
    assert result.exit_code == 0, result.output
    assert f"Utilisation{NBSP}: mpwrite" in result.stdout
    assert english_left(result.stdout) == []


@pytest.mark.parametrize("command", COMMANDS, ids=name)
def test_usage_errors_are_french(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--no-such-thing"], env=FRENCH)
    assert result.exit_code == 2
    text = shown(result.stderr)
    assert f"Option inconnue{NBSP}: --no-such-thing" in text
    assert f"Essayez «{NBSP}mpwrite" in text and "Erreur" in text
    assert english_left(result.stderr) == []


@pytest.mark.parametrize("command", WITH_LANG, ids=name)
def test_lang_fr_on_the_command_line_is_enough(command: list[str]) -> None:
    helped = runner.invoke(app, [*command, "--help", "--lang", "fr"], env=ENGLISH)
    assert helped.exit_code == 0, helped.output
    assert english_left(helped.stdout) == []
    wrong = runner.invoke(app, [*command, "-l", "français", "--no-such-thing"], env=ENGLISH)
    assert english_left(wrong.stderr) == []
    assert f"Option inconnue{NBSP}: --no-such-thing" in shown(wrong.stderr)


@pytest.mark.parametrize(
    ("arguments", "french"),
    [
        (["templates", "check"], f"Argument manquant{NBSP}: 'path'."),
        (["lookup", "K1A0A6", "extra"], f"Argument(s) en trop{NBSP}: extra"),
        (
            ["draft", "--ask", "x"],
            f"Valeur invalide pour '--ask'{NBSP}: un nombre entier est attendu",
        ),
        (["draft", "--ask"], "L’option '--ask' attend une valeur."),
        (["lookup", "--json=yes"], "L’option '--json' ne prend pas de valeur."),
        (["nope"], f"Commande inconnue{NBSP}: 'nope'."),
        (["data", "nope"], f"Commande inconnue{NBSP}: 'nope'."),
    ],
)
def test_each_kind_of_usage_error_in_french(arguments: list[str], french: str) -> None:
    result = runner.invoke(app, arguments, env=FRENCH)
    assert result.exit_code == 2
    assert french in shown(result.stderr)
    assert english_left(result.stderr) == []


def test_english_runs_keep_typers_english_after_a_french_one() -> None:
    runner.invoke(app, ["lookup", "--help"], env=FRENCH)
    result = runner.invoke(app, ["lookup", "--nope"], env=ENGLISH)
    text = shown(result.stderr)
    assert "Usage: mpwrite lookup [OPTIONS]" in text
    assert "Try 'mpwrite lookup --help' for help." in text
    assert "No such option: --nope" in text
    helped = runner.invoke(app, ["draft", "--help"], env=ENGLISH)
    assert "Write a campaign letter to your MP." in shown(helped.stdout)
    assert "Show this message and exit." in shown(helped.stdout)


def test_every_help_text_of_the_app_has_a_french_translation() -> None:
    with open(_po(), "rb") as file:
        translated = {m.id: m.string for m in babel_pofile.read_po(file) if m.id and m.string}
    command = typer.main.get_command(app)
    helps = sorted(set(_help_texts(command)))
    assert len(helps) > 50
    assert [text for text in helps if text not in translated] == []


def _po() -> str:
    from mpwrite import i18n

    return str(i18n.LOCALE_DIR / "fr" / "LC_MESSAGES" / "mpwrite.po")


def _help_texts(command: object) -> list[str]:
    texts = [getattr(command, "help", None) or ""]
    texts += [getattr(parameter, "help", None) or "" for parameter in command.params]  # type: ignore[attr-defined]
    for subcommand in getattr(command, "commands", {}).values():
        texts += _help_texts(subcommand)
    return [text for text in texts if text]
