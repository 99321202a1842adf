"""The supporter's own words: the questions that draw them out, and whether a letter has them.

An office reads a letter with a few sentences of the writer's own as a
constituent speaking, and a letter without them as part of a mass mailing.
Interactive flows ask three short questions; each answer becomes a paragraph,
and an unanswered question adds nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from mpwrite.letter.supporter_text import clean_paragraphs

#: What the supporter is asked, in the letter's language, in this order.
GUIDING_QUESTIONS: dict[str, tuple[str, ...]] = {
    "en": (
        "Why does this matter to you?",
        "What is your connection to it (your work, your family, your community)?",
        "What would you like your MP to do?",
    ),
    "fr": (
        "Pourquoi est-ce important pour vous\u202f?",
        "Quel est votre lien avec cette question (travail, famille, communauté)\u202f?",
        "Qu’attendez-vous de votre député·e\u202f?",
    ),
}

#: Shown before the questions.
INTRODUCTION = {
    "en": "MPs' offices give more weight to letters in the writer's own words. Answer any "
    "of these in a sentence or two (Enter to skip); each answer becomes a paragraph.",
    "fr": "Les bureaux des députés accordent plus de poids aux lettres écrites avec vos "
    "propres mots. Répondez en une phrase ou deux à celles que vous voulez (Entrée pour "
    "passer)\u00a0: chaque réponse devient un paragraphe.",
}


def note_from_answers(answers: Iterable[str]) -> str:
    """The answers as the note's paragraphs, skipping empty ones."""
    return "\n\n".join(answer.strip() for answer in answers if answer.strip())


def has_own_words(note: str) -> bool:
    """Whether a note adds anything to the letter once cleaned."""
    return bool(note.strip()) and bool(clean_paragraphs(note))
