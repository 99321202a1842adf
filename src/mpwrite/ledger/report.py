"""The campaign report: letters, calls and meetings per MP, province and party; replies.

:func:`build_report` gives a plain dict whose shape is the documented ``--json``
interface (``REPORT_FORMAT`` changes only when a key is removed or changes
meaning; new keys may be added). The HTML and CSV reports are drawn from it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from mpwrite.i18n import _
from mpwrite.ledger.record import LETTER_CHANNELS, LoggedEntry, load_entries
from mpwrite.ledger.replies import STANCES, UNREAD, Reply, list_replies
from mpwrite.ledger.store import Ledger

#: Version of the report's JSON shape.
REPORT_FORMAT = 1
#: Days after the first letter without any reply that make an MP overdue.
DEFAULT_OVERDUE_DAYS = 21
#: Letters an MP must have had to be listed as overdue.
DEFAULT_OVERDUE_LETTERS = 5
ALL_STANCES = (*STANCES, UNREAD)


def percent(rate: float | None) -> str:
    """A response rate as people write it: "50%" in English, "50 %" in French."""
    if rate is None:
        return "—"
    return _("{percent}%").format(percent=round(rate * 100))


def report_from_ledger(
    ledger: Ledger,
    campaign: str | None = None,
    *,
    today: dt.date | None = None,
    overdue_days: int = DEFAULT_OVERDUE_DAYS,
    overdue_letters: int = DEFAULT_OVERDUE_LETTERS,
) -> dict[str, Any]:
    """The report on what a ledger holds (for one campaign, or every one)."""
    return build_report(
        load_entries(ledger, campaign),
        list_replies(ledger, campaign),
        campaign=campaign,
        today=today,
        overdue_days=overdue_days,
        overdue_letters=overdue_letters,
    )


def build_report(
    entries: Sequence[LoggedEntry],
    replies: Sequence[Reply],
    *,
    campaign: str | None = None,
    today: dt.date | None = None,
    overdue_days: int = DEFAULT_OVERDUE_DAYS,
    overdue_letters: int = DEFAULT_OVERDUE_LETTERS,
) -> dict[str, Any]:
    """The report as a dict ready for ``json.dumps`` (documented in docs/after-the-campaign.md)."""
    today = today or dt.date.today()
    mps = _mps(entries, replies)
    written_to = [mp for mp in mps if mp["letters"]]
    replied = [mp for mp in written_to if mp["replies"]]
    return {
        "format": REPORT_FORMAT,
        "campaign": campaign,
        "generated_on": today.isoformat(),
        "totals": {
            **_channel_counts(entries),
            "entries": len(entries),
            "mps_written_to": len(written_to),
            "replies": len(replies),
            "mps_replied": len(replied),
            "response_rate": round(len(replied) / len(written_to), 3) if written_to else None,
        },
        "stances": _stance_counts(replies),
        "mps": mps,
        "provinces": _groups(entries, replies, mps, "province"),
        "parties": _groups(entries, replies, mps, "party"),
        "weeks": _weeks(entries),
        "overdue": {
            "days": overdue_days,
            "min_letters": overdue_letters,
            "mps": _overdue(mps, today, overdue_days, overdue_letters),
        },
    }


def _channel_counts(entries: Iterable[LoggedEntry]) -> dict[str, int]:
    by_channel = Counter(entry.channel for entry in entries)
    return {
        "letters": sum(by_channel[channel] for channel in LETTER_CHANNELS),
        "emails": by_channel["email"],
        "printed": by_channel["print"],
        "calls": by_channel["call"],
        "meetings": by_channel["meeting"],
    }


def _stance_counts(replies: Iterable[Reply]) -> dict[str, int]:
    counts = Counter(reply.stance for reply in replies)
    return {stance: counts[stance] for stance in ALL_STANCES}


def _mps(entries: Sequence[LoggedEntry], replies: Sequence[Reply]) -> list[dict[str, Any]]:
    """One dict per riding written to or replying, most letters first."""
    by_riding: dict[str, list[LoggedEntry]] = defaultdict(list)
    for entry in entries:
        by_riding[entry.riding_code].append(entry)
    replies_by_riding: dict[str, list[Reply]] = defaultdict(list)
    for reply in replies:
        replies_by_riding[reply.riding_code].append(reply)
    rows: list[dict[str, Any]] = []
    for riding in sorted(set(by_riding) | set(replies_by_riding)):
        logged = by_riding.get(riding, [])
        answers = replies_by_riding.get(riding, [])
        latest = logged[-1] if logged else None  # the MP now in the seat is the latest logged
        read = [reply for reply in answers if reply.stance != UNREAD]
        dates = [entry.logged_on for entry in logged if entry.channel in LETTER_CHANNELS]
        rows.append(
            {
                "riding_code": riding,
                "riding_name": latest.riding_name if latest else "",
                "mp_name": latest.mp_name if latest else "",
                "party": latest.mp_party if latest else "",
                "province": latest.province if latest else "",
                **_channel_counts(logged),
                "replies": len(answers),
                "stances": {
                    stance: count for stance, count in _stance_counts(answers).items() if count
                },
                "last_stance": read[-1].stance if read else (UNREAD if answers else None),
                "last_reply_on": answers[-1].received_on.isoformat() if answers else None,
                "first_letter_on": min(dates).isoformat() if dates else None,
                "last_letter_on": max(dates).isoformat() if dates else None,
            }
        )
    rows.sort(key=lambda row: (-int(row["letters"]), str(row["riding_code"])))
    return rows


def _groups(
    entries: Sequence[LoggedEntry],
    replies: Sequence[Reply],
    mps: Sequence[dict[str, Any]],
    key: str,
) -> list[dict[str, Any]]:
    """Counts per province or per party, most letters first."""
    group_of = {mp["riding_code"]: mp[key] for mp in mps}
    logged: dict[str, list[LoggedEntry]] = defaultdict(list)
    for entry in entries:
        logged[group_of[entry.riding_code]].append(entry)
    answers = Counter(group_of.get(reply.riding_code, "") for reply in replies)
    ridings: dict[str, set[str]] = defaultdict(set)
    for mp in mps:
        if mp["letters"]:
            ridings[mp[key]].add(mp["riding_code"])
    rows = [
        {
            key: name,
            **_channel_counts(logged.get(name, [])),
            "mps_written_to": len(ridings.get(name, ())),
            "replies": answers.get(name, 0),
        }
        for name in sorted(set(logged) | set(answers))
    ]
    rows.sort(key=lambda row: (-int(row["letters"]), str(row[key])))
    return rows


def _weeks(entries: Sequence[LoggedEntry]) -> list[dict[str, Any]]:
    """Counts per ISO week (Monday first), every week from the first to the last."""
    if not entries:
        return []
    by_week: dict[dt.date, list[LoggedEntry]] = defaultdict(list)
    for entry in entries:
        by_week[_monday(entry.logged_on)].append(entry)
    weeks = []
    monday, last = min(by_week), max(by_week)
    while monday <= last:
        year, week, _day = monday.isocalendar()
        weeks.append(
            {
                "week": f"{year}-W{week:02d}",
                "starts_on": monday.isoformat(),
                **_channel_counts(by_week.get(monday, [])),
            }
        )
        monday += dt.timedelta(weeks=1)
    return weeks


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _overdue(
    mps: Sequence[dict[str, Any]], today: dt.date, days: int, min_letters: int
) -> list[dict[str, Any]]:
    """MPs with at least ``min_letters`` letters, none answered, the first ``days`` or more ago."""
    overdue = []
    for mp in mps:
        if mp["replies"] or mp["letters"] < min_letters or mp["first_letter_on"] is None:
            continue
        waiting = (today - dt.date.fromisoformat(mp["first_letter_on"])).days
        if waiting >= days:
            overdue.append(
                {
                    "riding_code": mp["riding_code"],
                    "riding_name": mp["riding_name"],
                    "mp_name": mp["mp_name"],
                    "party": mp["party"],
                    "letters": mp["letters"],
                    "first_letter_on": mp["first_letter_on"],
                    "days_waiting": waiting,
                }
            )
    overdue.sort(key=lambda row: (-row["letters"], -row["days_waiting"], row["riding_code"]))
    return overdue
