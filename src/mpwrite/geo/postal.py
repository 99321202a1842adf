"""Canadian postal codes: parse what people type, normalise, validate.

A postal code is ``A1A 1A1``. Canada Post never uses D, F, I, O, Q or U, and
never starts a code with W or Z. The first three characters are the Forward
Sortation Area (FSA); its first letter names the province or region.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from mpwrite.errors import MalformedPostalCodeError
from mpwrite.i18n import _

NEVER_USED_LETTERS = frozenset("DFIOQU")
NEVER_FIRST_LETTERS = frozenset("WZ")

#: Provinces and territories served by each first letter.
PROVINCES_BY_FIRST_LETTER: dict[str, tuple[str, ...]] = {
    "A": ("NL",),
    "B": ("NS",),
    "C": ("PE",),
    "E": ("NB",),
    "G": ("QC",),
    "H": ("QC",),
    "J": ("QC",),
    "K": ("ON",),
    "L": ("ON",),
    "M": ("ON",),
    "N": ("ON",),
    "P": ("ON",),
    "R": ("MB",),
    "S": ("SK",),
    "T": ("AB",),
    "V": ("BC",),
    "X": ("NT", "NU"),
    "Y": ("YT",),
}

_SHAPE = "LDLDLD"
# A clean code already in canonical form, checked first because bulk input is
# mostly clean and this path must stay cheap.
# [0-9], not \d: \d also matches Arabic-Indic, Devanagari and other digits.
_CANONICAL = re.compile(r"[ABCEGHJ-NPRSTVXY][0-9][ABCEGHJ-NPRSTV-Z] [0-9][ABCEGHJ-NPRSTV-Z][0-9]")
# A postal-code-shaped run inside other text. The letter O is accepted in digit
# positions because a zero typed as O is the one slip the format makes certain.
_EMBEDDED = re.compile(
    r"(?<![A-Z0-9])([A-Z])[ -]*([0-9O])[ -]*([A-Z])[ -]*([0-9O])[ -]*([A-Z])[ -]*([0-9O])"
    r"(?![A-Z0-9])"
)
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]+")


@dataclass(frozen=True, slots=True)
class PostalCode:
    """A well-formed postal code in canonical ``A1A 1A1`` form."""

    code: str

    @property
    def fsa(self) -> str:
        """The Forward Sortation Area: the first three characters."""
        return self.code[:3]

    @property
    def compact(self) -> str:
        """The code without its space, as web services want it."""
        return self.code[:3] + self.code[4:]

    @property
    def provinces(self) -> tuple[str, ...]:
        """Province codes the first letter can belong to."""
        return PROVINCES_BY_FIRST_LETTER[self.code[0]]

    def __str__(self) -> str:
        return self.code


def parse_postal_code(text: str) -> PostalCode:
    """Parse a postal code as a person typed it, or raise MalformedPostalCodeError.

    Accepts any case, no space or extra spaces, hyphens, surrounding text such as
    ``"K1A 0A6, Canada"`` and the letter O typed for a zero.
    """
    if _CANONICAL.fullmatch(text):
        return PostalCode(text)
    # NFKC turns full-width letters, digits and spaces (typed with an East
    # Asian input method) into ASCII; other scripts' digits stay as they are
    # and are refused below, so a code only ever holds ASCII A-Z and 0-9.
    upper = unicodedata.normalize("NFKC", text).upper()
    if _CANONICAL.fullmatch(upper):
        return PostalCode(upper)
    candidates = {"".join(m.groups()) for m in _EMBEDDED.finditer(upper)}
    if len(candidates) > 1:
        found = ", ".join(sorted(_spaced(c) for c in candidates))
        raise MalformedPostalCodeError(
            _("found several postal codes in {text!r} ({found}); give just one").format(
                text=text.strip(), found=found
            )
        )
    compact = candidates.pop() if candidates else _SEPARATORS.sub("", upper.strip())
    return PostalCode(_validated(compact, text))


def looks_like_postal_code(text: str) -> bool:
    """Whether text is shaped like a (perhaps mistyped) postal code, not a riding name.

    Five to seven letters and digits, with both a letter and a digit: "Z1A 0A6",
    "K1A0A". Riding names have no digits; riding codes have no letters.
    """
    compact = _SEPARATORS.sub("", unicodedata.normalize("NFKC", text).strip())
    return (
        5 <= len(compact) <= 7
        and compact.isascii()
        and compact.isalnum()
        and any(c.isdigit() for c in compact)
        and any(c.isalpha() for c in compact)
    )


def _spaced(compact: str) -> str:
    return f"{compact[:3]} {compact[3:]}"


def _validated(compact: str, original: str) -> str:
    shown = original.strip()
    if not compact:
        raise MalformedPostalCodeError(_("no postal code given; type one like K1A 0A6"))
    if len(compact) == 3 and compact.isascii() and compact.isalnum():
        raise MalformedPostalCodeError(
            _(
                "{text!r} is only the first half of a postal code; "
                "give all six characters (A1A 1A1)"
            ).format(text=shown)
        )
    if len(compact) != 6 or not compact.isascii() or not compact.isalnum():
        raise MalformedPostalCodeError(
            _("{text!r} is not a postal code: Canadian postal codes look like A1A 1A1").format(
                text=shown
            )
        )
    fixed = []
    for position, (char, kind) in enumerate(zip(compact, _SHAPE, strict=True), start=1):
        if kind == "D":
            if char == "O":
                char = "0"
            if not char.isdigit():
                raise MalformedPostalCodeError(
                    _(
                        "{text!r} is not a postal code: character {position} should be a "
                        "digit (postal codes look like A1A 1A1)"
                    ).format(text=shown, position=position)
                )
        elif not char.isalpha():
            raise MalformedPostalCodeError(
                _(
                    "{text!r} is not a postal code: character {position} should be a "
                    "letter (postal codes look like A1A 1A1)"
                ).format(text=shown, position=position)
            )
        fixed.append(char)
    first = fixed[0]
    if first in NEVER_FIRST_LETTERS:
        raise MalformedPostalCodeError(
            _("no Canadian postal code starts with {letter}").format(letter=first)
        )
    for char in fixed[0::2]:
        if char in NEVER_USED_LETTERS:
            raise MalformedPostalCodeError(
                _(
                    "{text!r} is not a postal code: Canadian postal codes never use the letter "
                    "{letter}"
                ).format(text=shown, letter=char)
            )
    return _spaced("".join(fixed))
