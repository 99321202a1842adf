"""``mpwrite report``: what a campaign's ledger holds, as text, JSON, HTML or CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from mpwrite.cli.commands._ledger import CampaignId, LedgerToRead
from mpwrite.cli.commands._output import emit_json, note
from mpwrite.errors import UsageError
from mpwrite.i18n import N_, _


def report(
    campaign: CampaignId = None,
    ledger: LedgerToRead = None,
    as_json: Annotated[
        bool, typer.Option("--json", help=N_("Print the report as JSON on stdout."))
    ] = False,
    html: Annotated[
        Path | None,
        typer.Option(
            "--html", help=N_("Write the report as one HTML page (prints on Letter paper).")
        ),
    ] = None,
    csv: Annotated[
        Path | None,
        typer.Option("--csv", help=N_("Write one row per MP as CSV, for spreadsheets.")),
    ] = None,
    overdue: Annotated[
        int, typer.Option("--overdue", help=N_("Days without a reply that make an MP overdue."))
    ] = 21,
    overdue_letters: Annotated[
        int,
        typer.Option("--overdue-letters", help=N_("Letters an MP must have had to be overdue.")),
    ] = 5,
    force: Annotated[
        bool, typer.Option("--force", help=N_("Overwrite the --html or --csv file."))
    ] = False,
) -> None:
    """Letters, calls and meetings per MP, province and party; replies; overdue MPs."""
    from mpwrite.files import write_atomic
    from mpwrite.ledger.record import campaigns
    from mpwrite.ledger.report import report_from_ledger
    from mpwrite.ledger.store import Ledger, find_ledger

    if overdue < 0 or overdue_letters < 0:
        raise UsageError(_("--overdue and --overdue-letters take a number of 0 or more"))
    with Ledger.open(find_ledger(ledger, campaign), create=False) as opened:
        held = campaigns(opened)
        # A ledger of one campaign is reported as that campaign's.
        chosen = campaign if campaign is not None or len(held) != 1 else held[0]
        document = report_from_ledger(
            opened, chosen, overdue_days=overdue, overdue_letters=overdue_letters
        )
    if html is not None:
        from mpwrite.ledger.report_html import render_html

        write_atomic(html, render_html(document).encode("utf-8"), force=force)
        note(_("Wrote {path}.").format(path=html))
    if csv is not None:
        from mpwrite.ledger.report_csv import mps_csv

        write_atomic(csv, mps_csv(document), force=force)
        note(_("Wrote {path}.").format(path=csv))
    if as_json:
        emit_json(document)
    elif html is None and csv is None:
        typer.echo(text_report(document), nl=False)


def text_report(document: dict[str, Any]) -> str:
    """The report for a terminal: totals, replies, the MPs, the overdue."""
    from mpwrite.ledger.report import percent

    totals = document["totals"]
    rate = totals["response_rate"]
    lines = [
        _(
            "Letters {letters} (e-mail {emails}, print {printed}), calls {calls}, "
            "meeting requests {meetings}, MPs written to {mps}"
        ).format(
            letters=totals["letters"],
            emails=totals["emails"],
            printed=totals["printed"],
            calls=totals["calls"],
            meetings=totals["meetings"],
            mps=totals["mps_written_to"],
        ),
        _("Replies {replies}, MPs who replied {mps}, response rate {rate}").format(
            replies=totals["replies"],
            mps=totals["mps_replied"],
            rate=percent(rate),
        ),
        "",
    ]
    for mp in document["mps"]:
        lines.append(
            f"{mp['riding_code']}  {mp['mp_name'] or '?'} ({mp['party'] or '?'}): "
            + _("letters {letters}, replies {replies}, last stance {stance}").format(
                letters=mp["letters"], replies=mp["replies"], stance=mp["last_stance"] or "—"
            )
        )
    overdue = document["overdue"]
    if overdue["mps"]:
        lines += [
            "",
            _("No reply after {days} days ({letters} letters or more):").format(
                days=overdue["days"], letters=overdue["min_letters"]
            ),
        ]
        lines += [
            f"  {mp['riding_code']}  {mp['mp_name']}: "
            + _("{letters} letters, waiting {days} days").format(
                letters=mp["letters"], days=mp["days_waiting"]
            )
            for mp in overdue["mps"]
        ]
    return "\n".join(lines) + "\n"
