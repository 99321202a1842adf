"""The event's call path: the supporter phones their MP from the table.

When the session offers it (``mpwrite event --offer-call``), the supporter
picks a letter, a call or both once their MP is confirmed. A call shows the
numbers and the script in large type for the supporter to dial from their own
phone: nothing is dialled, and no name is asked (the script leaves a blank
for it). The campaign's resources (a hotline) end each supporter's turn.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

from mpwrite.i18n import N_, _

if TYPE_CHECKING:
    from mpwrite.campaign.folder import Campaign, Demand
    from mpwrite.geo.ridings import Riding

Way = Literal["letter", "call", "both"]

PROMPT_WAY = N_(
    "[L] letter/lettre  [C] call/appel  [B] both/les deux (Enter/Entrée = letter/lettre)"
)
PROMPT_CALL_DONE = N_("Press Enter when the call is done / Appuyez sur Entrée après l’appel")
WAY_WORDS: dict[str, Way] = {
    **dict.fromkeys(("", "l", "letter", "lettre", "w", "write", "écrire", "ecrire"), "letter"),
    **dict.fromkeys(("c", "call", "appel", "appeler", "a", "phone", "téléphone"), "call"),
    **dict.fromkeys(("b", "both", "les deux", "deux", "d", "2"), "both"),
}


def parse_way(answer: str) -> Way | None:
    """letter / call / both from an English or French answer (Enter: letter)."""
    return WAY_WORDS.get(" ".join(answer.strip().casefold().split()))


def choose_way(ask: Callable[[str], str]) -> Way:
    """Whether the supporter writes, calls or does both."""
    while True:
        way = parse_way(ask(_(PROMPT_WAY)))
        if way is not None:
            return way


def show_call(
    ask: Callable[[str], str],
    say: Callable[..., None],
    campaign: Campaign,
    demand: Demand,
    lang: str,
    riding: Riding,
) -> None:
    """The numbers and the script on screen until the supporter has called.

    The script leaves blanks for the caller's name: a call asks for nothing
    personal, not even the postal code again.
    """
    from mpwrite.letter.call import call_sheet, compose_call

    call = compose_call(campaign=campaign, demand=demand, lang=lang, riding=riding)
    say(call_sheet(call), "call")
    resources = resources_text(campaign, lang)
    if resources:
        say(resources, "ok")
    ask(_(PROMPT_CALL_DONE))


def resources_text(campaign: Campaign, lang: str) -> str:
    """The campaign's resources, one line each, in the supporter's language ("" when none)."""
    return "\n".join(resource.line(lang) for resource in campaign.resources)
