"""Forms of address: roles from the curated data, French greetings and closings, the
date line, and writing to a minister by role when the seat is vacant."""

from __future__ import annotations

import datetime
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from mpwrite.campaign.folder import load_campaign
from mpwrite.cli.root import app
from mpwrite.errors import UsageError, VacantSeatError
from mpwrite.geo.ridings import load_bundled
from mpwrite.letter.address import closing, date_line, preset_key, salutation
from mpwrite.letter.compose import Supporter, compose_letter
from tests.helpers import REPOSITORY, PlayedScreen


@pytest.fixture(autouse=True)
def keep_every_ask(monkeypatch: pytest.MonkeyPatch) -> None:
    """These scripts predate the asks pick-list (tests/letter/test_voice.py drives it): keep all."""
    monkeypatch.setattr("mpwrite.event.session._choose_asks", lambda *args: ())
    monkeypatch.setattr("mpwrite.cli.commands._prompts.choose_asks", lambda *args: ())


runner = CliRunner()
BATCH = {"MPWRITE_INTERACTIVE": "0"}
INTERACTIVE = {"MPWRITE_INTERACTIVE": "1"}
DATE = datetime.date(2026, 12, 3)
PRIME_MINISTER = "35067"  # Nepean: Mark Carney
POILIEVRE = "48002"  # Battle River—Crowfoot
SPEAKER = "24034"  # Lac-Saint-Louis: Francis Scarpaleggia
ORDINARY = "35079"  # Ottawa Centre: Yasir Naqvi
VACANT = "24037"  # Laurier—Sainte-Marie
CLOSING_FR = "Je vous prie d’agréer, {}, l’expression de ma considération distinguée."


def compose(riding: str, lang: str = "en", **options: object):
    return compose_letter(
        campaign=load_campaign(),
        demand=load_campaign().demand(str(options.pop("demand", "protect-rights"))),
        lang=lang,
        riding=load_bundled().get(riding),
        supporter=Supporter(name="Alex Martin", city=str(options.pop("city", ""))),
        date=DATE,
        **options,  # type: ignore[arg-type]
    )


def flat(text: str) -> str:
    return " ".join(text.split())


def draft(*args: str, env: dict[str, str] | None = None, input: str | None = None):
    return runner.invoke(
        app,
        ["draft", "--name", "Alex Martin", "--date", "2026-12-03", *args],
        env=env or BATCH,
        input=input,
    )


# --- the Prime Minister, the Speaker, Privy Councillors ------------------------------


def test_prime_minister_in_english() -> None:
    letter = compose(PRIME_MINISTER)
    assert letter.recipient_lines[:3] == (
        "The Right Honourable Mark Carney, P.C., M.P.",
        "Prime Minister of Canada",
        "Member of Parliament for Nepean",
    )
    assert letter.salutation == "Dear Prime Minister,"
    assert "\nDear Prime Minister,\n" in letter.text
    assert "Dear Mark Carney" not in letter.text


def test_prime_minister_in_french_closing_repeats_the_greeting() -> None:
    letter = compose(PRIME_MINISTER, "fr")
    assert letter.recipient_lines[:2] == (
        "Le très honorable Mark Carney, c.p.",
        "Premier ministre du Canada",
    )
    assert letter.salutation == "Monsieur le Premier Ministre,"
    assert CLOSING_FR.format("Monsieur le Premier Ministre") in flat(letter.text)
    assert "Madame, Monsieur" not in letter.text


def test_a_preset_does_not_override_the_prime_ministers_greeting_but_free_text_does() -> None:
    assert compose(PRIME_MINISTER, "fr", salutation="deputee").salutation == (
        "Monsieur le Premier Ministre,"
    )
    assert compose(PRIME_MINISTER, salutation="Dear Mr. Carney,").salutation == "Dear Mr. Carney,"


def test_poilievre_is_the_honourable_privy_councillor() -> None:
    assert compose(POILIEVRE).recipient_lines[0] == ("The Honourable Pierre Poilievre, P.C., M.P.")
    assert compose(POILIEVRE, "fr").recipient_lines[0] == "L’honorable Pierre Poilievre, c.p."
    # Not a role: the greeting is the ordinary one.
    assert compose(POILIEVRE).salutation == "Dear Pierre Poilievre,"


def test_speaker_is_honourable_without_an_unverified_pc() -> None:
    letter = compose(SPEAKER)
    assert letter.recipient_lines[:2] == (
        "The Honourable Francis Scarpaleggia, M.P.",
        "Speaker of the House of Commons",
    )
    assert letter.salutation == "Dear Mr. Speaker,"
    assert compose(SPEAKER, "fr").salutation == "Monsieur le Président,"


def test_a_role_does_not_pass_to_the_next_holder_of_the_seat() -> None:
    from dataclasses import replace

    from mpwrite.letter.address import recipient_lines, role_of

    riding = load_bundled().get(PRIME_MINISTER)
    assert riding.mp is not None
    successor = replace(riding.mp, first_name="Jane", last_name="Doe", honorific="")
    assert role_of(successor, riding) is None
    assert recipient_lines(successor, riding, "en")[:2] == (
        "Jane Doe, M.P.",
        "Member of Parliament for Nepean",
    )


# --- French greetings: chosen, never guessed -----------------------------------------


@pytest.mark.parametrize(
    "chosen,greeting",
    [
        ("deputee", "Madame la Députée,"),
        ("Députée", "Madame la Députée,"),
        ("depute", "Monsieur le Député,"),
        ("neutre", "Madame, Monsieur,"),
        (None, "Madame, Monsieur,"),
        ("Chère Madame Dupont,", "Chère Madame Dupont,"),
    ],
)
def test_french_greeting_and_its_closing(chosen: str | None, greeting: str) -> None:
    letter = compose(ORDINARY, "fr", salutation=chosen)
    assert letter.salutation == greeting
    repeated = greeting.rstrip(",").replace("Chère", "chère")
    assert CLOSING_FR.format(repeated) in flat(letter.text)


def test_english_keeps_dear_name_for_presets_and_takes_free_text() -> None:
    assert compose(ORDINARY, salutation="deputee").salutation == "Dear Yasir Naqvi,"
    assert compose(ORDINARY, salutation="Dear Yasir,").salutation == "Dear Yasir,"
    assert "\nSincerely,\n" in compose(ORDINARY).text


def test_free_text_greeting_is_one_clean_line() -> None:
    assert salutation(lang="fr", chosen="Madame\n- la Députée,\t", recipient="minister") == (
        "Madame - la Députée,"
    )
    assert preset_key(" DÉPUTÉE ") == "deputee"
    assert preset_key("Madame la Députée,") is None
    assert closing("", "fr") == "Je vous prie d’agréer l’expression de ma considération distinguée."


# --- the date line ---------------------------------------------------------------------


def test_french_date_line_names_the_city() -> None:
    assert date_line(DATE, "fr", "Montréal") == "Montréal, le 3 décembre 2026"
    assert date_line(datetime.date(2026, 12, 1), "fr") == "Le 1er décembre 2026"
    assert date_line(DATE, "en", "Montréal") == "3 December 2026"
    letter = compose(ORDINARY, "fr", city="Montréal")
    assert "\nMontréal, le 3 décembre 2026\n" in letter.text
    assert letter.date_text == "Montréal, le 3 décembre 2026"


# --- vacant seats and the minister by role -------------------------------------------------


def test_vacant_seat_message_is_in_the_letters_language_and_offers_the_minister() -> None:
    with pytest.raises(VacantSeatError) as french:
        compose(VACANT, "fr")
    assert "est vacant" in str(french.value) and "ministre responsable" in str(french.value)
    assert "--to minister" in str(french.value)
    with pytest.raises(VacantSeatError) as english:
        compose(VACANT, "en")
    assert "minister responsible" in str(english.value)


def test_letter_to_the_minister_by_role() -> None:
    letter = compose(VACANT, "fr", to="minister", salutation="depute", city="Montréal")
    assert letter.recipient_lines == (
        "Ministre de l’Immigration, des Réfugiés et de la Citoyenneté",
        "Chambre des communes",
        "Ottawa (Ontario) K1A 0A6",
    )
    assert letter.salutation == "Monsieur le Ministre,"
    assert CLOSING_FR.format("Monsieur le Ministre") in flat(letter.text)
    assert letter.to_email == "" and letter.recipient == "minister"
    english = compose(VACANT, to="minister", demand="access-to-justice")
    assert english.recipient_lines[0] == "Minister of Justice"
    assert english.salutation == "Dear Minister,"
    neutral = compose(VACANT, "fr", to="minister")
    assert neutral.salutation == "Madame la Ministre, Monsieur le Ministre,"


def test_a_demand_without_a_minister_cannot_go_to_one(tmp_path) -> None:
    import shutil

    from mpwrite.campaign.folder import bundled_campaign_root

    folder = tmp_path / "campaign"
    shutil.copytree(str(bundled_campaign_root()), folder)
    manifest = folder / "manifest.toml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("[demands.minister]", "[demands.other]"), encoding="utf-8")
    campaign = load_campaign(folder)
    with pytest.raises(UsageError, match="names no responsible minister"):
        compose_letter(
            campaign=campaign,
            demand=campaign.demand("1"),
            lang="en",
            riding=load_bundled().get(VACANT),
            supporter=Supporter(name="A"),
            to="minister",
        )


# --- the command line ---------------------------------------------------------------------


def test_draft_salutation_presets_and_the_neutral_default_note() -> None:
    chosen = draft("--riding", ORDINARY, "--lang", "fr", "--salutation", "deputee")
    assert chosen.exit_code == 0, chosen.stderr
    assert "\nMadame la Députée,\n" in chosen.stdout
    assert "formule d’appel neutre" not in chosen.stderr
    default = draft("--riding", ORDINARY, "--lang", "fr")
    assert "\nMadame, Monsieur,\n" in default.stdout
    assert "--salutation deputee, depute ou neutre" in default.stderr


def test_draft_vacant_seat_in_french_then_to_the_minister() -> None:
    refused = draft("--riding", VACANT, "--lang", "fr")
    assert refused.exit_code == 1
    assert "Erreur\u00a0: le siège de Laurier—Sainte-Marie est vacant" in refused.stderr
    assert "--to minister" in refused.stderr
    written = draft(
        "--riding",
        VACANT,
        "--lang",
        "fr",
        "--to",
        "minister",
        "--city",
        "Montréal",
        "--demand",
        "2",
    )
    assert written.exit_code == 0, written.stderr
    assert "Ministre de l’Immigration, des Réfugiés et de la Citoyenneté" in written.stdout
    assert "Montréal, le 3 décembre 2026" in written.stdout
    assert "postez-la à Ministre de l’Immigration" in written.stderr
    assert "courriel" not in written.stderr


@pytest.mark.parametrize("extra", [["--mailto"], ["--format", "eml"], ["--to", "premier"]])
def test_draft_to_minister_refuses_what_it_cannot_do(extra: list[str]) -> None:
    to = [] if "--to" in extra else ["--to", "minister"]
    result = draft("--riding", VACANT, *to, *extra)
    assert result.exit_code == 2
    assert "Error:" in result.stderr and "Traceback" not in result.stderr


def test_interactive_draft_asks_the_french_greeting() -> None:
    # riding; address, city, postal code, e-mail; demand; three own-words questions; greeting.
    answers = "\n".join(["Ottawa Centre", "", "", "", "", "2", "", "", "", "1"])
    result = draft("--lang", "fr", env=INTERACTIVE, input=answers + "\n")
    assert result.exit_code == 0, result.output
    assert "Madame la Députée," in result.stdout
    assert "Formule d’appel" in result.stdout or "Formule d’appel" in result.output


def test_interactive_draft_offers_the_minister_for_a_vacant_seat() -> None:
    answers = ["Laurier—Sainte-Marie", "y", "", "", "", "", "2", "", "", "", "2"]
    result = draft("--lang", "fr", env=INTERACTIVE, input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "Monsieur le Ministre," in result.stdout
    assert "Ministre de l’Immigration" in result.stdout


def test_data_info_shows_the_curated_rows() -> None:
    text = runner.invoke(app, ["data", "info"])
    assert text.exit_code == 0, text.stderr
    assert "Mark Carney (35067): Prime Minister of Canada, Right Hon.; as of 2025-07-01" in (
        text.stdout
    )
    assert "Pierre Poilievre (48002): Hon.; as of 2025-08-18; source: Privy Council" in text.stdout
    document = json.loads(runner.invoke(app, ["data", "info", "--json"]).stdout)
    rows = {row["code"]: row for row in document["forms_of_address"]}
    assert rows[PRIME_MINISTER]["salutation_fr"] == "Monsieur le Premier Ministre,"
    assert all(row["source"] and row["as_of"] for row in rows.values())


# --- the event -------------------------------------------------------------------------------


Screen = PlayedScreen


def run_event_with(answers: list[str], **settings: object) -> Screen:
    from mpwrite.event.session import EventSettings, run_event
    from mpwrite.geo.lookup import Resolver

    screen = Screen(answers)
    run_event(
        EventSettings(campaign=load_campaign(), resolver=Resolver(load_bundled()), **settings),  # type: ignore[arg-type]
        screen,
    )
    return screen


def test_event_asks_the_french_greeting_and_the_letter_repeats_it() -> None:
    from mpwrite.event.address import PROMPT_GREETING

    # riding, language, name, address, city, three own-words questions, demand, greeting,
    # read, next.
    screen = run_event_with(
        [ORDINARY, "fr", "Zoé", "", "Gatineau", "", "", "", "2", "1", "lire", "n"]
    )
    assert any(prompt.startswith(PROMPT_GREETING.split("(")[0]) for prompt in screen.prompts)
    assert "  1. Madame la Députée," in screen.shown
    letter = next(text for text in screen.shown if "\nMadame la Députée,\n" in text)
    assert CLOSING_FR.format("Madame la Députée") in flat(letter)
    assert "Gatineau, le " in letter


def test_event_does_not_ask_a_greeting_in_english_or_for_the_prime_minister() -> None:
    from mpwrite.event.address import PROMPT_GREETING

    for answers in (
        [ORDINARY, "en", "Zoé", "", "", "", "", "", "2", "n"],
        [PRIME_MINISTER, "fr", "Zoé", "", "", "", "", "", "2", "lire", "n"],
    ):
        screen = run_event_with(answers)
        assert not any("Formule" in prompt for prompt in screen.prompts), answers
        assert PROMPT_GREETING not in screen.prompts
    assert any("\nMonsieur le Premier Ministre,\n" in text for text in screen.shown)


def test_event_offers_the_minister_for_a_vacant_seat() -> None:
    from mpwrite.event.address import PROMPT_MINISTER

    declined = run_event_with([VACANT, "non"], lang="fr")
    assert PROMPT_MINISTER in declined.prompts
    assert any("est vacant" in text and "ministre responsable" in text for text in declined.shown)
    assert not any("is vacant" in text for text in declined.shown)  # the event's language only
    taken = run_event_with(
        [VACANT, "oui", "Zoé", "", "", "", "", "", "2", "2", "lire", "n"], lang="fr"
    )
    letter = next(text for text in taken.shown if "\nMonsieur le Ministre,\n" in text)
    assert "Ministre de l’Immigration, des Réfugiés et de la Citoyenneté" in letter
    assert "To / À : Ministre de l’Immigration, des Réfugiés et de la Citoyenneté\n" in letter


# --- bulk -----------------------------------------------------------------------------------


def test_bulk_salutation_column_presets_free_text_and_vacant_seats(tmp_path) -> None:
    import csv

    data = (
        "name,riding,language,demand,city,salutation\n"
        f"Léa Roy,{ORDINARY},fr,2,Gatineau,deputee\n"
        f'Marc Roy,{ORDINARY},fr,2,,"=Cher Monsieur Naqvi,"\n'
        f"Ann Lee,{ORDINARY},en,2,,depute\n"
        f"Zoé Roy,{ORDINARY},fr,2,,\n"
        f"Sam Roy,{ORDINARY},fr,2,,{'x' * 120}\n"
        f"Paul Roy,{VACANT},fr,4,,depute\n"
    )
    source = tmp_path / "supporters.csv"
    source.write_text(data, encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["bulk", str(source), "--out", str(out), "--date", "2026-12-03", "--json"]
    )
    assert result.exit_code == 1, result.stderr  # the vacant seat and the long greeting
    letters = {
        path.name.split("-")[0]: path.read_text(encoding="utf-8")
        for path in (out / "letters").iterdir()
    }
    assert "\nMadame la Députée,\n" in letters["lea"]
    assert "Gatineau, le 3 décembre 2026" in letters["lea"]
    assert CLOSING_FR.format("Madame la Députée") in flat(letters["lea"])
    # Spreadsheet formula signs are dropped, the text kept; the closing repeats it.
    assert "\nCher Monsieur Naqvi,\n" in letters["marc"]
    assert CLOSING_FR.format("cher Monsieur Naqvi") in flat(letters["marc"])
    assert "\nDear Yasir Naqvi,\n" in letters["ann"]
    assert "\nMadame, Monsieur,\n" in letters["zoe"]
    assert "sam" not in letters
    with open(out / "needs-review.csv", encoding="utf-8-sig") as handle:
        reasons = {row["name"]: row["review_reason"] for row in csv.DictReader(handle)}
    assert "keep it under 100" in reasons["Sam Roy"]
    assert "is vacant" in reasons["Paul Roy"]
    assert "Minister of Justice" in reasons["Paul Roy"]
    assert f"--riding {VACANT} --demand access-to-justice --to minister" in reasons["Paul Roy"]


def test_a_letter_to_a_minister_offers_no_email_address() -> None:
    from mpwrite.output.formats import render

    html = render(compose(VACANT, to="minister"), "html").decode("utf-8")
    assert "Minister of Immigration, Refugees and Citizenship<br>" in html
    assert "e-mail it to" not in html
    ordinary = render(compose(ORDINARY), "html").decode()
    assert ">yasir.naqvi@parl.gc.ca</a>." in ordinary and "e-mail it to <a href" in ordinary


# --- the data build ------------------------------------------------------------------------


def load_build_script():
    import importlib.util

    path = REPOSITORY / "scripts" / "build_data.py"
    spec = importlib.util.spec_from_file_location("build_data_for_address", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_build_applies_curated_honorifics_and_refuses_a_stale_row(tmp_path) -> None:
    build = load_build_script()
    curated = build.DEFAULT_FORMS_OF_ADDRESS.read_text(encoding="utf-8")
    seats = [
        {
            "code": code,
            "mp_first_name": first,
            "mp_last_name": last,
            "mp_honorific": "",
            "vacant": "no",
        }
        for code, first, last in (
            (SPEAKER, "Francis", "Scarpaleggia"),
            (PRIME_MINISTER, "Mark", "Carney"),
            (POILIEVRE, "Pierre", "Poilievre"),
        )
    ]
    rows = build.apply_forms_of_address(build.DEFAULT_FORMS_OF_ADDRESS, seats)
    assert [row["code"] for row in rows] == [SPEAKER, PRIME_MINISTER, POILIEVRE]
    assert [seat["mp_honorific"] for seat in seats] == ["Hon.", "Right Hon.", "Hon."]
    assert all(row["source"] and row["as_of"] for row in rows)
    # The seat changed hands: the row must not pass to the new member.
    seats[1].update(mp_first_name="Jane", mp_last_name="Doe")
    with pytest.raises(SystemExit, match="Mark Carney does not hold seat 35067"):
        build.apply_forms_of_address(build.DEFAULT_FORMS_OF_ADDRESS, seats)
    undated = tmp_path / "undated.csv"
    undated.write_text(curated.replace("2025-08-18", "late 2026"), encoding="utf-8")
    seats[1].update(mp_first_name="Mark", mp_last_name="Carney")
    with pytest.raises(SystemExit, match="needs a source and an as_of date"):
        build.apply_forms_of_address(undated, seats)


def test_bundled_data_carries_the_corrected_honorific() -> None:
    poilievre = load_bundled().get(POILIEVRE).mp
    assert poilievre is not None and poilievre.honorific == "Hon."
    metadata = load_bundled().metadata
    assert {row["code"] for row in metadata["forms_of_address"]} == {
        SPEAKER,
        PRIME_MINISTER,
        POILIEVRE,
    }
    assert any(source["id"] == "forms_of_address" for source in metadata["sources"])


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120), st.sampled_from(["en", "fr"]), st.sampled_from(["mp", "minister"]))
def test_any_greeting_is_one_safe_line_that_the_french_closing_repeats(
    text: str, lang: str, recipient: str
) -> None:
    riding = load_bundled().get(ORDINARY)
    try:
        greeting = salutation(
            lang=lang, chosen=text, mp=riding.mp, riding=riding, recipient=recipient
        )
    except UsageError as error:
        assert "keep it under 100" in str(error)
        return
    assert greeting and "\n" not in greeting and "\r" not in greeting
    assert greeting[0] not in "=+-@ "
    if lang == "fr":
        assert greeting.rstrip(",:; ").lstrip()[1:] in closing(greeting, lang)
