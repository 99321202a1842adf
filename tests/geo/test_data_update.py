"""`mpwrite data update / reset / info` against a local server that answers like Represent."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from mpwrite.cli.root import app
from mpwrite.errors import DataError
from mpwrite.geo.mpdata import DOWNLOADED_RIDINGS, downloaded_dir, load_active
from mpwrite.geo.ridings import load_bundled

PATH = "/representatives/house-of-commons/"
PAGE = 200
runner = CliRunner()


pytestmark = pytest.mark.usefixtures("no_real_waiting")


def representative(
    code: str, first: str, last: str, party: str, email: str, tel: str
) -> dict[str, Any]:
    riding = load_bundled().ridings[code]
    return {
        "name": f"{first} {last}",
        "first_name": first,
        "last_name": last,
        "district_name": riding.name_en,
        "elected_office": "MP",
        "party_name": party,
        "email": email,
        "representative_set_name": "House of Commons",
        "offices": [
            {"type": "constituency", "tel": "1 555-555-0000"},
            *(
                [{"type": "legislature", "tel": f"1 {tel}", "postal": "House of Commons"}]
                if tel
                else []
            ),
        ],
    }


def current_mps() -> dict[str, dict[str, Any]]:
    """Represent's view of the bundled MPs, keyed by FED code."""
    party_names = {"NDP": "NDP", "Green": "Green Party", "Bloc Québécois": "Bloc Québécois"}
    found = {}
    for riding in load_bundled():
        mp = riding.mp
        if mp is not None:
            found[riding.code] = representative(
                riding.code,
                mp.first_name,
                mp.last_name,
                party_names.get(mp.party, mp.party),
                mp.email,
                mp.phone,
            )
    return found


def serve(
    server: HTTPServer,
    objects: list[dict[str, Any]],
    total: int | None = None,
    *,
    announce_total: bool = True,
) -> None:
    """Answer like Represent: pages of PAGE objects, linked by meta.next."""
    server.clear()
    total = len(objects) if total is None else total
    for offset in range(0, max(len(objects), 1), PAGE):
        query = "limit=1000" if offset == 0 else f"limit=1000&offset={offset}"
        following = offset + PAGE
        meta: dict[str, Any] = {
            "next": f"{PATH}?limit=1000&offset={following}" if following < len(objects) else None
        }
        if announce_total:
            meta["total_count"] = total
        server.expect_request(PATH, query_string=query).respond_with_json(
            {"objects": objects[offset:following], "meta": meta}
        )


def changed_mps() -> list[dict[str, Any]]:
    mps = current_mps()
    mps["24037"] = representative(
        "24037", "Marie", "Nouvelle", "Liberal", "marie.nouvelle@parl.gc.ca", "613-111-2222"
    )
    mps["35079"]["party_name"] = "Conservative"
    mps["35020"]["email"] = "b.fanjoy@parl.gc.ca"
    mps["10001"] = representative(
        "10001", "Pat", "Newcomer", "Conservative", "pat.newcomer@parl.gc.ca", "613-992-4133"
    )
    del mps["35100"]
    mps["35013"]["offices"][1]["tel"] = "1 (613) 999-8888"
    return list(mps.values())


def update(server: HTTPServer, *options: str) -> Any:
    return runner.invoke(app, ["data", "update", "--represent-url", server.url_for("/"), *options])


def test_dry_run_follows_every_page_and_shows_each_kind_of_change(httpserver: HTTPServer) -> None:
    serve(httpserver, changed_mps())
    result = update(httpserver, "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert len(httpserver.log) == 2  # 338 MPs in pages of 200
    lines = set(result.stdout.splitlines())
    assert "Laurier—Sainte-Marie (24037): vacancy filled by Marie Nouvelle" in lines
    assert "Spadina—Harbourfront (35100): now vacant (was Chi Nguyen)" in lines
    assert "Avalon (10001): new MP Pat Newcomer (was Paul Connors)" in lines
    assert "Ottawa Centre (35079): party Liberal -> Conservative" in lines
    assert "Carleton (35020): e-mail bruce.fanjoy@parl.gc.ca -> b.fanjoy@parl.gc.ca" in lines
    assert "Brampton South (35013): phone 613-995-5381 -> 613-999-8888" in lines
    assert len(lines) == 6
    assert "nothing saved" in result.stderr
    assert not (downloaded_dir() / DOWNLOADED_RIDINGS).exists()
    assert load_active()[1] == "bundled"


def test_unchanged_list_reports_no_changes(httpserver: HTTPServer) -> None:
    serve(httpserver, list(current_mps().values()))
    result = update(httpserver, "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "No changes against the bundled data.\n"


def test_update_saves_and_takes_precedence_until_reset(httpserver: HTTPServer) -> None:
    serve(httpserver, changed_mps())
    result = update(httpserver)
    assert result.exit_code == 0, result.stderr
    assert "takes precedence" in result.stderr
    data, origin = load_active()
    assert origin == "downloaded"
    filled = data.ridings["24037"].mp
    assert filled is not None and filled.full_name == "Marie Nouvelle"
    assert data.ridings["35100"].mp is None
    # Same person, so the honorific the bundled data knows is kept.
    anand = data.ridings["35075"].mp
    assert anand is not None and anand.honorific == "Hon."
    looked_up = runner.invoke(app, ["lookup", "--riding", "24037", "--json"])
    assert json.loads(looked_up.stdout)["matches"][0]["mp"]["name"] == "Marie Nouvelle"
    info = runner.invoke(app, ["data", "info", "--json"])
    document = json.loads(info.stdout)
    assert document["origin"] == "downloaded"
    assert document["active"]["bundled_mp_data_as_of"] == "2026-01-22"
    assert document["counts"]["vacancies"] == 5
    assert document["sources"][0]["id"] == "represent_download"
    human = runner.invoke(app, ["data", "info"])
    assert human.stdout.startswith("Data in use:   downloaded from Represent at ")
    reset = runner.invoke(app, ["data", "reset"])
    assert reset.exit_code == 0 and "bundled data is in use again" in reset.stderr
    assert load_active()[1] == "bundled"
    again = runner.invoke(app, ["data", "reset"])
    assert "already in use" in again.stderr


def test_partial_download_never_replaces_good_data(httpserver: HTTPServer) -> None:
    serve(httpserver, changed_mps())
    assert update(httpserver).exit_code == 0
    saved = (downloaded_dir() / DOWNLOADED_RIDINGS).read_bytes()
    # The server announces 338 but the second page never comes.
    serve(httpserver, list(current_mps().values())[:PAGE], total=338)
    result = update(httpserver)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1].startswith("Error: Represent announced 338 MPs")
    assert (downloaded_dir() / DOWNLOADED_RIDINGS).read_bytes() == saved


def test_too_few_mps_is_refused_as_partial(httpserver: HTTPServer) -> None:
    serve(httpserver, list(current_mps().values())[:100])
    result = update(httpserver)
    assert result.exit_code == 1
    assert "only 100 of 343 ridings have an MP" in result.stderr
    assert "nothing was saved" in result.stderr
    assert load_active()[1] == "bundled"


def test_malformed_email_is_refused(httpserver: HTTPServer) -> None:
    mps = current_mps()
    mps["35079"]["email"] = "yasir.naqvi at parl"
    serve(httpserver, list(mps.values()))
    result = update(httpserver)
    assert result.exit_code == 1
    assert "Yasir Naqvi (35079) has no well-formed e-mail" in result.stderr
    assert load_active()[1] == "bundled"


def test_unmatched_district_is_reported_and_the_rest_saved(httpserver: HTTPServer) -> None:
    mps = list(current_mps().values())
    mps[0] = {**mps[0], "district_name": "Atlantis—Nowhere"}
    serve(httpserver, mps)
    result = update(httpserver)
    assert result.exit_code == 0, result.stderr
    assert "no riding is named 'Atlantis—Nowhere'" in result.stderr
    assert "vacancy opened" not in result.stdout and "now vacant" in result.stdout


def test_district_names_match_forgivingly(httpserver: HTTPServer) -> None:
    mps = current_mps()
    mps["24037"] = representative(
        "24037", "Marie", "Nouvelle", "Liberal", "marie.nouvelle@parl.gc.ca", "613-111-2222"
    )
    mps["24037"]["district_name"] = "laurier-sainte-marie"
    serve(httpserver, list(mps.values()))
    result = update(httpserver, "--dry-run", "--json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["changes"] == [
        {
            "kind": "vacancy filled",
            "code": "24037",
            "riding": "Laurier—Sainte-Marie",
            "before": "",
            "after": "Marie Nouvelle",
        }
    ]
    assert document["unmatched"] == []


def test_network_failure_is_one_line_and_changes_nothing(httpserver: HTTPServer) -> None:
    httpserver.expect_request(PATH).respond_with_data("down", status=503)
    result = update(httpserver)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1].startswith("Error: Represent (")
    assert "Traceback" not in result.stderr
    assert load_active()[1] == "bundled"


def test_damaged_download_is_a_clear_error(httpserver: HTTPServer) -> None:
    serve(httpserver, changed_mps())
    assert update(httpserver).exit_code == 0
    path = downloaded_dir() / DOWNLOADED_RIDINGS
    path.write_text(path.read_text(encoding="utf-8")[:500], encoding="utf-8")
    with pytest.raises(DataError, match="mpwrite data reset"):
        load_active()
    result = runner.invoke(app, ["lookup", "K1A 0A6"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: the downloaded MP data in")


def test_store_and_downloads_stay_in_mpwrite_home(
    httpserver: HTTPServer, isolated_mpwrite_home: Path
) -> None:
    serve(httpserver, changed_mps())
    update(httpserver)
    assert downloaded_dir().parent == isolated_mpwrite_home
    assert sorted(p.name for p in downloaded_dir().iterdir()) == [
        "offices.json",
        "ridings-metadata.json",
        "ridings.csv",
    ]


@pytest.mark.parametrize("junk", ["1 ", "613-555", "ext. 1234", "1 613 555 01234"])
def test_a_junk_phone_is_not_kept_nor_listed_as_a_change(httpserver: HTTPServer, junk: str) -> None:
    mps = current_mps()
    mps["35013"]["offices"][1]["tel"] = junk
    serve(httpserver, list(mps.values()))
    result = update(httpserver)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "No changes against the bundled data.\n"
    brampton = load_active()[0].ridings["35013"].mp
    assert brampton is not None and brampton.phone == "613-995-5381"


def test_a_new_mp_with_a_junk_phone_gets_no_phone(httpserver: HTTPServer) -> None:
    mps = current_mps()
    mps["24037"] = representative(
        "24037", "Marie", "Nouvelle", "Liberal", "marie.nouvelle@parl.gc.ca", ""
    )
    mps["24037"]["offices"].append({"type": "legislature", "tel": "1 "})
    serve(httpserver, list(mps.values()))
    assert update(httpserver).exit_code == 0
    filled = load_active()[0].ridings["24037"].mp
    assert filled is not None and filled.phone == ""


def test_an_eleven_digit_phone_loses_its_leading_1(httpserver: HTTPServer) -> None:
    mps = current_mps()
    mps["35013"]["offices"][1]["tel"] = "+1 (613) 999.8888"
    serve(httpserver, list(mps.values()))
    result = update(httpserver, "--dry-run")
    assert result.stdout == "Brampton South (35013): phone 613-995-5381 -> 613-999-8888\n"


def without(codes: list[str]) -> list[dict[str, Any]]:
    """The current MPs minus the seats named, as a partial download would be."""
    mps = current_mps()
    for code in codes:
        del mps[code]
    return list(mps.values())


NINE_SEATS = sorted(current_mps())[-9:]


def test_many_new_vacancies_without_a_total_are_refused(httpserver: HTTPServer) -> None:
    serve(httpserver, list(current_mps().values()))
    assert update(httpserver).exit_code == 0
    assert load_active()[1] == "downloaded"
    saved = (downloaded_dir() / DOWNLOADED_RIDINGS).read_bytes()
    # A server that stops early and does not say how many there are.
    serve(httpserver, without(NINE_SEATS), announce_total=False)
    result = update(httpserver)
    assert result.exit_code == 1
    assert result.stdout == ""
    error = result.stderr.splitlines()[-1]
    assert error.startswith("Error: the download leaves 9 seats vacant that have an MP")
    assert "--accept-vacancies" in error and "nothing was saved" in error
    assert (downloaded_dir() / DOWNLOADED_RIDINGS).read_bytes() == saved


def test_dry_run_shows_the_new_vacancies_and_warns(httpserver: HTTPServer) -> None:
    serve(httpserver, without(NINE_SEATS), announce_total=False)
    result = update(httpserver, "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("now vacant") == 9
    assert "--accept-vacancies" in result.stderr
    assert load_active()[1] == "bundled"


def test_accept_vacancies_saves_checked_vacancies(httpserver: HTTPServer) -> None:
    serve(httpserver, without(NINE_SEATS), announce_total=False)
    result = update(httpserver, "--accept-vacancies")
    assert result.exit_code == 0, result.stderr
    data, origin = load_active()
    assert origin == "downloaded"
    assert all(data.ridings[code].vacant for code in NINE_SEATS)


def test_accept_vacancies_does_not_lift_the_total_check(httpserver: HTTPServer) -> None:
    serve(httpserver, without(NINE_SEATS), total=338)
    result = update(httpserver, "--accept-vacancies")
    assert result.exit_code == 1
    assert "Represent announced 338 MPs" in result.stderr
    assert load_active()[1] == "bundled"


def test_a_few_new_vacancies_are_by_elections_and_saved(httpserver: HTTPServer) -> None:
    serve(httpserver, without(NINE_SEATS[:3]), announce_total=False)
    result = update(httpserver)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("now vacant") == 3
    assert load_active()[1] == "downloaded"


def test_the_core_refuses_to_save_a_partial_update_unless_accepted() -> None:
    from mpwrite.errors import DataUpdateError
    from mpwrite.geo.mpdata import build_update, save_update

    partial = build_update(without(NINE_SEATS), load_bundled())
    assert partial.vacancies_opened == 9
    with pytest.raises(DataUpdateError, match="--accept-vacancies"):
        save_update(partial)
    assert load_active()[1] == "bundled"
    save_update(partial, accept_vacancies=True)
    assert load_active()[1] == "downloaded"
