"""``mpwrite draft``: a campaign letter to your own MP, asked for or given as options."""

from __future__ import annotations

import datetime
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mpwrite.cli.commands import _prompts, draft_kinds
from mpwrite.cli.commands._options import Online, RepresentUrl, parse_date
from mpwrite.cli.commands._output import note, note_stale_demands, warn_if_stale
from mpwrite.errors import UnconfirmedRidingError, UnreadableFileError, UsageError
from mpwrite.i18n import _, language, use_language

if TYPE_CHECKING:
    from rich.console import Console

    from mpwrite.campaign.folder import Campaign, Demand
    from mpwrite.geo.lookup import Resolver
    from mpwrite.geo.ridings import Riding
    from mpwrite.letter.compose import Letter, Supporter


def _resolver(request: DraftRequest) -> Resolver:
    """The one place draft builds its resolver: active data, store, online if asked."""
    from mpwrite.geo.mpdata import load_active
    from mpwrite.geo.provenance import mp_data_as_of
    from mpwrite.geo.sources import build_resolver

    data, _origin = load_active()
    request.mp_data_as_of = mp_data_as_of(data)
    return build_resolver(
        data,
        online=request.online or request.represent_url is not None,
        represent_url=request.represent_url,
    )


@dataclass
class DraftRequest:
    """What the supporter gave on the command line; None means "not given"."""

    postal_code: str | None = None
    riding: str | None = None
    demand: str | None = None
    name: str | None = None
    address: str | None = None
    city: str | None = None
    email: str | None = None
    lang: str | None = None
    note: str | None = None
    #: The demand's asks to keep, by number; empty keeps them all (or asks, interactively).
    asks: tuple[int, ...] = ()
    accept_likely: bool = False
    online: bool = False
    represent_url: str | None = None
    to: str = "mp"
    #: Filled in when the data is loaded, for the stale-data warning.
    mp_data_as_of: str | None = None


def draft(
    postal_code: Annotated[
        str | None, typer.Option("--postal-code", "-p", help='Your postal code, e.g. "K1A 0A6".')
    ] = None,
    riding: Annotated[
        str | None, typer.Option("--riding", "-r", help="Your riding's name or 5-digit code.")
    ] = None,
    demand: Annotated[
        str | None,
        typer.Option("--demand", "-d", help="Demand number or id (see: mpwrite demands)."),
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="Your name, as you sign.")] = None,
    address: Annotated[str | None, typer.Option("--address", help="Your street address.")] = None,
    city: Annotated[str | None, typer.Option("--city", help="Your city or town.")] = None,
    email: Annotated[
        str | None, typer.Option("--email", help="Your e-mail address, for a reply.")
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option("--lang", "-l", help="Language of the letter: en, fr, English, français…"),
    ] = None,
    note_text: Annotated[
        str | None,
        typer.Option("--note", help="A sentence or two of your own (blank line = new paragraph)."),
    ] = None,
    note_file: Annotated[
        Path | None, typer.Option("--note-file", help="Read your own paragraph(s) from a file.")
    ] = None,
    ask: Annotated[
        list[int] | None,
        typer.Option(
            "--ask",
            help="Keep only this ask of the demand (repeat for more; default: all).",
        ),
    ] = None,
    campaign_path: Annotated[
        Path | None,
        typer.Option("--campaign", help="A campaign folder (default: the bundled campaign)."),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="txt, md, html, eml or pdf.")] = "txt",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file, not stdout.")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite --output if it exists.")
    ] = False,
    mailto: Annotated[
        bool, typer.Option("--mailto", help="Print a mailto: link instead of the letter.")
    ] = False,
    accept_likely: Annotated[
        bool,
        typer.Option(
            "--accept-likely", help="Use the likely riding of a postal code without confirming."
        ),
    ] = False,
    salutation: Annotated[
        str | None,
        typer.Option(
            "--salutation",
            help="French greeting preset: deputee (Madame la Députée), depute (Monsieur le "
            'Député) or neutre (Madame, Monsieur); or your own text, e.g. "Dear Ms. Doe,".',
        ),
    ] = None,
    to: Annotated[
        str,
        typer.Option(
            "--to",
            help="mp (default), or minister: the minister responsible for the demand, by role "
            "(for a vacant seat).",
        ),
    ] = "mp",
    date: Annotated[
        str | None,
        typer.Option("--date", help="Date the letter YYYY-MM-DD (default: today)."),
    ] = None,
    online: Online = False,
    represent_url: RepresentUrl = None,
    paper: Annotated[
        str | None, typer.Option("--paper", help="PDF paper size: letter (default) or a4.")
    ] = None,
    envelope: Annotated[
        bool, typer.Option("--envelope", help="PDF: add a #10 envelope page after the letter.")
    ] = False,
    kind: draft_kinds.Kind = "letter",
    attendees: draft_kinds.Attendees = None,
    when: draft_kinds.When = None,
    phone: draft_kinds.Phone = None,
) -> None:
    """Write a campaign letter to your MP (--kind: a meeting request, or a brief)."""
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
    other_kind = draft_kinds.KindOptions(*given, fmt, output, force, mailto, paper, envelope)
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


def build_letter(
    request: DraftRequest,
    *,
    campaign_path: Path | None,
    date: datetime.date | None,
    salutation: str | None,
    console: Console | None,
) -> Letter:
    """The letter for a request, asking on ``console`` for what is missing (if given)."""
    from mpwrite.campaign.folder import load_campaign
    from mpwrite.letter.compose import compose_letter, mp_of, vacant_seat_message

    campaign = load_campaign(campaign_path)
    resolver = _resolver(request)
    if request.lang is not None and request.lang not in ("en", "fr"):
        raise UsageError(
            _("unknown language {lang!r}; use --lang en or --lang fr").format(lang=request.lang)
        )
    riding = choose_riding(request, resolver, console)
    if request.to == "mp" and riding.mp is None:
        # A vacant seat stops here, before any more questions, unless the
        # supporter takes the minister instead.
        if console is None or not _prompts.offer_minister(
            console,
            "\n".join(
                vacant_seat_message(riding, lang, option="")
                for lang in ((request.lang,) if request.lang else ("en", "fr"))
            ),
        ):
            mp_of(riding, request.lang or language())
        request.to = "minister"
    supporter = gather_supporter(request, console)
    # The language first, so the demand table is shown in it.
    lang = request.lang or (_prompts.choose_language(console) if console else "en")
    chosen = choose_demand(request, campaign, console, lang)
    ask_numbers = request.asks
    if not ask_numbers and console is not None:
        ask_numbers = _prompts.choose_asks(console, chosen, lang)
    note_text = request.note
    if note_text is None and console is not None:
        note_text = _prompts.ask_own_words(console, lang)
    if (
        salutation is None
        and console is not None
        and lang == "fr"
        and not has_role(riding, request)
    ):
        salutation = _prompts.choose_salutation(console, request.to)
    return compose_letter(
        campaign=campaign,
        demand=chosen,
        lang=lang,
        riding=riding,
        supporter=supporter,
        note=note_text or "",
        date=date,
        salutation=salutation,
        to=request.to,
        ask_numbers=ask_numbers,
    )


def has_role(riding: Riding, request: DraftRequest) -> bool:
    """Whether the MP has a curated greeting of office (the Prime Minister's, say)."""
    from mpwrite.letter.address import role_of

    return request.to == "mp" and riding.mp is not None and role_of(riding.mp, riding) is not None


def choose_riding(request: DraftRequest, resolver: Resolver, console: Console | None) -> Riding:
    """The supporter's riding from --riding, --postal-code, or questions."""
    if request.riding:
        riding = (
            _prompts.by_riding_or_pick(console, resolver, request.riding)
            if console is not None
            else resolver.by_riding(request.riding)
        ).best.riding
        if request.postal_code:
            from mpwrite.cli.commands.lookup import postal_code_disagreement

            warning = postal_code_disagreement(resolver, request.postal_code, riding)
            if warning:
                note(warning)
        return riding
    if request.postal_code:
        result = resolver.by_postal_code(request.postal_code)
        if console is not None:
            return _prompts.confirm_match(console, resolver, result)
        for warning in result.warnings:
            note(_("Warning: {warning}").format(warning=warning))
        if result.exact:
            return result.best.riding
        fsa = result.postal_code.fsa if result.postal_code else request.postal_code
        if len(result.matches) == 1:
            riding = result.best.riding
            if request.accept_likely:
                note(
                    _("Note: using the likely riding {riding} for {fsa} (--accept-likely).").format(
                        riding=riding.name_en, fsa=fsa
                    )
                )
                return riding
            raise UnconfirmedRidingError(
                _(
                    "postal codes starting {fsa} only give a likely riding ({riding}); "
                    'confirm with --riding "{riding}" or pass --accept-likely'
                ).format(fsa=fsa, riding=riding.name_en)
            )
        names = "; ".join(match.riding.name_en for match in result.matches)
        raise UnconfirmedRidingError(
            _(
                "the postal code {fsa} may be in several ridings ({names}); "
                "choose yours with --riding"
            ).format(fsa=fsa, names=names)
        )
    if console is None:
        raise UsageError(
            _("--postal-code or --riding is required when not running interactively")
        )
    result = _prompts.ask_postal_code_or_riding(console, resolver)
    if result.postal_code is not None:
        # Typed once, used twice: for the riding and in the sender's address.
        request.postal_code = result.postal_code.code
    return _prompts.confirm_match(console, resolver, result)


def gather_supporter(request: DraftRequest, console: Console | None) -> Supporter:
    """The supporter from the options, asking for the rest when interactive."""
    from mpwrite.geo.postal import parse_postal_code
    from mpwrite.letter.compose import Supporter
    from mpwrite.letter.supporter_text import validate_email

    postal_code = parse_postal_code(request.postal_code).code if request.postal_code else ""
    known = Supporter(
        name=request.name or "",
        address=request.address or "",
        city=request.city or "",
        postal_code=postal_code,
        # Checked before any question, so a typo fails at once.
        email=validate_email(request.email or ""),
    )
    if console is not None:
        return _prompts.ask_supporter(console, known)
    if not known.name.strip():
        raise UsageError(_("--name is required when not running interactively"))
    return known


def choose_demand(
    request: DraftRequest, campaign: Campaign, console: Console | None, lang: str = "en"
) -> Demand:
    """The demand from --demand, a question (in ``lang``), or the campaign's default."""
    if request.demand:
        return campaign.demand(request.demand)
    if console is not None:
        return _prompts.choose_demand(console, campaign, lang)
    return campaign.demand(campaign.default_demand)


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
