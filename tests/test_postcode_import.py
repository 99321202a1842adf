"""`mpwrite data import-postcodes` reads the CSV files people have, as `bulk` does."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from mpwrite.cli import app
from mpwrite.postcode_import import import_postcodes
from mpwrite.ridings import load_bundled
from mpwrite.store import PostcodeStore

runner = CliRunner()


def imported(path: Path) -> dict[str, tuple[str, ...]]:
    """Import a file into the store; what each of the test codes now answers."""
    with PostcodeStore() as store:
        import_postcodes(path, load_bundled(), store)
        answers = {}
        for code in ("H2X 1Y4", "K1P 5J2", "J4Z 3C8"):
            cached = store.get(code)
            if cached is not None:
                answers[code] = cached.fed_codes
        return answers


@pytest.mark.parametrize(
    ("encoding", "bom"), [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("cp1252", b"")]
)
def test_semicolon_file_with_french_headers(tmp_path: Path, encoding: str, bom: bytes) -> None:
    table = tmp_path / "export.csv"
    table.write_bytes(
        bom
        + (
            "Code postal;Circonscription;Nom\n"
            "H2X 1Y4;Laurier—Sainte-Marie;Ann\n"
            "J4Z 3C8;Brossard—Saint-Lambert;Bo\n"
        ).encode(encoding)
    )
    result = runner.invoke(app, ["data", "import-postcodes", str(table)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "Imported 2 postal codes from 2 rows; 0 rows skipped.\n"
    assert imported(table) == {"H2X 1Y4": ("24037",), "J4Z 3C8": ("24015",)}


@pytest.mark.parametrize(
    "fed_header", ["Numéro de circonscription", "Code de circonscription", "FED code"]
)
def test_tab_file_with_a_riding_number_column(tmp_path: Path, fed_header: str) -> None:
    table = tmp_path / "export.tsv"
    table.write_text(f"Prénom\tCode postal\t{fed_header}\nAnn\tK1P 5J2\t35079\n", encoding="utf-8")
    assert imported(table) == {"K1P 5J2": ("35079",)}


def test_comma_in_a_quoted_riding_does_not_decide_the_delimiter(tmp_path: Path) -> None:
    table = tmp_path / "export.csv"
    table.write_text('"postal code";"riding, name"\nH2X 1Y4;24037\n', encoding="utf-8")
    assert imported(table) == {"H2X 1Y4": ("24037",)}


def test_missing_columns_name_the_headers_as_written(tmp_path: Path) -> None:
    table = tmp_path / "export.csv"
    table.write_text("Nom;Courriel\nAnn;ann@example.org\n", encoding="utf-8")
    result = runner.invoke(app, ["data", "import-postcodes", str(table)])
    assert result.exit_code == 2
    assert "found: Nom, Courriel" in result.stderr
    assert "Traceback" not in result.stderr
