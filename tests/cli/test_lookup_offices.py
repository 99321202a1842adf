"""`mpwrite lookup` shows the Hill office and every constituency office on file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from mpwrite.cli.root import app
from tests.helpers import REPRESENT_PATH, represent_house, represent_mps

FIXTURES = Path(__file__).parents[1] / "fixtures" / "represent"
OTTAWA_CENTRE = "35079"
runner = CliRunner()


pytestmark = pytest.mark.usefixtures("no_real_waiting")


def update_with_offices(server: HTTPServer) -> None:
    naqvi: dict[str, Any] = json.loads((FIXTURES / "representative.json").read_text("utf-8"))
    second_office = {"type": "constituency", "postal": "12 Bank Street\nOttawa ON", "tel": ""}
    naqvi["offices"].append(second_office)
    mps = represent_mps()
    mps[OTTAWA_CENTRE] = naqvi
    server.expect_request(REPRESENT_PATH).respond_with_json(represent_house(list(mps.values())))
    result = runner.invoke(app, ["data", "update", "--represent-url", server.url_for("/")])
    assert result.exit_code == 0, result.stderr


def test_without_offices_the_text_says_so_and_how_to_get_them() -> None:
    result = runner.invoke(app, ["lookup", "--riding", OTTAWA_CENTRE])
    assert result.stdout.endswith(
        "Phone:    613-996-5322\n"
        "Mail:     Yasir Naqvi, House of Commons, Ottawa, Ontario K1A 0A6 (no stamp needed)\n"
        "Office:   no constituency office on file; run mpwrite data update\n"
    )


def test_without_offices_the_french_text_says_so_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MPWRITE_LANG", "fr")
    result = runner.invoke(app, ["lookup", "--riding", OTTAWA_CENTRE])
    assert result.stdout.endswith(
        "Bureau\u00a0: aucun bureau de circonscription au dossier\u00a0; "
        "lancez mpwrite data update\n"
    )


def test_every_constituency_office_is_shown_after_the_hill_office(httpserver: HTTPServer) -> None:
    update_with_offices(httpserver)
    result = runner.invoke(app, ["lookup", "--riding", OTTAWA_CENTRE])
    assert result.exit_code == 0
    assert result.stdout.endswith(
        "Phone:    613-996-5322\n"
        "Mail:     Yasir Naqvi, House of Commons, Ottawa, Ontario K1A 0A6 (no stamp needed)\n"
        "Office:   Main office - Ottawa, 404-1066 Somerset Street West, Ottawa ON K1Y 4T3; "
        "tel. 613-946-8682; fax 613-946-8680\n"
        "Office:   12 Bank Street, Ottawa ON\n"
    )


def test_json_lists_constituency_offices_then_the_hill_office(httpserver: HTTPServer) -> None:
    update_with_offices(httpserver)
    result = runner.invoke(app, ["lookup", "--riding", OTTAWA_CENTRE, "--json"])
    [match] = json.loads(result.stdout)["matches"]
    assert match["mp"]["offices"] == [
        {
            "kind": "constituency",
            "postal_address": "Main office - Ottawa, 404-1066 Somerset Street West, "
            "Ottawa ON K1Y 4T3",
            "tel": "613-946-8682",
            "fax": "613-946-8680",
        },
        {
            "kind": "constituency",
            "postal_address": "12 Bank Street, Ottawa ON",
            "tel": None,
            "fax": None,
        },
        {
            "kind": "legislature",
            "postal_address": "House of Commons, Ottawa, Ontario K1A 0A6",
            "tel": "613-996-5322",
            "fax": None,
        },
    ]


def test_json_of_the_bundled_data_has_only_the_hill_office_and_a_vacant_seat_none() -> None:
    result = runner.invoke(app, ["lookup", "--riding", OTTAWA_CENTRE, "--json"])
    [match] = json.loads(result.stdout)["matches"]
    assert [office["kind"] for office in match["mp"]["offices"]] == ["legislature"]
    vacant = runner.invoke(app, ["ridings", "--json"])
    seats = [riding for riding in json.loads(vacant.stdout) if riding["mp"]["vacant"]]
    assert seats and all(seat["mp"]["offices"] == [] for seat in seats)
