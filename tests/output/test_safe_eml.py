"""E-mail drafts are format=flowed (RFC 3676): paragraphs reflow on a phone."""

from __future__ import annotations

import email
import email.policy

from mpwrite.campaign.folder import load_campaign
from mpwrite.geo.ridings import load_bundled
from mpwrite.letter.compose import Supporter, compose_letter
from mpwrite.output.formats import render

NOTE = (
    "From the drop-in centre where I volunteer, I see every week how hard it is for people "
    "to leave an abusive job when their permit names one employer.\n\n"
    "> Please act before the next budget."
)


def draft() -> email.message.EmailMessage:
    campaign = load_campaign()
    letter = compose_letter(
        campaign=campaign,
        demand=campaign.demand("permanent-status"),
        lang="en",
        riding=load_bundled().ridings["35080"],
        supporter=Supporter(
            name="Alex Martin", address="123 Bank Street", city="Ottawa", postal_code="K1S 3V8",
            email="alex@example.org",
        ),
        note=NOTE,
    )
    message = email.message_from_bytes(render(letter, "eml"), policy=email.policy.default)
    assert isinstance(message, email.message.EmailMessage)
    return message


def unflowed(body: str) -> list[str]:
    """What a flowed-aware reader shows: soft-broken lines joined, space-stuffing removed."""
    lines: list[str] = []
    joining = False
    for raw in body.split("\n"):
        line = raw[1:] if raw.startswith(" ") else raw
        if joining:
            lines[-1] += line
        else:
            lines.append(line)
        joining = line.endswith(" ")
    return lines


def test_content_type_says_format_flowed() -> None:
    message = draft()
    assert message.get_content_type() == "text/plain"
    assert message.get_param("format") == "flowed"
    assert message.get_content_charset() == "utf-8"


def test_paragraphs_reflow_and_address_lines_stay_apart() -> None:
    body = draft().get_content().replace("\r\n", "\n")
    assert all(len(line) <= 78 for line in body.split("\n"))
    shown = unflowed(body)
    first, second = NOTE.split("\n\n")
    assert first in shown  # one paragraph, one line once reflowed
    assert second in shown  # a ">" line is space-stuffed, not taken for a quotation
    assert " " + second in body.split("\n")
    assert " From the drop-in centre" in body  # "From " at a line start is stuffed too
    for address_line in ("Alex Martin", "123 Bank Street", "Ottawa, Ontario K1S 3V8"):
        assert address_line in shown
    # A hard break never ends in a space; soft breaks end in exactly one.
    assert not any(line.endswith("  ") for line in body.split("\n"))
