"""Print-ready PDF letters, #10 envelopes and address-label sheets.

One page per letter: the letter's blocks in order (sender, date, recipient,
subject, salutation, body, closing), with space and a rule to sign on above
the name. The type shrinks a little, never below 10 pt, for a long letter to
stay on one page; a longer one runs on to numbered pages with a continuation
header (see :mod:`mpwrite.output.pdf_layout`). Text is set in DejaVu Sans,
shipped inside the package (see
``fonts/LICENSE-DejaVu.txt``), which has every character riding names, MP
names and French letters use (— ’ « » œ …).

fpdf2 is imported only when a PDF is made, never at start-up.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mpwrite.errors import UsageError
from mpwrite.geo.parliament import HOUSE_OF_COMMONS_ADDRESS
from mpwrite.i18n import _
from mpwrite.letter.markup import parse_blocks
from mpwrite.output.pdf_fonts import FONT_FAMILY

if TYPE_CHECKING:
    from mpwrite.geo.ridings import Riding
    from mpwrite.letter.compose import Letter

PAPERS = ("letter", "a4")

#: Page sizes in millimetres (width, height).
PAPER_SIZES: dict[str, tuple[float, float]] = {"letter": (215.9, 279.4), "a4": (210.0, 297.0)}
#: A #10 envelope, landscape: 9 1/2 × 4 1/8 inches.
ENVELOPE_SIZE = (241.3, 104.775)

#: Where the stamp would go: mail to an MP at the House of Commons is free.
NO_POSTAGE = ("No postage necessary", "Aucun affranchissement requis")


# Margins narrow enough for a one-page letter at 10.5 pt, wide enough for any printer.
_MARGIN_SIDE = 20.0
_MARGIN_TOP = 15.0
_MARGIN_BOTTOM = 14.0
_PT = 0.3528  # millimetres per point
_SIGNATURE_RULE = 70.0
_BULLET = "•"


@dataclass(frozen=True, slots=True)
class LabelSheet:
    """An address-label sheet: label grid and positions, in millimetres."""

    columns: int
    rows: int
    label_width: float
    label_height: float
    left: float
    top: float
    pitch_x: float
    pitch_y: float


#: Avery 5160 (letter, 30 labels) and L7160 (A4, 21 labels): the common sizes.
LABEL_SHEETS: dict[str, LabelSheet] = {
    "letter": LabelSheet(3, 10, 66.675, 25.4, 4.7625, 12.7, 69.85, 25.4),
    "a4": LabelSheet(3, 7, 63.5, 38.1, 7.25, 15.15, 66.04, 38.1),
}


def check_paper(paper: str) -> str:
    """``paper`` lower-cased, or UsageError naming the choices."""
    wanted = paper.strip().lower()
    if wanted not in PAPERS:
        raise UsageError(
            _("unknown paper size {paper!r}; use one of {choices}").format(
                paper=paper, choices=", ".join(PAPERS)
            )
        )
    return wanted


def render_pdf(letters: Sequence[Letter], paper: str = "letter", envelope: bool = False) -> bytes:
    """One page per letter, each followed by its #10 envelope page when ``envelope``."""
    size = PAPER_SIZES[check_paper(paper)]
    with _document() as pdf:
        if letters:
            # The letter's own date, not the clock: the same letter makes the same
            # bytes, so a bulk re-run finds it unchanged.
            pdf.set_creation_date(
                datetime.datetime.combine(letters[0].date, datetime.time(), datetime.UTC)
            )
        for letter in letters:
            _letter_pages(pdf, letter, size)
            if envelope:
                _envelope_page(pdf, letter)
        return _output(pdf)


def mp_label_lines(letter: Letter) -> tuple[str, ...]:
    """The MP's mailing address as a label shows it: name and House of Commons."""
    return (letter.recipient_name, *HOUSE_OF_COMMONS_ADDRESS[letter.lang])


def riding_label_lines(riding: Riding, lang: str = "en") -> tuple[str, ...]:
    """The label for a riding's MP, from the riding alone (for one label per MP folder)."""
    from mpwrite.letter.address import recipient_name_line
    from mpwrite.letter.compose import mp_of

    return (recipient_name_line(mp_of(riding, lang), lang), *HOUSE_OF_COMMONS_ADDRESS[lang])


def render_labels(addresses: Sequence[Sequence[str]], paper: str = "letter") -> bytes:
    """A sheet (or several) of address labels, one address (lines of text) per label."""
    sheet = LABEL_SHEETS[check_paper(paper)]
    per_page = sheet.columns * sheet.rows
    with _document() as pdf:
        if not addresses:
            pdf.add_page(format=PAPER_SIZES[paper])
        for index, lines in enumerate(addresses):
            slot = index % per_page
            if slot == 0:
                pdf.add_page(format=PAPER_SIZES[paper])
            row, column = divmod(slot, sheet.columns)
            _label(
                pdf,
                [line for line in lines if line.strip()],
                x=sheet.left + column * sheet.pitch_x,
                y=sheet.top + row * sheet.pitch_y,
                width=sheet.label_width,
                height=sheet.label_height,
            )
        return _output(pdf)


# --- document ------------------------------------------------------------------


@contextmanager
def _document() -> Iterator[Any]:
    from mpwrite.output.pdf_fonts import forget_used_characters, new_document

    pdf = new_document()
    pdf.set_creator("mpwrite")
    pdf.set_auto_page_break(False)
    pdf.set_margins(_MARGIN_SIDE, _MARGIN_TOP, _MARGIN_SIDE)
    try:
        yield pdf
    finally:
        forget_used_characters()


def _output(pdf: Any) -> bytes:
    from mpwrite.output.pdf_fonts import document_bytes

    return document_bytes(pdf)


# --- letter pages ----------------------------------------------------------------


def _letter_pages(pdf: Any, letter: Letter, size: tuple[float, float]) -> None:
    from mpwrite.output.pdf_fonts import text_width
    from mpwrite.output.pdf_layout import BULLET_INDENT, Frame, lay_out

    frame = Frame(size[0] - 2 * _MARGIN_SIDE, _MARGIN_TOP, size[1] - _MARGIN_BOTTOM)
    layout = lay_out(_pieces(letter), frame, text_width)
    font_size, line = layout.font_size, layout.line_height
    # The baseline sits where fpdf2's own cells put it: centred in the line.
    baseline = line / 2 + 0.3 * font_size * _PT
    count = len(layout.pages)
    for number, lines in enumerate(layout.pages, start=1):
        pdf.add_page(format=size)
        pdf.set_line_width(0.2)
        if count > 1:
            _page_furniture(pdf, letter, size, number, count)
        for placed in lines:
            pdf.set_font(FONT_FAMILY, "B" if placed.bold else "", font_size)
            if placed.rule_above:
                y = placed.top - placed.rule_above
                pdf.line(_MARGIN_SIDE, y, _MARGIN_SIDE + _SIGNATURE_RULE, y)
            x = _MARGIN_SIDE
            if placed.bullet:
                pdf.text(x + 1.5, placed.top + baseline, _BULLET)
            if placed.indent:
                x += BULLET_INDENT
            pdf.text(x, placed.top + baseline, placed.text)
    _resources_foot(pdf, letter, size)


def _resources_foot(pdf: Any, letter: Letter, size: tuple[float, float]) -> None:
    """The campaign's resources (a hotline), one short line each, low on the last page."""
    lines = [resource.line(letter.lang) for resource in letter.campaign.resources]
    pdf.set_font(FONT_FAMILY, "", _FOOT_SIZE)
    for number, line in enumerate(reversed(lines)):
        # In the bottom margin, under any page number, last line lowest.
        top = size[1] - _MARGIN_BOTTOM + 8 - number * 3.5
        width = pdf.get_string_width(line)
        pdf.text(max(_MARGIN_SIDE, (size[0] - width) / 2), top, line)


def _pieces(letter: Letter) -> list[Any]:
    from mpwrite.letter.markup import BulletList
    from mpwrite.output.pdf_layout import Piece

    blocks = parse_blocks(letter.text)
    signature = _signature_index(blocks, letter)
    pieces = []
    for index, block in enumerate(blocks):
        if isinstance(block, BulletList):
            pieces.append(Piece(block.items, bullets=True))
            continue
        pieces.append(
            Piece(
                block.lines,
                bold=_is_subject(block.lines, letter),
                signature=index == signature,
                # The subject stays with the greeting, the closing with the name.
                keep_with_next=_is_subject(block.lines, letter)
                or (signature is not None and index == signature - 1),
            )
        )
    return pieces


def _page_furniture(
    pdf: Any, letter: Letter, size: tuple[float, float], number: int, count: int
) -> None:
    """On later pages the recipient and date at the head; page numbers at the foot."""
    pdf.set_font(FONT_FAMILY, "", 8.5)
    label = _PAGE_OF[letter.lang].format(number=number, count=count)
    if number > 1:
        top = _MARGIN_TOP + 3
        pdf.text(_MARGIN_SIDE, top, letter.recipient_name)
        right = f"{letter.date_text} — {label}"
        pdf.text(size[0] - _MARGIN_SIDE - pdf.get_string_width(right), top, right)
        pdf.line(_MARGIN_SIDE, top + 2, size[0] - _MARGIN_SIDE, top + 2)
    width = pdf.get_string_width(label)
    pdf.text((size[0] - width) / 2, size[1] - _MARGIN_BOTTOM + 4, label)


#: The resources line: smaller than page numbers (8.5 pt), apart from the letter.
_FOOT_SIZE = 8.0
_PAGE_OF = {"en": "Page {number} of {count}", "fr": "Page {number} de {count}"}


def _signature_index(blocks: Sequence[Any], letter: Letter) -> int | None:
    """The block holding only the supporter's name at the end: where to sign."""
    from mpwrite.letter.markup import Paragraph

    last = blocks[-1] if blocks else None
    if isinstance(last, Paragraph) and last.lines == (letter.supporter.name,):
        return len(blocks) - 1
    return None


def _is_subject(lines: Sequence[str], letter: Letter) -> bool:
    return len(lines) == 1 and bool(letter.subject) and lines[0].endswith(letter.subject)


# --- envelope ------------------------------------------------------------------


def _envelope_page(pdf: Any, letter: Letter) -> None:
    width, height = ENVELOPE_SIZE
    pdf.add_page(format=(height, width), orientation="L")
    # Return address, top left: the supporter without their e-mail address.
    return_lines = [line for line in letter.sender_lines if line != letter.supporter.email]
    pdf.set_font(FONT_FAMILY, "", 8.5)
    pdf.set_xy(8, 8)
    pdf.multi_cell(95, 8.5 * _PT * 1.25, "\n".join(return_lines), align="L")
    # Where the stamp goes.
    # Wide enough for « Aucun affranchissement requis » on one line.
    box_width, box_height = 54.0, 20.0
    box_x, box_y = width - box_width - 8, 8.0
    pdf.set_line_width(0.3)
    pdf.rect(box_x, box_y, box_width, box_height)
    pdf.set_font(FONT_FAMILY, "B", 8)
    pdf.set_xy(box_x, box_y + 5)
    pdf.multi_cell(box_width, 8 * _PT * 1.3, "\n".join(NO_POSTAGE), align="C")
    # The MP at the House of Commons, in the middle.
    pdf.set_font(FONT_FAMILY, "", 11)
    pdf.set_xy(width * 0.42, height * 0.45)
    address = "\n".join(mp_label_lines(letter))
    pdf.multi_cell(width * 0.55, 11 * _PT * 1.35, address, align="L")


# --- labels --------------------------------------------------------------------


def _label(
    pdf: Any, lines: Sequence[str], *, x: float, y: float, width: float, height: float
) -> None:
    padding = 3.0
    usable_width = width - 2 * padding
    size = 10.0
    # Shrink until the longest line fits on one line and all lines fit the label.
    while size > 6.0:
        pdf.set_font(FONT_FAMILY, "", size)
        widest = max((pdf.get_string_width(line) for line in lines), default=0.0)
        if widest <= usable_width and len(lines) * size * _PT * 1.25 <= height - 2 * padding:
            break
        size -= 0.5
    pdf.set_font(FONT_FAMILY, "", size)
    line = size * _PT * 1.25
    top = y + max(padding, (height - len(lines) * line) / 2)
    pdf.set_xy(x + padding, top)
    pdf.multi_cell(usable_width, line, "\n".join(lines), align="L")
