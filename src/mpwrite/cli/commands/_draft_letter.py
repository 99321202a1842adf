"""A draft's letter from what the supporter gave: options first, questions for the rest.

Whom it goes to (the riding, confirmed when a postal code only gives a likely
one), who signs it, which demand and asks, and the supporter's own words.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mpwrite.cli.commands import _prompts
from mpwrite.cli.commands._output import note
from mpwrite.errors import UnconfirmedRidingError, UsageError
from mpwrite.i18n import _, language

if TYPE_CHECKING:
    from rich.console import Console

    from mpwrite.campaign.folder import Campaign, Demand
    from mpwrite.geo.lookup import LookupResult, Resolver
    from mpwrite.geo.ridings import Riding
    from mpwrite.letter.compose import Letter, Supporter


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


def resolver_for(request: DraftRequest) -> Resolver:
    """The one place draft and call build their resolver: active data, store, online if
    asked; notes the data's date in ``request``."""
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
    resolver = resolver_for(request)
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
        return accepted_riding(result, request)
    if console is None:
        raise UsageError(
            _("--postal-code or --riding is required when not running interactively")
        )
    result = _prompts.ask_postal_code_or_riding(console, resolver)
    if result.postal_code is not None:
        # Typed once, used twice: for the riding and in the sender's address.
        request.postal_code = result.postal_code.code
    return _prompts.confirm_match(console, resolver, result)


def accepted_riding(result: LookupResult, request: DraftRequest) -> Riding:
    """The riding of a postal code when nobody can be asked; unconfirmed answers are errors."""
    from mpwrite.geo.matching import classify

    found = classify(result, accept_likely=request.accept_likely)
    fsa = result.postal_code.fsa if result.postal_code else request.postal_code
    if found.likely and found.accepted:
        note(
            _("Note: using the likely riding {riding} for {fsa} (--accept-likely).").format(
                riding=found.riding.name_en, fsa=fsa
            )
        )
    if found.accepted:
        return found.riding
    if found.likely:
        raise UnconfirmedRidingError(
            _(
                "postal codes starting {fsa} only give a likely riding ({riding}); "
                'confirm with --riding "{riding}" or pass --accept-likely'
            ).format(fsa=fsa, riding=found.riding.name_en)
        )
    names = "; ".join(riding.name_en for riding in found.ridings)
    raise UnconfirmedRidingError(
        _(
            "the postal code {fsa} may be in several ridings ({names}); "
            "choose yours with --riding"
        ).format(fsa=fsa, names=names)
    )


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
