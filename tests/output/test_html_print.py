"""The HTML letter: a mailto: link on screen, one printed page with space to sign (Chromium)."""

from __future__ import annotations

import dataclasses
import datetime
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PageObject, PdfReader

from mpwrite.campaign.folder import load_campaign
from mpwrite.geo.ridings import load_bundled
from mpwrite.letter.compose import Letter, Supporter, compose_letter
from mpwrite.output.formats import mailto, render_html

CHROMIUM = "/usr/bin/chromium"
DATE = datetime.date(2026, 3, 2)
SUPPORTER = Supporter("Zoé Lefèvre-O’Brien", "12, rue des Sœurs-Grises", "Montréal", "H3C 2P8")
NOTE = " ".join(
    ["Last year I met a woman at our drop-in centre who had been trapped by debts."] * 4
)
BODY_LIMIT = {"en": 250, "fr": 290}
SINGLE_DEMANDS = [demand.id for demand in load_campaign().demands if demand.id != "all"]
POINTS_PER_CM = 72 / 2.54


def letter_for(demand: str, lang: str, note: str = NOTE, words: int | None = None) -> Letter:
    campaign = load_campaign()
    letter = compose_letter(
        campaign=campaign,
        demand=campaign.demand(demand),
        lang=lang,
        # The longest riding name: the address block and first sentence at their widest.
        riding=load_bundled().get("24020"),
        supporter=SUPPORTER,
        note=note,
        date=DATE,
    )
    if words is None:
        return letter
    ends = [match.end() for match in re.finditer(r"\S+", letter.body)]
    body = letter.body[: ends[min(words, len(ends)) - 1]]
    return dataclasses.replace(letter, text=letter.text.replace(letter.body, body), body=body)


def test_the_mps_email_is_a_mailto_link_on_screen() -> None:
    letter = letter_for("root-causes", "fr")
    page = render_html(letter)
    link = mailto(letter.to_email, letter.subject).replace("&", "&amp;")
    assert f'<a href="{link}">{letter.to_email}</a>' in page
    assert "@media print" in page and ".mailing { display: none; }" in page


def test_the_closing_and_the_name_are_kept_together_with_space_to_sign() -> None:
    page = render_html(letter_for("protect-rights", "en"))
    sign_off = page[page.index('<div class="sign-off">') :]
    assert sign_off.index("Sincerely,") < sign_off.index(f'<p class="signature">{"Zoé"}')
    assert ".sign-off { break-inside: avoid;" in page
    assert re.search(r"\.signature \{ margin-top: [3-9]em; \}", page)


def test_a_long_letter_is_printed_in_smaller_type() -> None:
    assert '<main class="letter">' in render_html(letter_for("all", "en", note="", words=200))
    long_note = "\n\n".join([NOTE] * 4)
    longest = render_html(letter_for("protect-rights", "fr", long_note))
    assert '<main class="letter longest">' in longest


def print_to_pdf(letters: list[Letter], folder: Path) -> PdfReader:
    """The letters printed by Chromium in one run, each starting a new page."""
    pages = [render_html(letter) for letter in letters]
    head = pages[0][: pages[0].index("<body>")].replace(
        "</style>", ".page { break-after: page; }\n</style>"
    )
    sections = [page[page.index("<main") : page.index("</main>") + 7] for page in pages]
    source = folder / "letters.html"
    source.write_text(
        head
        + "<body>\n"
        + "".join(f'<section class="page">{main}</section>\n' for main in sections)
        + "</body>\n</html>\n",
        encoding="utf-8",
    )
    target = folder / "letters.pdf"
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--no-pdf-header-footer",
            f"--print-to-pdf={target}",
            source.as_uri(),
        ],
        capture_output=True,
        timeout=180,
        check=True,
    )
    return PdfReader(target)


def placed_text(page: PageObject) -> list[tuple[str, float]]:
    """Each piece of text on the page with its height from the page's foot (points)."""
    found: list[tuple[str, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            found.append((text.strip(), cm[5] + tm[5] * cm[3]))

    page.extract_text(visitor_text=visit)
    return found


needs_chromium = pytest.mark.skipif(
    shutil.which(CHROMIUM) is None,
    reason=f"{CHROMIUM} is not installed (apt-get install chromium) to print HTML to PDF",
)


@pytest.mark.slow
@needs_chromium
def test_chromium_prints_each_letter_at_the_body_limit_on_one_page_with_space_to_sign(
    tmp_path: Path,
) -> None:
    letters = [
        letter_for(demand, lang, words=BODY_LIMIT[lang])
        for demand in SINGLE_DEMANDS
        for lang in ("en", "fr")
    ]
    reader = print_to_pdf(letters, tmp_path)
    assert len(reader.pages) == len(letters)
    for page in reader.pages:
        placed = placed_text(page)
        closing = next(
            height for text, height in placed if text.startswith(("Sincerely", "Je vous prie"))
        )
        name = [height for text, height in placed if text == SUPPORTER.name][-1]  # not the sender
        assert closing - name >= 1.2 * POINTS_PER_CM  # room for a signature


@pytest.mark.slow
@needs_chromium
def test_chromium_prints_each_of_todays_single_demand_letters_on_one_page(
    tmp_path: Path,
) -> None:
    letters = [letter_for(demand, lang) for demand in SINGLE_DEMANDS for lang in ("en", "fr")]
    assert len(print_to_pdf(letters, tmp_path).pages) == len(letters)


@pytest.mark.slow
@needs_chromium
def test_chromium_never_leaves_the_sign_off_alone_on_a_page(tmp_path: Path) -> None:
    letter = letter_for("all", "en", note="\n\n".join([NOTE] * 6))
    reader = print_to_pdf([letter], tmp_path)
    assert len(reader.pages) >= 2
    last = [text for text, _ in placed_text(reader.pages[-1])]
    assert last[-2:] == ["Sincerely,", SUPPORTER.name]
    assert any("reply" in text for text in last)  # the request travels with the sign-off
