"""`mpwrite data import-postcodes` reads the CSV files people have, as `bulk` does."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from mpwrite.cli.root import app
from mpwrite.geo.postcode_import import import_postcodes
from mpwrite.geo.ridings import load_bundled
from mpwrite.geo.store import PostcodeStore

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


def test_a_riding_in_another_province_is_refused(tmp_path: Path) -> None:
    table = tmp_path / "crm.csv"
    table.write_text(
        "postal_code,riding\nH2X 1Y4,Laurier—Sainte-Marie\nK2P 1L8,Nunavut\nX0A 0H0,62001\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["data", "import-postcodes", str(table)])
    assert result.exit_code == 0, result.stderr
    assert (
        "Row 3: K2P 1L8 is in Ontario but Nunavut (62001) is in Nunavut; check the riding"
        in result.stderr.splitlines()
    )
    assert result.stdout == "Imported 2 postal codes from 3 rows; 1 row skipped.\n"
    lookup = runner.invoke(app, ["lookup", "K2P1L8", "--json"])
    assert '"source": "cache"' not in lookup.stdout
    # X serves two territories: a Nunavut riding is right for an X code.
    with PostcodeStore() as store:
        nunavut = store.get("X0A 0H0")
        assert store.get("K2P 1L8") is None
    assert nunavut is not None and nunavut.fed_codes == ("62001",)


def test_a_fed_code_in_another_province_is_refused_too(tmp_path: Path) -> None:
    table = tmp_path / "crm.csv"
    table.write_text("postal_code,fed_code\nX1A 2B3,35079\n", encoding="utf-8")
    with PostcodeStore() as store:
        report = import_postcodes(table, load_bundled(), store)
    assert [(p.row, p.reason) for p in report.problems] == [
        (
            2,
            "X1A 2B3 is in the Northwest Territories or Nunavut but Ottawa Centre (35079) "
            "is in Ontario; check the riding",
        )
    ]


def test_a_bad_postal_code_gives_the_parsers_reason(tmp_path: Path) -> None:
    table = tmp_path / "crm.csv"
    table.write_text("postal_code,fed_code\nZ1A 1A1,35079\n,35079\n", encoding="utf-8")
    with PostcodeStore() as store:
        report = import_postcodes(table, load_bundled(), store)
    assert [(p.row, p.reason) for p in report.problems] == [
        (2, "no Canadian postal code starts with Z"),
        (3, "no postal code given; type one like K1A 0A6"),
    ]
