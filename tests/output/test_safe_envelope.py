"""The envelope says no postage is needed, in French too (« Port payé » means paid)."""

from __future__ import annotations

import io

from pypdf import PdfReader

from mpwrite.campaign.folder import load_campaign
from mpwrite.geo.ridings import load_bundled
from mpwrite.letter.compose import Supporter, compose_letter
from mpwrite.output.pdf import render_pdf


def test_envelope_says_no_postage_required_in_both_languages() -> None:
    campaign = load_campaign()
    letter = compose_letter(
        campaign=campaign,
        demand=campaign.demand("all"),
        lang="fr",
        riding=load_bundled().ridings["35079"],
        supporter=Supporter(name="Zoé", city="Ottawa", postal_code="K1A 0A6"),
        note="",
    )
    envelope = PdfReader(io.BytesIO(render_pdf([letter], envelope=True))).pages[-1]
    lines = envelope.extract_text().splitlines()
    assert "No postage necessary" in envelope.extract_text()
    assert "Aucun affranchissement requis" in lines  # one line: it fits the box
    assert "Port payé" not in envelope.extract_text()
