"""The campaign-table loop behind ``mpwrite event``: one supporter after another.

The loop talks to the volunteer only through an :class:`EventScreen` (ask a
line, show text, clear), so the command line gives it a Rich screen and tests
give it a scripted one, raising ``KeyboardInterrupt`` wherever they like.

Privacy: everything about a supporter lives in the local variables of
:func:`serve_supporter` and is dropped when it returns; the session keeps only
a :class:`Tally` (how many letters per demand and per riding, no names).
Printing goes to ``lp`` on stdin and QR codes go to the screen, so nothing is
written to disk unless the volunteer chose a save folder.
"""

from __future__ import annotations

import datetime
import gc
from typing import TYPE_CHECKING

from mpwrite.campaign.facts import stale_warning
from mpwrite.choices import language_code
from mpwrite.errors import MpwriteError
from mpwrite.event.answers import is_quit, parse_action
from mpwrite.event.riding import PROMPT_POSTAL, find_riding
from mpwrite.event.screen import (
    EventScreen,
    EventSettings,
    SessionEnded,
    SupporterCancelled,
    ask_line,
)
from mpwrite.event.tally import Delivered, Tally
from mpwrite.i18n import N_, _
from mpwrite.letter.own_words import has_own_words

if TYPE_CHECKING:
    from mpwrite.campaign.folder import Campaign, Demand
    from mpwrite.letter.compose import Letter

PROMPT_LANGUAGE = N_("Letter in English or French? / Lettre en anglais ou en français ? (en/fr)")
PROMPT_NAME = N_("Name (as signed) / Nom (pour la signature)")
PROMPT_ADDRESS = N_("Street address / Adresse (Enter to skip · Entrée pour passer)")
PROMPT_CITY = N_("City / Ville (Enter to skip · Entrée pour passer)")
#: After each guiding question (mpwrite.letter.own_words), in the letter's language.
SKIP_HINT = {"en": "(Enter to skip)", "fr": "(Entrée pour passer)"}
PROMPT_ASKS = {
    "en": "Which asks go in the letter? (numbers, Enter for all)",
    "fr": "Lesquelles mettre dans la lettre\u202f? (numéros, Entrée pour toutes)",
}
PROMPT_DEMAND = N_("Demand number / Numéro de la demande")
PROMPT_ACTION = N_(
    "[P] print/imprimer  [S] save/enregistrer  [Q] QR code  [L] lire/read  [N] next/suivant"
)
PROMPT_CONTINUE = N_("Press Enter / Appuyez sur Entrée")


def run_event(settings: EventSettings, screen: EventScreen) -> Tally:
    """Serve supporters until quit, Ctrl-C or end of input at the start; the tally."""
    tally = Tally()
    # Shown on the first screen, not before it: the screen is wiped at each start.
    today = settings.today or datetime.date.today()
    warnings = [stale_warning(settings.campaign, today, lang) for lang in ("en", "fr")]
    stale_content = " / ".join(warnings) if warnings[0] else ""
    notice = "\n".join(line for line in (settings.opening_notice, stale_content) if line)
    while True:
        screen.clear()
        screen.say(_banner(settings, tally), "title")
        if notice:
            screen.say(notice, "dim")
        try:
            first = screen.ask(_(PROMPT_POSTAL))
        except (KeyboardInterrupt, EOFError):
            break
        if is_quit(first):
            break
        notice = ""
        try:
            delivered = serve_supporter(settings, screen, first)
        except SessionEnded as ended:
            if ended.delivered is not None:
                tally.record(ended.delivered)
            break
        except (KeyboardInterrupt, SupporterCancelled):
            tally.abandoned += 1
            notice = _("Abandoned, nothing kept / Abandonné, rien n’est conservé.")
            continue
        except EOFError:
            tally.abandoned += 1
            break
        finally:
            # The supporter's strings are unreachable now; collect them promptly.
            gc.collect()
        if delivered is not None:
            tally.record(delivered)
    screen.clear()
    return tally


def _banner(settings: EventSettings, tally: Tally) -> str:
    title = settings.campaign.title[settings.lang or "en"]
    return f"{title}\n" + _(
        "Next supporter / Personne suivante — letters so far / lettres jusqu’ici : {letters}\n"
        "Type quit/quitter to end · cancel/annuler to start over"
    ).format(letters=tally.letters)


def serve_supporter(settings: EventSettings, screen: EventScreen, first: str) -> Delivered | None:
    """One supporter from postal code to a printed, saved or scanned letter."""
    from mpwrite.event.address import choose_greeting, offer_minister
    from mpwrite.event.calling import choose_way, resources_text, show_call
    from mpwrite.event.output import preview
    from mpwrite.letter.address import role_of
    from mpwrite.letter.compose import Supporter, compose_letter

    riding, postal_code = find_riding(settings, screen, first)
    to = "mp"
    if riding.mp is None:
        if not offer_minister(lambda q: ask_line(screen, q), screen.say, riding, settings.lang):
            return None
        to = "minister"
    lang = settings.lang or _choose_language(screen)
    demand = settings.demand
    def ask(question: str) -> str:
        return ask_line(screen, question)

    way = choose_way(ask) if settings.offer_call and to == "mp" else "letter"
    if way != "letter":
        demand = demand or _choose_demand(settings.campaign, screen, lang)
        show_call(ask, screen.say, settings.campaign, demand, lang, riding)
        if settings.on_call is not None:
            settings.on_call(demand, lang, riding)
        if way == "call":
            return Delivered(demand.id, riding.code, ("call",), letter=False)
    name = ""
    while not name:
        name = ask_line(screen, PROMPT_NAME)
    address = ask_line(screen, PROMPT_ADDRESS)
    city = ask_line(screen, PROMPT_CITY)
    note = _ask_own_words(screen, lang)
    demand = demand or _choose_demand(settings.campaign, screen, lang)
    ask_numbers = _choose_asks(screen, demand, lang)
    greeting = None
    if lang == "fr" and (to == "minister" or riding.mp is None or not role_of(riding.mp, riding)):
        greeting = choose_greeting(lambda q: ask_line(screen, q), screen.say, to)
    letter = compose_letter(
        campaign=settings.campaign,
        demand=demand,
        lang=lang,
        riding=riding,
        supporter=Supporter(name=name, address=address, city=city, postal_code=postal_code),
        note=note,
        date=settings.today,
        ask_numbers=ask_numbers,
        salutation=greeting,
        to=to,
    )
    screen.say(preview(letter, note))
    if settings.campaign.resources:
        screen.say(resources_text(settings.campaign, lang), "ok")
    ways, session_ends = _deliver(settings, screen, letter)
    called = ("call",) if way == "both" else ()
    delivered = (
        Delivered(demand.id, riding.code, (*ways, *called), has_own_words(note), bool(ways))
        if ways or called
        else None
    )
    if ways and settings.on_letter is not None:
        settings.on_letter(letter, ways)
    if session_ends:
        raise SessionEnded(delivered)
    return delivered


def _choose_language(screen: EventScreen) -> str:
    while True:
        lang = language_code(ask_line(screen, PROMPT_LANGUAGE))
        if lang is not None:
            return lang


def _choose_demand(campaign: Campaign, screen: EventScreen, lang: str) -> Demand:
    default = campaign.demand(campaign.default_demand)
    for demand in campaign.demands:
        screen.say(f"  {demand.number}. {demand.title[lang]} — {demand.summary[lang]}", "item")
    while True:
        answer = ask_line(screen, f"{_(PROMPT_DEMAND)} [{default.number}]") or str(default.number)
        try:
            return campaign.demand(answer)
        except MpwriteError:
            screen.say(f"1–{len(campaign.demands)}", "error")


def _ask_own_words(screen: EventScreen, lang: str) -> str:
    """The supporter's answers to the guiding questions, one paragraph each."""
    from mpwrite.letter.own_words import GUIDING_QUESTIONS, INTRODUCTION, note_from_answers

    screen.say(INTRODUCTION[lang], "dim")
    return note_from_answers(
        ask_line(screen, f"{question} {SKIP_HINT[lang]}") for question in GUIDING_QUESTIONS[lang]
    )


def _choose_asks(screen: EventScreen, demand: Demand, lang: str) -> tuple[int, ...]:
    """The demand's asks the supporter keeps, by number; () keeps all."""
    from mpwrite.letter.asks import choose_asks, demand_asks, parse_ask_numbers

    listed = demand_asks(demand, lang)
    if len(listed) < 2:
        return ()
    for number, ask in enumerate(listed, 1):
        screen.say(f"  {number}. {ask}", "item")
    while True:
        try:
            numbers = parse_ask_numbers(ask_line(screen, PROMPT_ASKS[lang]))
            choose_asks(listed, numbers, demand.id)
        except MpwriteError as error:
            screen.say(str(error), "error")
            continue
        return numbers


# --- print, save, QR -------------------------------------------------------------


def _deliver(
    settings: EventSettings, screen: EventScreen, letter: Letter
) -> tuple[tuple[str, ...], bool]:
    """How the letter left (print, save, qr) and whether the session ends after it.

    Once the letter has left, the supporter has it: Ctrl-C then only moves on to
    the next supporter, and end of input or quit/quitter ends the session, both
    without losing the letter from the tally.
    """
    ways: list[str] = []
    try:
        while True:
            answer = ask_line(screen, PROMPT_ACTION)
            if is_quit(answer):
                return tuple(ways), True
            action = parse_action(answer)
            if action == "next":
                return tuple(ways), False
            if action == "read":
                from mpwrite.event.output import letter_on_screen

                screen.say(letter_on_screen(letter))
            elif action is not None:
                _act(settings, screen, letter, action, ways)
    except KeyboardInterrupt:
        if not ways:
            raise
        return tuple(ways), False
    except EOFError:
        if not ways:
            raise
        return tuple(ways), True


def _act(
    settings: EventSettings, screen: EventScreen, letter: Letter, action: str, ways: list[str]
) -> None:
    """Print, save or show the QR code, adding the way to ``ways`` when it worked."""
    from mpwrite.event.output import print_letter, save_letter, show_qr

    try:
        if action == "print":
            print_letter(settings, letter)
            screen.say(_("Sent to the printer / Envoyée à l’imprimante."), "ok")
        elif action == "save":
            path = save_letter(settings, letter)
            screen.say(_("Saved / Enregistrée : {name}").format(name=path.name), "ok")
        elif not show_qr(settings, screen, letter, already_kept=bool(ways)):
            return
    except MpwriteError as error:
        screen.say(str(error), "error")
        return
    ways.append(action)
