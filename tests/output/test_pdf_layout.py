"""PDF letter layout: one page at 10.5 pt or more, never below 10 pt, continuation pages."""

from __future__ import annotations

import dataclasses
import datetime
import re
import subprocess
import sys

import pytest

from mpwrite.campaign.folder import load_campaign
from mpwrite.geo.ridings import load_bundled
from mpwrite.letter.compose import Letter, Supporter, compose_letter
from mpwrite.letter.markup import BulletList, parse_blocks
from mpwrite.output.pdf import render_pdf
from mpwrite.output.pdf_fonts import text_width
from mpwrite.output.pdf_layout import FONT_SIZES, Frame, Piece, lay_out, wrap
from tests.helpers import normalise, read_pdf

DATE = datetime.date(2026, 3, 2)
SUPPORTER = Supporter(
    name="Zoé Lefèvre-O’Brien",
    address="12, rue des Sœurs-Grises",
    city="Montréal",
    postal_code="H3C 2P8",
    email="zoe@example.org",
)
#: A supporter's note of 60 words, long words included.
NOTE = (
    "Last year I met a woman at our neighbourhood drop-in centre who had been brought to "
    "Canada to work on a farm and then trapped by debts she could not repay. Her employer "
    "held her passport. She was afraid that asking for help would cost her the right to stay. "
    "Please make sure nobody else has to live like that."
)
NOTE_WORDS = NOTE.split()
#: The longest body a demand may have (words), by language.
BODY_LIMIT = {"en": 250, "fr": 290}
SINGLE_DEMANDS = [demand.id for demand in load_campaign().demands if demand.id != "all"]


def letter_for(demand: str, lang: str, note: str = NOTE, riding: str = "24020") -> Letter:
    campaign = load_campaign()
    return compose_letter(
        campaign=campaign,
        demand=campaign.demand(demand),
        lang=lang,
        riding=load_bundled().get(riding),
        supporter=SUPPORTER,
        note=note,
        date=DATE,
    )


def body_words(letter: Letter) -> int:
    return len(letter.body.split())


def opening_words(letter: Letter) -> int:
    """Words of the body's opening paragraph, which ``letter.body`` (the rest) leaves out."""
    from mpwrite.letter.compose import demand_body, split_opening

    body = demand_body(letter.campaign, letter.demand, letter.lang, letter.riding)
    assert body is not None
    return len(split_opening(body)[0].split()) if letter.body != body else 0


def with_body_of(letter: Letter, words: int) -> Letter:
    """The letter with its body (opening included) cut after its first ``words`` words."""
    words -= opening_words(letter)
    ends = [match.end() for match in re.finditer(r"\S+", letter.body)]
    body = letter.body[: ends[min(words, len(ends)) - 1]]
    assert len(body.split()) == min(words, body_words(letter))
    text = letter.text.replace(letter.body, body)
    return dataclasses.replace(letter, text=text, body=body)


def expected_text(letter: Letter) -> str:
    parts = []
    for block in parse_blocks(letter.text):
        if isinstance(block, BulletList):
            parts += [f"• {item}" for item in block.items]
        else:
            parts += block.lines
    return normalise(" ".join(parts))


def test_the_note_is_sixty_words() -> None:
    assert len(NOTE_WORDS) == 60


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("demand", SINGLE_DEMANDS)
def test_a_body_at_the_word_limit_with_a_60_word_note_fits_one_page_at_10_5_pt(
    demand: str, lang: str
) -> None:
    letter = with_body_of(letter_for(demand, lang), BODY_LIMIT[lang])
    [page] = read_pdf(render_pdf([letter]))
    assert min(page.sizes) >= 10.5
    assert page.furniture == ""  # no page number on a one-page letter
    assert page.text == expected_text(letter)


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("demand", SINGLE_DEMANDS)
def test_todays_single_demand_letters_with_a_60_word_note_fit_one_page(
    demand: str, lang: str
) -> None:
    letter = letter_for(demand, lang)
    [page] = read_pdf(render_pdf([letter]))
    # 10.5 pt or more within the body limits; bodies past them may take 10 pt.
    smallest = 10.5 if body_words(letter) <= BODY_LIMIT[lang] else 10.0
    assert min(page.sizes) >= smallest


@pytest.mark.parametrize("note_words", [0, 120, 240, 400, 900])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_never_below_10_pt_a_longer_letter_runs_on_with_page_numbers(
    note_words: int, lang: str
) -> None:
    note = " ".join((NOTE_WORDS * 20)[:note_words])
    letter = letter_for("all", lang, note)
    pages = read_pdf(render_pdf([letter]))
    assert min(size for page in pages for size in page.sizes) >= 10.0
    assert " ".join(page.text for page in pages) == expected_text(letter)
    if len(pages) == 1:
        assert pages[0].furniture == ""
        return
    word = {"en": "of", "fr": "de"}[lang]
    count = len(pages)
    # Every page numbered; every later page headed with the recipient's name and the date.
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} {word} {count}" in page.furniture
        if number > 1:
            assert page.furniture.startswith(letter.recipient_name)
            assert letter.date_text in page.furniture
    assert pages[0].text.startswith(SUPPORTER.name)
    # The closing and the signature stay together on the last page.
    closing = parse_blocks(letter.text)[-2]
    assert pages[-1].text.endswith(f"{normalise(' '.join(closing.lines))} {SUPPORTER.name}")  # type: ignore[union-attr]


def test_a_long_letter_runs_on_rather_than_shrinking() -> None:
    # Today's bodies all fit one page; a supporter's long note is what runs on.
    letter = letter_for("protect-rights", "fr", note="\n\n".join([NOTE] * 6))
    pages = read_pdf(render_pdf([letter]))
    assert len(pages) == 2
    assert {size for page in pages for size in page.sizes} == {FONT_SIZES[0]}
    assert pages[1].furniture.startswith(letter.recipient_name)
    assert pages[1].furniture.endswith("Page 2 de 2")


def test_the_same_letter_makes_the_same_bytes_whatever_came_before() -> None:
    letter = letter_for("root-causes", "fr")
    first = render_pdf([letter])
    # Others between: longer, in the other language, in scripts other than Latin.
    unusual = dataclasses.replace(SUPPORTER, name="Дарья Ωmega")
    campaign = load_campaign()
    other = compose_letter(
        campaign=campaign,
        demand=campaign.demand("all"),
        lang="en",
        riding=load_bundled().get("35079"),
        supporter=unusual,
        note=NOTE,
        date=DATE,
    )
    assert unusual.name in read_pdf(render_pdf([other]))[0].text
    render_pdf([letter_for("all", "en")])
    assert render_pdf([letter]) == first
    code = (
        "import datetime, sys\n"
        "sys.path.insert(0, '.')\n"
        "from tests.output.test_pdf_layout import letter_for\n"
        "from mpwrite.output.pdf import render_pdf\n"
        "sys.stdout.buffer.write(render_pdf([letter_for('root-causes', 'fr')]))\n"
    )
    fresh = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True)
    assert fresh.stdout == first


def test_wrap_breaks_at_spaces_and_splits_only_a_word_wider_than_the_line() -> None:
    width = text_width("The quick brown fox jumps")
    assert wrap("The quick brown fox jumps over the lazy dog", width, text_width, "") == [
        "The quick brown fox jumps",
        "over the lazy dog",
    ]
    url = "https://example.org/" + "a" * 200
    lines = wrap(f"See {url} now", width, text_width, "")
    assert lines[0] == "See"
    assert "".join(lines[1:]) in (f"{url} now", f"{url}now")  # "now" may open a line
    assert all(text_width(line) <= width for line in lines)


def test_layout_keeps_a_bullet_item_whole_and_the_closing_with_the_name() -> None:
    frame = Frame(width=120.0, top=15.0, bottom=100.0)
    filler = Piece(tuple(f"Line {n}" for n in range(1)) * 1)
    pieces = [
        filler,
        Piece(("word " * 120,)),
        Piece(("An item of two lines, " * 4,), bullets=True),
        Piece(("Sincerely,",), keep_with_next=True),
        Piece(("Zoé",), signature=True),
    ]
    layout = lay_out(pieces, frame, text_width)
    assert layout.font_size == FONT_SIZES[0]  # more than a page: the largest size
    last = layout.pages[-1]
    texts = [line.text for line in last]
    assert texts[-2:] == ["Sincerely,", "Zoé"]
    assert last[-1].rule_above > 0
    item_pages = {
        number for number, page in enumerate(layout.pages) for line in page if line.indent
    }
    assert len(item_pages) == 1
