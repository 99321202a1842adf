"""`mpwrite lookup`, `mpwrite ridings` and `mpwrite data info` as a user runs them."""

from __future__ import annotations

import dataclasses
import json

import pytest
from typer.testing import CliRunner

from mpwrite.cli.root import app

runner = CliRunner()


def test_lookup_prints_the_likely_riding_and_how_to_confirm() -> None:
    result = runner.invoke(app, ["lookup", "K1A 0A6"])
    assert result.exit_code == 0
    assert result.stdout == (
        "Postal code: K1A 0A6 (Government of Canada)\n"
        "\n"
        "Riding:   Ottawa Centre / Ottawa-Centre (35079) [likely, not confirmed, source: fsa]\n"
        "Province: Ontario\n"
        "MP:       Yasir Naqvi (Liberal)\n"
        "E-mail:   yasir.naqvi@parl.gc.ca\n"
        "Phone:    613-996-5322\n"
        "Mail:     Yasir Naqvi, House of Commons, Ottawa, Ontario K1A 0A6 (no stamp needed)\n"
        "Office:   no constituency office on file; run mpwrite data update\n"
    )
    assert "only the likely riding" in result.stderr
    assert "mpwrite ridings --province ON --search" in result.stderr
    assert "--riding" in result.stderr


def test_lookup_json_is_the_documented_shape() -> None:
    result = runner.invoke(app, ["lookup", "k1a0a6", "--json"])
    assert result.exit_code == 0
    answer = json.loads(result.stdout)
    assert answer["postal_code"] == "K1A 0A6"
    assert answer["fsa"] == "K1A"
    assert answer["exact"] is False
    [match] = answer["matches"]
    assert match["exact"] is False
    assert match["source"] == "fsa"
    assert match["riding"] == {
        "code": "35079",
        "name_en": "Ottawa Centre",
        "name_fr": "Ottawa-Centre",
        "province": "ON",
    }
    assert match["mp"]["name"] == "Yasir Naqvi"
    assert match["mp"]["party"] == "Liberal"
    assert match["mp"]["email"] == "yasir.naqvi@parl.gc.ca"
    assert match["mp"]["phone"] == "613-996-5322"
    assert match["mp"]["vacant"] is False


def test_lookup_by_riding_is_exact_and_forgiving() -> None:
    result = runner.invoke(app, ["lookup", "--riding", "OTTAWA–centre", "--json"])
    assert result.exit_code == 0
    answer = json.loads(result.stdout)
    assert answer["postal_code"] is None
    assert answer["exact"] is True
    assert answer["matches"][0]["source"] == "riding"
    assert answer["matches"][0]["riding"]["code"] == "35079"
    assert result.stderr == ""


def test_privy_councillor_is_shown_with_honorific() -> None:
    result = runner.invoke(app, ["lookup", "--riding", "Malpeque"])
    assert result.exit_code == 0
    assert "MP:       Hon. Heath MacDonald (Liberal)" in result.stdout


def test_vacant_seat_says_so() -> None:
    result = runner.invoke(app, ["lookup", "H2X 1Y4"])
    assert result.exit_code == 0
    assert "Laurier—Sainte-Marie" in result.stdout
    assert "vacant seat" in result.stdout
    as_json = json.loads(runner.invoke(app, ["lookup", "H2X 1Y4", "--json"]).stdout)
    assert as_json["matches"][0]["mp"] == {
        "name": None,
        "first_name": None,
        "last_name": None,
        "honorific": None,
        "party": None,
        "email": None,
        "phone": None,
        "vacant": True,
        "offices": [],
    }


def test_territory_with_one_riding_is_certain() -> None:
    answer = json.loads(runner.invoke(app, ["lookup", "X0A 0H0", "--json"]).stdout)
    assert answer["exact"] is True
    assert answer["matches"][0]["source"] == "province"
    assert answer["matches"][0]["riding"]["code"] == "62001"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["lookup", "Z1A 0A6"], 2, "Error: no Canadian postal code starts with Z\n"),
        (["lookup", "K1A"], 2, "only the first half of a postal code"),
        (["lookup"], 2, "Error: give a postal code"),
        (["lookup", "K9Z 1A1"], 1, "Error: no postal code starting K9Z is in use"),
        (["lookup", "--riding", "Atlantis"], 1, "Error: no riding matches 'Atlantis'"),
        (["lookup", "--riding", "99999"], 1, "Error: no riding has the code 99999"),
        (["lookup", "--riding", "Rosemont"], 1, "matches 2 ridings"),
        (["ridings", "--province", "ZZ"], 2, "Error: unknown province 'ZZ'"),
    ],
)
def test_errors_are_one_line_on_stderr(args: list[str], code: int, message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == code
    assert result.stdout == ""
    assert message in result.stderr
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_ridings_lists_by_province_and_search() -> None:
    result = runner.invoke(app, ["ridings", "--province", "qc", "--search", "soeurs"])
    assert result.exit_code == 0
    assert result.stdout == (
        "24077  QC  Ville-Marie—Le Sud-Ouest—Île-des-Soeurs  —  Hon. Marc Miller (Liberal)\n"
    )
    assert result.stderr == "1 riding\n"


def test_ridings_json_lists_every_riding() -> None:
    result = runner.invoke(app, ["ridings", "--json"])
    ridings = json.loads(result.stdout)
    assert len(ridings) == 343
    assert sum(1 for entry in ridings if entry["mp"]["vacant"]) == 5


def test_ridings_with_no_match_fails() -> None:
    result = runner.invoke(app, ["ridings", "--search", "xyzzy"])
    assert result.exit_code == 1
    assert result.stdout == ""


def test_data_info_shows_sources_counts_and_age() -> None:
    result = runner.invoke(app, ["data", "info", "--json"])
    assert result.exit_code == 0
    info = json.loads(result.stdout)
    assert info["counts"] == {
        "ridings": 343,
        "mps": 338,
        "vacancies": 5,
        "fsas": 1681,
        "fsas_with_likely_riding": 1358,
    }
    assert info["mp_data_as_of"] == "2026-01-22"
    assert "ridings_2023" in {source["id"] for source in info["sources"]}
    assert ("Warning: the MP data is" in result.stderr) is info["stale"]


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.startswith("mpwrite ")


def test_lookup_riding_wins_but_a_disagreeing_postal_code_is_flagged() -> None:
    result = runner.invoke(app, ["lookup", "K1A 0A6", "--riding", "Ottawa South"])
    assert result.exit_code == 0
    assert "McGuinty" in result.stdout
    assert (
        "Warning: postal code K1A 0A6 gives the likely riding Ottawa Centre, not Ottawa South"
        in (result.stderr)
    )
    agreeing = runner.invoke(app, ["lookup", "K1A 0A6", "--riding", "Ottawa Centre"])
    assert agreeing.exit_code == 0
    assert "Warning" not in agreeing.stderr


def test_data_info_text_says_unknown_for_null_dates_and_names_full_commands(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from mpwrite.geo import provenance

    original = provenance.describe_data

    def with_a_null_date(*args, **kwargs):
        summary = original(*args, **kwargs)
        sources = (
            *summary.sources,
            {"id": "x", "title": "Mystery", "as_of": None, "publisher": None, "licence": None},
        )
        return dataclasses.replace(summary, sources=sources)

    monkeypatch.setattr("mpwrite.cli.commands.data.describe_data", with_a_null_date)
    result = runner.invoke(app, ["data", "info"])
    assert result.exit_code == 0, result.stderr
    assert "None" not in result.stdout
    assert "- Mystery (unknown publisher), as of unknown; licence: unknown" in result.stdout
    assert "mpwrite data import-postcodes" in result.stdout


def test_ridings_with_no_match_fails_with_json_too() -> None:
    result = runner.invoke(app, ["ridings", "-s", "zzzz", "--json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout) == []
    assert "No riding matches" in result.stderr


@pytest.mark.parametrize("typed", ["Ottawa Centre", "Edmonton", "  Ville-Marie  "])
def test_a_riding_name_typed_as_a_postal_code_gets_a_riding_hint(typed: str) -> None:
    result = runner.invoke(app, ["lookup", typed])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ")
    assert result.stderr.rstrip().endswith(
        f'to look up a riding by name use --riding "{typed.strip()}"'
    )


def test_a_mistyped_postal_code_gets_no_riding_hint() -> None:
    result = runner.invoke(app, ["lookup", "K1A 0A"])
    assert result.exit_code == 2
    assert "--riding" not in result.stderr


def test_lookup_and_ridings_answer_in_the_language_of_lang() -> None:
    from typer.testing import CliRunner

    from mpwrite.cli.root import app

    runner = CliRunner()
    french = runner.invoke(app, ["lookup", "K1A 0A6", "--lang", "français"])
    assert french.exit_code == 0
    assert french.stdout.startswith("Code postal\u00a0: K1A 0A6")
    listed = runner.invoke(app, ["ridings", "--search", "ottawa c", "-l", "FR"])
    assert "1 circonscription" in listed.stderr and "Ottawa-Centre" in listed.stdout
    wrong = runner.invoke(app, ["lookup", "K1A 0A6", "--lang", "de"])
    assert wrong.exit_code == 2 and "--lang" in wrong.stderr
