"""Helpers shared by test modules (import from here, never from another test module)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from pypdf import PageObject, PdfReader

#: Running heads and page numbers are set in this size; letter text never is.
PAGE_FURNITURE_SIZE = 8.5


@dataclass(frozen=True)
class PdfPage:
    """What a reader finds on one page: the letter's text, its sizes, and the rest."""

    text: str
    #: Type sizes (points) of the letter's own text on the page.
    sizes: frozenset[float]
    #: Running head and page number, whitespace normalised ("" when none).
    furniture: str


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def read_pdf(pdf: bytes) -> list[PdfPage]:
    """Each page of ``pdf``, its text split from its running head and page number by size."""
    return [_read_page(page) for page in PdfReader(io.BytesIO(pdf)).pages]


def _read_page(page: PageObject) -> PdfPage:
    letter: list[str] = []
    furniture: list[str] = []
    sizes: set[float] = set()

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if not text.strip():
            return
        shown = round(size * tm[0] * cm[0], 2)
        if shown == PAGE_FURNITURE_SIZE:
            furniture.append(text)
        else:
            letter.append(text)
            sizes.add(shown)

    page.extract_text(visitor_text=visit)
    return PdfPage(normalise(" ".join(letter)), frozenset(sizes), normalise(" ".join(furniture)))
