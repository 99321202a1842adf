"""The meeting brief as a one-page PDF: to print and leave with the MP's office.

The type is set as large as lets the whole brief fit one Letter page; a
campaign whose demand has too many asks or sources for that at the smallest
size gets a clear error rather than a second page nobody reads.

fpdf2 is imported only when a PDF is made, never at start-up.
"""

from __future__ import annotations

import datetime
from typing import Any

from mpwrite.errors import PdfRenderError
from mpwrite.i18n import _
from mpwrite.letter.brief import Brief
from mpwrite.output.pdf_fonts import FONT_FAMILY

#: Letter paper, in mm.
PAGE = (215.9, 279.4)
_MARGIN = 20.0
_BOTTOM = 16.0
_PT = 0.3528  # mm per point
_BULLET_INDENT = 6.0
#: The body's size in points, largest first: the first at which the brief fits wins.
BODY_SIZES = (11.0, 10.5, 10.0, 9.5, 9.0, 8.5, 8.0)
_GREY = (90, 90, 90)
_LINK_BLUE = (20, 60, 140)


def render_brief_pdf(brief: Brief) -> bytes:
    """The brief on one Letter page; PdfRenderError if even the smallest type needs two."""
    for size in BODY_SIZES:
        data = _render(brief, size)
        if data is not None:
            return data
    raise PdfRenderError(
        _(
            "the brief for {title} does not fit one page even in small type; "
            "shorten the demand's asks or list fewer sources in the manifest"
        ).format(title=brief.title)
    )


def page_count(brief: Brief, size: float) -> int:
    """How many pages the brief takes with body type of ``size`` points (for tests)."""
    from mpwrite.output.pdf_fonts import forget_used_characters, new_document

    pdf = new_document()
    try:
        _draw(pdf, brief, size)
        return int(pdf.page)
    finally:
        forget_used_characters()


def _render(brief: Brief, size: float) -> bytes | None:
    from mpwrite.output.pdf_fonts import document_bytes, forget_used_characters, new_document

    pdf = new_document()
    try:
        _draw(pdf, brief, size)
        if pdf.page > 1:
            return None
        return document_bytes(pdf)
    finally:
        forget_used_characters()


def _draw(pdf: Any, brief: Brief, size: float) -> None:
    # A fixed date: the same brief makes the same bytes.
    pdf.set_creation_date(datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC))
    pdf.set_creator("mpwrite")
    pdf.set_title(f"{brief.label} — {brief.title}")
    pdf.set_lang(f"{brief.lang}-CA")
    pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
    pdf.set_auto_page_break(True, margin=_BOTTOM)
    pdf.add_page(format=PAGE)
    width = PAGE[0] - 2 * _MARGIN
    line = size * _PT * 1.3

    def text(words: str, points: float, style: str = "", *, gap: float = 0.0) -> None:
        pdf.set_font(FONT_FAMILY, style, points)
        pdf.set_x(_MARGIN)
        pdf.multi_cell(width, points * _PT * 1.3, words, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    def heading(words: str) -> None:
        pdf.ln(line * 0.6)
        text(words, size * 1.15, "B", gap=line * 0.25)
        y = pdf.get_y()
        pdf.set_draw_color(*_GREY)
        pdf.set_line_width(0.2)
        pdf.line(_MARGIN, y, _MARGIN + width, y)
        pdf.ln(line * 0.35)

    def item(marker: str, words: str, link: str = "") -> None:
        pdf.set_font(FONT_FAMILY, "", size)
        top = pdf.get_y()
        pdf.set_xy(_MARGIN, top)
        pdf.cell(_BULLET_INDENT, line, marker)
        pdf.set_xy(_MARGIN + _BULLET_INDENT, top)
        pdf.multi_cell(
            width - _BULLET_INDENT, line, words, align="L", new_x="LMARGIN", new_y="NEXT"
        )
        if link:
            pdf.set_font(FONT_FAMILY, "", size * 0.82)
            pdf.set_text_color(*_LINK_BLUE)
            pdf.set_x(_MARGIN + _BULLET_INDENT)
            pdf.multi_cell(
                width - _BULLET_INDENT,
                size * 0.82 * _PT * 1.3,
                link,
                align="L",
                link=link,
                new_x="LMARGIN",
                new_y="NEXT",
                wrapmode="CHAR",
            )
            pdf.set_text_color(0, 0, 0)
        pdf.ln(line * 0.3)

    pdf.set_text_color(*_GREY)
    text(f"{brief.organisation} — {brief.campaign_title}", size * 0.85, gap=line * 0.4)
    pdf.set_text_color(0, 0, 0)
    text(brief.label, size, "B")
    text(brief.title, size * 1.6, "B", gap=line * 0.2)
    if brief.asks:
        heading(brief.asks_heading)
        for ask in brief.asks:
            item("•", ask)
    if brief.sources:
        heading(brief.sources_heading)
        text(brief.checked_line, size, gap=line * 0.3)
        for number, source in enumerate(brief.sources, 1):
            item(f"{number}.", source.title, source.url)
    if brief.contact:
        heading(brief.contact_heading)
        for contact_line in brief.contact:
            text(contact_line, size)
