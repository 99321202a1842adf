"""The supporter's voice: own words after the opening, guiding questions, chosen asks."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from mpwrite.campaign.folder import load_campaign
from mpwrite.cli.root import app
from mpwrite.errors import InvalidAskError
from mpwrite.event.session import EventSettings, run_event
from mpwrite.geo.lookup import Resolver
from mpwrite.geo.ridings import load_bundled
from mpwrite.letter.asks import choose_asks, parse_ask_numbers
from mpwrite.letter.compose import Supporter, compose_letter, demand_body, split_opening
from mpwrite.letter.own_words import GUIDING_QUESTIONS, has_own_words, note_from_answers
from mpwrite.output.formats import render_text
from tests.helpers import (
    NO_OWN_WORDS,
    ScriptedScreen,
    read_asks_from_manifests,
    write_asks_campaign,
)

DATE = datetime.date(2026, 11, 28)
RIDING = "35080"
ASKS = (
    "end employer-tied work permits",
    "fund legal aid for workers",
    "inspect farms without notice",
)
INTERACTIVE = {"MPWRITE_INTERACTIVE": "1"}
BATCH = {"MPWRITE_INTERACTIVE": "0"}
runner = CliRunner()


@pytest.fixture
def asks_campaign(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    read_asks_from_manifests(monkeypatch)
    return write_asks_campaign(tmp_path / "asks-campaign")


def compose(campaign_path: Path | None = None, **changes: object):
    campaign = load_campaign(campaign_path)
    arguments: dict[str, object] = {
        "campaign": campaign,
        "demand": campaign.demand(changes.pop("demand", campaign.default_demand)),  # type: ignore[arg-type]
        "lang": "en",
        "riding": load_bundled().get(RIDING),
        "supporter": Supporter(name="Alex"),
        "date": DATE,
    }
    arguments.update(changes)
    return compose_letter(**arguments)  # type: ignore[arg-type]


# --- own words after the opening sentence ---------------------------------------


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("demand", ["permanent-status", "all"])
def test_own_words_come_right_after_the_opening_paragraph(lang: str, demand: str) -> None:
    campaign = load_campaign()
    body = demand_body(campaign, campaign.demand(demand), lang, load_bundled().get(RIDING))
    assert body is not None
    opening, rest = split_opening(body)
    written = compose(demand=demand, lang=lang, note="First thought.\n\nSecond thought.")
    expected = f"{written.salutation}\n\n{opening}\n\nFirst thought.\n\nSecond thought.\n\n{rest}"
    assert expected in written.text


def test_a_one_paragraph_body_is_all_opening() -> None:
    assert split_opening("Only this.") == ("Only this.", "")
    assert split_opening("One.\n\nTwo.\n\nThree.") == ("One.", "Two.\n\nThree.")


def test_a_custom_layout_with_body_and_notes_still_places_the_notes(tmp_path: Path) -> None:
    from tests.helpers import make_campaign

    folder = make_campaign(
        tmp_path, "One.\n\nTwo.\n", layout="{{ body }}\n\n{{ notes }}\n\n{{ signature }}\n"
    )
    campaign = load_campaign(folder)
    letter = compose_letter(
        campaign=campaign,
        demand=campaign.demands[0],
        lang="en",
        riding=load_bundled().get(RIDING),
        supporter=Supporter(name="Alex"),
        note="Mine.",
        date=DATE,
    )
    assert letter.text == "One.\n\nTwo.\n\nMine.\n\nAlex"


def test_note_from_answers_skips_empty_answers() -> None:
    assert note_from_answers(["Because.", "  ", "Act now."]) == "Because.\n\nAct now."
    assert note_from_answers(["", ""]) == ""
    assert has_own_words("Because.") and not has_own_words(" \n\n \t")


# --- choosing asks -----------------------------------------------------------------


def test_parse_ask_numbers() -> None:
    assert parse_ask_numbers("1, 3") == (1, 3)
    assert parse_ask_numbers(" 2 3,1 ") == (2, 3, 1)
    assert parse_ask_numbers("") == ()
    with pytest.raises(InvalidAskError, match="'two' is not an ask number"):
        parse_ask_numbers("1, two")
    with pytest.raises(InvalidAskError):
        parse_ask_numbers("-1")
    with pytest.raises(InvalidAskError, match="is not an ask number"):
        parse_ask_numbers("9" * 5000)  # int() would refuse it with a ValueError


@given(
    st.lists(st.integers(min_value=0, max_value=999), max_size=8),
    st.lists(st.sampled_from([" ", ",", ", ", " ,", "\t", ";"]), min_size=8, max_size=8),
)
def test_parse_ask_numbers_reads_back_any_separated_numbers(
    numbers: list[int], separators: list[str]
) -> None:
    pairs = zip(numbers, separators[: len(numbers)], strict=True)
    text = "".join(f"{number}{separator}" for number, separator in pairs)
    assert parse_ask_numbers(text) == tuple(numbers)


@given(st.text(max_size=30))
def test_parse_ask_numbers_gives_numbers_or_a_clear_error(text: str) -> None:
    try:
        numbers = parse_ask_numbers(text)
    except InvalidAskError as error:
        assert "is not an ask number" in str(error)
    else:
        assert all(isinstance(number, int) and number >= 0 for number in numbers)


def test_choose_asks_keeps_the_demands_order_and_checks_numbers() -> None:
    assert choose_asks(ASKS, (3, 1, 3)) == [ASKS[0], ASKS[2]]
    assert choose_asks(ASKS, ()) == list(ASKS)
    with pytest.raises(InvalidAskError, match=r"^no ask 0, 4 of demand workers; choose .* 1 to 3$"):
        choose_asks(ASKS, (0, 4), "workers")
    with pytest.raises(InvalidAskError, match="no numbered asks"):
        choose_asks((), (1,), "plain")


def test_letter_keeps_only_the_chosen_asks(asks_campaign: Path) -> None:
    every = compose(asks_campaign).text
    assert all(f"- {ask}" in every for ask in ASKS)
    chosen = compose(asks_campaign, ask_numbers=(3, 1)).text
    assert f"- {ASKS[0]}\n- {ASKS[2]}\n" in chosen
    assert ASKS[1] not in chosen
    french = compose(asks_campaign, lang="fr", ask_numbers=(2,)).text
    assert "- financer l'aide juridique aux travailleurs" in french
    assert "abolir" not in french
    with pytest.raises(InvalidAskError, match="no ask 4"):
        compose(asks_campaign, ask_numbers=(4,))


def test_draft_ask_option(asks_campaign: Path) -> None:
    base = ["draft", "--riding", RIDING, "--name", "Alex", "--campaign", str(asks_campaign)]
    result = runner.invoke(app, [*base, "--ask", "2", "--ask", "3"], env=BATCH)
    assert result.exit_code == 0, result.stderr
    assert ASKS[0] not in result.stdout
    assert f"- {ASKS[1]}\n- {ASKS[2]}\n" in result.stdout
    wrong = runner.invoke(app, [*base, "--ask", "5"], env=BATCH)
    assert wrong.exit_code == 2
    assert "Error: no ask 5 of demand workers; choose numbers from 1 to 3" in wrong.stderr
    plain = runner.invoke(app, [*base, "--demand", "plain", "--ask", "1"], env=BATCH)
    assert plain.exit_code == 2 and "has no numbered asks" in plain.stderr


def test_demands_lists_the_numbered_asks(asks_campaign: Path) -> None:
    result = runner.invoke(app, ["demands", "--campaign", str(asks_campaign), "--lang", "fr"])
    assert result.exit_code == 0, result.stderr
    assert "     2) financer l'aide juridique aux travailleurs\n" in result.stdout
    assert "2. Simple  [plain]\n   Rien à choisir.\n" in result.stdout


# --- interactive draft ---------------------------------------------------------------


def test_draft_asks_the_three_guiding_questions_in_french() -> None:
    answers = [
        "35080",  # riding code: exact
        "Alex Martin",
        "",
        "",
        "",
        "",
        "fr",
        "3",
        "",  # the pick-list: Enter keeps every ask
        "Parce que ma voisine a été exploitée.",
        "",  # no connection given: skipped
        "Posez la question au ministre.",
        "",  # the greeting: Enter, the neutral one
    ]
    result = runner.invoke(app, ["draft"], input="\n".join(answers) + "\n", env=INTERACTIVE)
    assert result.exit_code == 0, result.stderr
    for question in GUIDING_QUESTIONS["fr"]:
        assert question in result.stderr
    assert GUIDING_QUESTIONS["en"][0] not in result.stderr
    assert (
        "\n\nParce que ma voisine a été exploitée.\n\nPosez la question au ministre.\n\n"
        in result.stdout
    )


def test_draft_with_no_answers_has_no_own_words() -> None:
    answers = ["35080", "Alex", "", "", "", "", "en", "3", "", *NO_OWN_WORDS]
    result = runner.invoke(
        app, ["draft", "--date", "2026-11-28"], input="\n".join(answers) + "\n", env=INTERACTIVE
    )
    assert result.exit_code == 0, result.stderr
    assert GUIDING_QUESTIONS["en"][2] in result.stderr
    assert result.stdout == render_text(compose(demand="permanent-status"))


def test_draft_pick_list_keeps_the_chosen_asks(asks_campaign: Path) -> None:
    answers = [
        "35080",
        "Alex",
        "",
        "",
        "",
        "",
        "en",
        "1",  # the demand
        "4",  # no such ask: asked again
        "1, 3",
        "It is my family.",
        "",
        "",
    ]
    result = runner.invoke(
        app,
        ["draft", "--campaign", str(asks_campaign)],
        input="\n".join(answers) + "\n",
        env=INTERACTIVE,
    )
    assert result.exit_code == 0, result.stderr
    assert "1. end employer-tied work permits" in result.stderr  # the pick-list
    assert "no ask 4 of demand workers" in result.stderr
    assert f"- {ASKS[0]}\n- {ASKS[2]}\n" in result.stdout and ASKS[1] not in result.stdout
    assert "workers.\n\nIt is my family.\n\nI ask the federal" in result.stdout


# --- event -------------------------------------------------------------------------


def event_settings(campaign_path: Path | None = None, **changes: object) -> EventSettings:
    values: dict[str, object] = {
        "campaign": load_campaign(campaign_path),
        "resolver": Resolver(load_bundled()),
        "today": DATE,
    }
    values.update(changes)
    return EventSettings(**values)  # type: ignore[arg-type]


def test_event_guiding_questions_pick_list_and_tally(
    asks_campaign: Path, tmp_path: Path
) -> None:
    save_dir = tmp_path / "saved"
    save_dir.mkdir()
    screen = ScriptedScreen(
        [
            *("35080", "fr", "Léa", "", ""),
            *("Pour mes collègues.", "", ""),  # own words, in French questions
            "1",  # demand
            "9",  # no such ask
            "2",
            "",  # the French greeting: Enter, the neutral one
            "s",
            "n",
            *("35080", "en", "Sam", "", "", *NO_OWN_WORDS, "1", "", "s", "n"),
        ]
    )
    tally = run_event(event_settings(asks_campaign, save_dir=save_dir), screen)
    assert tally.letters == 2
    assert tally.with_own_words == 1
    assert any(GUIDING_QUESTIONS["fr"][0] in prompt for prompt in screen.prompts)
    assert any(GUIDING_QUESTIONS["en"][2] in prompt for prompt in screen.prompts)
    assert any("no ask 9" in error for error in screen.errors)
    summary = tally.summary(load_campaign(asks_campaign), {})
    assert "With their own words / Avec leurs propres mots : 1" in summary


def test_event_command_asks_in_the_supporters_language(
    asks_campaign: Path, tmp_path: Path
) -> None:
    save_dir = tmp_path / "saved"
    save_dir.mkdir()
    answers = [
        *("35080", "fr", "Léa", "", ""),
        *("Pour mes collègues.", "", "Qu’il en parle au ministre."),
        *("1", "1 3", "", "s", "n", "quit"),
    ]
    result = runner.invoke(
        app,
        ["event", "--campaign", str(asks_campaign), "--save-dir", str(save_dir)],
        input="\n".join(answers) + "\n",
    )
    assert result.exit_code == 0, result.stderr
    assert GUIDING_QUESTIONS["fr"][1] in result.stderr
    assert "Lesquelles mettre dans la lettre" in result.stderr
    assert "Avec leurs propres mots : 1" in result.stdout
    [saved] = save_dir.iterdir()
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(saved).pages)
    assert "Pour mes collègues." in text and "abolir" in text and "financer" not in text
