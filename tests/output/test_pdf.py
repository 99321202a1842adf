"""PDF letters: every character survives, one page per letter, envelope, labels, paper."""

from __future__ import annotations

import datetime
import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from mpwrite.campaign.folder import load_campaign
from mpwrite.geo.ridings import load_bundled
from mpwrite.letter.compose import Letter, Supporter, compose_letter
from mpwrite.letter.markup import BulletList, parse_blocks
from mpwrite.output.pdf import (
    ENVELOPE_SIZE,
    NO_POSTAGE,
    mp_label_lines,
    render_labels,
    render_pdf,
    riding_label_lines,
)
from mpwrite.resources import fonts_dir
from tests.helpers import REPOSITORY, read_pdf

POINTS_PER_MM = 72 / 25.4
DATE = datetime.date(2026, 3, 1)
# Ridings whose names carry em dashes, typographic apostrophes and accents.
UNUSUAL_RIDINGS = ("24020", "24046", "24024", "10006", "24049")
SUPPORTER = Supporter(
    name="Zoé Lefèvre-O’Brien",
    address="12, rue des Sœurs-Grises",
    city="Montréal",
    postal_code="H3C 2P8",
    email="zoe@example.org",
)
NOTE = "J’ai vu « l’exploitation » de près — ça me tient à cœur. Ægir ŒUVRE naïve."


def letter_for(demand: str, lang: str, riding_code: str = "24020") -> Letter:
    campaign = load_campaign()
    return compose_letter(
        campaign=campaign,
        demand=campaign.demand(demand),
        lang=lang,
        riding=load_bundled().get(riding_code),
        supporter=SUPPORTER,
        note=NOTE,
        date=DATE,
    )


def expected_text(letter: Letter) -> str:
    """The letter as it should read off the page: bullets as •, whitespace normalised."""
    parts = []
    for block in parse_blocks(letter.text):
        if isinstance(block, BulletList):
            parts += [f"• {item}" for item in block.items]
        else:
            parts += block.lines
    return normalise(" ".join(parts))


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def pages(pdf: bytes) -> list[str]:
    return [normalise(page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]


def letter_text(pdf: bytes) -> str:
    """The letter's text over all its pages, without running heads and page numbers."""
    return " ".join(page.text for page in read_pdf(pdf))


DEMANDS = [demand.id for demand in load_campaign().demands]


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("demand", DEMANDS)
def test_every_demand_reads_back_exactly(demand: str, lang: str) -> None:
    letter = letter_for(demand, lang)
    pdf = render_pdf([letter])
    assert letter_text(pdf) == expected_text(letter)
    if demand != "all":
        assert len(read_pdf(pdf)) == 1


@pytest.mark.parametrize("riding_code", UNUSUAL_RIDINGS)
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_unusual_riding_and_mp_names_render_every_character(riding_code: str, lang: str) -> None:
    letter = letter_for("all", lang, riding_code)
    riding = load_bundled().get(riding_code)
    text = letter_text(render_pdf([letter]))
    assert text == expected_text(letter)
    assert riding.name(lang) in text
    assert letter.mp.full_name in text
    for piece in ("«", "»", "—", "’", "œ", "Œ", "Æ", "ï"):
        assert piece in text


def test_one_page_per_letter_and_envelope_pages_follow_each_letter() -> None:
    letters = [letter_for("root-causes", "en"), letter_for("access-to-services", "fr", "24046")]
    assert len(pages(render_pdf(letters))) == 2
    with_envelopes = pages(render_pdf(letters, envelope=True))
    assert len(with_envelopes) == 4
    envelope_en, envelope_fr = with_envelopes[1], with_envelopes[3]
    for envelope, letter in ((envelope_en, letters[0]), (envelope_fr, letters[1])):
        assert " ".join(NO_POSTAGE) in envelope
        assert letter.recipient_name in envelope
        assert SUPPORTER.name in envelope and "Sœurs-Grises" in envelope
        assert SUPPORTER.email not in envelope  # a return address, not a contact sheet
        assert "Objet" not in envelope and "Re:" not in envelope
    assert "House of Commons Ottawa, Ontario K1A 0A6" in envelope_en
    assert "Chambre des communes Ottawa (Ontario) K1A 0A6" in envelope_fr


def test_envelope_page_is_a_landscape_number_10() -> None:
    reader = PdfReader(io.BytesIO(render_pdf([letter_for("all", "en")], envelope=True)))
    page = reader.pages[-1]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert width == pytest.approx(ENVELOPE_SIZE[0] * POINTS_PER_MM, abs=0.5)
    assert height == pytest.approx(ENVELOPE_SIZE[1] * POINTS_PER_MM, abs=0.5)


@pytest.mark.parametrize(
    ("paper", "size_points"), [("letter", (612, 792)), ("a4", (595.28, 841.89)), ("A4", None)]
)
def test_paper_sizes(paper: str, size_points: tuple[float, float] | None) -> None:
    pdf = render_pdf([letter_for("access-to-services", "fr")], paper=paper)
    [page] = PdfReader(io.BytesIO(pdf)).pages
    expected = size_points or (595.28, 841.89)
    assert float(page.mediabox.width) == pytest.approx(expected[0], abs=0.5)
    assert float(page.mediabox.height) == pytest.approx(expected[1], abs=0.5)


def test_unknown_paper_is_a_usage_error() -> None:
    from mpwrite.errors import UsageError

    with pytest.raises(UsageError, match="letter, a4"):
        render_pdf([letter_for("all", "en")], paper="legal")


def test_a_letter_too_long_for_one_page_runs_on_instead_of_losing_words() -> None:
    campaign = load_campaign()
    long_note = " ".join(f"Sentence {n} of a very long story." for n in range(400))
    letter = compose_letter(
        campaign=campaign,
        demand=campaign.demand("all"),
        lang="en",
        riding=load_bundled().get("35075"),
        supporter=Supporter("Pat Long"),
        note=long_note,
        date=DATE,
    )
    pdf = render_pdf([letter])
    assert len(read_pdf(pdf)) > 1
    assert letter_text(pdf) == expected_text(letter)


def test_labels_fill_sheets_in_order() -> None:
    letters = [letter_for("all", "en", code) for code in UNUSUAL_RIDINGS]
    addresses = [mp_label_lines(letter) for letter in letters] * 7  # 35 labels
    sheets = pages(render_labels(addresses, paper="letter"))
    assert len(sheets) == 2  # 30 labels (Avery 5160) on the first
    assert sheets[0].count("House of Commons") == 30
    assert sheets[1].count("House of Commons") == 5
    assert letters[0].mp.full_name in sheets[0]
    a4 = pages(render_labels(addresses, paper="a4"))
    assert [sheet.count("K1A 0A6") for sheet in a4] == [21, 14]


def test_fonts_and_licence_are_found_through_resources() -> None:
    names = {entry.name for entry in fonts_dir().iterdir()}
    assert {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "LICENSE-DejaVu.txt"} <= names
    licence = fonts_dir().joinpath("LICENSE-DejaVu.txt").read_text(encoding="utf-8")
    assert "Bitstream Vera" in licence and "Arev" in licence


def test_pdf_module_does_not_import_fpdf_until_a_pdf_is_made() -> None:
    code = "import sys, mpwrite.output.pdf, mpwrite.cli.root; print('fpdf' in sys.modules)"
    answer = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert answer.stdout.strip() == "False", answer.stderr


@pytest.mark.slow
def test_wheel_ships_the_fonts_and_their_licence(tmp_path: Path) -> None:
    repository = REPOSITORY
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path), "."],
        cwd=repository,
        check=True,
    )
    [wheel] = tmp_path.glob("mpwrite-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {
        "mpwrite/fonts/DejaVuSans.ttf",
        "mpwrite/fonts/DejaVuSans-Bold.ttf",
        "mpwrite/fonts/LICENSE-DejaVu.txt",
    } <= names


def test_riding_label_matches_the_letters_recipient() -> None:
    letter = letter_for("all", "fr", "24046")
    assert riding_label_lines(letter.riding, "fr") == mp_label_lines(letter)
    assert mp_label_lines(letter) == (
        "Luc Berthold",
        "Chambre des communes",
        "Ottawa (Ontario) K1A 0A6",
    )


def test_pdf_is_a_format_of_draft_and_bulk_through_formats() -> None:
    from mpwrite.output.formats import file_extension, render

    letter = letter_for("root-causes", "en", "24046")
    assert file_extension("pdf") == ".pdf"
    [page] = read_pdf(render(letter, "pdf"))
    assert page.text == expected_text(letter)


def test_draft_writes_a_pdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from mpwrite.cli.root import app

    monkeypatch.setenv("MPWRITE_INTERACTIVE", "0")
    output = tmp_path / "letter.pdf"
    result = CliRunner().invoke(
        app,
        [
            "draft",
            "--riding",
            "24046",
            "--name",
            "Zoé",
            "--demand",
            "1",
            "--lang",
            "fr",
            "--format",
            "pdf",
            "--output",
            str(output),
        ],
    )
    assert result.exit_code == 0, result.stderr
    [page] = read_pdf(output.read_bytes())
    assert "Mégantic—L’Érable—Lotbinière" in page.text and page.text.endswith("Zoé")


def draft_pdf(tmp_path: Path, *extra: str):  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from mpwrite.cli.root import app

    return CliRunner().invoke(
        app,
        ["draft", "--riding", "35079", "--name", "Ana Lima", "--city", "Ottawa", *extra],
        env={"MPWRITE_INTERACTIVE": "0"},
    )


def test_draft_pdf_on_a4_with_an_envelope_page(tmp_path: Path) -> None:
    output = tmp_path / "letter.pdf"
    result = draft_pdf(
        tmp_path, "--format", "pdf", "--paper", "A4", "--envelope", "--output", str(output)
    )
    assert result.exit_code == 0, result.stderr
    reader = PdfReader(output)
    assert len(reader.pages) == 2
    assert round(float(reader.pages[0].mediabox.width)) == 595
    envelope = reader.pages[1]
    assert float(envelope.mediabox.width) > float(envelope.mediabox.height)
    assert "No postage necessary" in envelope.extract_text()
    assert "Ana Lima" in envelope.extract_text()


@pytest.mark.parametrize(
    "extra,message",
    [
        (("--paper", "a4"), "--format pdf"),
        (("--format", "html", "--envelope"), "--format pdf"),
        (("--format", "pdf", "--paper", "legal"), "paper size"),
    ],
)
def test_draft_pdf_options_are_checked(
    tmp_path: Path, extra: tuple[str, ...], message: str
) -> None:
    result = draft_pdf(tmp_path, *extra)
    assert result.exit_code == 2
    assert message in result.stderr


def test_the_pdf_format_takes_its_page_setup_through_render() -> None:
    from mpwrite.output.formats import PageSetup, render

    letter = letter_for("root-causes", "en")
    pdf = render(letter, "pdf", PageSetup("a4", envelope=True))
    assert pdf == render_pdf([letter], paper="a4", envelope=True)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 2
    assert render(letter, "pdf") == render_pdf([letter])
