"""Answers a volunteer or supporter may type, in English or in French.

Every question of ``mpwrite event`` accepts both languages: y/yes/o/oui,
n/no/non, p/print/imprimer, s/save/enregistrer, q/qr, l/lire/r/read,
n/next/suivant, and
quit/quitter or cancel/annuler anywhere it makes sense.
"""

from __future__ import annotations

from typing import Literal

Action = Literal["print", "save", "qr", "read", "next"]

YES_WORDS = frozenset({"y", "yes", "o", "oui", "ok", "yeah", "ouais"})
NO_WORDS = frozenset({"n", "no", "non", "nope"})
QUIT_WORDS = frozenset({"quit", "quitter", "exit", "sortir", "fin", "end", "stop"})
CANCEL_WORDS = frozenset({"cancel", "annuler", "abandon", "abandonner"})
ACTION_WORDS: dict[str, Action] = {
    **dict.fromkeys(("p", "print", "imprimer", "i", "impression"), "print"),
    **dict.fromkeys(("s", "save", "enregistrer", "e", "sauvegarder"), "save"),
    **dict.fromkeys(("q", "qr", "code", "code qr", "qr code"), "qr"),
    **dict.fromkeys(("l", "lire", "r", "read", "lecture", "voir", "show"), "read"),
    **dict.fromkeys(
        ("n", "next", "suivant", "skip", "passer", "done", "fini", "terminé", "termine", ""),
        "next",
    ),
}


def _word(answer: str) -> str:
    return " ".join(answer.strip().casefold().split())


def parse_yes_no(answer: str) -> bool | None:
    """True for y/yes/o/oui, False for n/no/non, None for anything else."""
    word = _word(answer)
    if word in YES_WORDS:
        return True
    if word in NO_WORDS:
        return False
    return None


def parse_action(answer: str) -> Action | None:
    """print / save / qr / read / next from an English or French answer (Enter = next)."""
    return ACTION_WORDS.get(_word(answer))


def is_quit(answer: str) -> bool:
    """Whether the answer ends the session (quit, quitter, ...)."""
    return _word(answer) in QUIT_WORDS


def is_cancel(answer: str) -> bool:
    """Whether the answer abandons the current supporter (cancel, annuler)."""
    return _word(answer) in CANCEL_WORDS
