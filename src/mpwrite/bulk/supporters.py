"""Who a bulk row's supporter is: the fields read, their language, their identity.

Two rows with the same normalised name and postal code are the same supporter
(a duplicate); the same identity also names their letter's file, the same on
every run (:func:`letter_identity`).
"""

from __future__ import annotations

import hashlib
import unicodedata

from mpwrite.choices import LANGUAGE_NAMES, language_code
from mpwrite.folding import normalise_name

#: The fields a row's decision reads, in the order RowProcessor takes them.
ROW_FIELDS = (
    "name",
    "first_name",
    "last_name",
    "language",
    "demand",
    "riding",
    "postal_code",
    "address",
    "city",
    "email",
    "note",
    "salutation",
    "asks",
)

def language_of(text: str, default: str) -> str | None:
    """``en`` or ``fr`` from what a spreadsheet may hold ("French", "Français", "FR")."""
    if not text:
        return default
    exact = LANGUAGE_NAMES.get(text)  # the usual "en" or "fr", without normalising
    return exact or language_code(text)


def name_key(name: str) -> str:
    """A supporter's name reduced for telling supporters apart, in any script.

    Latin text is reduced exactly as riding names are (case, accents, dashes
    and apostrophes folded), so names in it keep the keys, and so the file
    names, they always had. Letters of other scripts (王伟, Иван, Ελένη, राम)
    are kept, case-folded in their NFKC form: two such names never reduce to
    the same nothing.
    """
    if name.isascii():
        return normalise_name(name) or _nfkc_words(name)
    parts: list[str] = []
    run: list[str] = []
    run_is_foreign = False
    for char in name:
        # A combining mark belongs to the letter before it, in whichever script.
        foreign = run_is_foreign if run and _is_mark(char) else _is_foreign_letter(char)
        if run and foreign != run_is_foreign:
            parts.append(_reduced("".join(run), run_is_foreign))
            run = []
        run.append(char)
        run_is_foreign = foreign
    if run:
        parts.append(_reduced("".join(run), run_is_foreign))
    # A name of punctuation, or of Latin letters folding drops ("Ø"), is still someone's.
    return " ".join(part for part in parts if part) or _nfkc_words(name)


def _nfkc_words(name: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def _is_mark(char: str) -> bool:
    return unicodedata.category(char).startswith("M")


def _is_foreign_letter(char: str) -> bool:
    """A letter or digit that Latin folding would drop: one of another script."""
    if char.isascii() or not char.isalnum():
        return False
    if unicodedata.name(char, "").startswith("LATIN"):
        return False
    return not any(c.isascii() and c.isalnum() for c in unicodedata.normalize("NFKD", char))


def _reduced(run: str, foreign: bool) -> str:
    if foreign:
        return unicodedata.normalize("NFKC", run).casefold()
    return normalise_name(run)


def home_key(postal_code: str | None, postal_text: str, riding_text: str) -> str:
    """Where a supporter lives, as far as telling supporters apart goes.

    The postal code when it is one (``postal_code``, compact); otherwise what
    was typed for it, with the riding: two people of one name in two ridings
    are two supporters, with or without a postal code.
    """
    if postal_code is not None:
        return postal_code
    typed = "".join(postal_text.split()).upper()
    if not riding_text:
        return typed
    riding = "riding:" + (normalise_name(riding_text) or " ".join(riding_text.split()))
    return f"{typed}\x1e{riding}" if typed else riding


def supporter_identity(name: str, postal_or_riding: str) -> bytes:
    """The hash that makes two rows the same supporter: normalised name and where they live."""
    key = f"{name_key(name)}\x1f{postal_or_riding}"
    return hashlib.blake2b(key.encode("utf-8"), digest_size=16).digest()


def letter_identity(digest: bytes, *, longer: bool = False) -> str:
    """The part of a letter's file name that tells supporters apart (48 bits).

    ``longer`` (96 bits): for the rare supporter whose 48 bits another
    supporter of the run already has, so that the two never share a file.
    """
    return digest[: 12 if longer else 6].hex()
