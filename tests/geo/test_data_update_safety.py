"""`mpwrite data update` from a hostile source: control characters, wholesale e-mail changes."""

from __future__ import annotations

from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from mpwrite.cli.root import app
from mpwrite.geo.mpdata import load_active
from mpwrite.geo.represent_mps import clean_text
from mpwrite.geo.ridings import load_bundled

PATH = "/representatives/house-of-commons/"
runner = CliRunner()


pytestmark = pytest.mark.usefixtures("no_real_waiting")


def bundled_mps() -> dict[str, dict[str, Any]]:
    """Represent's view of the bundled MPs (as much as the update reads), keyed by FED code."""
    found = {}
    for riding in load_bundled():
        mp = riding.mp
        if mp is not None:
            found[riding.code] = {
                "first_name": mp.first_name,
                "last_name": mp.last_name,
                "district_name": riding.name_en,
                "elected_office": "MP",
                "party_name": mp.party,
                "email": mp.email,
                "offices": [{"type": "legislature", "tel": mp.phone}],
            }
    return found


def serve_and_update(server: HTTPServer, mps: dict[str, dict[str, Any]], *options: str) -> Any:
    server.expect_request(PATH).respond_with_json(
        {"objects": list(mps.values()), "meta": {"next": None, "total_count": len(mps)}}
    )
    return runner.invoke(app, ["data", "update", "--represent-url", server.url_for("/"), *options])


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Ann\u202eeoD\u202c", "AnneoD"),
        ("Ann\nDoe\x1b[31m", "Ann Doe [31m"),
        ("Jos\u00e9\u2066 \u2069Tremblay", "José Tremblay"),
        ("Libéral\u0000\ue000", "Libéral"),
        ("\u0d15\u0d4d\u200d\u0d37", "\u0d15\u0d4d\u200d\u0d37"),  # a joiner some scripts need
        ("Zoe\u0301 Tremblay", "Zoe\u0301 Tremblay"),  # combining marks stay
    ],
)
def test_clean_text_drops_control_bidi_and_private_characters(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


def test_update_saves_and_shows_names_without_control_or_bidi_characters(
    httpserver: HTTPServer,
) -> None:
    mps = bundled_mps()
    mps["35079"]["party_name"] = "Conserva\u202etive\x1b]0;pwned\x07"
    mps["35020"]["first_name"] = "Bruce\nInjected line"
    result = serve_and_update(httpserver, mps)
    assert result.exit_code == 0, result.stderr
    for text in (result.stdout, result.stderr):
        assert not any(c in text for c in "\u202e\x1b\x07")
    data, origin = load_active()
    assert origin == "downloaded"
    assert data.ridings["35079"].mp is not None
    assert data.ridings["35079"].mp.party == "Conservative ]0;pwned"
    assert data.ridings["35020"].mp is not None
    assert data.ridings["35020"].mp.first_name == "Bruce Injected line"


def test_every_email_moved_off_parliament_is_held_back(httpserver: HTTPServer) -> None:
    mps = bundled_mps()
    for item in mps.values():
        item["email"] = "campaign@attacker.example"
    result = serve_and_update(httpserver, mps)
    assert result.exit_code == 1
    error = result.stderr.strip().splitlines()[-1]
    assert error.startswith(f"Error: {len(mps)} of {len(mps)} MPs' e-mails in the download are")
    assert "not at parl.gc.ca" in error and "--force" in error
    assert result.stdout == ""
    assert load_active()[1] == "bundled"


def test_a_dry_run_warns_and_force_saves(httpserver: HTTPServer) -> None:
    mps = bundled_mps()
    for code in sorted(mps)[: len(mps) // 3]:
        mps[code]["email"] = f"mp{code}@example.org"
    dry = serve_and_update(httpserver, mps, "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert "are not at parl.gc.ca" in dry.stderr and "--force" in dry.stderr
    httpserver.clear()
    forced = serve_and_update(httpserver, mps, "--force")
    assert forced.exit_code == 0, forced.stderr
    assert load_active()[1] == "downloaded"


def test_a_few_emails_off_parliament_are_accepted(httpserver: HTTPServer) -> None:
    mps = bundled_mps()
    for code in sorted(mps)[:10]:
        mps[code]["email"] = f"mp{code}@example.org"
    result = serve_and_update(httpserver, mps)
    assert result.exit_code == 0, result.stderr
