"""Which riding a supporter at the event table is in: a postal code, or a riding's name.

A likely riding is confirmed, an ambiguous postal code or name picked from a
short numbered list (the rules: :mod:`mpwrite.geo.matching`); a mistyped
postal code is asked again, where quit or Ctrl-C still ends the session.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mpwrite.errors import AmbiguousRidingError, MalformedPostalCodeError, MpwriteError
from mpwrite.event.answers import is_cancel, is_quit, parse_yes_no
from mpwrite.event.screen import (
    EventScreen,
    EventSettings,
    SessionEnded,
    SupporterCancelled,
    ask_line,
)
from mpwrite.geo.matching import classify, describe, ridings_to_pick
from mpwrite.i18n import N_, _

if TYPE_CHECKING:
    from mpwrite.geo.lookup import LookupResult
    from mpwrite.geo.ridings import Riding

PROMPT_POSTAL = N_("Postal code / Code postal")
PROMPT_CONFIRM = N_("Is this your riding? / Est-ce votre circonscription ? (y/n · o/n)")
PROMPT_RIDING = N_("Riding name / Nom de la circonscription")
PROMPT_CHOOSE_RIDING = N_("Which one? / Laquelle ? (number / numéro)")


def find_riding(settings: EventSettings, screen: EventScreen, first: str) -> tuple[Riding, str]:
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


def _confirm(settings: EventSettings, screen: EventScreen, result: LookupResult) -> Riding:
    found = classify(result)
    if found.exact:
        screen.say(describe(found.riding, lang=None), "ok")
        return found.riding
    if found.ambiguous:
        for number, riding in enumerate(found.ridings, 1):
            screen.say(f"  {number}. {describe(riding, lang=None)}", "item")
        while True:
            picked = ask_line(screen, PROMPT_CHOOSE_RIDING)
            if picked.isdigit() and 1 <= int(picked) <= len(found.ridings):
                return found.ridings[int(picked) - 1]
    screen.say(
        _(
            "Likely / Probablement : {riding}\n"
            "(a postal area can span several ridings / un secteur postal peut couvrir "
            "plusieurs circonscriptions)"
        ).format(riding=describe(found.riding, lang=None))
    )
    while True:
        confirmed = parse_yes_no(ask_line(screen, PROMPT_CONFIRM))
        if confirmed is True:
            return found.riding
        if confirmed is False:
            return _ask_riding(settings, screen)


def _riding_named(settings: EventSettings, screen: EventScreen, name: str) -> Riding:
    """The riding ``name`` means; when it means a few, a numbered list to pick from."""
    try:
        return settings.resolver.by_riding(name).best.riding
    except AmbiguousRidingError as error:
        ridings = ridings_to_pick(settings.resolver, error)
        if not ridings:
            raise
    for number, riding in enumerate(ridings, 1):
        screen.say(f"  {number}. {describe(riding, lang=None)}", "item")
    while True:
        picked = ask_line(screen, PROMPT_CHOOSE_RIDING)
        if picked.strip().isdigit() and 1 <= int(picked) <= len(ridings):
            return ridings[int(picked) - 1]


def _ask_riding(settings: EventSettings, screen: EventScreen) -> Riding:
    while True:
        try:
            riding = _riding_named(settings, screen, ask_line(screen, PROMPT_RIDING))
        except MpwriteError as error:
            screen.say(str(error), "error")
            continue
        screen.say(describe(riding, lang=None), "ok")
        return riding
