"""MPs' replies in the ledger: added by hand or imported from e-mail, with a stance.

A reply imported from e-mail starts as ``unread`` until someone reads it and
gives its stance. Its body is never kept, only (when asked) a short excerpt.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from mpwrite.errors import LedgerInputError
from mpwrite.i18n import _
from mpwrite.ledger.store import Ledger

#: What an MP's reply says about the demand.
STANCES = ("supports", "opposes", "noncommittal", "form-reply")
#: The stance of a reply nobody has read yet.
UNREAD = "unread"
#: The longest excerpt of a reply's text kept with ``--keep-excerpt``.
EXCERPT_LIMIT = 200


def parse_stance(text: str, *, allow_unread: bool = False) -> str:
    """A stance as given on the command line, ``form_reply`` and any case accepted."""
    stance = text.strip().lower().replace("_", "-")
    known = (*STANCES, UNREAD) if allow_unread else STANCES
    if stance not in known:
        raise LedgerInputError(
            _("{text!r} is not a stance; use one of {stances}").format(
                text=text, stances=", ".join(known)
            )
        )
    return stance


@dataclass(frozen=True, slots=True)
class NewReply:
    """A reply to record."""

    campaign: str
    riding_code: str
    received_on: dt.date
    stance: str = UNREAD
    subject: str = ""
    sender: str = ""
    note: str = ""
    excerpt: str = ""
    #: The e-mail's Message-ID: importing the same message again keeps it once.
    message_id: str | None = None


@dataclass(frozen=True, slots=True)
class Reply:
    """A reply as the ledger holds it."""

    id: int
    campaign: str
    riding_code: str
    received_on: dt.date
    stance: str
    subject: str
    sender: str
    note: str
    excerpt: str


def add_replies(ledger: Ledger, replies: Iterable[NewReply]) -> list[int]:
    """Record ``replies`` in one transaction; the ids of those that were new."""
    added: list[int] = []
    checked = [_checked(reply) for reply in replies]
    with ledger.transaction() as connection:
        for reply in checked:
            cursor = connection.execute(
                "INSERT OR IGNORE INTO replies (campaign, riding_code, received_on, stance, "
                "subject, sender, note, excerpt, message_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    reply.campaign,
                    reply.riding_code,
                    reply.received_on.isoformat(),
                    reply.stance,
                    reply.subject,
                    reply.sender,
                    reply.note,
                    reply.excerpt[:EXCERPT_LIMIT],
                    reply.message_id,
                ),
            )
            if cursor.rowcount and cursor.lastrowid is not None:
                added.append(cursor.lastrowid)
    return added


def set_stance(ledger: Ledger, reply_id: int, stance: str, note: str | None = None) -> None:
    """Give a reply its stance (and a note), once someone has read it."""
    stance = parse_stance(stance)
    with ledger.transaction() as connection:
        changed = connection.execute(
            "UPDATE replies SET stance = ?, note = COALESCE(?, note) WHERE id = ?",
            (stance, note, reply_id),
        ).rowcount
    if not changed:
        raise LedgerInputError(
            _("there is no reply {id} in the ledger; see the ids with mpwrite replies list").format(
                id=reply_id
            )
        )


def list_replies(
    ledger: Ledger, campaign: str | None = None, *, unread_only: bool = False
) -> list[Reply]:
    """The replies (of one campaign, or all), oldest first."""
    conditions = []
    parameters: list[object] = []
    if campaign is not None:
        conditions.append("campaign = ?")
        parameters.append(campaign)
    if unread_only:
        conditions.append("stance = ?")
        parameters.append(UNREAD)
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    replies = []
    for row in ledger.rows(
        "SELECT id, campaign, riding_code, received_on, stance, subject, sender, note, excerpt "
        f"FROM replies {where} ORDER BY received_on, id",
        parameters,
    ):
        replies.append(Reply(row[0], row[1], row[2], ledger.date(row[3]), *row[4:]))
    return replies


def _checked(reply: NewReply) -> NewReply:
    parse_stance(reply.stance, allow_unread=True)
    if not reply.riding_code.strip():
        raise LedgerInputError(_("a reply needs the riding of the MP who sent it; give --riding"))
    return reply
