"""Names folded for comparison: what people type matches what the data spells."""

from __future__ import annotations

import re
import unicodedata

_WORD_SEPARATORS = re.compile(r"[^0-9a-z]+")
_APOSTROPHES = re.compile(r"['\u2019\u2018\u02bc`\u00b4]")


def normalise_name(text: str) -> str:
    """A riding name reduced for matching: case, accents, dashes, apostrophes and œ folded."""
    folded = text.casefold().replace("œ", "oe").replace("æ", "ae")
    # ASCII has no accents to take off (bulk normalises every supporter's name).
    stripped = (
        folded
        if folded.isascii()
        else "".join(
            c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c)
        )
    )
    # Apostrophes join letters ("l'Île" and "l’Île" both become "lile") so that
    # typing one or the other, or none, gives the same key.
    stripped = _APOSTROPHES.sub("", stripped)
    return _WORD_SEPARATORS.sub(" ", stripped).strip()
