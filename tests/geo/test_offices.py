"""Constituency offices: parsed from Represent, kept by `data update`, dropped by `data reset`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from mpwrite.cli.root import app
from mpwrite.geo.mpdata import downloaded_dir, load_active
from mpwrite.geo.offices import CONSTITUENCY, LONGEST_ADDRESS, MOST_OFFICES, Office
from mpwrite.geo.represent_mps import offices_from_representative
from tests.helpers import REPRESENT_PATH, represent_house, represent_mps

FIXTURES = Path(__file__).parents[1] / "fixtures" / "represent"
OTTAWA_CENTRE = "35079"
runner = CliRunner()


pytestmark = pytest.mark.usefixtures("no_real_waiting")


def naqvi() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((FIXTURES / "representative.json").read_text("utf-8"))
    return loaded


def serve_with_offices(server: HTTPServer, ottawa_centre: dict[str, Any]) -> None:
    mps = represent_mps()
    mps[OTTAWA_CENTRE] = ottawa_centre
    server.expect_request(REPRESENT_PATH).respond_with_json(represent_house(list(mps.values())))


def update(server: HTTPServer) -> Any:
    return runner.invoke(app, ["data", "update", "--represent-url", server.url_for("/")])


def test_the_fixture_s_constituency_office_is_read_and_the_hill_office_left_to_the_phone() -> None:
    assert offices_from_representative(naqvi()) == (
        Office(
            CONSTITUENCY,
            "Main office - Ottawa, 404-1066 Somerset Street West, Ottawa ON K1Y 4T3",
            "613-946-8682",
            "613-946-8680",
        ),
    )


def test_office_fields_are_cleaned_and_bounded() -> None:
    item = {
        "offices": [
            {
                "type": " Constituency ",
                "postal": "1 Main\u202e Street\x00\n\n" + "x" * 1000,
                "tel": "613 555 0199 \u2066",
                "fax": "1 ",
            },
            {"type": "constituency", "postal": "", "tel": "12"},  # says nothing usable
            {"type": "residence", "tel": "613-555-0100"},  # not a kind we know
            "not an office",
            *({"type": "constituency", "tel": "613-555-0101"} for _ in range(20)),
        ]
    }
    offices = offices_from_representative(item)
    assert len(offices) == MOST_OFFICES
    first = offices[0]
    assert first.kind == CONSTITUENCY
    assert first.postal_address.startswith("1 Main Street, xxx")
    assert len(first.postal_address) == LONGEST_ADDRESS
    assert first.tel == "613-555-0199" and first.fax == ""
    assert all(office.tel == "613-555-0101" for office in offices[1:])


def test_update_keeps_offices_with_their_date_and_source_and_reset_drops_them(
    httpserver: HTTPServer,
) -> None:
    assert load_active()[0].ridings[OTTAWA_CENTRE].mp.offices == ()  # type: ignore[union-attr]
    serve_with_offices(httpserver, naqvi())
    result = update(httpserver)
    assert result.exit_code == 0, result.stderr
    data, origin = load_active()
    mp = data.ridings[OTTAWA_CENTRE].mp
    assert origin == "downloaded" and mp is not None
    assert [office.tel for office in mp.offices] == ["613-946-8682"]
    assert mp.phone == "613-996-5322"
    saved = json.loads((downloaded_dir() / "offices.json").read_text("utf-8"))
    assert saved["source_url"].endswith(REPRESENT_PATH)
    assert saved["mp_data_as_of"] == data.metadata["mp_data_as_of"]
    assert list(saved["offices"]) == [OTTAWA_CENTRE]
    assert "offices" in data.metadata["sources"][0]["used_for"]
    assert runner.invoke(app, ["data", "reset"]).exit_code == 0
    assert not (downloaded_dir() / "offices.json").exists()
    assert load_active()[0].ridings[OTTAWA_CENTRE].mp.offices == ()  # type: ignore[union-attr]


def test_an_edited_offices_file_is_refused_like_damaged_data(httpserver: HTTPServer) -> None:
    serve_with_offices(httpserver, naqvi())
    assert update(httpserver).exit_code == 0
    path = downloaded_dir() / "offices.json"
    path.write_text(path.read_text("utf-8").replace("946-8682", "555-0000"), "utf-8")
    result = runner.invoke(app, ["lookup", "--riding", OTTAWA_CENTRE])
    assert result.exit_code == 1
    assert "damaged or incomplete" in result.stderr and "Traceback" not in result.output


def test_download_saved_before_offices_were_kept_still_loads(httpserver: HTTPServer) -> None:
    serve_with_offices(httpserver, naqvi())
    assert update(httpserver).exit_code == 0
    metadata_path = downloaded_dir() / "ridings-metadata.json"
    metadata = json.loads(metadata_path.read_text("utf-8"))
    del metadata["offices_sha256"]
    metadata_path.write_text(json.dumps(metadata), "utf-8")
    (downloaded_dir() / "offices.json").unlink()
    data, origin = load_active()
    assert origin == "downloaded"
    assert data.ridings[OTTAWA_CENTRE].mp.offices == ()  # type: ignore[union-attr]


def test_a_second_update_lists_changed_constituency_offices(httpserver: HTTPServer) -> None:
    serve_with_offices(httpserver, naqvi())
    first = update(httpserver)
    # The bundled data has no offices: the first download lists no office change.
    assert "constituency offices" not in first.stdout
    moved = naqvi()
    moved["offices"][0]["postal"] = "1 New Street, Ottawa ON K1Y 4T3"
    httpserver.clear()
    serve_with_offices(httpserver, moved)
    url = httpserver.url_for("/")
    shown = runner.invoke(app, ["data", "update", "--represent-url", url, "--dry-run"]).stdout
    assert (
        "Ottawa Centre (35079): constituency offices Main office - Ottawa, 404-1066 Somerset "
        "Street West, Ottawa ON K1Y 4T3, 613-946-8682 -> 1 New Street, Ottawa ON K1Y 4T3, "
        "613-946-8682"
    ) in shown
    second = runner.invoke(app, ["data", "update", "--represent-url", url, "--json"])
    assert second.exit_code == 0, second.stderr
    [change] = [c for c in json.loads(second.stdout)["changes"] if c["kind"] == "offices"]
    assert change["code"] == OTTAWA_CENTRE
    assert change["before"].startswith("Main office - Ottawa, 404-1066 Somerset Street West")
    assert change["after"] == "1 New Street, Ottawa ON K1Y 4T3, 613-946-8682"
    shown = update(httpserver).stdout  # the same download again: nothing changed
    assert "constituency offices" not in shown
