"""The ledger options draft, bulk and event share, and their logging of letters."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mpwrite.cli.commands._output import note
from mpwrite.i18n import N_, _

if TYPE_CHECKING:
    from collections.abc import Callable

    from mpwrite.campaign.folder import Campaign, Demand
    from mpwrite.event.screen import EventScreen
    from mpwrite.geo.ridings import Riding
    from mpwrite.letter.compose import Letter

Log = Annotated[
    bool,
    typer.Option("--log", help=N_("Log the letters in the campaign ledger (see: mpwrite report).")),
]
LogSupporters = Annotated[
    bool,
    typer.Option(
        "--log-supporters",
        help=N_("Log supporters' names and e-mails too, for follow-up (implies --log)."),
    ),
]
LedgerFile = Annotated[
    Path | None,
    typer.Option(
        "--ledger",
        help=N_(
            "Log in this ledger file (default: the campaign's, in mpwrite's data home); "
            "implies --log."
        ),
    ),
]
#: For the commands that read a ledger: report, replies, ledger.
LedgerToRead = Annotated[
    Path | None,
    typer.Option(
        "--ledger",
        help=N_("The ledger file (default: the campaign's, in mpwrite's data home)."),
    ),
]
CampaignId = Annotated[
    str | None,
    typer.Option("--campaign", help=N_("The campaign id (default: the only campaign logged).")),
]


def wants_log(log: bool, log_supporters: bool, ledger: Path | None) -> bool:
    """Whether the letters are to be logged: --log, --log-supporters or --ledger."""
    return log or log_supporters or ledger is not None


def log_draft(
    letter: Letter,
    fmt: str,
    *,
    log: bool,
    log_supporters: bool,
    ledger: Path | None,
    kind: str = "letter",
) -> None:
    """Log a drafted letter or meeting request, when asked to; drafted again, it counts once."""
    if not wants_log(log, log_supporters, ledger):
        return
    from mpwrite.folding import normalise_name
    from mpwrite.ledger.letters import channel_of, log_letter
    from mpwrite.ledger.record import DRAFT_SOURCE

    identity = (
        DRAFT_SOURCE,
        kind,
        normalise_name(letter.supporter.name),
        letter.supporter.postal_code,
        letter.date.isoformat(),
    )
    path = log_letter(
        letter,
        ledger=ledger,
        channel="meeting" if kind == "meeting" else channel_of(fmt),
        source=DRAFT_SOURCE,
        identity=identity,
        keep_supporter=log_supporters,
    )
    note(_("Logged in the ledger {path}.").format(path=path))


def meeting_logger(
    *, log: bool, log_supporters: bool, ledger: Path | None
) -> Callable[[Letter, str], None] | None:
    """For ``draft --kind meeting``: logs the request drafted in ``fmt``, when asked to."""
    if not wants_log(log, log_supporters, ledger):
        return None

    def log_meeting(letter: Letter, fmt: str) -> None:
        log_draft(
            letter, fmt, log=True, log_supporters=log_supporters, ledger=ledger, kind="meeting"
        )

    return log_meeting


def refuse_log_for_a_brief(kind: str, log: bool, log_supporters: bool, ledger: Path | None) -> None:
    """A brief goes to no MP: there is nothing to log."""
    if wants_log(log, log_supporters, ledger) and kind.strip().lower() == "brief":
        from mpwrite.errors import UsageError

        raise UsageError(
            _("--kind brief goes to no MP, so there is nothing to log; leave out --log")
        )


def event_logger(
    campaign: Campaign,
    screen: EventScreen,
    *,
    log_supporters: bool,
    ledger: Path | None,
) -> tuple[
    Callable[[Letter, tuple[str, ...]], None], Callable[[Demand, str, Riding], None], Path
]:
    """The event session's hooks logging each letter that left and each call made,
    and the ledger's path.

    The ledger is opened now, so a damaged one stops the session before anyone
    is served; a ledger failing later is shown and the session goes on.
    """
    from mpwrite.errors import MpwriteError
    from mpwrite.ledger.letters import (
        call_entry,
        channel_of,
        ledger_file,
        letter_entry,
        new_session_id,
    )
    from mpwrite.ledger.record import log_entries
    from mpwrite.ledger.store import Ledger

    path = ledger_file(ledger, campaign.id)
    Ledger.open(path).close()
    session = new_session_id("event")
    served = 0

    def log(letter: Letter, ways: tuple[str, ...]) -> None:
        nonlocal served
        served += 1
        printed = {"print", "save"} & set(ways)
        entry = letter_entry(
            letter,
            channel=channel_of("pdf" if printed else "mailto"),
            source=session,
            identity=(session, str(served)),
            keep_supporter=log_supporters,
        )
        try:
            with Ledger.open(path) as opened:
                log_entries(opened, [entry], keep_supporters=log_supporters)
        except MpwriteError as error:
            screen.say(str(error), "error")

    def log_call(demand: Demand, lang: str, riding: Riding) -> None:
        nonlocal served
        served += 1
        entry = call_entry(
            campaign=campaign.id,
            demand=demand.id,
            language=lang,
            riding=riding,
            source=session,
            identity=(session, str(served)),
        )
        try:
            with Ledger.open(path) as opened:
                log_entries(opened, [entry])
        except MpwriteError as error:
            screen.say(str(error), "error")

    return log, log_call, path
