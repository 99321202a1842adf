"""bulk --format pdf: one combined PDF per MP, a label sheet, paper and envelope pages."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from mpwrite.bulk.run import BulkOptions, run_bulk
from mpwrite.cli.root import app
from mpwrite.errors import UsageError
from mpwrite.geo.lookup import Resolver
from mpwrite.geo.ridings import load_bundled

DATE = datetime.date(2026, 3, 2)
ROWS = (
    "Name,Postal code,Riding\n"
    "Ana Lima,K2P 1L4,35079\n"
    "Li Chen,K1P 5G4,35079\n"
    "Sam Roy,K1P 5G5,35079\n"
    "Omar Haddad,R3C 0A1,46010\n"
)


def run(tmp_path: Path, **changes: object):  # type: ignore[no-untyped-def]
    source = tmp_path / "supporters.csv"
    source.write_text(ROWS, encoding="utf-8")
    values: dict[str, object] = {
        "out_dir": tmp_path / "out",
        "date": DATE,
        "fmt": "pdf",
        "group_by_mp": True,
    }
    values.update(changes)
    return run_bulk(source, BulkOptions(**values), resolver=Resolver(load_bundled()))  # type: ignore[arg-type]


def text_of(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def test_one_combined_pdf_per_mp_with_a_page_per_letter(tmp_path: Path) -> None:
    summary = run(tmp_path)
    out = tmp_path / "out"
    assert summary.combined_files == 2
    ottawa = text_of(out / "35079-ottawa-centre" / "_all-letters.pdf")
    winnipeg = text_of(out / "46010-winnipeg-centre" / "_all-letters.pdf")
    assert len(ottawa) == 3 and len(winnipeg) == 1
    signers = sorted(
        name for name in ("Ana Lima", "Li Chen", "Sam Roy") for page in ottawa if name in page
    )
    assert signers == ["Ana Lima", "Li Chen", "Sam Roy"]
    assert all("Yasir Naqvi" in page for page in ottawa)
    assert "Omar Haddad" in winnipeg[0]
    # The single letters stay, and a re-run rebuilds the bundle from them.
    assert len(list((out / "35079-ottawa-centre").glob("*.pdf"))) == 4
    again = run(tmp_path)
    assert again.statuses["unchanged"] == 4 and again.combined_files == 2
    assert len(PdfReader(out / "35079-ottawa-centre" / "_all-letters.pdf").pages) == 3


def test_envelope_pages_follow_each_letter_in_the_bundle(tmp_path: Path) -> None:
    run(tmp_path, envelope=True, paper="a4")
    reader = PdfReader(tmp_path / "out" / "35079-ottawa-centre" / "_all-letters.pdf")
    assert len(reader.pages) == 6
    first, envelope = reader.pages[0], reader.pages[1]
    assert round(float(first.mediabox.width)) == 595  # A4
    assert "No postage necessary" in envelope.extract_text()
    assert float(envelope.mediabox.width) > float(envelope.mediabox.height)


def test_labels_one_per_mp_who_got_letters(tmp_path: Path) -> None:
    summary = run(tmp_path, labels=True)
    assert summary.labels == tmp_path / "out" / "labels.pdf"
    [sheet] = text_of(tmp_path / "out" / "labels.pdf")
    assert sheet.count("House of Commons") == 2
    assert "Yasir Naqvi" in sheet and "Leah Gazan" in sheet


def test_labels_without_grouping_still_cover_each_mp_once(tmp_path: Path) -> None:
    run(tmp_path, labels=True, group_by_mp=False, lang="fr")
    [sheet] = text_of(tmp_path / "out" / "labels.pdf")
    assert sheet.count("Chambre des communes") == 2


@pytest.mark.parametrize(
    "changes",
    [
        {"fmt": "txt", "paper": "a4"},
        {"fmt": "html", "envelope": True},
        {"fmt": "md", "labels": True},
        {"paper": "legal"},
        {"labels": True, "dry_run": True},
    ],
)
def test_pdf_options_need_pdf_and_a_known_paper(tmp_path: Path, changes: dict[str, object]) -> None:
    with pytest.raises(UsageError):
        run(tmp_path, **changes)


def test_cli_labels_and_paper(tmp_path: Path) -> None:
    source = tmp_path / "supporters.csv"
    source.write_text(ROWS, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app,
        [
            "bulk",
            str(source),
            "--out",
            str(out),
            "--format",
            "pdf",
            "--group-by",
            "mp",
            "--labels",
            "--paper",
            "a4",
            "--date",
            "2026-03-02",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["labels"] == str(out / "labels.pdf")
    assert summary["combined_files"] == 2
    [page] = PdfReader(out / "labels.pdf").pages
    assert round(float(page.mediabox.height)) == 842  # A4
    refused = CliRunner().invoke(app, ["bulk", str(source), "--out", str(out), "--envelope"])
    assert refused.exit_code == 2
    assert "--format pdf" in refused.stderr


def test_a_combined_file_that_cannot_be_written_is_a_clean_error(tmp_path: Path) -> None:
    from mpwrite.bulk.files import write_streamed
    from mpwrite.errors import UnwritablePathError

    with pytest.raises(UnwritablePathError, match="cannot write"):
        write_streamed(tmp_path / "missing-folder" / "_all-letters.txt", iter([b"x"]))


def embedded_fonts(path: Path) -> int:
    """How many font programs the PDF file embeds."""
    return path.read_bytes().count(b"/FontFile2")


def test_a_pdf_bundle_is_one_document_with_one_copy_of_each_font(tmp_path: Path) -> None:
    run(tmp_path)
    folder = tmp_path / "out" / "35079-ottawa-centre"
    letters = sorted(path for path in folder.glob("*.pdf") if path.name != "_all-letters.pdf")
    bundle = folder / "_all-letters.pdf"
    # Page by page, the bundle says what the letters' own files say, in file-name order.
    assert text_of(bundle) == [page for letter in letters for page in text_of(letter)]
    assert embedded_fonts(bundle) <= 2  # regular and bold, once each
    assert sum(embedded_fonts(letter) for letter in letters) >= len(letters)
    assert bundle.stat().st_size * 2 < sum(letter.stat().st_size for letter in letters)


def test_a_pdf_bundle_is_laid_out_from_the_letters_not_read_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import mpwrite.bulk.files

    def no_reading(path: Path) -> bytes:
        raise AssertionError(f"read back {path}")

    monkeypatch.setattr(mpwrite.bulk.files, "read_letter", no_reading)
    summary = run(tmp_path)
    assert summary.combined_files == 2
    assert len(text_of(tmp_path / "out" / "35079-ottawa-centre" / "_all-letters.pdf")) == 3


def test_a_later_pdf_run_adds_the_earlier_runs_letters_after_its_own(tmp_path: Path) -> None:
    # The needs-review round trip: the earlier letters' supporters are not in the
    # second input, so their pages come from their files, after this run's letters.
    run(tmp_path)
    source = tmp_path / "supporters.csv"
    source.write_text("Name,Postal code,Riding\nZoé Tremblay,K2P 1L4,35079\n", encoding="utf-8")
    values: dict[str, object] = {"out_dir": tmp_path / "out", "date": DATE, "fmt": "pdf"}
    run_bulk(
        source,
        BulkOptions(group_by_mp=True, **values),  # type: ignore[arg-type]
        resolver=Resolver(load_bundled()),
    )
    pages = text_of(tmp_path / "out" / "35079-ottawa-centre" / "_all-letters.pdf")
    assert len(pages) == 4
    assert "Zoé Tremblay" in pages[0]
    signers = ["Ana Lima", "Li Chen", "Sam Roy"]
    assert [name for page in pages[1:] for name in signers if name in page] == signers
