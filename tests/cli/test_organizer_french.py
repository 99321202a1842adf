"""Organizers' commands in French: data, templates check, manifest and store errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from mpwrite.cli.root import app

runner = CliRunner()
NBSP = "\u00a0"


@pytest.fixture
def home(tmp_path: Path) -> dict[str, str]:
    return {"MPWRITE_HOME": str(tmp_path / "home"), "MPWRITE_INTERACTIVE": "0"}


def test_data_info_in_french_and_unchanged_in_english(home: dict[str, str]) -> None:
    french = runner.invoke(app, ["data", "info"], env={**home, "MPWRITE_LANG": "fr"})
    assert french.exit_code == 0, french.output
    for line in (
        f"Données utilisées{NBSP}:     fournies avec mpwrite",
        f"Circonscriptions{NBSP}:      343 (Décret de représentation de 2023)",
        f"Codes postaux{NBSP}:         pas encore de base locale",
        f"Sources{NBSP}:",
    ):
        assert line in french.stdout, line
    assert "Data in use" not in french.stdout and "Ridings:" not in french.stdout
    english = runner.invoke(app, ["data", "info"], env={**home, "MPWRITE_LANG": "en"})
    assert "Data in use:   bundled\n" in english.stdout
    assert "Ridings:       343 (2023 Representation Order)\n" in english.stdout


def test_data_reset_and_import_in_french(home: dict[str, str], tmp_path: Path) -> None:
    french = {**home, "MPWRITE_LANG": "fr"}
    reset = runner.invoke(app, ["data", "reset"], env=french)
    assert reset.stderr.startswith("Aucune donnée téléchargée sur les député·e·s")
    table = tmp_path / "codes.csv"
    table.write_text("postal_code,fed_code\nK1A0A6,35075\nK1A 0A7,99999\n", encoding="utf-8")
    imported = runner.invoke(app, ["data", "import-postcodes", str(table)], env=french)
    assert imported.exit_code == 0, imported.output
    assert imported.stdout == f"1 code postal importé depuis 2 lignes{NBSP}; 1 ligne ignorée.\n"
    assert f"Ligne 3{NBSP}: code de circonscription (FED) inconnu '99999'" in imported.stderr
    english = runner.invoke(app, ["data", "import-postcodes", str(table)], env=home)
    assert english.stdout == "Imported 1 postal code from 2 rows; 1 row skipped.\n"


def test_templates_check_and_manifest_errors_in_french(tmp_path: Path) -> None:
    french = {"MPWRITE_LANG": "fr"}
    bundled = Path(__file__).parents[2] / "templates" / "letters" / "ccr-anti-trafficking"
    checked = runner.invoke(app, ["templates", "check", str(bundled)], env=french)
    assert checked.stdout.startswith(f"OK{NBSP}: ") and "modèles" in checked.stdout
    folder = tmp_path / "campaign"
    folder.mkdir()
    (folder / "manifest.toml").write_text('schema_version = 1\nid = ""\n', encoding="utf-8")
    broken = runner.invoke(app, ["templates", "check", str(folder)], env=french)
    assert broken.exit_code == 1
    assert "id doit être un texte non vide" in broken.stdout
    assert "il faut au moins une table [[demands]]" in broken.stdout
    assert f"problèmes dans {folder}" in broken.stderr
    drafted = runner.invoke(
        app, ["draft", "-r", "Ottawa Centre", "--name", "A", "--campaign", str(folder)], env=french
    )
    assert drafted.exit_code == 1
    assert drafted.stderr.startswith(f"Erreur{NBSP}: {folder}/manifest.toml")
    assert (
        f"(et 4 autres problèmes){NBSP}; vérifiez le dossier avec{NBSP}: mpwrite" in drafted.stderr
    )


def test_store_setting_errors_in_french(home: dict[str, str]) -> None:
    env = {**home, "MPWRITE_LANG": "fr", "MPWRITE_CACHE_MAX_AGE_DAYS": "-3"}
    result = runner.invoke(app, ["lookup", "K1A 0A6", "--online"], env=env)
    assert result.exit_code != 0
    assert f"MPWRITE_CACHE_MAX_AGE_DAYS='-3' est négatif{NBSP}; donnez un nombre entier" in (
        result.stderr
    )
