"""What the ledger keeps of each letter, call or meeting request, and forgetting supporters.

An entry names the campaign, demand, language, riding, MP and channel, the date
and where it came from (a bulk run, an event session, a draft or a call). It
holds a supporter's name and e-mail only when the organizer asked for them.

Each entry has a key: a salted hash of what makes that letter itself (for bulk,
the run's campaign, demand and channel and the row's contents). Logging an
entry whose key is already there does nothing, so re-running the same bulk
command counts each letter once. The salt is the ledger's own, so a key says
nothing about a supporter to anyone who does not have the ledger.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from mpwrite.errors import LedgerInputError
from mpwrite.i18n import _
from mpwrite.ledger.store import Ledger

CHANNELS = ("email", "print", "call", "meeting")
#: Channels that are letters (the rest are calls and meeting requests).
LETTER_CHANNELS = ("email", "print")
#: Sources of entries that come from no run or session.
DRAFT_SOURCE = "draft"
CALL_SOURCE = "call"


def parse_date(text: str) -> dt.date:
    """A date written YYYY-MM-DD; a clear usage error otherwise."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise LedgerInputError(
            _("{text!r} is not a date; write it as YYYY-MM-DD, like 2026-11-30").format(text=text)
        ) from None


@dataclass(frozen=True, slots=True)
class Supporter:
    """The only supporter details a ledger may keep, and only when asked to."""

    name: str
    email: str


@dataclass(frozen=True, slots=True)
class LoggedEntry:
    """An entry read back for a report: no key, no supporter."""

    campaign: str
    demand: str
    language: str
    riding_code: str
    riding_name: str
    mp_name: str
    mp_party: str
    province: str
    channel: str
    source: str
    logged_on: dt.date


@dataclass(frozen=True, slots=True, kw_only=True)
class Entry(LoggedEntry):
    """One letter, call or meeting request to log: what a report reads back, and more."""

    #: What makes this entry itself, hashed into its key and never stored.
    identity: tuple[str, ...]
    logged_on: dt.date = field(default_factory=dt.date.today)
    supporter: Supporter | None = None


def entry_key(salt: str, entry: Entry) -> str:
    """The entry's idempotence key: the same letter logged twice has the same key."""
    parts = ("1", entry.campaign, entry.demand, entry.channel, *entry.identity)
    digest = hashlib.sha256(salt.encode())
    for part in parts:
        # Length-prefixed, so that ("ab", "c") and ("a", "bc") differ.
        encoded = part.encode("utf-8", "surrogatepass")
        digest.update(len(encoded).to_bytes(8, "big") + encoded)
    return digest.hexdigest()


def log_entries(ledger: Ledger, entries: Iterable[Entry], *, keep_supporters: bool = False) -> int:
    """Record ``entries`` in one transaction; how many were new (not logged before).

    Supporters' names and e-mails are kept only with ``keep_supporters``; a
    letter logged before without them gets them now.
    """
    salt = ledger.meta("key_salt") or ""
    rows = []
    for entry in entries:
        if entry.channel not in CHANNELS:
            raise LedgerInputError(
                _("{channel!r} is not a channel; use one of {channels}").format(
                    channel=entry.channel, channels=", ".join(CHANNELS)
                )
            )
        supporter = entry.supporter if keep_supporters else None
        rows.append(
            (
                entry_key(salt, entry),
                entry.campaign,
                entry.demand,
                entry.language,
                entry.riding_code,
                entry.riding_name,
                entry.mp_name,
                entry.mp_party,
                entry.province,
                entry.channel,
                entry.logged_on.isoformat(),
                entry.source,
                supporter.name if supporter else None,
                supporter.email if supporter else None,
            )
        )
    if not rows:
        return 0
    with ledger.transaction() as connection:
        before = connection.total_changes
        connection.executemany(
            "INSERT OR IGNORE INTO entries (entry_key, campaign, demand, language, riding_code, "
            "riding_name, mp_name, mp_party, province, channel, logged_on, source, "
            "supporter_name, supporter_email) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        added = connection.total_changes - before
        if keep_supporters:
            connection.executemany(
                "UPDATE entries SET supporter_name = ?, supporter_email = ? WHERE entry_key = ? "
                "AND supporter_name IS NULL AND supporter_email IS NULL",
                [(row[-2], row[-1], row[0]) for row in rows if row[-2] is not None],
            )
        return added


def load_entries(ledger: Ledger, campaign: str | None = None) -> list[LoggedEntry]:
    """Every entry (of one campaign, or all), oldest first."""
    where, parameters = _campaign_filter(campaign)
    entries = []
    for row in ledger.rows(
        "SELECT campaign, demand, language, riding_code, riding_name, mp_name, mp_party, "
        f"province, channel, source, logged_on FROM entries {where} ORDER BY logged_on, id",
        parameters,
    ):
        campaign_id, demand, lang, code, riding, mp, party, province, channel, source = map(
            str, row[:-1]
        )
        entries.append(
            LoggedEntry(
                campaign_id,
                demand,
                lang,
                code,
                riding,
                mp,
                party,
                province,
                channel,
                source,
                logged_on=ledger.date(row[-1]),
            )
        )
    return entries


def campaigns(ledger: Ledger) -> list[str]:
    """The campaigns a ledger holds entries for."""
    return [row[0] for row in ledger.rows("SELECT DISTINCT campaign FROM entries ORDER BY 1")]


def mps_by_riding(ledger: Ledger) -> dict[str, tuple[str, str]]:
    """Riding code → (riding name, MP) as last logged, to name the MPs who replied."""
    return {
        code: (riding, mp)
        for code, riding, mp in ledger.rows(
            "SELECT riding_code, riding_name, mp_name FROM entries ORDER BY logged_on, id"
        )
    }


def campaign_for_replies(ledger: Ledger, given: str | None) -> str:
    """The campaign replies count for: ``given``, else the ledger's only campaign."""
    if given is not None:
        return given
    held = campaigns(ledger)
    if len(held) == 1:
        return held[0]
    raise LedgerInputError(
        _(
            "say which campaign the replies answer with --campaign ID (the ledger holds: {held})"
        ).format(held=", ".join(held) or "-")
    )


@dataclass(frozen=True, slots=True)
class SupporterEntry:
    """A logged letter with the supporter who sent it, for a CRM export."""

    name: str
    email: str
    riding_name: str
    mp_name: str
    demand: str
    logged_on: dt.date


def supporter_entries(ledger: Ledger, campaign: str | None = None) -> list[SupporterEntry]:
    """The entries that still hold a supporter's name or e-mail, oldest first."""
    where, parameters = _campaign_filter(campaign)
    where += " AND " if where else "WHERE "
    return [
        SupporterEntry(name or "", email or "", riding, mp, demand, ledger.date(logged_on))
        for name, email, riding, mp, demand, logged_on in ledger.rows(
            "SELECT supporter_name, supporter_email, riding_name, mp_name, demand, logged_on "
            f"FROM entries {where}(supporter_name IS NOT NULL OR supporter_email IS NOT NULL) "
            "ORDER BY logged_on, id",
            parameters,
        )
    ]


def forget(ledger: Ledger, before: dt.date) -> int:
    """Delete supporters' names and e-mails from entries logged before ``before``.

    Excerpts of replies received before then go too: an MP's "Dear Ada," names a
    supporter. The counts stay: only who wrote is forgotten. Returns how many
    entries lost a name or e-mail.
    """
    with ledger.transaction() as connection:
        changed = connection.execute(
            "UPDATE entries SET supporter_name = NULL, supporter_email = NULL "
            "WHERE logged_on < ? AND (supporter_name IS NOT NULL OR supporter_email IS NOT NULL)",
            (before.isoformat(),),
        ).rowcount
        connection.execute(
            "UPDATE replies SET excerpt = '' WHERE received_on < ? AND excerpt != ''",
            (before.isoformat(),),
        )
    ledger.scrub()
    return changed


def _campaign_filter(campaign: str | None) -> tuple[str, tuple[str, ...]]:
    return ("WHERE campaign = ?", (campaign,)) if campaign is not None else ("", ())
