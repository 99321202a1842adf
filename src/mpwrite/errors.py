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


def error_code(error: MpwriteError) -> str:
    """The kind of error as a stable snake_case code for ``--json``: ``unknown_riding``."""
    name = type(error).__name__.removesuffix("Error") or "Mpwrite"
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


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
    """A riding name or code that matches no riding; ``suggestions``: codes of close names."""

    def __init__(self, message: str, suggestions: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.suggestions = suggestions


class AmbiguousRidingError(MpwriteError):
    """A riding name that matches several ridings, whose codes are ``candidates``."""

    def __init__(self, message: str, candidates: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.candidates = candidates


class DataError(MpwriteError):
    """Riding or postal-code data that is missing or damaged."""


class RepresentError(MpwriteError):
    """The Represent web service could not give a usable answer."""


class RepresentUnavailableError(RepresentError):
    """Represent could not be reached, timed out or kept failing (5xx, 429)."""


class RepresentNotFoundError(RepresentError):
    """Represent answered 404: it does not know what was asked for."""


class RepresentResponseError(RepresentError):
    """Represent answered with something that is not the JSON it documents."""


class StoreError(MpwriteError):
    """The local postal-code store cannot be opened, read or written."""


class ImportFileError(UsageError):
    """A postal-code file to import that cannot be read or has no usable columns."""


class DataUpdateError(MpwriteError):
    """Downloaded MP data that is incomplete or invalid, so it was not saved."""


# --- letters ---------------------------------------------------------------


class CampaignError(MpwriteError):
    """A campaign folder or manifest that is missing or malformed."""


class UnknownDemandError(UsageError):
    """A --demand that is neither a number nor an id of the campaign."""


class TemplateRenderError(MpwriteError):
    """A letter template that does not parse or render; the message names file and line."""


class VacantSeatError(MpwriteError):
    """A riding whose seat is vacant: there is no MP to write to."""


class UnconfirmedRidingError(UsageError):
    """A postal code that only gives a likely riding, without --riding or --accept-likely."""


class OutputExistsError(MpwriteError):
    """An output file that already exists, without --force."""


class UnwritablePathError(MpwriteError):
    """An output path that cannot be written."""


class OutputFolderBusyError(MpwriteError):
    """Another bulk run holds the lock on the same --out folder."""


class LetterWorkerError(MpwriteError):
    """A process writing bulk letters stopped unexpectedly."""


class UnreadableFileError(MpwriteError):
    """An input file (such as --note-file) that cannot be read as UTF-8 text."""


# --- PDF letters, printing and campaign events -------------------------------


class PdfRenderError(MpwriteError):
    """A letter that cannot be laid out as a PDF (fonts missing, PDF library failing)."""


class PrinterUnavailableError(MpwriteError):
    """No printer to print on: no CUPS, no default printer, or an unknown --printer."""


class PrintFailedError(MpwriteError):
    """The printing system refused or failed to take a print job."""


class QrCodeError(MpwriteError):
    """Text that cannot be turned into a QR code."""


# --- Bulk letters ----------------------------------------------------------


class MissingColumnsError(UsageError):
    """A supporters' CSV without the columns bulk needs (name, postal code or riding)."""


class InputEncodingError(UsageError):
    """A supporters' CSV whose bytes are not text in the detected or given encoding."""


class UnreadableInputError(UsageError):
    """A supporters' CSV that cannot be opened or is not valid CSV."""


class InvalidEmailError(UsageError):
    """A supporter's e-mail address that is not one plain address like name@example.org."""


class InvalidAskError(UsageError):
    """Ask numbers that do not name asks of the chosen demand."""


# --- The campaign ledger ------------------------------------------------------


class LedgerError(MpwriteError):
    """A campaign ledger that cannot be opened, read or written."""


class LedgerDamagedError(LedgerError):
    """A ledger file that is not a ledger or is damaged; it is left as it is."""


class LedgerTooNewError(LedgerError):
    """A ledger written by a newer mpwrite, whose schema this one does not know."""


class LedgerInputError(UsageError):
    """A value given for the ledger that cannot work: a date, a stance, a campaign id."""


class MailFolderError(UsageError):
    """A folder of replies to import that does not exist or cannot be read."""
