"""``mpwrite replies …``: MPs' replies to a campaign, added by hand or imported from e-mail."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mpwrite.cli.commands import _prompts
from mpwrite.cli.commands._ledger import CampaignId, LedgerToRead
from mpwrite.cli.commands._output import emit_json, note
from mpwrite.i18n import N_, _

if TYPE_CHECKING:
    from mpwrite.ledger.mail import MailImport
    from mpwrite.ledger.store import Ledger

app = typer.Typer(help=N_("Record and list MPs' replies to a campaign."), no_args_is_help=True)

STANCE_HELP = "supports, opposes, noncommittal or form-reply"


@app.command("add", help=N_("Record a reply (a letter, a call, a meeting) from an MP."))
def add(
    riding: Annotated[
        str,
        typer.Option("--riding", "-r", help=N_("The riding (name or code) of the MP who replied.")),
    ],
    stance: Annotated[
        str,
        typer.Option(
            "--stance",
            help=N_("What the reply says: supports, opposes, noncommittal or form-reply."),
        ),
    ],
    date: Annotated[
        str | None,
        typer.Option("--date", help=N_("When the reply came, YYYY-MM-DD (default: today).")),
    ] = None,
    note_text: Annotated[
        str | None, typer.Option("--note", help=N_("A note about the reply."))
    ] = None,
    campaign: CampaignId = None,
    ledger: LedgerToRead = None,
) -> None:
    """Record a reply (a letter, a call, a meeting) from an MP."""
    import datetime

    from mpwrite.geo.mpdata import load_active
    from mpwrite.geo.sources import build_resolver
    from mpwrite.ledger.record import campaign_for_replies, parse_date
    from mpwrite.ledger.replies import NewReply, add_replies, parse_stance

    stance = parse_stance(stance)
    received = parse_date(date) if date is not None else datetime.date.today()
    data, _origin = load_active()
    found = build_resolver(data, online=False).by_riding(riding).best.riding
    with _open(ledger, campaign, create=campaign is not None) as opened:
        chosen = campaign_for_replies(opened, campaign)
        [reply_id] = add_replies(
            opened, [NewReply(chosen, found.code, received, stance, note=note_text or "")]
        )
    mp = found.mp.full_name if found.mp else found.name_en
    note(
        _("Recorded reply {id} from {mp} ({riding}): {stance}.").format(
            id=reply_id, mp=mp, riding=found.name_en, stance=stance
        )
    )


@app.command(
    "import", help=N_("Import MPs' replies from saved e-mails, matched to MPs by their address.")
)
def import_(
    folder: Annotated[Path, typer.Argument(help=N_("A folder of saved e-mails (.eml, mbox)."))],
    keep_excerpt: Annotated[
        bool,
        typer.Option(
            "--keep-excerpt", help=N_("Keep the first 200 characters of each reply's text.")
        ),
    ] = False,
    stance: Annotated[
        str | None,
        typer.Option(
            "--stance",
            help=N_(
                "Give every new reply this stance: supports, opposes, noncommittal or form-reply."
            ),
        ),
    ] = None,
    campaign: CampaignId = None,
    ledger: LedgerToRead = None,
) -> None:
    """Import MPs' replies from saved e-mails, matched to MPs by their address."""
    from mpwrite.geo.mpdata import load_active
    from mpwrite.ledger.mail import read_mail_folder
    from mpwrite.ledger.record import campaign_for_replies
    from mpwrite.ledger.replies import UNREAD, NewReply, add_replies, parse_stance

    given = parse_stance(stance) if stance is not None else UNREAD
    data, _origin = load_active()
    mps = {
        riding.mp.email: code
        for code, riding in data.ridings.items()
        if riding.mp is not None and riding.mp.email
    }
    found = read_mail_folder(folder, mps, keep_excerpt=keep_excerpt)
    with _open(ledger, campaign, create=campaign is not None) as opened:
        chosen = campaign_for_replies(opened, campaign)
        new = [
            NewReply(
                chosen,
                reply.riding_code,
                reply.received_on,
                given,
                subject=reply.subject,
                sender=reply.sender,
                excerpt=reply.excerpt,
                message_id=reply.message_id,
            )
            for reply in found.replies
        ]
        added = add_replies(opened, new)
        if added and stance is None and _prompts.is_interactive():
            _ask_stances(opened, added)
    _summarise(found, len(added))
    if found.unknown or found.malformed:
        raise typer.Exit(1)


@app.command(
    "list", help=N_("List the replies: id, date, riding, stance, MP and subject (or note).")
)
def list_(
    unread: Annotated[
        bool, typer.Option("--unread", help=N_("Only replies nobody has given a stance yet."))
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help=N_("Print the replies as JSON."))] = False,
    campaign: CampaignId = None,
    ledger: LedgerToRead = None,
) -> None:
    """List the replies: id, date, riding, stance, MP and subject (or note)."""
    from mpwrite.ledger.record import mps_by_riding
    from mpwrite.ledger.replies import list_replies

    with _open(ledger, campaign) as opened:
        replies = list_replies(opened, campaign, unread_only=unread)
        names = mps_by_riding(opened)
    if as_json:
        emit_json(
            [
                {
                    "id": reply.id,
                    "campaign": reply.campaign,
                    "received_on": reply.received_on.isoformat(),
                    "riding_code": reply.riding_code,
                    "mp_name": names.get(reply.riding_code, ("", ""))[1],
                    "stance": reply.stance,
                    "subject": reply.subject,
                    "sender": reply.sender,
                    "note": reply.note,
                    "excerpt": reply.excerpt,
                }
                for reply in replies
            ]
        )
        return
    for reply in replies:
        mp = names.get(reply.riding_code, ("", ""))[1] or "?"
        text = reply.subject or reply.note
        typer.echo(
            f"{reply.id:>3}  {reply.received_on}  {reply.riding_code}  {reply.stance:<12}  "
            f"{mp}: {text}".rstrip(": ")
        )


@app.command("set", help=N_("Give a reply its stance once someone has read it."))
def set_(
    reply_id: Annotated[
        int, typer.Argument(help=N_("The reply's id (see: mpwrite replies list)."))
    ],
    stance: Annotated[
        str,
        typer.Option(
            "--stance",
            help=N_("What the reply says: supports, opposes, noncommittal or form-reply."),
        ),
    ],
    note_text: Annotated[
        str | None, typer.Option("--note", help=N_("A note about the reply."))
    ] = None,
    campaign: CampaignId = None,
    ledger: LedgerToRead = None,
) -> None:
    """Give a reply its stance once someone has read it."""
    from mpwrite.ledger.replies import set_stance

    with _open(ledger, campaign) as opened:
        set_stance(opened, reply_id, stance, note_text)
    note(_("Reply {id}: {stance}.").format(id=reply_id, stance=stance))


def _open(ledger: Path | None, campaign: str | None, *, create: bool = False) -> Ledger:
    from mpwrite.ledger.store import Ledger, find_ledger

    return Ledger.open(find_ledger(ledger, campaign), create=create)


def _ask_stances(ledger: Ledger, added: list[int]) -> None:
    """On a terminal: the stance of each new reply, Enter leaving it unread."""
    from mpwrite.errors import LedgerInputError
    from mpwrite.ledger.record import mps_by_riding
    from mpwrite.ledger.replies import UNREAD, list_replies, parse_stance, set_stance

    console = _prompts.make_console()
    names = mps_by_riding(ledger)
    new = [reply for reply in list_replies(ledger) if reply.id in set(added)]
    for reply in new:
        mp = names.get(reply.riding_code, ("", reply.sender))[1] or reply.sender
        console.print(f"\n{reply.received_on}  {mp}  {reply.subject}", markup=False)
        if reply.excerpt:
            console.print(reply.excerpt, markup=False, style="dim")
        while True:
            answer = _prompts.ask_text(
                console,
                _("Stance ({stances}; Enter: unread)").format(stances=STANCE_HELP),
                required=False,
            )
            try:
                chosen = parse_stance(answer, allow_unread=True) if answer.strip() else UNREAD
            except LedgerInputError as error:
                console.print(str(error), markup=False, style="red")
                continue
            break
        if chosen != UNREAD:
            set_stance(ledger, reply.id, chosen)


def _summarise(found: MailImport, added: int) -> None:
    already = len(found.replies) - added
    note(
        _("Replies imported: {added} (already in the ledger: {already}).").format(
            added=added, already=already
        )
    )
    for name, sender in found.unknown:
        note(
            _("Not an MP's address: {sender} in {file}; record it with mpwrite replies add").format(
                sender=sender, file=name
            )
        )
    for name, reason in found.malformed:
        note(_("Not read: {file}: {reason}").format(file=name, reason=reason))
    if found.skipped:
        note(_("Left alone (not .eml or mbox): {files}").format(files=", ".join(found.skipped)))
