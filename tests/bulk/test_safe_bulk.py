"""bulk's summary tables: provinces and parties are counted apart."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from mpwrite.cli.root import app

runner = CliRunner()


def test_provinces_and_parties_are_two_tables(tmp_path: Path) -> None:
    source = tmp_path / "s.csv"
    # Three Ontario letters and one from Manitoba; three to Liberals, one to the NDP.
    source.write_text(
        "Name,Riding\nA B,Ottawa Centre\nC D,35080\nE F,Winnipeg Centre\nG H,Carleton\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["bulk", str(source), "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.stderr
    assert "Letters per province and party" not in result.stderr
    assert "Letters per province" in result.stderr and "Letters per party" in result.stderr
    # Each row of a table is one thing and its count, never a province beside a party.
    assert re.search(r"│ ON\s+│\s+3 │\n", result.stderr)
    assert re.search(r"│ MB\s+│\s+1 │\n", result.stderr)
    assert re.search(r"│ Liberal\s+│\s+3 │\n", result.stderr)
