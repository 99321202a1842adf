"""Print-ready PDF letters, #10 envelopes and address-label sheets.

One page per letter: the letter's blocks in order (sender, date, recipient,
subject, salutation, body, closing), with space and a rule to sign on above
the name. The type shrinks a little for long letters so each stays on one
page. Text is set in DejaVu Sans, shipped inside the package (see
``fonts/LICENSE-DejaVu.txt``), which has every character riding names, MP
names and French letters use (— ’ « » œ …).

fpdf2 is imported only when a PDF is made, never at start-up.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from importlib.resources import as_file
from typing import TYPE_CHECKING, Any

from mpwrite.errors import PdfRenderError, UsageError
from mpwrite.i18n import _
from mpwrite.parliament import HOUSE_OF_COMMONS_ADDRESS

if TYPE_CHECKING:
    from mpwrite.letters import Letter
    from mpwrite.ridings import Riding

PAPERS = ("letter", "a4")

#: Page sizes in millimetres (width, height).
PAPER_SIZES: dict[str, tuple[float, float]] = {"letter": (215.9, 279.4), "a4": (210.0, 297.0)}
#: A #10 envelope, landscape: 9 1/2 × 4 1/8 inches.
ENVELOPE_SIZE = (241.3, 104.775)

#: Where the stamp would go: mail to an MP at the House of Commons is free.
NO_POSTAGE = ("No postage necessary", "Port payé")

FONT_FAMILY = "DejaVuSans"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}

_MARGIN_SIDE = 25.4
_MARGIN_TOP = 20.0
_MARGIN_BOTTOM = 18.0
#: Body sizes tried in turn until the letter fits on one page.
_FONT_SIZES = (11.0, 10.5, 10.0, 9.5, 9.0, 8.5, 8.0, 7.5)
_LINE_FACTOR = 1.3
_PT = 0.3528  # millimetres per point
_SIGNATURE_SPACE_LINES = 2.5
_SIGNATURE_RULE = 70.0
_BULLET = "•"
_BULLET_INDENT = 6.0


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
            _letter_page(pdf, letter, size)
            if envelope:
                _envelope_page(pdf, letter)
        return _output(pdf)


def render_envelopes(letters: Sequence[Letter]) -> bytes:
    """Only the #10 envelope pages, one per letter (to feed envelopes separately)."""
    with _document() as pdf:
        for letter in letters:
            _envelope_page(pdf, letter)
        return _output(pdf)


def mp_label_lines(letter: Letter) -> tuple[str, ...]:
    """The MP's mailing address as a label shows it: name and House of Commons."""
    return (letter.recipient_name, *HOUSE_OF_COMMONS_ADDRESS[letter.lang])


def riding_label_lines(riding: Riding, lang: str = "en") -> tuple[str, ...]:
    """The label for a riding's MP, from the riding alone (for one label per MP folder)."""
    from mpwrite.address import recipient_name_line
    from mpwrite.letters import mp_of

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


# --- document and fonts ------------------------------------------------------


@contextmanager
def _document() -> Iterator[Any]:
    try:
        from fpdf import FPDF
    except ImportError:
        raise PdfRenderError(
            _("PDF output needs the fpdf2 library; reinstall mpwrite (pip install mpwrite)")
        ) from None
    from mpwrite.resources import fonts_dir

    with ExitStack() as stack:
        pdf = FPDF(unit="mm", format="letter")
        pdf.set_creator("mpwrite")
        pdf.set_auto_page_break(False)
        pdf.set_margins(_MARGIN_SIDE, _MARGIN_TOP, _MARGIN_SIDE)
        try:
            for style, name in FONT_FILES.items():
                path = stack.enter_context(as_file(fonts_dir().joinpath(name)))
                pdf.add_font(FONT_FAMILY, style, path)
        except (OSError, RuntimeError) as error:
            raise PdfRenderError(
                _("the bundled font could not be loaded ({reason}); reinstall mpwrite").format(
                    reason=error
                )
            ) from None
        yield pdf


def _output(pdf: Any) -> bytes:
    return bytes(pdf.output())


# --- letter page -------------------------------------------------------------


def _letter_page(pdf: Any, letter: Letter, size: tuple[float, float]) -> None:
    from mpwrite.markup import BulletList, parse_blocks

    blocks = parse_blocks(letter.text)
    signature = _signature_index(blocks, letter)
    pdf.add_page(format=size)
    available = size[1] - _MARGIN_TOP - _MARGIN_BOTTOM
    font_size: float | None = None
    for candidate in _FONT_SIZES:
        if _blocks_height(pdf, blocks, letter, candidate, signature) <= available:
            font_size = candidate
            break
    if font_size is None:
        # Too long for one page even in small type (a very long note): let it
        # run on to more pages rather than lose words off the bottom.
        font_size = _FONT_SIZES[0]
        pdf.set_auto_page_break(True, margin=_MARGIN_BOTTOM)
    line = font_size * _PT * _LINE_FACTOR
    pdf.set_xy(_MARGIN_SIDE, _MARGIN_TOP)
    for index, block in enumerate(blocks):
        if index:
            pdf.ln(line * 0.8)
        if index == signature:
            pdf.ln(line * _SIGNATURE_SPACE_LINES)
            y = pdf.get_y()
            pdf.set_line_width(0.2)
            pdf.line(_MARGIN_SIDE, y, _MARGIN_SIDE + _SIGNATURE_RULE, y)
            pdf.ln(1.5)
        if isinstance(block, BulletList):
            _bullets(pdf, block.items, font_size, line, draw=True)
        else:
            bold = _is_subject(block.lines, letter)
            _paragraph(pdf, block.lines, font_size, line, bold=bold, draw=True)
    pdf.set_auto_page_break(False)


def _signature_index(blocks: Sequence[Any], letter: Letter) -> int | None:
    """The block holding only the supporter's name at the end: where to sign."""
    from mpwrite.markup import Paragraph

    last = blocks[-1] if blocks else None
    if isinstance(last, Paragraph) and last.lines == (letter.supporter.name,):
        return len(blocks) - 1
    return None


def _is_subject(lines: Sequence[str], letter: Letter) -> bool:
    return len(lines) == 1 and bool(letter.subject) and lines[0].endswith(letter.subject)


def _blocks_height(
    pdf: Any, blocks: Sequence[Any], letter: Letter, font_size: float, signature: int | None
) -> float:
    from mpwrite.markup import BulletList

    line = font_size * _PT * _LINE_FACTOR
    total = 0.0
    for index, block in enumerate(blocks):
        if index:
            total += line * 0.8
        if index == signature:
            total += line * _SIGNATURE_SPACE_LINES + 1.5
        if isinstance(block, BulletList):
            total += _bullets(pdf, block.items, font_size, line, draw=False)
        else:
            bold = _is_subject(block.lines, letter)
            total += _paragraph(pdf, block.lines, font_size, line, bold=bold, draw=False)
    return total


def _paragraph(
    pdf: Any, lines: Sequence[str], font_size: float, line: float, *, bold: bool, draw: bool
) -> float:
    pdf.set_font(FONT_FAMILY, "B" if bold else "", font_size)
    text = "\n".join(lines)
    if not draw:
        return float(pdf.multi_cell(0, line, text, align="L", dry_run=True, output="HEIGHT"))
    pdf.set_x(_MARGIN_SIDE)
    pdf.multi_cell(0, line, text, align="L", new_x="LMARGIN", new_y="NEXT")
    return 0.0


def _bullets(pdf: Any, items: Sequence[str], font_size: float, line: float, *, draw: bool) -> float:
    pdf.set_font(FONT_FAMILY, "", font_size)
    width = pdf.epw - _BULLET_INDENT
    total = 0.0
    for number, item in enumerate(items):
        gap = line * 0.3 if number else 0.0
        if not draw:
            height = pdf.multi_cell(width, line, item, align="L", dry_run=True, output="HEIGHT")
            total += gap + float(height)
            continue
        pdf.ln(gap)
        if pdf.auto_page_break and pdf.will_page_break(line):
            # Keep the bullet with its text when a long letter runs on.
            pdf.add_page(same=True)
        y = pdf.get_y()
        pdf.set_xy(_MARGIN_SIDE + 1.5, y)
        pdf.cell(_BULLET_INDENT - 1.5, line, _BULLET)
        pdf.set_xy(_MARGIN_SIDE + _BULLET_INDENT, y)
        pdf.multi_cell(width, line, item, align="L", new_x="LMARGIN", new_y="NEXT")
    return total


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
    box_width, box_height = 42.0, 20.0
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
