"""``mpwrite draft``: a campaign letter to your own MP, asked for or given as options."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mpwrite.cli.commands import _prompts, draft_kinds
from mpwrite.cli.commands._draft_letter import DraftRequest, build_letter

# Any command writing to the supporter's own MP finds the riding the way draft does.
from mpwrite.cli.commands._draft_letter import choose_riding as choose_riding
from mpwrite.cli.commands._ledger import (
    LedgerFile,
    Log,
    LogSupporters,
    log_draft,
    meeting_logger,
    refuse_log_for_a_brief,
)
from mpwrite.cli.commands._options import (
    AcceptLikely,
    CampaignFolder,
    ChosenDemand,
    Online,
    RepresentUrl,
    YourRiding,
    parse_date,
)
from mpwrite.cli.commands._output import note, note_stale_demands, warn_if_stale
from mpwrite.errors import UnreadableFileError, UsageError
from mpwrite.i18n import N_, _, use_language

if TYPE_CHECKING:
    from mpwrite.letter.compose import Letter


def draft(
    postal_code: Annotated[
        str | None,
        typer.Option("--postal-code", "-p", help=N_('Your postal code, e.g. "K1A 0A6".')),
    ] = None,
    riding: YourRiding = None,
    demand: ChosenDemand = None,
    name: Annotated[str | None, typer.Option("--name", help=N_("Your name, as you sign."))] = None,
    address: Annotated[
        str | None, typer.Option("--address", help=N_("Your street address."))
    ] = None,
    city: Annotated[str | None, typer.Option("--city", help=N_("Your city or town."))] = None,
    email: Annotated[
        str | None, typer.Option("--email", help=N_("Your e-mail address, for a reply."))
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option("--lang", "-l", help=N_("Language of the letter: en, fr, English, français…")),
    ] = None,
    note_text: Annotated[
        str | None,
        typer.Option(
            "--note", help=N_("A sentence or two of your own (blank line = new paragraph).")
        ),
    ] = None,
    note_file: Annotated[
        Path | None, typer.Option("--note-file", help=N_("Read your own paragraph(s) from a file."))
    ] = None,
    ask: Annotated[
        list[int] | None,
        typer.Option(
            "--ask",
            help=N_("Keep only this ask of the demand (repeat for more; default: all)."),
        ),
    ] = None,
    campaign_path: CampaignFolder = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help=N_("txt, md, html, eml or pdf."))
    ] = "txt",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help=N_("Write to this file, not stdout."))
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help=N_("Overwrite --output if it exists."))
    ] = False,
    mailto: Annotated[
        bool, typer.Option("--mailto", help=N_("Print a mailto: link instead of the letter."))
    ] = False,
    accept_likely: AcceptLikely = False,
    salutation: Annotated[
        str | None,
        typer.Option(
            "--salutation",
            help=N_(
                "French greeting preset: deputee (Madame la Députée), depute (Monsieur le "
                'Député) or neutre (Madame, Monsieur); or your own text, e.g. "Dear Ms. Doe,".'
            ),
        ),
    ] = None,
    to: Annotated[
        str,
        typer.Option(
            "--to",
            help=N_(
                "mp (default), or minister: the minister responsible for the demand, by role "
                "(for a vacant seat)."
            ),
        ),
    ] = "mp",
    date: Annotated[
        str | None,
        typer.Option("--date", help=N_("Date the letter YYYY-MM-DD (default: today).")),
    ] = None,
    online: Online = False,
    represent_url: RepresentUrl = None,
    paper: Annotated[
        str | None, typer.Option("--paper", help=N_("PDF paper size: letter (default) or a4."))
    ] = None,
    envelope: Annotated[
        bool, typer.Option("--envelope", help=N_("PDF: add a #10 envelope page after the letter."))
    ] = False,
    log: Log = False,
    log_supporters: LogSupporters = False,
    ledger: LedgerFile = None,
    kind: draft_kinds.Kind = "letter",
    attendees: draft_kinds.Attendees = None,
    when: draft_kinds.When = None,
    phone: draft_kinds.Phone = None,
) -> None:
    """Write a campaign letter to your MP."""
    from mpwrite.choices import parse_format, parse_language
    from mpwrite.output.formats import PageSetup, mailto_url, render

    use_language(lang)
    lang = parse_language(lang) if lang is not None else None
    use_language(lang)  # --lang FR, --lang français: messages follow it too
    fmt = parse_format(fmt)  # an unknown format fails before any question is asked
    if fmt == "pdf" and output is None and sys.stdout.isatty():
        # A PDF is binary: sent to a terminal it garbles the screen and is lost.
        raise UsageError(
            _(
                "a PDF cannot be shown in the terminal; give --output letter.pdf "
                "or send it to a file (> letter.pdf)"
            )
        )
    if fmt != "pdf" and (paper is not None or envelope):
        raise UsageError(_("--paper and --envelope need --format pdf"))
    if paper is not None:
        from mpwrite.output.pdf import check_paper

        paper = check_paper(paper)
    if note_text is not None and note_file is not None:
        raise UsageError(_("give --note or --note-file, not both"))
    if to not in ("mp", "minister"):
        raise UsageError(_("unknown --to {to!r}; use --to mp or --to minister").format(to=to))
    if to == "minister" and (mailto or fmt == "eml"):
        raise UsageError(
            _(
                "a minister written to by role has no e-mail address here; use --format txt, md, "
                "html or pdf and mail the letter (no postage needed)"
            )
        )
    request = DraftRequest(
        postal_code=postal_code,
        riding=riding,
        demand=demand,
        name=name,
        address=address,
        city=city,
        email=email,
        lang=lang,
        note=read_note_file(note_file) if note_file is not None else note_text,
        asks=tuple(ask or ()),
        accept_likely=accept_likely,
        online=online,
        represent_url=represent_url,
        to=to,
    )
    given = (kind, attendees, tuple(when or ()), phone, campaign_path, parse_date(date), salutation)
    refuse_log_for_a_brief(kind, log, log_supporters, ledger)
    log_meeting = meeting_logger(log=log, log_supporters=log_supporters, ledger=ledger)
    other_kind = draft_kinds.KindOptions(
        *given, fmt, output, force, mailto, paper, envelope, log=log_meeting
    )
    if draft_kinds.draft_other_kind(request, other_kind):
        return
    console = _prompts.make_console() if _prompts.is_interactive() else None
    letter = build_letter(
        request,
        campaign_path=campaign_path,
        date=parse_date(date),
        salutation=salutation,
        console=console,
    )
    note_stale_demands(letter.campaign, (letter.lang,))
    if mailto:
        typer.echo(mailto_url(letter))
        log_draft(letter, "mailto", log=log, log_supporters=log_supporters, ledger=ledger)
        warn_if_stale(request.mp_data_as_of)
        return
    if salutation is None and console is None and letter.lang == "fr":
        from mpwrite.letter.address import NEUTRAL_PRESET, SALUTATION_PRESETS

        if letter.salutation == SALUTATION_PRESETS[NEUTRAL_PRESET][letter.recipient]:
            note(
                f"Note : formule d’appel neutre « {letter.salutation} » ; choisissez-la avec "
                f"--salutation deputee, depute ou neutre (ou votre propre texte)."
            )
    data = render(letter, fmt, PageSetup(paper or "letter", envelope))
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        from mpwrite.files import write_atomic

        write_atomic(output, data, force=force)
        note(_("Wrote {path}.").format(path=output))
    log_draft(letter, fmt, log=log, log_supporters=log_supporters, ledger=ledger)
    # Once the letter is out, beside how to send it: never above the questions
    # (lost) nor before an error (noise).
    warn_if_stale(request.mp_data_as_of)
    note(sending_hint(letter))
    if request.note is None and console is None:
        note(
            _(
                "Tip: add a sentence of your own with --note; MPs' offices give less weight to "
                "letters that all read the same."
            )
        )


def read_note_file(path: Path) -> str:
    """The text of --note-file, or a clean error."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or _("not UTF-8 text")
        raise UnreadableFileError(
            _("cannot read --note-file {path}: {reason}; give a UTF-8 text file").format(
                path=path, reason=reason
            )
        ) from None


def sending_hint(letter: Letter) -> str:
    """Where to send the letter: e-mail, or post with no stamp."""
    from mpwrite.geo.parliament import NO_POSTAGE_NOTE, house_address_line

    if not letter.to_email:
        if letter.lang == "fr":
            return (
                f"Pour l’envoyer\u00a0: imprimez-la, signez-la et postez-la à "
                f"{letter.recipient_name}, {house_address_line('fr')}. {NO_POSTAGE_NOTE['fr']}"
            )
        return (
            f"To send it: print, sign and mail it to {letter.recipient_name}, "
            f"{house_address_line('en')}. {NO_POSTAGE_NOTE['en']}"
        )
    if letter.lang == "fr":
        return (
            f"Pour l’envoyer\u00a0: par courriel à {letter.to_email}, ou imprimez-la, signez-la et "
            f"postez-la à {letter.recipient_name}, {house_address_line('fr')}. "
            f"{NO_POSTAGE_NOTE['fr']}"
        )
    return (
        f"To send it: e-mail {letter.to_email}, or print, sign and mail it to "
        f"{letter.recipient_name}, {house_address_line('en')}. {NO_POSTAGE_NOTE['en']}"
    )
