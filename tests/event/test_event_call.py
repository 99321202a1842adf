"""`mpwrite event --offer-call`: a supporter calls, writes or both; resources end each turn."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mpwrite.campaign.folder import bundled_campaign_root, load_campaign
from mpwrite.cli.root import app
from mpwrite.event.calling import PROMPT_CALL_DONE, PROMPT_WAY, parse_way
from mpwrite.event.session import PROMPT_ACTION, PROMPT_NAME, EventSettings, run_event
from mpwrite.event.tally import Delivered, Tally
from mpwrite.geo.lookup import Resolver
from mpwrite.geo.ridings import load_bundled
from tests.helpers import NO_OWN_WORDS, ScriptedScreen

runner = CliRunner()
HOTLINE_EN = "Canadian Human Trafficking Hotline: 1-833-900-1010 (confidential, 24/7)"
HOTLINE_FR = (
    "Ligne d’urgence canadienne contre la traite des personnes\u00a0: 1-833-900-1010 "
    "(confidentielle, 24 h/24, 7 j/7)"
)


@pytest.fixture(autouse=True)
def keep_every_ask(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("mpwrite.event.session._choose_asks", lambda *args: ())


class StyledScreen(ScriptedScreen):
    """Also keeps the style each text was shown in."""

    def __init__(self, answers: list[str]) -> None:
        super().__init__(list(answers))
        self.styled: list[tuple[str, str]] = []

    def say(self, text: str, style: str = "") -> None:
        super().say(text, style)
        self.styled.append((text, style))

    def in_style(self, style: str) -> list[str]:
        return [text for text, shown in self.styled if shown == style]


def settings(**overrides: object) -> EventSettings:
    values: dict[str, object] = {
        "campaign": load_campaign(),
        "resolver": Resolver(load_bundled()),
        **overrides,
    }
    return EventSettings(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("answer", "way"),
    [
        ("", "letter"),
        ("L", "letter"),
        ("lettre", "letter"),
        ("c", "call"),
        ("Appel", "call"),
        ("b", "both"),
        ("les deux", "both"),
        ("peut-être", None),
    ],
)
def test_the_choice_is_read_in_both_languages(answer: str, way: str | None) -> None:
    assert parse_way(answer) == way


def test_a_call_shows_the_numbers_and_script_and_asks_no_name() -> None:
    screen = StyledScreen(["K1A 0A6", "y", "en", "c", "2", ""])
    tally = run_event(settings(offer_call=True), screen)
    assert tally.calls == 1 and tally.letters == 0
    [sheet] = screen.in_style("call")
    assert sheet.startswith("Call Yasir Naqvi, MP for Ottawa Centre.\n")
    assert "613-996-5322  Parliament Hill office" in sheet
    assert "Hello, my name is [your name]. I live in Ottawa Centre" in sheet
    assert "easier to obtain and renew" in sheet  # demand 2's request
    assert HOTLINE_EN in screen.in_style("ok")
    assert PROMPT_CALL_DONE in screen.prompts
    assert PROMPT_NAME not in screen.prompts and PROMPT_ACTION not in screen.prompts


def test_both_in_french_calls_then_writes_about_the_same_demand(tmp_path: Path) -> None:
    answers = ["K1A 0A6", "o", "fr", "les deux", "3", "", "Léa", "", "", *NO_OWN_WORDS]
    screen = StyledScreen([*answers, "", "enregistrer", "suivant"])
    tally = run_event(settings(offer_call=True, save_dir=tmp_path), screen)
    assert tally.calls == 1 and tally.letters == 1
    assert tally.by_demand == {"permanent-status": 1}
    assert tally.by_way == {"save": 1}
    [sheet] = screen.in_style("call")
    assert sheet.startswith("Appelez Yasir Naqvi, circonscription «\u00a0Ottawa-Centre\u00a0».")
    assert "Bureau de la Colline du Parlement" in sheet and "Hello" not in sheet
    assert sum("Numéro de la demande" in prompt for prompt in screen.prompts) == 1
    # The hotline ends the turn: with the call sheet, and with the letter before its actions.
    assert screen.in_style("ok").count(HOTLINE_FR) == 2
    [saved] = tmp_path.glob("*.pdf")
    assert saved.name.endswith("-permanent-status-fr.pdf")


def test_without_the_option_the_table_writes_as_before_and_shows_the_hotline() -> None:
    screen = StyledScreen(["K1A 0A6", "y", "en", "Lee", "", "", *NO_OWN_WORDS, "1", "n"])
    run_event(settings(), screen)
    assert PROMPT_WAY not in screen.prompts
    assert not screen.in_style("call")
    assert HOTLINE_EN in screen.in_style("ok")


def test_a_vacant_seat_offers_no_call() -> None:
    vacant = next(riding for riding in load_bundled() if riding.vacant)
    screen = StyledScreen([vacant.code, "n"])
    assert run_event(settings(offer_call=True), screen).calls == 0
    assert PROMPT_WAY not in screen.prompts


def test_the_tally_counts_calls_apart_from_letters() -> None:
    tally = Tally()
    tally.record(Delivered("all", "35079", ("call",), letter=False))
    tally.record(Delivered("all", "35079", ("print", "call")))
    assert (tally.calls, tally.letters) == (2, 1)
    summary = tally.summary(load_campaign(), {"35079": "Ottawa Centre"})
    assert "Calls / Appels : 2" in summary
    assert "printed / imprimées 1" in summary and "call 1" not in summary


def test_the_command_shows_the_call_in_a_panel_and_counts_it() -> None:
    script = ["K1A 0A6", "y", "en", "call", "4", "", "quit"]
    result = runner.invoke(app, ["event", "--offer-call"], input="\n".join(script) + "\n")
    assert result.exit_code == 0, result.stderr
    assert "╭" in result.stderr and "Call Yasir Naqvi, MP for Ottawa Centre." in result.stderr
    assert "Criminal Code" in result.stderr
    assert "Calls / Appels : 1" in result.stdout
    assert "Letters this session / Lettres de la séance : 0" in result.stdout


def test_offer_call_needs_the_campaign_s_call_scripts(tmp_path: Path) -> None:
    folder = tmp_path / "campaign"
    shutil.copytree(str(bundled_campaign_root()), folder)
    (folder / "en" / "call.j2").unlink()
    result = runner.invoke(app, ["event", "--offer-call", "--campaign", str(folder)], input="")
    assert result.exit_code == 2
    assert "--offer-call needs the campaign's call script" in result.stderr
    assert "en/call.j2 is missing" in result.stderr


def test_with_log_a_call_at_the_table_is_logged_as_a_call(tmp_path: Path) -> None:
    from mpwrite.ledger.record import load_entries
    from mpwrite.ledger.store import Ledger

    ledger = tmp_path / "event.sqlite3"
    script = ["K1A 0A6", "y", "en", "call", "4", "", "quit"]
    result = runner.invoke(
        app,
        ["event", "--offer-call", "--ledger", str(ledger)],
        input="\n".join(script) + "\n",
    )
    assert result.exit_code == 0, result.stderr
    with Ledger.open(ledger, create=False) as opened:
        entries = load_entries(opened)
    assert [(e.channel, e.riding_code, e.demand) for e in entries] == [
        ("call", "35079", "access-to-justice")
    ]
    assert entries[0].source.startswith("event-")
