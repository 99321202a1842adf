"""Plain text wraps what letters share once, with their prepared body, which keeps no supporter."""

from __future__ import annotations

import dataclasses
import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mpwrite.campaign.folder import Campaign, load_campaign
from mpwrite.geo.ridings import load_bundled
from mpwrite.letter.compose import Letter, Supporter, compose_letter
from mpwrite.letter.markup import Paragraph, chunks_of, normalise_markup, parse_blocks
from mpwrite.letter.prepared import PreparedBody
from mpwrite.output import text
from mpwrite.output.formats import FORMATS, render
from tests.helpers import make_campaign

DATE = datetime.date(2026, 3, 2)
RIDING = "35079"  # Ottawa Centre
ANA = Supporter("Ana Lima", "14 Maple Court", "Ottawa", "K1S 3V8", "ana@example.org")
LI = Supporter("Li Chen", "77 Hidden Road", "Gatineau", "J8X 1A1", "li@example.org")
ANA_NOTE = "Ana here: my cousin told me about this at the shelter on Elm Street, where she works."
LI_NOTE = "Li here: I volunteer at the drop-in on Birch Avenue every week, and I see it often."
#: What of each supporter must never be in another's letter, nor kept past their own.
OWN = {
    ANA: ("Ana Lima", "Maple Court", "K1S 3V8", "ana@example.org", "Elm Street"),
    LI: ("Li Chen", "Hidden Road", "J8X 1A1", "li@example.org", "Birch Avenue"),
}


def plain_text(letter_text: str) -> str:
    """The definition the shortcut must agree with: every block of the letter wrapped now."""
    blocks = parse_blocks(letter_text)
    return "\n\n".join(text._text_block(block) for block in blocks) + "\n"


def compose(
    campaign: Campaign, supporter: Supporter, note: str = "", demand: str = "all", **more: Any
) -> Letter:
    return compose_letter(
        campaign=campaign,
        demand=campaign.demand(demand),
        lang=more.pop("lang", "en"),
        riding=more.pop("riding", load_bundled().get(RIDING)),
        supporter=supporter,
        note=note,
        date=DATE,
        **more,
    )


def everything_kept(campaign: Campaign) -> str:
    """All that the campaign keeps of its prepared bodies, as text to search."""
    kept = []
    for prepared in campaign.__dict__["_prepared_bodies"].bodies.values():
        for one in (prepared, *prepared._by_asks.values()):
            kept.append(repr(vars(one)))
    return "\n".join(kept)


def test_two_supporters_share_the_body_and_never_each_others_text() -> None:
    campaign = load_campaign()
    ana = compose(campaign, ANA, ANA_NOTE)
    li = compose(campaign, LI, LI_NOTE)
    assert ana.prepared is not None and ana.prepared is li.prepared
    rendered = {ANA: text.render_text(ana), LI: text.render_text(li)}
    assert rendered[ANA] == plain_text(ana.text) and rendered[LI] == plain_text(li.text)
    for supporter, other in ((ANA, LI), (LI, ANA)):
        assert all(own in rendered[supporter].replace("\n", " ") for own in OWN[supporter])
        assert not any(theirs in rendered[supporter] for theirs in OWN[other])
    shared = ana.prepared.shared_text
    assert shared and ana.body in shared and "Re: " in shared
    kept = everything_kept(campaign)
    assert "Dear Yasir Naqvi" not in kept  # the greeting is the writer's choice
    assert not any(own in kept for own in (*OWN[ANA], *OWN[LI]))


def test_what_letters_share_is_wrapped_once_per_prepared_body(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    campaign = load_campaign()
    text.render_text(compose(campaign, ANA, ANA_NOTE))
    wrapped: list[object] = []
    real = text._text_block
    monkeypatch.setattr(text, "_text_block", lambda block: wrapped.append(block) or real(block))
    li = compose(campaign, LI, LI_NOTE)
    rendered = text.render_text(li)
    # Only Li's own words: the sender block and the signature wrap to themselves.
    assert wrapped == [Paragraph((LI_NOTE,))]
    # To another riding, only what differs: the opening names the riding. The
    # subject and the body past the opening are the same, so wrapped already.
    elsewhere = compose(campaign, LI, riding=load_bundled().get("35080"))
    wrapped.clear()
    rendered_elsewhere = text.render_text(elsewhere)
    assert len(wrapped) == 1 and "Ottawa South" in wrapped[0].lines[0]  # type: ignore[attr-defined]
    monkeypatch.undo()
    assert rendered == plain_text(li.text)
    assert rendered_elsewhere == plain_text(elsewhere.text)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_format_is_the_same_with_and_without_the_prepared_body(lang: str) -> None:
    campaign = load_campaign()
    for supporter, note in ((ANA, ANA_NOTE), (LI, "")):
        letter = compose(campaign, supporter, note, lang=lang)
        alone = dataclasses.replace(letter, prepared=None)
        for fmt in FORMATS:
            assert render(letter, fmt) == render(alone, fmt), fmt


def test_a_body_that_reads_the_supporter_is_wrapped_per_letter_and_never_kept(
    tmp_path: Path,
) -> None:
    paragraph = "I ask you, as a constituent, to act on this matter: it concerns everyone here."
    own = "I am {{ supporter.name }}, of {{ supporter.address }}."
    body = f"{own} {paragraph}\n\n{paragraph}"
    campaign = load_campaign(make_campaign(tmp_path, body))
    ana, li = compose(campaign, ANA, demand="one"), compose(campaign, LI, demand="one")
    assert ana.prepared is not None and ana.prepared.body is None
    for letter, other in ((ana, LI), (li, ANA)):
        rendered = text.render_text(letter)
        assert rendered == plain_text(letter.text)
        assert letter.supporter.address in rendered
        assert not any(theirs in rendered for theirs in OWN[other])
    kept = everything_kept(campaign)
    assert paragraph not in kept  # the body is rendered per letter...
    assert not any(own in kept for own in (*OWN[ANA], *OWN[LI]))  # ...and none of it kept


def test_letters_keeping_some_asks_share_a_prepared_body_of_their_own() -> None:
    campaign = load_campaign()
    every = compose(campaign, ANA)
    ana = compose(campaign, ANA, ask_numbers=(1, 3))
    li = compose(campaign, LI, LI_NOTE, ask_numbers=(3, 1))
    assert ana.prepared is li.prepared and ana.prepared is not every.prepared
    assert ana.prepared is not None and ana.prepared.shared_text
    assert ana.prepared.context["asks"] == [every.prepared.context["asks"][i] for i in (0, 2)]
    for letter in (every, ana, li):
        assert text.render_text(letter) == plain_text(letter.text)
    assert text.render_text(ana) != text.render_text(every)


MARKUP = st.text(alphabet=st.sampled_from("ab -\n\r\t \u00a0\u2028\x0c"), max_size=40)
GAP = st.sampled_from(["", "\n", "\n\n", " \n\n", "\n\n\n"])


@settings(max_examples=300, deadline=None)
@given(MARKUP, st.lists(st.tuples(st.booleans(), MARKUP, GAP), max_size=6))
def test_reusing_shared_pieces_is_wrapping_the_letter_afresh(
    shared: str, parts: list[tuple[bool, str, str]]
) -> None:
    # Letters built of blocks from the shared text and of other text, with
    # gaps as letters have them and not: both must render as if wrapped anew.
    shared_text = normalise_markup(shared)
    shared_chunks = chunks_of(shared_text) or [""]
    pieces = [
        (shared_chunks[len(other) % len(shared_chunks)] if from_shared else other) + gap
        for from_shared, other, gap in parts
    ]
    prepared = PreparedBody(SAMPLE.riding, SAMPLE.demand, {}, None, shared_text)
    letter = dataclasses.replace(SAMPLE, text="".join(pieces), prepared=prepared)
    assert text.render_text(letter) == plain_text(letter.text)
    assert text.render_text(letter) == plain_text(letter.text)  # made once, then reused


SAMPLE = compose(load_campaign(), ANA)
