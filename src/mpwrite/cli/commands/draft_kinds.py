"""``mpwrite draft --kind meeting|brief``: a meeting request, or the brief to leave behind.

``--kind letter`` (the default) is the campaign letter of :mod:`draft`; this
module handles the other kinds, reusing draft's riding, supporter and demand
choices so they behave the same.
"""

from __future__ import annotations

import datetime
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mpwrite.cli.commands import _prompts
from mpwrite.cli.commands._output import note, note_stale_demands, warn_if_stale
from mpwrite.errors import UsageError
from mpwrite.i18n import N_, _

if TYPE_CHECKING:
    from collections.abc import Callable

    from rich.console import Console

    from mpwrite.cli.commands._draft_letter import DraftRequest
    from mpwrite.geo.offices import Office
    from mpwrite.letter.compose import Letter
    from mpwrite.letter.meeting import Meeting

KINDS = ("letter", "meeting", "brief")

# draft's options for the other kinds.
Kind = Annotated[
    str,
    typer.Option(
        "--kind",
        help=N_(
            "letter (default); meeting: ask your MP for a meeting; brief: the demand's "
            "one-page brief to leave behind (--format pdf)."
        ),
    ),
]
Attendees = Annotated[
    str | None,
    typer.Option("--attendees", help=N_('Meeting: who would attend, e.g. "Alex Martin, Sam Lee".')),
]
When = Annotated[
    list[str] | None,
    typer.Option("--when", help=N_("Meeting: a proposed time (give two or three).")),
]
Phone = Annotated[
    str | None, typer.Option("--phone", help=N_("Meeting: your phone number, for scheduling."))
]


@dataclass(frozen=True)
class KindOptions:
    """draft's options that the other kinds read, as given (None: not given)."""

    kind: str = "letter"
    attendees: str | None = None
    when: tuple[str, ...] = ()
    phone: str | None = None
    campaign_path: Path | None = None
    date: datetime.date | None = None
    salutation: str | None = None
    fmt: str = "txt"
    output: Path | None = None
    force: bool = False
    mailto: bool = False
    paper: str | None = None
    envelope: bool = False
    #: With --log: logs the meeting request once it is out (given the letter and format).
    log: Callable[[Letter, str], None] | None = None


def parse_kind(text: str) -> str:
    """letter, meeting or brief, in any case; else a usage error naming the choices."""
    kind = text.strip().lower()
    if kind not in KINDS:
        raise UsageError(
            _("unknown --kind {kind!r}; use one of {choices}").format(
                kind=text, choices=", ".join(KINDS)
            )
        )
    return kind


def draft_other_kind(request: DraftRequest, options: KindOptions) -> bool:
    """Draft a meeting request or a brief; False for a letter, which draft itself writes."""
    kind = parse_kind(options.kind)
    if kind == "letter":
        given = _meeting_options_given(options)
        if given:
            raise UsageError(
                _(
                    "{options}: only for --kind meeting; add --kind meeting or leave them out"
                ).format(options=", ".join(given))
            )
        return False
    if kind == "meeting":
        draft_meeting(request, options)
    else:
        draft_brief(request, options)
    return True


def _meeting_options_given(options: KindOptions) -> list[str]:
    given = {
        "--attendees": options.attendees is not None,
        "--when": bool(options.when),
        "--phone": options.phone is not None,
    }
    return [name for name, present in given.items() if present]


# --- meeting ------------------------------------------------------------------


def draft_meeting(request: DraftRequest, options: KindOptions) -> None:
    """Write the meeting request, asking on a terminal for what is missing."""
    from mpwrite.letter.meeting import check_phone, check_times, parse_attendees

    if request.to != "mp":
        raise UsageError(
            _("--kind meeting asks your own MP for a meeting; leave out --to {to}").format(
                to=request.to
            )
        )
    # Everything given is checked before any lookup or question.
    attendees = parse_attendees(options.attendees) if options.attendees is not None else None
    times = check_times(options.when) if options.when else None
    phone = check_phone(options.phone) if options.phone is not None else None
    console = _prompts.make_console() if _prompts.is_interactive() else None
    if console is None:
        for option, value in (("--attendees", attendees), ("--when", times)):
            if value is None:
                raise UsageError(
                    _("{option} is required when not running interactively").format(option=option)
                )
        if not request.email and not phone:
            raise UsageError(
                _("a meeting request needs a way to reach you: give --email or --phone (or both)")
            )
    letter, office = build_meeting(request, options, console, attendees, times, phone)
    note_stale_demands(letter.campaign, (letter.lang,))
    if options.envelope and office is not None:
        raise UsageError(
            _(
                "--envelope prints the House of Commons address; this request goes to the "
                "constituency office: address its envelope by hand (it needs a stamp)"
            )
        )
    if office is None:
        note(
            _(
                "Note: no constituency office on file for {mp}; the request goes to the Hill "
                "office and by e-mail (run mpwrite data update to get offices)."
            ).format(mp=letter.mp.full_name)
        )
    if options.mailto:
        from mpwrite.output.formats import mailto_url

        typer.echo(mailto_url(letter))
        if options.log is not None:
            options.log(letter, "mailto")
        warn_if_stale(request.mp_data_as_of)
        return
    from mpwrite.output.formats import PageSetup, render

    write_out(
        render(letter, options.fmt, PageSetup(options.paper or "letter", options.envelope)), options
    )
    if options.log is not None:
        options.log(letter, options.fmt)
    warn_if_stale(request.mp_data_as_of)
    note(meeting_sending_hint(letter, office))


def build_meeting(
    request: DraftRequest,
    options: KindOptions,
    console: Console | None,
    attendees: tuple[str, ...] | None,
    times: tuple[str, ...] | None,
    phone: str | None,
) -> tuple[Letter, Office | None]:
    """The meeting request, and the constituency office it goes to (None: the Hill office)."""
    from mpwrite.campaign.folder import load_campaign
    from mpwrite.cli.commands import _draft_letter as letters
    from mpwrite.i18n import language
    from mpwrite.letter.meeting import Meeting, compose_meeting, constituency_office, mp_to_meet

    campaign = load_campaign(options.campaign_path)
    resolver = letters.resolver_for(request)
    riding = letters.choose_riding(request, resolver, console)
    # A vacant seat stops here, before any more questions.
    mp = mp_to_meet(riding, request.lang or language())
    supporter = letters.gather_supporter(request, console)
    lang = request.lang or (_prompts.choose_language(console) if console else "en")
    demand = letters.choose_demand(request, campaign, console, lang)
    salutation = options.salutation
    if console is not None:
        meeting = ask_meeting(console, attendees, times, phone, needs_phone=not supporter.email)
        if salutation is None and lang == "fr" and not letters.has_role(riding, request):
            salutation = _prompts.choose_salutation(console, "mp")
    else:
        assert attendees is not None and times is not None
        meeting = Meeting(attendees, times, phone or "")
    letter = compose_meeting(
        campaign=campaign,
        demand=demand,
        lang=lang,
        riding=riding,
        supporter=supporter,
        meeting=meeting,
        note=request.note or "",
        date=options.date,
        salutation=salutation,
        ask_numbers=request.asks,
    )
    return letter, constituency_office(mp)


def ask_meeting(
    console: Console,
    attendees: tuple[str, ...] | None,
    times: tuple[str, ...] | None,
    phone: str | None,
    *,
    needs_phone: bool,
) -> Meeting:
    """Who would attend, when, and a phone number: whatever the options left out."""
    from mpwrite.letter.meeting import MOST_TIMES, Meeting, check_phone, parse_attendees

    if attendees is None:
        attendees = _prompts.retry(
            console,
            lambda: parse_attendees(
                _prompts.ask_text(console, _("Who would attend? (names, separated by commas)"))
            ),
        )
    if times is None:
        console.print(_("Propose two or three times for the meeting (Enter after two to stop)."))
        asked: list[str] = []
        while len(asked) < MOST_TIMES:
            answer = _prompts.ask_text(
                console,
                _("Time {number}").format(number=len(asked) + 1),
                required=len(asked) < 2,
            )
            if not answer:
                break
            asked.append(answer)
        times = tuple(asked)
    if phone is None:
        question = (
            _("Your phone number, for scheduling")
            if needs_phone
            else _("Your phone number, for scheduling (optional)")
        )
        phone = _prompts.retry(
            console,
            lambda: check_phone(_prompts.ask_text(console, question, required=needs_phone)),
        )
    return Meeting(attendees, times, phone)


def meeting_sending_hint(letter: Letter, office: Office | None) -> str:
    """Where to send the request: e-mail, or the office it is addressed to, by post."""
    from mpwrite.geo.parliament import NO_POSTAGE_NOTE

    place = ", ".join(letter.recipient_lines[-2:])
    email = letter.to_email
    if letter.lang == "fr":
        to = "au bureau de circonscription" if office else f"à {letter.recipient_name}"
        postage = "Elle doit être affranchie." if office else NO_POSTAGE_NOTE["fr"]
        by_email = f"par courriel à {email}, ou " if email else ""
        return (
            f"Pour l’envoyer\u00a0: {by_email}imprimez-la, signez-la et postez-la {to}, {place}. "
            f"{postage}"
        )
    to = "the constituency office" if office else letter.recipient_name
    postage = "It needs a stamp." if office else NO_POSTAGE_NOTE["en"]
    by_email = f"e-mail {email}, or " if email else ""
    return f"To send it: {by_email}print, sign and mail it to {to}, {place}. {postage}"


def write_out(data: bytes, options: KindOptions) -> None:
    """The document to --output (atomically), or to stdout."""
    if options.output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    from mpwrite.files import write_atomic

    write_atomic(options.output, data, force=options.force)
    note(_("Wrote {path}.").format(path=options.output))


# --- brief --------------------------------------------------------------------


def draft_brief(request: DraftRequest, options: KindOptions) -> None:
    """Write the one-page brief for a demand: no postal code, MP or supporter needed."""
    from mpwrite.campaign.folder import load_campaign
    from mpwrite.cli.commands import _draft_letter as letters
    from mpwrite.letter.brief import compose_brief
    from mpwrite.output.brief_text import check_brief_format, render_brief

    unused = _brief_unused_options(request, options)
    if unused:
        raise UsageError(
            _(
                "--kind brief is about the demand, not a supporter or an MP; leave out {options}"
            ).format(options=", ".join(unused))
        )
    check_brief_format(options.fmt)
    campaign = load_campaign(options.campaign_path)
    console = _prompts.make_console() if _prompts.is_interactive() else None
    lang = request.lang or (_prompts.choose_language(console) if console else "en")
    demand = letters.choose_demand(request, campaign, console, lang)
    note_stale_demands(campaign, (lang,))
    write_out(render_brief(compose_brief(campaign, demand, lang), options.fmt), options)


def _brief_unused_options(request: DraftRequest, options: KindOptions) -> list[str]:
    given = {
        "--postal-code": request.postal_code is not None,
        "--riding": request.riding is not None,
        "--name": request.name is not None,
        "--address": request.address is not None,
        "--city": request.city is not None,
        "--email": request.email is not None,
        "--note": request.note is not None,
        "--ask": bool(request.asks),
        "--accept-likely": request.accept_likely,
        "--online": request.online or request.represent_url is not None,
        "--to": request.to != "mp",
        "--salutation": options.salutation is not None,
        "--date": options.date is not None,
        "--mailto": options.mailto,
        "--paper": options.paper is not None,
        "--envelope": options.envelope,
    }
    return [name for name, present in given.items() if present] + _meeting_options_given(options)
