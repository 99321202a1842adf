"""Who a bulk row's supporter is: the fields read, their language, their identity.

Two rows with the same normalised name and postal code are the same supporter
(a duplicate); the same identity also names their letter's file, the same on
every run (:func:`letter_identity`).
"""

from __future__ import annotations

import hashlib

from mpwrite.choices import LANGUAGE_NAMES
from mpwrite.ridings import normalise_name

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
)

_LANGUAGE_WORDS = {**LANGUAGE_NAMES, "an": "en"}


def language_of(text: str, default: str) -> str | None:
    """``en`` or ``fr`` from what a spreadsheet may hold ("French", "Français", "FR")."""
    if not text:
        return default
    exact = _LANGUAGE_WORDS.get(text)  # the usual "en" or "fr", without normalising
    return exact or _LANGUAGE_WORDS.get(normalise_name(text).replace(" ", ""))


def supporter_identity(name: str, postal_or_riding: str) -> bytes:
    """The hash that makes two rows the same supporter: normalised name and postal code."""
    key = f"{normalise_name(name)}\x1f{postal_or_riding}"
    return hashlib.blake2b(key.encode("utf-8"), digest_size=16).digest()


def letter_identity(digest: bytes) -> str:
    """The part of a letter's file name that tells supporters apart (48 bits)."""
    return digest[:6].hex()
