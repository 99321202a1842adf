"""A sender with a postal code but no city: the postal code gets its province."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from mpwrite.cli.root import app

runner = CliRunner()
BATCH = {"MPWRITE_INTERACTIVE": "0"}


@pytest.mark.parametrize(
    ("code", "lang", "line"),
    [
        ("K1A 0A6", "en", "Ontario K1A 0A6"),
        ("J8X 1A1", "fr", "Québec J8X 1A1"),
        ("J8X 1A1", "en", "Quebec J8X 1A1"),
    ],
)
def test_postal_code_without_city_gets_its_province(code: str, lang: str, line: str) -> None:
    result = runner.invoke(
        app, ["draft", "-r", "35079", "--name", "Sam", "-p", code, "-l", lang], env=BATCH
    )
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert line in lines
    assert code not in lines  # never a bare postal code on a line of its own


def test_with_a_city_the_line_is_unchanged() -> None:
    result = runner.invoke(
        app,
        ["draft", "-r", "35079", "--name", "Sam", "-p", "K1A 0A6", "--city", "Ottawa"],
        env=BATCH,
    )
    assert "Ottawa, Ontario K1A 0A6" in result.stdout.splitlines()
