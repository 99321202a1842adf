"""``mpwrite ledger …``: the supporters a ledger names, exported for a CRM or forgotten."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mpwrite.cli.commands._ledger import CampaignId, LedgerToRead
from mpwrite.cli.commands._output import note
from mpwrite.i18n import N_, _

app = typer.Typer(
    help=N_("Export or forget the supporters a campaign ledger names."), no_args_is_help=True
)


@app.command(
    "export", help=N_("A CRM-ready CSV: email, first_name, last_name, riding, mp, demand, date.")
)
def export(
    supporters: Annotated[
        Path,
        typer.Option(
            "--supporters",
            help=N_("Write the supporters (logged with --log-supporters) to this CSV."),
        ),
    ],
    force: Annotated[bool, typer.Option("--force", help=N_("Overwrite the file."))] = False,
    campaign: CampaignId = None,
    ledger: LedgerToRead = None,
) -> None:
    """A CRM-ready CSV: email, first_name, last_name, riding, mp, demand, date."""
    from mpwrite.errors import LedgerError
    from mpwrite.files import write_atomic
    from mpwrite.ledger.record import supporter_entries
    from mpwrite.ledger.report_csv import supporters_csv
    from mpwrite.ledger.store import Ledger, find_ledger

    with Ledger.open(find_ledger(ledger, campaign), create=False) as opened:
        entries = supporter_entries(opened, campaign)
    if not entries:
        raise LedgerError(
            _(
                "the ledger names no supporters; log letters with --log-supporters to keep "
                "their names and e-mails"
            )
        )
    write_atomic(supporters, supporters_csv(entries), force=force)
    note(
        _("Wrote {path}: {count} letters with their supporters.").format(
            count=len(entries), path=supporters
        )
    )


@app.command(
    "forget", help=N_("Delete supporters' names and e-mails; the letters still count in reports.")
)
def forget(
    before: Annotated[
        str,
        typer.Option(
            "--before",
            help=N_("Forget supporters of letters logged before this date (YYYY-MM-DD)."),
        ),
    ],
    campaign: CampaignId = None,
    ledger: LedgerToRead = None,
) -> None:
    """Delete supporters' names and e-mails; the letters still count in reports."""
    from mpwrite.ledger.record import forget as forget_supporters
    from mpwrite.ledger.record import parse_date
    from mpwrite.ledger.store import Ledger, find_ledger

    day = parse_date(before)
    with Ledger.open(find_ledger(ledger, campaign), create=False) as opened:
        forgotten = forget_supporters(opened, day)
    note(
        _("Names and e-mails forgotten: {count} letters logged before {date}.").format(
            count=forgotten, date=day.isoformat()
        )
    )
