"""Ledger entries for letters as mpwrite composes them, and the ledger a command logs to."""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

from mpwrite.ledger.record import Entry, Supporter, log_entries
from mpwrite.ledger.store import Ledger, default_ledger_path

if TYPE_CHECKING:
    from mpwrite.geo.ridings import Riding
    from mpwrite.letter.compose import Letter

#: Formats whose letter goes out by e-mail; every other one is printed (or a PDF).
EMAIL_FORMATS = frozenset({"eml", "mailto"})


def channel_of(fmt: str) -> str:
    """The ledger channel for a letter in ``fmt``: email for .eml and mailto:, else print."""
    return "email" if fmt in EMAIL_FORMATS else "print"


def new_session_id(kind: str, now: dt.datetime | None = None) -> str:
    """An id for a bulk run or event session: ``event-2026-11-21T10:04-3f9a``."""
    stamp = (now or dt.datetime.now()).strftime("%Y-%m-%dT%H:%M")
    return f"{kind}-{stamp}-{secrets.token_hex(2)}"


def letter_entry(
    letter: Letter,
    *,
    channel: str,
    source: str,
    identity: tuple[str, ...],
    keep_supporter: bool = False,
    logged_on: dt.date | None = None,
) -> Entry:
    """The entry for a composed letter: its campaign, demand, language, riding and MP."""
    riding = letter.riding
    return Entry(
        campaign=letter.campaign.id,
        demand=letter.demand.id,
        language=letter.lang,
        riding_code=riding.code,
        riding_name=riding.name_en,
        # A letter to a minister by role names no MP: the recipient line says who.
        mp_name=letter.mp.full_name if letter.recipient == "mp" else letter.recipient_name,
        mp_party=letter.mp.party if letter.recipient == "mp" else "",
        province=riding.province,
        channel=channel,
        source=source,
        identity=identity,
        logged_on=logged_on or dt.date.today(),
        supporter=(
            Supporter(letter.supporter.name, letter.supporter.email) if keep_supporter else None
        ),
    )


def call_entry(
    *,
    campaign: str,
    demand: str,
    language: str,
    riding: Riding,
    source: str,
    identity: tuple[str, ...],
) -> Entry:
    """The entry for a phone call to the riding's MP: no letter, nothing of the caller."""
    mp = riding.mp
    return Entry(
        campaign=campaign,
        demand=demand,
        language=language,
        riding_code=riding.code,
        riding_name=riding.name_en,
        mp_name=mp.full_name if mp else "",
        mp_party=mp.party if mp else "",
        province=riding.province,
        channel="call",
        source=source,
        identity=identity,
        logged_on=dt.date.today(),
    )


def ledger_file(explicit: Path | None, campaign_id: str) -> Path:
    """``--ledger FILE`` when given, else the campaign's ledger in mpwrite's data home."""
    return explicit if explicit is not None else default_ledger_path(campaign_id)


def log_letter(
    letter: Letter,
    *,
    ledger: Path | None,
    channel: str,
    source: str,
    identity: tuple[str, ...],
    keep_supporter: bool = False,
) -> Path:
    """Log one letter in its campaign's ledger (or ``ledger``); the ledger's path."""
    path = ledger_file(ledger, letter.campaign.id)
    entry = letter_entry(
        letter, channel=channel, source=source, identity=identity, keep_supporter=keep_supporter
    )
    with Ledger.open(path) as opened:
        log_entries(opened, [entry], keep_supporters=keep_supporter)
    return path
