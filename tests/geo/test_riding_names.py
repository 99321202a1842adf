"""Riding names are forgiving: typos get "did you mean", ambiguous names a list to pick from."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from mpwrite.campaign.folder import load_campaign
from mpwrite.cli.root import app
from mpwrite.errors import AmbiguousRidingError, UnknownRidingError
from mpwrite.event.riding import PROMPT_CHOOSE_RIDING
from mpwrite.event.session import EventSettings, run_event
from mpwrite.geo.lookup import Resolver
from mpwrite.geo.ridings import load_bundled
from tests.helpers import PlayedScreen

runner = CliRunner()
DATA = load_bundled()


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [
        ("Otawa Centre", "Ottawa Centre"),
        ("otawa centre", "Ottawa Centre"),
        ("OTAWA—CENTRE", "Ottawa Centre"),  # em dash for the space
        ("Otawa-Sud", "Ottawa-Sud"),  # French name: the French name back
        ("Beauport–Limoilu", "Beauport—Limoilou"),  # en dash for the em dash
        ("Lac-Saint-Jen", "Lac-Saint-Jean"),
        ("Halifx West", "Halifax West"),
        ("Vile-Marie", "Ville-Marie—Le Sud-Ouest—Île-des-Soeurs"),  # a word of a long name
    ],
)
def test_a_typo_suggests_the_close_name(typed: str, suggested: str) -> None:
    with pytest.raises(UnknownRidingError) as raised:
        DATA.find(typed)
    assert f"did you mean {suggested}?" in str(raised.value)
    assert DATA.find(suggested).code == raised.value.suggestions[0]


def test_nothing_close_suggests_nothing() -> None:
    with pytest.raises(UnknownRidingError) as raised:
        DATA.find("Atlantis")
    assert "did you mean" not in str(raised.value)
    assert raised.value.suggestions == ()


def test_lookup_suggests_the_riding_on_stderr() -> None:
    result = runner.invoke(app, ["lookup", "--riding", "Otawa Centre"])
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: no riding matches 'Otawa Centre'; did you mean Ottawa Centre? Or find yours "
        'with: mpwrite ridings --search "Otawa"\n'
    )


def test_an_ambiguous_name_carries_its_candidates() -> None:
    with pytest.raises(AmbiguousRidingError) as raised:
        DATA.find("Rosemont")
    assert raised.value.candidates == ("24026", "24065")


def test_interactive_draft_lists_an_ambiguous_name_to_pick_from() -> None:
    answers = ["Toronto", "2", "Alex", "", "", "", "", "en", *[""] * 8]
    result = runner.invoke(
        app, ["draft"], input="\n".join(answers) + "\n", env={"MPWRITE_INTERACTIVE": "1"}
    )
    assert result.exit_code == 0, result.stderr
    assert "Several ridings match 'Toronto':" in result.stderr
    assert "  1. Toronto Centre (ON)" in result.stderr
    assert "  2. Toronto—Danforth (ON)" in result.stderr
    assert "Member of Parliament for Toronto—Danforth\n" in result.stdout


def test_interactive_draft_with_an_ambiguous_riding_option_asks_too() -> None:
    answers = ["1", "Alex", "", "", "", "", "en", *[""] * 8]
    result = runner.invoke(
        app,
        ["draft", "--riding", "Rosemont"],
        input="\n".join(answers) + "\n",
        env={"MPWRITE_INTERACTIVE": "1"},
    )
    assert result.exit_code == 0, result.stderr
    assert "Member of Parliament for Hochelaga—Rosemont-Est\n" in result.stdout


Screen = PlayedScreen


def test_event_lists_an_ambiguous_name_to_pick_from(tmp_path: Path) -> None:
    campaign = load_campaign()
    screen = Screen(["Rosemont", "9", "1", "Léa", *[""] * 7, "enregistrer", "suivant"])
    settings = EventSettings(
        campaign=campaign,
        resolver=Resolver(DATA),
        lang="fr",
        demand=campaign.demand("5"),
        save_dir=tmp_path,
    )
    tally = run_event(settings, screen)
    assert any(text.startswith("  2. Rosemont—La Petite-Patrie") for text in screen.shown)
    assert screen.prompts.count(PROMPT_CHOOSE_RIDING) == 2  # "9" is not on the list
    assert dict(tally.by_riding) == {"24026": 1}
