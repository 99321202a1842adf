"""Every error mpwrite reports to a user, in one place.

The CLI prints ``Error: <message>`` on stderr and exits with ``exit_code``:
1 for a failure (nothing found, data problem), 2 for a usage error (input that
can never work as typed). Messages are one line and say how to fix the problem.
"""

from __future__ import annotations


class MpwriteError(Exception):
    """Base of all errors mpwrite reports to the user."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(MpwriteError):
    """Input that cannot work as given; exit code 2."""

    exit_code = 2


class MalformedPostalCodeError(UsageError):
    """Text that is not a well-formed Canadian postal code."""


class UnknownPostalAreaError(MpwriteError):
    """A well-formed postal code whose first three characters are not in use."""


class NoRidingForPostalAreaError(MpwriteError):
    """A postal area in use for which no riding is on file."""


class UnknownRidingError(MpwriteError):
    """A riding name or code that matches no riding."""


class AmbiguousRidingError(MpwriteError):
    """A riding name that matches several ridings."""


class DataError(MpwriteError):
    """Riding or postal-code data that is missing or damaged."""
