"""The event's questions about whom the letter goes to and how it greets them.

French greetings depend on the recipient's gender, which the data does not
record, so the supporter picks one; a vacant seat offers a letter to the
minister responsible for the demand, by role, instead.
"""

from __future__ import annotations

from collections.abc import Callable

from mpwrite.event.answers import parse_yes_no
from mpwrite.geo.ridings import Riding
from mpwrite.i18n import N_, _
from mpwrite.letter.address import NEUTRAL_PRESET, SALUTATION_PRESETS

PROMPT_GREETING = N_("Formule d’appel / Greeting (1, 2, 3; Entrée/Enter = {default})")
PROMPT_MINISTER = N_(
    "Write to the minister responsible instead? / Écrire plutôt au ministre responsable ? "
    "(y/n · o/n)"
)


def choose_greeting(ask: Callable[[str], str], say: Callable[[str], None], recipient: str) -> str:
    """The French greeting preset the supporter picks (Enter: the neutral one)."""
    presets = list(SALUTATION_PRESETS)
    for number, preset in enumerate(presets, 1):
        say(f"  {number}. {SALUTATION_PRESETS[preset][recipient]}")
    default = presets.index(NEUTRAL_PRESET) + 1
    while True:
        answer = ask(_(PROMPT_GREETING).format(default=default)).strip() or str(default)
        if answer.isdigit() and 1 <= int(answer) <= len(presets):
            return presets[int(answer) - 1]


def offer_minister(
    ask: Callable[[str], str], say: Callable[[str], None], riding: Riding, lang: str | None
) -> bool:
    """Explain the vacant seat (in the letter's language, or both) and offer the minister."""
    from mpwrite.letter.compose import vacant_seat_message

    for language in (lang,) if lang else ("en", "fr"):
        message = vacant_seat_message(riding, language, option="")
        say(message[:1].upper() + message[1:])
    return parse_yes_no(ask(_(PROMPT_MINISTER))) is True
