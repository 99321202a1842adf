"""The reasons report.csv gives for rows that got no letter: never what a supporter typed.

report.csv is shared more widely than the supporters' list, so a reason names
the column at fault and the fix, never its content (the error messages of
``draft`` and ``lookup`` quote what was typed: they are shown to the person
who typed it). The organizer finds the row's own cells in needs-review.csv,
by its row number.
"""

from __future__ import annotations

from mpwrite.errors import (
    AmbiguousRidingError,
    InvalidEmailError,
    MalformedPostalCodeError,
    MpwriteError,
    NoRidingForPostalAreaError,
    UnknownDemandError,
    UnknownPostalAreaError,
    UnknownRidingError,
)
from mpwrite.letter.address import MAX_SALUTATION

_FIND_RIDING = "(find it with: mpwrite ridings --search PLACE)"
_REASONS: tuple[tuple[type[MpwriteError], str], ...] = (
    (
        InvalidEmailError,
        "the e-mail is not one plain address like name@example.org; fix it or leave it empty",
    ),
    (
        MalformedPostalCodeError,
        "the postal code is not a Canadian postal code (A1A 1A1); fix it or fill in the riding "
        "column",
    ),
    (
        UnknownPostalAreaError,
        "no postal code in use starts like this one; check it or fill in the riding column "
        + _FIND_RIDING,
    ),
    (
        NoRidingForPostalAreaError,
        "mpwrite has no riding on file for this postal code's area; fill in the riding column "
        + _FIND_RIDING,
    ),
    (
        AmbiguousRidingError,
        "the riding column matches several ridings (see candidates); give the full name or "
        "the 5-digit code",
    ),
    (
        UnknownRidingError,
        "no riding matches the riding column; give a riding's name or 5-digit code " + _FIND_RIDING,
    ),
    (
        UnknownDemandError,
        "the demand column names no demand of the campaign; give a demand's number or id "
        "(list them with: mpwrite demands)",
    ),
)

NO_NAME = "no name; a letter needs a signature"
NO_POSTAL_CODE = "no postal code and no riding; fill in one of them"
UNKNOWN_LANGUAGE = "the language column is neither English nor French; use en or fr"
GREETING_TOO_LONG = (
    f"the salutation column is too long; keep it under {MAX_SALUTATION} characters or use "
    f"a preset (deputee, depute, neutre)"
)
NOT_COMPOSED = "a letter could not be made from this row; check its cells in needs-review.csv"


def reason_for(error: MpwriteError) -> str:
    """The report's reason for a row stopped by ``error``, naming no supporter's text."""
    if str(error).startswith("the greeting is "):  # address.salutation_for's, a length only
        return GREETING_TOO_LONG
    for kind, reason in _REASONS:
        if isinstance(error, kind):
            return reason
    return NOT_COMPOSED
