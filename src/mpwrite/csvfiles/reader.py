"""Reading supporters' CSV files as people really have them, one row at a time.

Spreadsheets and CRMs export CSV in many shapes: UTF-8 with or without the
byte-order mark Excel writes, Windows-1252, commas, semicolons or tabs, blank
lines, rows shorter or longer than the header, quoted fields with newlines.
This module turns all of that into a stream of :class:`InputRow`, never holding
more than one row in memory.

Row numbers are spreadsheet row numbers: the header is row 1, the first data
record row 2, and a record with a quoted newline is still one row, exactly as
Excel or LibreOffice number it when the organizer opens the file.

Encoding and broken rows: each physical line is decoded on its own
(:mod:`mpwrite.csvfiles.lines`: UTF-8, else Windows-1252 for that line alone),
and records are cut from the lines so that an unclosed quote cannot swallow the
rows after it (:mod:`mpwrite.csvfiles.records`). A line that does not decode,
or a broken record, becomes a row with a ``problem`` (reported ``invalid``) and
reading goes on. ``encoding=`` overrides detection (text encodings only).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from mpwrite.csvfiles.lines import DecodedLines, checked_encoding
from mpwrite.csvfiles.records import RecordReader
from mpwrite.errors import InputEncodingError, MissingColumnsError, UnreadableInputError
from mpwrite.folding import normalise_name

# What stands for bytes that did not decode: lone surrogates, which no valid text holds.
_UNDECODED = re.compile("[\ud800-\udfff]")
# Loose on purpose: only to tell a swallowed supporter row from a line of a note.
_POSTAL_CODE = re.compile(r"[A-Za-z][0-9][A-Za-z][ -]?[0-9][A-Za-z][0-9]")
# Prefixes that bulk's own CSV writers add to neutralise formula injection; read
# back, "'=x" is the organizer's "=x", so that a needs-review round trip is lossless.
#: Cell starts a spreadsheet may run as a formula (every CSV mpwrite writes
#: neutralises them).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NEUTRALISED = tuple("'" + start for start in FORMULA_STARTS)


def neutralise(cell: str) -> str:
    """A cell a spreadsheet shows as text: a leading ' before = + - @ tab or CR."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


# Header names per field, "|"-separated, as header_key reduces them (so "E-mail",
# "e_mail" and "EMAIL" all match "e mail").
_ALIASES: dict[str, str] = {
    "name": "name|full name|supporter|supporter name|contact name|display name|"
    "nom complet|nom et prenom|prenom et nom|nom prenom|prenom nom",
    "first_name": "first name|given name|first|forename|prenom",
    "last_name": "last name|surname|family name|last|nom de famille",
    "postal_code": "postal code|postcode|postal|zip|zip code|postal zip code|code postal|cp",
    "address": "address|street address|street|address line 1|address 1|mailing address|"
    "adresse|adresse postale|rue|adresse municipale",
    "city": "city|town|municipality|ville|municipalite|localite",
    "email": "email|e mail|email address|e mail address|mail|"
    "courriel|adresse courriel|adresse electronique|adresse de courriel",
    "language": "language|lang|preferred language|langue|langue preferee",
    "demand": "demand|demande|ask|revendication",
    "riding": "riding|riding code|riding name|electoral district|federal riding|"
    "circonscription|circonscription electorale|circonscription federale",
    "note": "note|notes|personal note|note personnelle",
    "salutation": "salutation|greeting|formule d appel|appel",
    "asks": "asks|ask numbers|chosen asks|demandes choisies",
}


def header_key(text: str) -> str:
    """A header reduced for matching: case, accents, spaces, dashes and underscores ignored."""
    return normalise_name(text.replace("_", " ")).replace(" ", "")


_FIELD_BY_KEY: dict[str, str] = {
    header_key(alias): field for field, aliases in _ALIASES.items() for alias in aliases.split("|")
}
# "Nom" is a surname next to "Prénom" and a whole name on its own.
_NOM = header_key("nom")


@dataclass(frozen=True, slots=True)
class Columns:
    """Which input column holds which supporter field."""

    header: tuple[str, ...]
    index: dict[str, int]

    def get(self, cells: list[str], field: str) -> str:
        """The cleaned value of ``field`` in a row, or "" when the input has no such column."""
        position = self.index.get(field)
        if position is None:
            return ""
        value = cells[position].strip()
        if value.startswith(_NEUTRALISED):
            value = value[1:]
        return value

    def picker(self, fields: tuple[str, ...]) -> Callable[[list[str]], list[str]]:
        """A function giving the cleaned values of ``fields`` in a row, as :meth:`get` does.

        For a run that reads every field of every row: one call a row, not one a field.
        """
        positions = [self.index.get(field) for field in fields]

        def pick(cells: list[str]) -> list[str]:
            values = [cells[at].strip() if at is not None else "" for at in positions]
            for number, value in enumerate(values):
                if value.startswith(_NEUTRALISED):
                    values[number] = value[1:]
            return values

        return pick

    def position(self, field: str) -> int | None:
        """The column number of ``field``, or None."""
        return self.index.get(field)


def match_columns(header: list[str]) -> Columns:
    """Map header cells to supporter fields; a usage error when required ones are missing."""
    keys = [header_key(cell) for cell in header]
    index: dict[str, int] = {}
    for position, key in enumerate(keys):
        field = _FIELD_BY_KEY.get(key)
        if field is not None and field not in index:
            index[field] = position
    if _NOM in keys:
        nom_field = "last_name" if "first_name" in index else "name"
        index.setdefault(nom_field, keys.index(_NOM))
    has_name = "name" in index or ("first_name" in index and "last_name" in index)
    has_place = "postal_code" in index or "riding" in index
    if not (has_name and has_place):
        missing = []
        if not has_name:
            missing.append("name (or first name and last name)")
        if not has_place:
            missing.append("postal code (or riding)")
        found = ", ".join(repr(cell) for cell in header if cell.strip()) or "none"
        raise MissingColumnsError(
            f"the input has no {' and no '.join(missing)} column; headers found: {found}; "
            f"expected: name or first name + last name, postal code, and optionally address, "
            f"city, email, language, demand, riding, note, salutation (English or French)"
        )
    return Columns(tuple(header), index)


@dataclass(frozen=True, slots=True)
class InputRow:
    """One data record: its spreadsheet row number and its cells, padded to the header."""

    number: int
    cells: list[str]
    #: Why the row cannot be read as a supporter (broken, undecodable, too many cells), or "".
    problem: str = ""
    #: Non-empty cells past the header's width, kept for needs-review.csv.
    extra: tuple[str, ...] = ()
    #: The physical lines of the file the row came from (the header is line 1).
    first_line: int = 0
    last_line: int = 0

    @property
    def blank(self) -> bool:
        """Whether every cell is empty (a blank line in the file)."""
        # One join and strip in C: the same as "no cell has a non-space", for every row.
        return not "".join(self.cells).strip()


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """How an input was read."""

    encoding: str
    delimiter: str
    total_bytes: int | None


class SupportersReader:
    """A supporters' CSV opened for streaming: ``columns``, ``info``, then iterate rows."""

    def __init__(self, source: Path | BinaryIO, encoding: str | None = None) -> None:
        self._owned: BinaryIO | None = None
        self._info: SourceInfo | None = None
        given = checked_encoding(encoding) if encoding is not None else None
        if isinstance(source, Path):
            stream, total = _open_path(source)
            self._owned = stream
        else:
            stream, total = source, None
        try:
            self._lines = DecodedLines(stream, given)
            self._records = RecordReader(self._lines)
            self._total = total
            header = next(self._records, None)
            if header is None:
                raise MissingColumnsError(
                    "the input is empty; expected a header row with name and postal code columns"
                )
            cells, _first, _last, problem = header
            if "NUL" in problem:
                raise InputEncodingError(
                    "the header is full of NUL bytes: the file looks like UTF-16 without a "
                    "byte-order mark; pass --encoding utf-16-le (or utf-16-be), or save it "
                    "as CSV UTF-8"
                )
            if problem:
                raise UnreadableInputError(f"the header row cannot be read ({problem})")
            self.columns = match_columns(cells)
        except BaseException:
            self.close()
            raise
        self._records.looks_like_row = _row_detector(self.columns, self._records.delimiter)

    @property
    def info(self) -> SourceInfo:
        """The encoding (as far as read so far), the delimiter and the input's size."""
        encoding = self._lines.detected
        if self._info is None or self._info.encoding != encoding:  # asked for every row
            self._info = SourceInfo(encoding, self._records.delimiter, self._total)
        return self._info

    @property
    def bytes_read(self) -> int:
        """How many bytes of input have been consumed so far (for progress)."""
        return self._lines.bytes_read

    def fallback_warning(self) -> str:
        """Lines read as Windows-1252 in an otherwise UTF-8 file, for the summary; or ""."""
        return self._lines.fallback_warning()

    def warnings(self) -> dict[str, int]:
        """Warnings about reading the input, with how many lines each concerns."""
        warning = self._lines.fallback_warning()
        return {warning: self._lines.fallback_count} if warning else {}

    def __iter__(self) -> Iterator[InputRow]:
        width = len(self.columns.header)
        number = 1
        for cells, first_line, last_line, problem in self._records:
            number += 1
            surplus: tuple[str, ...] = ()
            if len(cells) < width:
                cells.extend([""] * (width - len(cells)))
            elif len(cells) > width:
                extra = cells[width:]
                if any(cell.strip() for cell in extra):
                    surplus = tuple(extra)
                    problem = problem or (
                        f"the row has {len(cells)} cells but the header has {width}; "
                        f"check for a delimiter inside an unquoted value"
                    )
                del cells[width:]
            if problem:
                # Undecodable bytes must reach no report or letter, not even needs-review.csv.
                cells = [_UNDECODED.sub("\ufffd", cell) for cell in cells]
                surplus = tuple(_UNDECODED.sub("\ufffd", cell) for cell in surplus)
            yield InputRow(number, cells, problem, surplus, first_line, last_line)

    def close(self) -> None:
        """Release the file (never closes a stream the caller passed in)."""
        if self._owned is not None:
            self._owned.close()
            self._owned = None

    def __enter__(self) -> SupportersReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _row_detector(columns: Columns, delimiter: str) -> Callable[[str], bool]:
    """Whether a line read alone looks like a supporter's row (see supporters_records).

    It does when it does not close the open quote (an even number of quotes) and
    its postal-code cell holds a postal code, or it has the header's number of
    cells with a name and a postal code or riding filled in.
    Broad on purpose: a note's line taken for a row costs one invalid row; a row
    taken for a note's line would put one supporter's details in another's letter.
    """
    width = len(columns.header)
    postal_at = columns.position("postal_code")
    fields = ("name", "first_name", "last_name")
    names_at = [at for at in map(columns.position, fields) if at is not None]
    places_at = [at for at in map(columns.position, ("postal_code", "riding")) if at is not None]

    def looks_like_row(text: str) -> bool:
        # An odd number of quotes closes the open cell: the line ends it, as a
        # multi-line address or note does, and what follows is the same row's.
        if delimiter not in text or text.count('"') % 2:
            return False
        try:
            cells = next(csv.reader([text.rstrip("\r\n")], delimiter=delimiter, strict=False), [])
        except csv.Error:
            return False
        if (
            postal_at is not None
            and postal_at < len(cells)
            and _POSTAL_CODE.fullmatch(cells[postal_at].strip())
        ):
            return True
        if len(cells) < width or any(cell.strip() for cell in cells[width:]):
            return False
        return any(cells[at].strip() for at in names_at) and any(
            cells[at].strip() for at in places_at
        )

    return looks_like_row


def _open_path(path: Path) -> tuple[BinaryIO, int]:
    try:
        stream = path.open("rb")
        total = path.stat().st_size
    except OSError as error:
        raise UnreadableInputError(
            f"cannot read {path} ({error.strerror or error}); check the path"
        ) from None
    return stream, total
