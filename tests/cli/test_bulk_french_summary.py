"""`mpwrite bulk --lang fr`: the terminal summary in French, report.csv and --json unchanged."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from mpwrite.cli.root import app

runner = CliRunner()
NBSP = "\u00a0"
ROWS = "Name,Postal code,Riding\nDi Four,K1A 0A6,35075\nBad Code,ZZZ,\n"


def run(tmp_path: Path, name: str, *options: str) -> tuple[str, str, str]:
    supporters = tmp_path / "supporters.csv"
    supporters.write_text(ROWS, encoding="utf-8")
    out = tmp_path / name
    result = runner.invoke(
        app, ["bulk", str(supporters), "--out", str(out), *options], env={"MPWRITE_LANG": "en"}
    )
    assert result.exit_code == 1, result.output
    return result.stdout, result.stderr, (out / "report.csv").read_text(encoding="utf-8-sig")


def test_summary_in_french_report_in_english(tmp_path: Path) -> None:
    _stdout, french, report = run(tmp_path, "fr", "--lang", "fr")
    for line in ("Lignes", "Lettres par province", f"Rapport{NBSP}: ", "1 ligne n’a pas eu"):
        assert line in french, line
    assert "Letters per" not in french and "Report:" not in french
    assert "the postal code is not a Canadian postal code" in report
    _stdout, english, english_report = run(tmp_path, "en")
    assert "Letters per province" in english and "Report: " in english
    assert report.replace("/fr/", "/en/") == english_report.replace("/fr/", "/en/")


def test_json_keys_do_not_change_with_the_language(tmp_path: Path) -> None:
    french, _stderr, _report = run(tmp_path, "fr", "--lang", "fr", "--json")
    english, _stderr, _report = run(tmp_path, "en", "--json")
    assert set(json.loads(french)) == set(json.loads(english))
