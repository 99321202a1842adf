"""`mpwrite call`: the MP's numbers and a short script, asked for or given as options."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mpwrite.cli.root import app
from mpwrite.letter import call as call_core

runner = CliRunner()
INTERACTIVE = {"MPWRITE_INTERACTIVE": "1"}
BATCH = {"MPWRITE_INTERACTIVE": "0"}
LAURIER = "Laurier—Sainte-Marie"  # vacant in the bundled data


def invoke(args: list[str], input: str | None = None, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["call", *args], input=input, env=env or BATCH)


def test_exact_riding_gives_the_hill_number_and_a_script_under_120_words() -> None:
    result = invoke(["--riding", "Ottawa Centre", "--demand", "2", "--name", "Alex Doe"])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith(
        "Call Yasir Naqvi, MP for Ottawa Centre.\n"
        "Numbers, in the order to try them:\n"
        "  613-996-5322  Parliament Hill office\n"
        "  (no constituency office on file; run mpwrite data update)\n"
    )
    script = out.split("words):\n\n", 1)[1]
    assert script.startswith("Hello, my name is Alex Doe. I live in Ottawa Centre, so Yasir")
    assert "Minister of Immigration, Refugees and Citizenship" in script
    assert "note down" in script
    assert len(script.split()) <= 120
    # The 2025 permit changes are done: the script must not ask for them again.
    assert "12 months" not in script


def test_a_likely_riding_is_refused_without_accept_likely() -> None:
    result = invoke(["K1A 0A6", "--demand", "1"])
    assert result.exit_code == 2  # not usable as typed: confirm or accept
    assert result.stdout == ""
    assert "only give a likely riding (Ottawa Centre)" in result.stderr
    assert "--accept-likely" in result.stderr
    accepted = invoke(["K1A 0A6", "--demand", "1", "--accept-likely"])
    assert accepted.exit_code == 0, accepted.stderr
    assert "I live in Ottawa Centre, postal code K1A 0A6, so" in accepted.stdout


def test_french_script_and_sheet() -> None:
    result = invoke(["k1a0a6", "--accept-likely", "-d", "permanent-status", "--lang", "fr"])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith("Appelez Yasir Naqvi, circonscription «\u00a0Ottawa-Centre\u00a0».\n")
    assert "613-996-5322  Bureau de la Colline du Parlement" in out
    assert "Bonjour, je m’appelle [votre nom]." in out
    assert "code postal K1A 0A6" in out
    assert "résidence permanente" in out
    assert "Minister" not in out and "Hello" not in out


def test_missing_values_without_a_terminal_are_usage_errors() -> None:
    no_place = invoke(["--demand", "1"])
    assert no_place.exit_code == 2
    assert "give a postal code" in no_place.stderr
    no_demand = invoke(["--riding", "35079"])
    assert no_demand.exit_code == 2
    assert "--demand is required" in no_demand.stderr
    bad_lang = invoke(["--riding", "35079", "-d", "1", "--lang", "de"])
    assert bad_lang.exit_code == 2
    assert "Traceback" not in no_place.output + no_demand.output + bad_lang.output


def test_interactive_asks_for_the_postal_code_language_and_demand() -> None:
    answers = ["K1A 0A6", "y", "fr", "4"]
    result = invoke([], "\n".join(answers) + "\n", INTERACTIVE)
    assert result.exit_code == 0, result.stderr
    assert "Is Ottawa Centre your riding?" in result.stderr
    assert "Un accès réel à la justice" in result.stderr  # the demand table, in French
    assert "Code criminel" in result.stdout
    assert "code postal K1A 0A6" in result.stdout


def test_interactive_in_english_with_the_riding_given() -> None:
    result = invoke(["--riding", "35079", "--lang", "en"], "3\n", INTERACTIVE)
    assert result.exit_code == 0, result.stderr
    assert "Which demand?" in result.stderr
    assert "route to permanent residence" in result.stdout


def test_vacant_seat_says_so_and_what_to_do_instead() -> None:
    result = invoke(["--riding", LAURIER, "-d", "1"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "the seat for Laurier—Sainte-Marie is vacant" in result.stderr
    assert "mpwrite draft --to minister" in result.stderr
    french = invoke(["--riding", LAURIER, "-d", "1", "--lang", "fr"])
    assert "le siège de Laurier—Sainte-Marie est vacant" in french.stderr
    as_json = invoke(["--riding", LAURIER, "-d", "1", "--json"])
    assert as_json.exit_code == 1
    document = json.loads(as_json.stdout)
    assert document["mp"]["vacant"] is True
    assert document["phones"] == [] and document["script"] is None


def test_json_is_the_documented_shape() -> None:
    result = invoke(["K1A 0A6", "--accept-likely", "-d", "2", "--json", "--name", "Alex"])
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert set(document) == {
        "riding",
        "match",
        "mp",
        "phones",
        "constituency_offices_on_file",
        "demand",
        "lang",
        "script",
        "words",
        "mp_data_as_of",
    }
    assert document["riding"]["code"] == "35079"
    assert document["match"] == "likely"
    assert document["mp"] == {
        "name": "Yasir Naqvi",
        "party": "Liberal",
        "email": "yasir.naqvi@parl.gc.ca",
        "vacant": False,
    }
    assert document["phones"] == [
        {
            "number": "613-996-5322",
            "kind": "legislature",
            "postal_address": "House of Commons, Ottawa, Ontario K1A 0A6",
        }
    ]
    assert document["constituency_offices_on_file"] is False
    assert document["demand"] == {"id": "protect-rights", "number": 2}
    assert document["script"].startswith("Hello, my name is Alex.")
    assert document["words"] == len(document["script"].split())
    assert document["mp_data_as_of"] == "2026-01-22"
    named = json.loads(invoke(["--riding", "35079", "-d", "2", "--json"]).stdout)
    assert named["match"] == "riding"


def test_json_never_prompts_even_on_a_terminal() -> None:
    result = invoke(["--riding", "35079", "--json"], "1\n", INTERACTIVE)
    assert result.exit_code == 2
    assert "--demand is required" in result.stderr


def test_a_campaign_without_a_call_script_says_how_to_fix_it(tmp_path: Path) -> None:
    import shutil

    from mpwrite.campaign.folder import bundled_campaign_root

    folder = tmp_path / "campaign"
    shutil.copytree(str(bundled_campaign_root()), folder)
    (folder / "fr" / "call.j2").unlink()
    result = invoke(["--riding", "35079", "-d", "1", "--lang", "fr", "--campaign", str(folder)])
    assert result.exit_code == 1
    assert "n’a pas de texte d’appel" in result.stderr and "fr/call.j2 manque" in result.stderr
    english = invoke(["--riding", "35079", "-d", "1", "--campaign", str(folder)])
    assert english.exit_code == 0, english.stderr  # the English script is still there
    check = runner.invoke(app, ["templates", "check", str(folder)])
    assert check.exit_code == 1
    assert "fr/call.j2: missing" in check.stdout


def test_templates_check_refuses_a_script_too_long_to_read_aloud(tmp_path: Path) -> None:
    import shutil

    from mpwrite.campaign.folder import bundled_campaign_root

    folder = tmp_path / "campaign"
    shutil.copytree(str(bundled_campaign_root()), folder)
    script = folder / "en" / "call.j2"
    script.write_text(script.read_text("utf-8") + "\nword" * call_core.MOST_WORDS, "utf-8")
    check = runner.invoke(app, ["templates", "check", str(folder)])
    assert check.exit_code == 1
    assert "en/call.j2: the script for demand root-causes has" in check.stdout
    assert "keep it to 120" in check.stdout


def test_constituency_offices_come_first(monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    from mpwrite.geo import mpdata
    from mpwrite.geo.offices import CONSTITUENCY, Office

    real = mpdata.load_active

    def with_an_office():  # type: ignore[no-untyped-def]
        data, origin = real()
        riding = data.ridings["35079"]
        assert riding.mp is not None
        office = Office(CONSTITUENCY, "1066 Somerset St W, Ottawa", "613-946-8682")
        mp = dataclasses.replace(riding.mp, offices=(office,))
        ridings = {**data.ridings, "35079": dataclasses.replace(riding, mp=mp)}
        return dataclasses.replace(data, ridings=ridings), origin

    monkeypatch.setattr(mpdata, "load_active", with_an_office)
    result = invoke(["--riding", "35079", "-d", "1"])
    assert result.exit_code == 0, result.stderr
    assert (
        "Numbers, in the order to try them:\n"
        "  613-946-8682  Constituency office (1066 Somerset St W, Ottawa)\n"
        "  613-996-5322  Parliament Hill office\n\n"
    ) in result.stdout


def test_interactive_vacant_seat_stops_before_any_other_question() -> None:
    result = invoke([], f"{LAURIER}\n", INTERACTIVE)
    assert result.exit_code == 1
    assert "the seat for Laurier—Sainte-Marie is vacant" in result.stderr
    assert "Which demand?" not in result.stderr and "Language" not in result.stderr


def test_an_unknown_demand_fails_before_the_riding_is_looked_up() -> None:
    result = invoke(["K1A 0A6", "--demand", "99"])
    assert result.exit_code == 2
    assert "no demand '99'" in result.stderr and "likely riding" not in result.stderr


def make_ledger() -> Path:
    from mpwrite.ledger.store import Ledger, default_ledger_path

    path = default_ledger_path("ccr-anti-trafficking")
    path.parent.mkdir(parents=True, exist_ok=True)
    with Ledger.open(path):
        pass
    return path


def logged_calls(path: Path) -> list[tuple[str, str, str]]:
    from mpwrite.ledger.record import load_entries
    from mpwrite.ledger.store import Ledger

    with Ledger.open(path, create=False) as ledger:
        return [(e.channel, e.source, e.riding_code) for e in load_entries(ledger)]


def test_with_a_ledger_the_terminal_is_asked_how_the_call_went() -> None:
    path = make_ledger()
    result = invoke(["--riding", "35079", "-d", "1", "--lang", "fr"], "messagerie\n", INTERACTIVE)
    assert result.exit_code == 0, result.stderr
    assert "Comment s’est passé l’appel" in result.stderr
    assert "Appel noté (voicemail)" in result.stderr
    assert logged_calls(path) == [("call", "call:voicemail", "35079")]
    skipped = invoke(["--riding", "35079", "-d", "1", "--lang", "en"], "\n", INTERACTIVE)
    assert skipped.exit_code == 0 and "Recorded" not in skipped.stderr
    assert len(logged_calls(path)) == 1


def test_without_a_ledger_or_a_terminal_nothing_is_asked_or_kept() -> None:
    from mpwrite.ledger.store import default_ledger_path

    asked = invoke(["--riding", "35079", "-d", "1", "--lang", "en"], "answered\n", INTERACTIVE)
    assert asked.exit_code == 0 and "How did the call go?" not in asked.stderr
    assert not default_ledger_path("ccr-anti-trafficking").exists()
    path = make_ledger()
    batch = invoke(["--riding", "35079", "-d", "1"])
    assert batch.exit_code == 0 and "How did the call go?" not in batch.stderr
    assert logged_calls(path) == []


def test_log_records_the_call_creating_the_ledger_with_or_without_a_terminal(
    tmp_path: Path,
) -> None:
    shared = tmp_path / "team.sqlite3"
    batch = invoke(["--riding", "35079", "-d", "1", "--ledger", str(shared)])
    assert batch.exit_code == 0, batch.stderr
    assert "How did the call go?" not in batch.stderr
    assert logged_calls(shared) == [("call", "call", "35079")]
    asked = invoke(["-r", "35079", "-d", "2", "-l", "en", "--log"], "no answer\n", INTERACTIVE)
    assert asked.exit_code == 0, asked.stderr
    from mpwrite.ledger.store import default_ledger_path

    assert logged_calls(default_ledger_path("ccr-anti-trafficking")) == [
        ("call", "call:no-answer", "35079")
    ]
    skipped = invoke(["-r", "35079", "-d", "2", "-l", "en", "--log"], "\n", INTERACTIVE)
    assert skipped.exit_code == 0 and "Recorded the call in" in skipped.stderr
