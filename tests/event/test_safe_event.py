"""``mpwrite event``: mistyped postal codes and Ctrl-C after one."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from mpwrite.campaign.folder import load_campaign
from mpwrite.cli.root import app
from mpwrite.event.riding import PROMPT_CONFIRM
from mpwrite.event.session import (
    PROMPT_ACTION,
    PROMPT_NAME,
    PROMPT_POSTAL,
    EventSettings,
    run_event,
)
from mpwrite.geo.lookup import Resolver
from mpwrite.geo.postal import looks_like_postal_code
from mpwrite.geo.ridings import load_bundled
from tests.helpers import CtrlC, ScriptedScreen

runner = CliRunner()


def settings(lang: str | None = None) -> EventSettings:
    return EventSettings(campaign=load_campaign(), resolver=Resolver(load_bundled()), lang=lang)


@pytest.mark.parametrize(
    ("text", "shaped"),
    [("Z1A 0A6", True), ("K1A0A", True), ("k1a-0a6x", True), ("35079", False),
     ("Ottawa Centre", False), ("Laval", False), ("K1A", False)],
)
def test_postal_code_shape(text: str, shaped: bool) -> None:
    assert looks_like_postal_code(text) is shaped


@pytest.mark.parametrize("typo", ["Z1A 0A6", "K1A0A"])
@pytest.mark.parametrize("lang", ["en", "fr", None])
def test_a_mistyped_postal_code_gets_the_postal_code_error(typo: str, lang: str | None) -> None:
    screen = ScriptedScreen([typo, "quit"])
    run_event(settings(lang), screen)
    [error] = screen.errors
    assert "mpwrite" not in error and "--riding" not in error and "riding" not in error.lower()
    english = "postal code" in error
    french = "n’est pas un code postal valide" in error
    assert (english, french) == {"en": (True, False), "fr": (False, True)}.get(
        lang or "", (True, True)
    )


def test_a_riding_code_is_still_a_riding() -> None:
    screen = ScriptedScreen(["35079", "quit"])
    run_event(settings("en"), screen)
    assert screen.errors == []
    assert screen.prompts[1] != PROMPT_POSTAL


def test_ctrl_c_at_the_postal_code_question_after_a_bad_entry_ends_the_session() -> None:
    screen = ScriptedScreen(["K1A0A", CtrlC(), "K1A 0A6"])
    tally = run_event(settings(), screen)
    assert tally.abandoned == 0 and tally.letters == 0
    assert screen.answers == ["K1A 0A6"]  # nothing more was asked


def test_quit_at_the_postal_code_question_after_a_bad_entry_ends_the_session() -> None:
    screen = ScriptedScreen(["K1A0A", "quitter", "K1A 0A6"])
    tally = run_event(settings(), screen)
    assert tally.abandoned == 0
    assert screen.answers == ["K1A 0A6"]


def test_ctrl_c_after_a_bad_entry_through_the_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    from mpwrite.cli.commands import event as event_command

    asked: list[str] = []
    original_ask = event_command.RichScreen.ask

    def ask(self: event_command.RichScreen, prompt: str) -> str:
        asked.append(prompt)
        if asked.count(PROMPT_POSTAL) == 2:
            raise KeyboardInterrupt
        return original_ask(self, prompt)

    monkeypatch.setattr(event_command.RichScreen, "ask", ask)
    result = runner.invoke(app, ["event"], input="Z1A 0A6\nK1A 0A6\ny\n")
    assert result.exit_code == 0, result.stderr
    assert "Abandon" not in result.stdout + result.stderr
    assert "Lettres de la séance : 0" in result.stdout
    assert asked == [PROMPT_POSTAL, PROMPT_POSTAL]


@pytest.mark.parametrize(
    ("lang", "expected", "not_expected"),
    [("en", "Delete the PDFs", "Supprimez"), ("fr", "Supprimez les PDF", "Delete")],
)
def test_the_end_of_an_event_reminds_to_delete_saved_letters(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, lang: str, expected: str, not_expected: str
) -> None:
    from mpwrite.cli.commands import event as event_command

    actions = ["save", "next"]
    postal_codes = ["K1A 0A6"]

    from mpwrite.i18n import _

    asked: list[str] = []

    def ask(self: event_command.RichScreen, prompt: str) -> str:
        # One supporter whatever questions come: save the letter, then end at the start.
        asked.append(prompt)
        if len(asked) > 100:  # a question never answered as expected: fail, not hang
            raise EOFError
        if prompt in (PROMPT_POSTAL, _(PROMPT_POSTAL)):
            if not postal_codes:
                raise EOFError
            return postal_codes.pop()
        if prompt in (PROMPT_CONFIRM, _(PROMPT_CONFIRM)):
            return "y"
        if prompt in (PROMPT_NAME, _(PROMPT_NAME)):
            return "Sam"
        if prompt in (PROMPT_ACTION, _(PROMPT_ACTION)):
            return actions.pop(0)
        return ""

    monkeypatch.setattr(event_command.RichScreen, "ask", ask)
    result = runner.invoke(app, ["event", "--save-dir", str(tmp_path), "--lang", lang])
    assert result.exit_code == 0, result.stderr
    assert len(list(tmp_path.glob("*.pdf"))) == 1
    assert expected in result.stderr and str(tmp_path) in result.stderr
    assert not_expected not in result.stderr


def test_no_reminder_when_nothing_was_saved(tmp_path: Path) -> None:
    result = runner.invoke(app, ["event", "--save-dir", str(tmp_path)], input="quit\n")
    assert result.exit_code == 0, result.stderr
    assert "Reminder" not in result.stderr and "Rappel" not in result.stderr
