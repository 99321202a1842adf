"""``mpwrite ridings --search`` with no match: the hint fits what was typed."""

from __future__ import annotations

from typer.testing import CliRunner

from mpwrite.cli.root import app

runner = CliRunner()


def test_no_match_without_province_does_not_say_drop_province() -> None:
    result = runner.invoke(app, ["ridings", "--search", "zzzz"])
    assert result.exit_code == 1
    assert "No riding matches" in result.stderr
    assert "--province" not in result.stderr


def test_no_match_with_a_province_says_drop_it() -> None:
    result = runner.invoke(app, ["ridings", "--search", "zzzz", "--province", "PE"])
    assert result.exit_code == 1
    assert "drop --province" in result.stderr
