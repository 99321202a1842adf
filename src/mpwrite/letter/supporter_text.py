"""Supporter text made safe for a letter: one clean line, paragraphs, an e-mail address.

What a supporter typed enters the letter's markup only through these: control
characters and invisible direction marks go, whitespace collapses (no-break
spaces, which French typography uses, stay), a line cannot turn into a list
item, and an e-mail address must be one plain address.
"""

from __future__ import annotations

import re
import unicodedata

from mpwrite.errors import InvalidEmailError
from mpwrite.i18n import _

NBSP = "\u00a0"
NNBSP = "\u202f"

# Bidirectional overrides and isolates can make text display differently from
# what it says; they never belong in a letter.
_INVISIBLE = {0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0xFEFF}


# No-break spaces are typography the supporter chose (French puts them before
# ":" and inside « »), so they are kept; other whitespace collapses.
_KEPT_SPACES = frozenset({NBSP, NNBSP})
_ORDINARY_WHITESPACE = re.compile(r"[^\S\u00a0\u202f]+")


def clean_line(text: str) -> str:
    """One line of supporter text: control characters gone, ordinary whitespace collapsed."""
    if text.isprintable():
        # Nothing to remove: no controls, no invisible marks, no spaces but
        # U+0020 (isprintable is False for every other separator). Bulk cleans
        # every field of every row, so the common case skips the slow scan.
        line = " ".join(text.split()) if "  " in text else text.strip(" ")
        return "-" + NBSP + line[2:] if line.startswith("- ") else line
    # Whitespace controls (tab, newline) separate words; other controls vanish.
    kept = "".join(
        " " if c.isspace() and c not in _KEPT_SPACES else c
        for c in text
        if ord(c) not in _INVISIBLE and (c.isspace() or unicodedata.category(c) != "Cc")
    )
    line = _ORDINARY_WHITESPACE.sub(" ", kept).strip()
    # A line starting "- " would read as a bullet list in the markup; a
    # no-break space keeps the words as typed but not the markup.
    if line.startswith("- "):
        line = "-" + NBSP + line[2:]
    return line


# French spacing as the templates write it: U+00A0 before ":" and inside « »,
# U+202F (narrow) before ";", "!" and "?".
_FRENCH_SPACING = (
    (re.compile(r" (?=[:»])"), NBSP),
    (re.compile(r"(?<=«) "), NBSP),
    (re.compile(r" (?=[;!?])"), NNBSP),
)


def french_spacing(text: str) -> str:
    """``text`` with the plain space before : ; ? ! » and after « made non-breaking."""
    for pattern, space in _FRENCH_SPACING:
        text = pattern.sub(space, text)
    return text


def clean_paragraphs(text: str) -> tuple[str, ...]:
    """Supporter prose: blank-line-separated paragraphs, each cleaned into one line."""
    unified = text.replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = (clean_line(chunk) for chunk in re.split(r"\n[ \t]*\n", unified))
    return tuple(paragraph for paragraph in paragraphs if paragraph)


# One plain ASCII address: no display name, comment, list or quoting, so what
# the supporter typed is exactly what a From: header and a reply will use.
_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+"
)


def validate_email(text: str) -> str:
    """``text`` stripped if it is one e-mail address (or empty), else InvalidEmailError."""
    address = text.strip()
    if address and not _EMAIL.fullmatch(address):
        raise InvalidEmailError(
            _("{address!r} is not an e-mail address; give one like name@example.org").format(
                address=address
            )
        )
    return address
