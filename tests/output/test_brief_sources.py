"""The brief's sources in its language: a French brief titles and links French pages."""

from __future__ import annotations

import io
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from mpwrite.campaign.folder import load_campaign
from mpwrite.cli.root import app
from tests.helpers import REPOSITORY, one_title_and_url_per_source

BUNDLED = REPOSITORY / "templates/letters/ccr-anti-trafficking"
runner = CliRunner()

CODE_FR = "Code criminel, article 279.04 (exploitation)"
CODE_FR_URL = "https://laws-lois.justice.gc.ca/fra/lois/C-46/section-279.04.html"
CODE_EN = "Criminal Code, section 279.04 (exploitation)"
CODE_EN_URL = "https://laws-lois.justice.gc.ca/eng/acts/C-46/section-279.04.html"
LEGISINFO_FR_URL = "https://www.parl.ca/legisinfo/fr/projet-de-loi/44-1/s-224"


def brief(lang: str, fmt: str, *extra: str) -> str:
    args = ["draft", "--kind", "brief", "--demand", "access-to-justice", "--lang", lang]
    result = runner.invoke(app, [*args, "--format", fmt, *extra])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def squeezed(text: str) -> str:
    """Text without whitespace: wrapped lines and no-break spaces compare equal."""
    return re.sub(r"\s+", "", text)


class Links(HTMLParser):
    """The text of each list item and the address of each link of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[str] = []
        self.hrefs: list[str] = []
        self._in_item = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "li":
            self._in_item = True
            self.items.append("")
        elif tag == "a":
            self.hrefs.append(dict(attrs)["href"] or "")
            self._in_item = False

    def handle_data(self, data: str) -> None:
        if self._in_item:
            self.items[-1] += data


def test_a_french_text_brief_lists_french_titles_and_pages() -> None:
    text = brief("fr", "txt")
    assert CODE_FR in text and CODE_FR_URL in text
    assert LEGISINFO_FR_URL in text
    assert "LEGISinfo\u00a0: projet de loi S-224" in text
    assert "Criminal Code" not in text and "/eng/" not in text and "/en/" not in text


def test_a_french_markdown_brief_links_the_french_pages() -> None:
    text = brief("fr", "md")
    assert f"1. [{CODE_FR}](<{CODE_FR_URL}>)" in text
    assert "Criminal Code" not in text


def test_a_french_html_brief_lists_french_titles_and_links_french_pages() -> None:
    page = Links()
    page.feed(brief("fr", "html"))
    chosen = load_campaign().demand("access-to-justice")
    titles = [source.title_fr for source in chosen.facts.sources]
    assert [item.strip() for item in page.items[-len(titles) :]] == titles
    assert page.hrefs == [source.url_fr for source in chosen.facts.sources]


def test_an_english_brief_keeps_the_english_titles_and_pages() -> None:
    for fmt in ("txt", "md", "html"):
        text = brief("en", fmt)
        assert CODE_EN in text and CODE_EN_URL in text, fmt
        assert "Code criminel" not in text and "/fra/" not in text, fmt


def test_a_french_pdf_brief_prints_french_titles_and_pages(tmp_path: Path) -> None:
    out = tmp_path / "brief.pdf"
    brief("fr", "pdf", "--output", str(out))
    pages = PdfReader(io.BytesIO(out.read_bytes())).pages
    assert len(pages) == 1
    text = squeezed(pages[0].extract_text())
    for source in load_campaign().demand("access-to-justice").facts.sources_in("fr"):
        assert squeezed(source.title) in text
        assert source.url in text
    assert squeezed(CODE_EN) not in text and CODE_EN_URL not in text


@pytest.mark.slow
@pytest.mark.parametrize("demand", [demand.id for demand in load_campaign().demands])
def test_every_french_pdf_brief_links_its_french_pages(demand: str, tmp_path: Path) -> None:
    out = tmp_path / "brief.pdf"
    args = ["draft", "--kind", "brief", "--demand", demand, "--lang", "fr", "-f", "pdf"]
    result = runner.invoke(app, [*args, "--output", str(out)])
    assert result.exit_code == 0, result.stderr
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    [page] = reader.pages
    links = [
        annotation.get_object()["/A"]["/URI"]
        for annotation in page.get("/Annots", [])
        if "/A" in annotation.get_object()
    ]
    expected = [s.url for s in load_campaign().demand(demand).facts.sources_in("fr")]
    assert list(dict.fromkeys(link for link in links if link in expected)) == expected


def test_an_old_style_manifest_gives_a_french_brief_its_one_title_and_page(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "old-style"
    shutil.copytree(BUNDLED, folder)
    manifest = folder / "manifest.toml"
    manifest.write_text(
        one_title_and_url_per_source(manifest.read_text(encoding="utf-8")), encoding="utf-8"
    )
    french = brief("fr", "txt", "--campaign", str(folder))
    assert CODE_EN in french and CODE_EN_URL in french
    assert "Vérifiés auprès de ces sources" in french
    assert brief("en", "txt", "--campaign", str(folder)) == brief("en", "txt")
