"""Old MP data is flagged once where letters are written; --json carries its date."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mpwrite.cli.root import app
from mpwrite.geo import provenance
from mpwrite.geo.ridings import load_bundled

runner = CliRunner()
BATCH = {"MPWRITE_INTERACTIVE": "0"}
AS_OF = str(load_bundled().metadata["mp_data_as_of"])
WARNING = "Warning: the MP data is "


def test_one_core_function_decides_staleness() -> None:
    as_of = dt.date.fromisoformat(AS_OF)
    old = provenance.stale_data_warning(AS_OF, today=as_of + dt.timedelta(days=315))
    assert old is not None and "315 days old" in old and "mpwrite data update" in old
    fresh = as_of + dt.timedelta(days=provenance.STALE_AFTER_DAYS)
    assert provenance.stale_data_warning(AS_OF, today=fresh) is None
    assert provenance.stale_data_warning(None) is None


@pytest.fixture(params=["stale", "fresh"])
def staleness(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Make the bundled data old (or new) whatever today's date is."""
    days = -1 if request.param == "stale" else 100_000
    monkeypatch.setattr(provenance, "STALE_AFTER_DAYS", days)
    return str(request.param)


def warnings_in(stderr: str) -> int:
    return sum(line.startswith(WARNING) for line in stderr.splitlines())


def test_draft_warns_once(staleness: str) -> None:
    result = runner.invoke(app, ["draft", "-r", "35079", "--name", "A"], env=BATCH)
    assert result.exit_code == 0, result.stderr
    assert warnings_in(result.stderr) == (staleness == "stale")
    if staleness == "stale":
        assert "mpwrite data update" in result.stderr


def test_draft_usage_error_comes_alone(staleness: str) -> None:
    result = runner.invoke(app, ["draft", "-r", "35079", "--name", "A", "-l", "de"], env=BATCH)
    assert result.exit_code == 2
    assert warnings_in(result.stderr) == 0


def test_bulk_warns_once_and_its_json_carries_the_date(staleness: str, tmp_path: Path) -> None:
    source = tmp_path / "s.csv"
    source.write_text("Name,Riding\nA B,Ottawa Centre\nC D,35080\n", encoding="utf-8")
    result = runner.invoke(
        app, ["bulk", str(source), "--out", str(tmp_path / "o"), "--json"], env=BATCH
    )
    assert result.exit_code == 0, result.stderr
    assert warnings_in(result.stderr) == (staleness == "stale")
    assert json.loads(result.stdout)["mp_data_as_of"] == AS_OF


def test_event_warns_once(staleness: str) -> None:
    result = runner.invoke(app, ["event"], input="")
    assert result.exit_code == 0, result.stderr
    assert warnings_in(result.stderr) == (staleness == "stale")


def test_lookup_json_carries_the_date() -> None:
    result = runner.invoke(app, ["lookup", "--riding", "35079", "--json"], env=BATCH)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["mp_data_as_of"] == AS_OF
