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
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

from mpwrite.campaign.facts import stale_warning
from mpwrite.errors import AmbiguousRidingError, MalformedPostalCodeError, MpwriteError
from mpwrite.event.answers import (
    is_cancel,
    is_quit,
    parse_action,
    parse_language,
    parse_yes_no,
)
from mpwrite.event.tally import Delivered, Tally
from mpwrite.i18n import N_, _
from mpwrite.letter.own_words import has_own_words

if TYPE_CHECKING:
    from mpwrite.campaign.folder import Campaign, Demand
    from mpwrite.geo.lookup import LookupResult, Resolver
    from mpwrite.geo.ridings import Riding
    from mpwrite.letter.compose import Letter

Style = Literal["", "title", "error", "ok", "qr", "dim", "call"]

PROMPT_POSTAL = N_("Postal code / Code postal")
PROMPT_CONFIRM = N_("Is this your riding? / Est-ce votre circonscription ? (y/n · o/n)")
PROMPT_RIDING = N_("Riding name / Nom de la circonscription")
#: The most ridings an ambiguous name lists to pick from; more means "type more".
MOST_TO_PICK = 10
PROMPT_CHOOSE_RIDING = N_("Which one? / Laquelle ? (number / numéro)")
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


class EventScreen(Protocol):
    """What the loop needs from the terminal."""

    def ask(self, prompt: str) -> str:
        """One line typed by the volunteer; raises EOFError or KeyboardInterrupt."""
        ...

    def say(self, text: str, style: Style = "") -> None:
        """Show text (``style`` is a hint: title, error, ok, qr, dim)."""
        ...

    def clear(self) -> None:
        """Wipe the screen and, where the terminal allows, its scrollback."""
        ...


class SupporterCancelled(Exception):
    """The volunteer typed cancel/annuler: drop this supporter, keep the session."""


class SessionEnded(Exception):
    """The session ends while a supporter is served; carries their letter, if they got one."""

    def __init__(self, delivered: Delivered | None) -> None:
        super().__init__("session ended")
        self.delivered = delivered


@dataclass
class EventSettings:
    """How the session runs: fixed for every supporter."""

    campaign: Campaign
    resolver: Resolver
    lang: str | None = None
    demand: Demand | None = None
    printer: str | None = None
    save_dir: Path | None = None
    paper: str = "letter"
    envelope: bool = False
    today: datetime.date | None = None
    #: A line for the first screen only (such as a warning that the MP data is old).
    opening_notice: str = ""
    #: Let each supporter choose a letter, a phone call to their MP, or both.
    offer_call: bool = False


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


def _ask(screen: EventScreen, prompt: str) -> str:
    answer = screen.ask(_(prompt))
    if is_cancel(answer):
        raise SupporterCancelled()
    return answer.strip()


def serve_supporter(settings: EventSettings, screen: EventScreen, first: str) -> Delivered | None:
    """One supporter from postal code to a printed, saved or scanned letter."""
    from mpwrite.event.address import choose_greeting, offer_minister
    from mpwrite.event.calling import choose_way, resources_text, show_call
    from mpwrite.event.output import preview
    from mpwrite.letter.address import role_of
    from mpwrite.letter.compose import Supporter, compose_letter

    riding, postal_code = _find_riding(settings, screen, first)
    to = "mp"
    if riding.mp is None:
        if not offer_minister(lambda q: _ask(screen, q), screen.say, riding, settings.lang):
            return None
        to = "minister"
    lang = settings.lang or _choose_language(screen)
    demand = settings.demand
    way = choose_way(lambda q: _ask(screen, q)) if settings.offer_call and to == "mp" else "letter"
    if way != "letter":
        demand = demand or _choose_demand(settings.campaign, screen, lang)
        show_call(lambda q: _ask(screen, q), screen.say, settings.campaign, demand, lang, riding)
        if way == "call":
            return Delivered(demand.id, riding.code, ("call",), letter=False)
    name = ""
    while not name:
        name = _ask(screen, PROMPT_NAME)
    address = _ask(screen, PROMPT_ADDRESS)
    city = _ask(screen, PROMPT_CITY)
    note = _ask_own_words(screen, lang)
    demand = demand or _choose_demand(settings.campaign, screen, lang)
    ask_numbers = _choose_asks(screen, demand, lang)
    greeting = None
    if lang == "fr" and (to == "minister" or riding.mp is None or not role_of(riding.mp, riding)):
        greeting = choose_greeting(lambda q: _ask(screen, q), screen.say, to)
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
    if session_ends:
        raise SessionEnded(delivered)
    return delivered


def _find_riding(settings: EventSettings, screen: EventScreen, first: str) -> tuple[Riding, str]:
    """The riding from a postal code (confirming a likely match) or a riding name."""
    from mpwrite.geo.postal import looks_like_postal_code, parse_postal_code

    answer = first.strip()
    while True:
        if is_cancel(answer):
            raise SupporterCancelled()
        try:
            try:
                code = parse_postal_code(answer)
            except MalformedPostalCodeError as error:
                if looks_like_postal_code(answer):
                    raise MalformedPostalCodeError(
                        _bad_postal_code(answer, error.message, settings.lang)
                    ) from None
                if len(answer) < 3:
                    raise
                return _riding_named(settings, screen, answer), ""
            result = settings.resolver.by_postal_code(code)
            return _confirm(settings, screen, result), code.code
        except MpwriteError as error:
            screen.say(str(error), "error")
        answer = _ask_postal_code_again(screen)


def _ask_postal_code_again(screen: EventScreen) -> str:
    """The postal-code question once more: still the start, so Ctrl-C or quit ends the
    session as it does at the first asking, and no supporter is counted abandoned."""
    try:
        answer = screen.ask(_(PROMPT_POSTAL))
    except (KeyboardInterrupt, EOFError):
        raise SessionEnded(None) from None
    if is_quit(answer):
        raise SessionEnded(None)
    return answer


def _bad_postal_code(answer: str, reason: str, lang: str | None) -> str:
    """A mistyped postal code, said in the event's language (both when it has none)."""
    french = (
        f"« {answer} » n’est pas un code postal valide ; vérifiez-le "
        f"(un code postal s’écrit comme A1A 1A1)"
    )
    return {"en": reason, "fr": french}.get(lang or "", f"{reason}\n{french}")


def describe(riding: Riding) -> str:
    """ "Ottawa Centre / Ottawa-Centre (ON) — MP: Yasir Naqvi (Liberal)" """
    names = (
        riding.name_en
        if riding.name_en == riding.name_fr
        else (f"{riding.name_en} / {riding.name_fr}")
    )
    mp = riding.mp
    who = f"{mp.display_name} ({mp.party})" if mp else _("vacant / vacant")
    return _("{riding} ({province}) — MP / député·e : {who}").format(
        riding=names, province=riding.province, who=who
    )


def _confirm(settings: EventSettings, screen: EventScreen, result: LookupResult) -> Riding:
    if result.exact:
        screen.say(describe(result.best.riding), "ok")
        return result.best.riding
    if len(result.matches) > 1:
        for number, match in enumerate(result.matches, 1):
            screen.say(f"  {number}. {describe(match.riding)}")
        while True:
            picked = _ask(screen, PROMPT_CHOOSE_RIDING)
            if picked.isdigit() and 1 <= int(picked) <= len(result.matches):
                return result.matches[int(picked) - 1].riding
    riding = result.best.riding
    screen.say(
        _(
            "Likely / Probablement : {riding}\n"
            "(a postal area can span several ridings / un secteur postal peut couvrir "
            "plusieurs circonscriptions)"
        ).format(riding=describe(riding))
    )
    while True:
        confirmed = parse_yes_no(_ask(screen, PROMPT_CONFIRM))
        if confirmed is True:
            return riding
        if confirmed is False:
            return _ask_riding(settings, screen)


def _riding_named(settings: EventSettings, screen: EventScreen, name: str) -> Riding:
    """The riding ``name`` means; when it means a few, a numbered list to pick from."""
    try:
        return settings.resolver.by_riding(name).best.riding
    except AmbiguousRidingError as error:
        if not 1 < len(error.candidates) <= MOST_TO_PICK:
            raise
        ridings = [settings.resolver.by_riding(code).best.riding for code in error.candidates]
    for number, riding in enumerate(ridings, 1):
        screen.say(f"  {number}. {describe(riding)}")
    while True:
        picked = _ask(screen, PROMPT_CHOOSE_RIDING)
        if picked.strip().isdigit() and 1 <= int(picked) <= len(ridings):
            return ridings[int(picked) - 1]


def _ask_riding(settings: EventSettings, screen: EventScreen) -> Riding:
    while True:
        try:
            riding = _riding_named(settings, screen, _ask(screen, PROMPT_RIDING))
        except MpwriteError as error:
            screen.say(str(error), "error")
            continue
        screen.say(describe(riding), "ok")
        return riding


def _choose_language(screen: EventScreen) -> str:
    while True:
        lang = parse_language(_ask(screen, PROMPT_LANGUAGE))
        if lang is not None:
            return lang


def _choose_demand(campaign: Campaign, screen: EventScreen, lang: str) -> Demand:
    default = campaign.demand(campaign.default_demand)
    for demand in campaign.demands:
        screen.say(f"  {demand.number}. {demand.title[lang]} — {demand.summary[lang]}")
    while True:
        answer = _ask(screen, f"{_(PROMPT_DEMAND)} [{default.number}]") or str(default.number)
        try:
            return campaign.demand(answer)
        except MpwriteError:
            screen.say(f"1–{len(campaign.demands)}", "error")


def _ask_own_words(screen: EventScreen, lang: str) -> str:
    """The supporter's answers to the guiding questions, one paragraph each."""
    from mpwrite.letter.own_words import GUIDING_QUESTIONS, INTRODUCTION, note_from_answers

    screen.say(INTRODUCTION[lang], "dim")
    return note_from_answers(
        _ask(screen, f"{question} {SKIP_HINT[lang]}") for question in GUIDING_QUESTIONS[lang]
    )


def _choose_asks(screen: EventScreen, demand: Demand, lang: str) -> tuple[int, ...]:
    """The demand's asks the supporter keeps, by number; () keeps all."""
    from mpwrite.letter.asks import choose_asks, demand_asks, parse_ask_numbers

    listed = demand_asks(demand, lang)
    if len(listed) < 2:
        return ()
    for number, ask in enumerate(listed, 1):
        screen.say(f"  {number}. {ask}")
    while True:
        try:
            numbers = parse_ask_numbers(_ask(screen, PROMPT_ASKS[lang]))
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
            answer = _ask(screen, PROMPT_ACTION)
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
