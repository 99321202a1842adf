"""``mpwrite call``: the MP's numbers and a short script for a phone call about a demand."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mpwrite.cli.commands import _prompts
from mpwrite.cli.commands._ledger import LedgerFile, Log
from mpwrite.cli.commands._options import (
    AcceptLikely,
    CampaignFolder,
    ChosenDemand,
    Online,
    RepresentUrl,
    YourRiding,
)
from mpwrite.cli.commands._output import emit_json, note, warn_if_stale
from mpwrite.errors import UsageError, VacantSeatError
from mpwrite.i18n import N_, _, language, use_language

if TYPE_CHECKING:
    from rich.console import Console

    from mpwrite.campaign.folder import Campaign, Demand
    from mpwrite.cli.commands._draft_letter import DraftRequest
    from mpwrite.geo.lookup import Resolver
    from mpwrite.geo.ridings import Riding
    from mpwrite.letter.call import CallScript


def call(
    postal_code: Annotated[
        str | None,
        typer.Argument(help=N_('Your postal code, e.g. "K1A 0A6" (any case, space optional).')),
    ] = None,
    riding: YourRiding = None,
    demand: ChosenDemand = None,
    lang: Annotated[
        str | None,
        typer.Option("--lang", "-l", help=N_("Language of the script: en or fr (default: en).")),
    ] = None,
    name: Annotated[
        str | None, typer.Option("--name", help=N_("Your name, as you will say it on the phone."))
    ] = None,
    campaign_path: CampaignFolder = None,
    accept_likely: AcceptLikely = False,
    as_json: Annotated[
        bool, typer.Option("--json", help=N_("Print the numbers and script as JSON."))
    ] = False,
    online: Online = False,
    represent_url: RepresentUrl = None,
    log: Log = False,
    ledger_file: LedgerFile = None,
) -> None:
    """Call your MP: the numbers to dial and a short script for a demand."""
    from mpwrite.campaign.folder import load_campaign
    from mpwrite.choices import parse_language
    from mpwrite.cli.commands._draft_letter import DraftRequest, choose_riding, resolver_for
    from mpwrite.letter.call import call_as_dict, call_sheet, compose_call

    use_language(lang)
    lang = parse_language(lang) if lang is not None else None
    use_language(lang)
    if lang is not None and lang not in ("en", "fr"):
        raise UsageError(
            _("unknown language {lang!r}; use --lang en or --lang fr").format(lang=lang)
        )
    # --json is for scripts: it never asks, so a missing value is a usage error.
    console = _prompts.make_console() if _prompts.is_interactive() and not as_json else None
    campaign = load_campaign(campaign_path)
    if console is None and not (postal_code or riding):
        raise UsageError(
            _(
                'give a postal code (mpwrite call "K1A 0A6") or --riding when not running '
                "interactively"
            )
        )
    if console is None and demand is None:
        raise UsageError(
            _(
                "--demand is required when not running interactively (list them with: "
                "mpwrite demands)"
            )
        )
    # A typo in --demand fails before any question is asked.
    given_demand = campaign.demand(demand) if demand is not None else None
    request = DraftRequest(
        postal_code=postal_code,
        riding=riding,
        demand=demand,
        lang=lang,
        accept_likely=accept_likely,
        online=online,
        represent_url=represent_url,
    )
    resolver = resolver_for(request)
    chosen_riding = choose_riding(request, resolver, console)
    kind = match_kind(request, resolver, chosen_riding)
    if chosen_riding.mp is None:
        # Nobody to call: said at once, before any more questions.
        from mpwrite.letter.call import VACANT_SEAT_OPTION
        from mpwrite.letter.compose import vacant_seat_message

        said_lang = lang or language()
        if as_json and given_demand is not None:
            document = call_as_dict(
                chosen_riding, kind, given_demand, said_lang, None, request.mp_data_as_of
            )
            emit_json(document)
        raise VacantSeatError(
            vacant_seat_message(chosen_riding, said_lang, option=VACANT_SEAT_OPTION)
        )
    script_lang = lang or (_prompts.choose_language(console) if console else "en")
    chosen_demand = given_demand or choose_call_demand(campaign, console, script_lang)
    said_postal_code = ""
    if request.postal_code:
        from mpwrite.geo.postal import parse_postal_code

        said_postal_code = parse_postal_code(request.postal_code).code
    script = compose_call(
        campaign=campaign,
        demand=chosen_demand,
        lang=script_lang,
        riding=chosen_riding,
        caller_name=name or "",
        postal_code=said_postal_code,
    )
    if as_json:
        emit_json(
            call_as_dict(
                chosen_riding, kind, chosen_demand, script_lang, script, request.mp_data_as_of
            )
        )
    else:
        typer.echo(call_sheet(script))
    warn_if_stale(request.mp_data_as_of)
    ask_how_the_call_went(
        console, campaign, script, log=log or ledger_file is not None, ledger_file=ledger_file
    )


def match_kind(request: DraftRequest, resolver: Resolver, riding: Riding) -> str:
    """How the riding was found: "riding" (named), "exact" or "likely" (from a postal code)."""
    if request.riding or not request.postal_code:
        return "riding"
    result = resolver.by_postal_code(request.postal_code)
    if all(match.riding.code != riding.code for match in result.matches):
        return "riding"  # the supporter turned the likely riding down and named theirs
    return "exact" if result.exact else "likely"


def choose_call_demand(campaign: Campaign, console: Console | None, lang: str) -> Demand:
    """The demand asked for on a terminal, in the script's language."""
    if console is None:
        raise UsageError(_("--demand is required when not running interactively"))
    return _prompts.choose_demand(console, campaign, lang)


#: Answers to "how did the call go?", in English or French, and what the ledger keeps.
OUTCOME_WORDS = {
    **dict.fromkeys(("a", "answered", "r", "répondu", "repondu", "réponse"), "answered"),
    **dict.fromkeys(("v", "voicemail", "m", "messagerie", "message"), "voicemail"),
    **dict.fromkeys(("n", "no answer", "no-answer", "pas de réponse", "aucune"), "no-answer"),
    **dict.fromkeys(("c", "call back", "call-back", "rappel", "rappeler"), "call-back"),
}


def ask_how_the_call_went(
    console: Console | None,
    campaign: Campaign,
    call: CallScript,
    *,
    log: bool = False,
    ledger_file: Path | None = None,
) -> None:
    """How the call went, logged as a call in the campaign's ledger.

    With ``--log`` (or ``--ledger``) the call is logged, with its outcome when
    asked on a terminal. Without it, the question comes only on a terminal
    and only where the campaign already keeps a ledger (Enter: nothing
    recorded). Nothing of the caller goes in it.
    """
    from mpwrite.errors import MpwriteError
    from mpwrite.ledger.letters import ledger_file as ledger_path

    try:
        path = ledger_path(ledger_file, campaign.id)
    except MpwriteError:
        if log:
            raise
        return
    if not log and (console is None or not path.is_file()):
        return
    outcome = ""
    while console is not None:
        answer = _prompts.ask_text(
            console,
            _(
                "How did the call go? answered, voicemail, no answer, call back "
                "(Enter: not recorded)"
            )
            if not log
            else _("How did the call go? answered, voicemail, no answer, call back (Enter: skip)"),
            required=False,
        )
        if not answer:
            if not log:
                return
            break
        found = OUTCOME_WORDS.get(" ".join(answer.casefold().split()))
        if found is not None:
            outcome = found
            break
    try:
        log_call(call, outcome, path, create=log)
    except MpwriteError as error:
        if log:
            raise
        note(_("Warning: the call was not recorded: {error}").format(error=error))
        return
    if outcome:
        note(_("Recorded the call ({outcome}) in {path}.").format(outcome=outcome, path=path))
    else:
        note(_("Recorded the call in {path}.").format(path=path))


def log_call(call: CallScript, outcome: str, path: Path, *, create: bool = False) -> None:
    """One entry on the ``call`` channel; the outcome, if known, is its source
    (``call:voicemail``)."""
    from mpwrite.ledger.letters import call_entry, new_session_id
    from mpwrite.ledger.record import log_entries
    from mpwrite.ledger.store import Ledger

    entry = call_entry(
        campaign=call.campaign_id,
        demand=call.demand.id,
        language=call.lang,
        riding=call.riding,
        source=f"call:{outcome}" if outcome else "call",
        identity=(new_session_id("call"),),
    )
    with Ledger.open(path, create=create) as ledger:
        log_entries(ledger, [entry])
