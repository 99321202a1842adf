"""Where each line of a PDF letter goes: line breaks, the type size, pages.

Pure arithmetic on character widths, so a letter is laid out without drawing
it: words are measured once (in thousandths of an em, which scale with the
type size), lines are broken greedily, and each candidate size costs one pass
over the words. The largest size from :data:`FONT_SIZES` at which the letter
fits one page wins; a letter too long even at the smallest runs on to more
pages at the largest size, with room left for a continuation header and page
numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

#: Body sizes in points, largest first; the last is the smallest a letter is set in.
FONT_SIZES = (11.0, 10.75, 10.5, 10.25, 10.0)
PT = 0.3528  # millimetres per point
LINE_FACTOR = 1.2
#: Space between blocks, and between list items, in lines.
BLOCK_GAP = 0.6
ITEM_GAP = 0.25
#: The space to sign in, in lines, above the rule and the supporter's name.
SIGNATURE_LINES = 2.5
SIGNATURE_RULE_GAP = 1.5  # mm between the rule and the name
BULLET_INDENT = 5.0  # mm
#: Space taken at the top of a continuation page (header) and at the foot of
#: every page of a letter that runs on (page number), in mm.
HEADER_SPACE = 12.0
FOOTER_SPACE = 8.0

#: The widths of a font's characters, in thousandths of an em, by style ("" or "B").
Widths = Callable[[str, str], float]


@dataclass(frozen=True, slots=True)
class Piece:
    """A block of the letter as layout sees it."""

    lines: tuple[str, ...]
    bullets: bool = False
    bold: bool = False
    #: The supporter's name at the end: the space to sign goes above it.
    signature: bool = False
    #: Keep on the page of the next piece (a subject line, a closing formula).
    keep_with_next: bool = False


@dataclass(frozen=True, slots=True)
class Line:
    """One line set on a page: its top (mm from the page's top edge) and what it holds."""

    top: float
    text: str
    bold: bool = False
    bullet: bool = False
    #: Set in from the margin: a list item's lines.
    indent: bool = False
    #: Draw the signature rule this far above the line's top.
    rule_above: float = 0.0


@dataclass(frozen=True, slots=True)
class Layout:
    """A laid-out letter: its size in points, line height in mm, and lines per page."""

    font_size: float
    line_height: float
    pages: tuple[tuple[Line, ...], ...]


@dataclass(frozen=True, slots=True)
class Frame:
    """The page's writable area, in mm."""

    width: float
    top: float
    bottom: float  # from the top edge


def lay_out(pieces: Sequence[Piece], frame: Frame, widths: Widths) -> Layout:
    """The letter on as few pages as fit, in the largest size that fits one page."""
    for size in FONT_SIZES:
        pages = _paginate(pieces, frame, widths, size, one_page=True)
        if pages is not None:
            return Layout(size, line_height(size), pages)
    size = FONT_SIZES[0]
    run_on = Frame(frame.width, frame.top, frame.bottom - FOOTER_SPACE)
    pages = _paginate(pieces, run_on, widths, size, one_page=False)
    assert pages is not None
    return Layout(size, line_height(size), pages)


def line_height(size: float) -> float:
    return size * PT * LINE_FACTOR


def _paginate(
    pieces: Sequence[Piece], frame: Frame, widths: Widths, size: float, *, one_page: bool
) -> tuple[tuple[Line, ...], ...] | None:
    """Lines placed page by page; None if ``one_page`` and they do not fit on one."""
    line = line_height(size)
    em = size * PT  # mm per em
    rows = _rows(pieces, frame.width / em * 1000, (frame.width - BULLET_INDENT) / em * 1000, widths)
    pages: list[list[Line]] = [[]]
    y = frame.top
    index = 0
    while index < len(rows):
        row = rows[index]
        page = pages[-1]
        space = row.space_before * line if page else 0.0
        if row.signature:
            space += SIGNATURE_LINES * line + SIGNATURE_RULE_GAP
        if y + space + line <= frame.bottom + 1e-6:
            rule = SIGNATURE_RULE_GAP if row.signature else 0.0
            page.append(Line(y + space, row.text, row.bold, row.bullet, row.indent, rule))
            y += space + line
            index += 1
            continue
        if one_page:
            return None
        if not page:
            raise AssertionError("a line taller than a page")
        # Rows that must stay with this one move too, unless that empties the page.
        start = index
        while start > 0 and rows[start - 1].keep_with_next and len(page) > index - start + 1:
            start -= 1
        del page[len(page) - (index - start) :]
        pages.append([])
        y = frame.top + HEADER_SPACE
        index = start
    return tuple(tuple(page) for page in pages)


@dataclass(frozen=True, slots=True)
class _Row:
    text: str
    space_before: float
    bold: bool
    bullet: bool
    indent: bool
    signature: bool
    keep_with_next: bool


def _rows(pieces: Sequence[Piece], width: float, item_width: float, widths: Widths) -> list[_Row]:
    """Every line of the letter, broken to fit (widths in thousandths of an em)."""
    rows: list[_Row] = []
    for number, piece in enumerate(pieces):
        style = "B" if piece.bold else ""
        start = len(rows)
        for item_number, text in enumerate(piece.lines):
            item_start = len(rows)
            broken = wrap(text, item_width if piece.bullets else width, widths, style)
            for line_number, part in enumerate(broken):
                if item_number == 0 and line_number == 0:
                    space = BLOCK_GAP if number else 0.0
                else:
                    space = ITEM_GAP if piece.bullets and line_number == 0 else 0.0
                bullet = piece.bullets and line_number == 0
                signature = piece.signature and len(rows) == start
                rows.append(_Row(part, space, piece.bold, bullet, piece.bullets, signature, False))
            if piece.bullets:
                _hold_together(rows, item_start, short=2)
        if not piece.bullets:
            # An address or a short paragraph stays whole.
            _hold_together(rows, start, short=6)
        if piece.keep_with_next:
            rows[-1] = _replace_keep(rows[-1])
    return rows


def _hold_together(rows: list[_Row], start: int, short: int) -> None:
    """Rows from ``start`` kept on one page when at most ``short``; else no line alone."""
    last = len(rows) - 1
    held = range(start, last) if last - start < short else (start, last - 1)
    for index in held:
        rows[index] = _replace_keep(rows[index])


def _replace_keep(row: _Row) -> _Row:
    return _Row(row.text, row.space_before, row.bold, row.bullet, row.indent, row.signature, True)


def wrap(text: str, width: float, widths: Widths, style: str) -> list[str]:
    """``text`` broken at spaces into lines at most ``width`` wide (thousandths of an em).

    A word wider than a line on its own (a long URL) is broken between characters.
    """
    space = widths(" ", style)
    lines: list[str] = []
    current: list[str] = []
    used = 0.0
    for word in text.split(" "):
        word_width = widths(word, style)
        extra = word_width + (space if current else 0.0)
        if current and used + extra > width:
            lines.append(" ".join(current))
            current, used = [], 0.0
            extra = word_width
        if word_width > width:
            for part in _split_word(word, width, widths, style):
                if current:
                    lines.append(" ".join(current))
                current, used = [part], widths(part, style)
            continue
        current.append(word)
        used += extra
    lines.append(" ".join(current))
    return lines


def _split_word(word: str, width: float, widths: Widths, style: str) -> list[str]:
    parts: list[str] = []
    start = 0
    used = 0.0
    for end, character in enumerate(word):
        character_width = widths(character, style)
        if end > start and used + character_width > width:
            parts.append(word[start:end])
            start, used = end, 0.0
        used += character_width
    parts.append(word[start:])
    return parts
