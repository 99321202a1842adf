"""The brief's PDF: one Letter page, the type shrinking to fit, and a clear error past that."""

from __future__ import annotations

import dataclasses
import io

import pytest
from pypdf import PdfReader

from mpwrite.campaign.folder import load_campaign
from mpwrite.errors import PdfRenderError
from mpwrite.letter.brief import compose_brief
from mpwrite.output.brief_pdf import BODY_SIZES, page_count, render_brief_pdf


def brief(lang: str = "en", asks: int = 0):
    campaign = load_campaign()
    composed = compose_brief(campaign, campaign.demand("protect-rights"), lang)
    if asks:
        longer = tuple(
            f"Ask {n}: " + "a long sentence about what to change. " * 3 for n in range(asks)
        )
        composed = dataclasses.replace(composed, asks=longer)
    return composed


def test_a_longer_brief_is_set_smaller_to_stay_on_one_page() -> None:
    longer = brief(asks=14)
    assert page_count(longer, BODY_SIZES[0]) == 2
    pages = PdfReader(io.BytesIO(render_brief_pdf(longer))).pages
    assert len(pages) == 1
    assert "Ask 13:" in pages[0].extract_text()


def test_a_brief_too_long_for_one_page_is_refused() -> None:
    with pytest.raises(PdfRenderError, match="does not fit one page"):
        render_brief_pdf(brief(asks=30))


def test_the_same_brief_makes_the_same_bytes() -> None:
    assert render_brief_pdf(brief("fr")) == render_brief_pdf(brief("fr"))
