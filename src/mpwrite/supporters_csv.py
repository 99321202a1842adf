"""Reading supporters' CSV files as people really have them, one row at a time.

Spreadsheets and CRMs export CSV in many shapes: UTF-8 with or without the
byte-order mark Excel writes, Windows-1252, commas, semicolons or tabs, blank
lines, rows shorter or longer than the header, quoted fields with newlines.
This module turns all of that into a stream of :class:`InputRow`, never holding
more than one row in memory.

Row numbers are spreadsheet row numbers: the header is row 1, the first data
record row 2, and a record with a quoted newline is still one row, exactly as
Excel or LibreOffice number it when the organizer opens the file.

Encoding: a file on disk is read once as bytes, cheaply, to check that all of it
is valid UTF-8; if not, it is Windows-1252 (checked in the same pass for the five
bytes that code page leaves undefined). A stream that cannot be read twice
(stdin) is judged on its first 1 MiB; a later row holding bytes that do not
decode is marked with a problem (so it becomes an ``invalid`` row naming the
encoding) and the run goes on. ``encoding=`` overrides detection.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from mpwrite.errors import InputEncodingError, MissingColumnsError, UnreadableInputError
from mpwrite.ridings import normalise_name

DELIMITERS = (",", ";", "\t")
SNIFF_BYTES = 1 << 20
_CHUNK = 1 << 16
# Small on purpose: decoding 64 KiB pieces of a large file, one after another,
# left the allocator holding ~10 MB more for a million-row file than for a
# small one (measured); 8 KiB pieces keep peak memory flat at no cost in speed.
_SCAN_CHUNK = 1 << 13
# What surrogateescape decoding leaves for a byte that did not decode.
_UNDECODED = re.compile("[\udc80-\udcff]")
# Bytes Windows-1252 leaves undefined: a file holding them is neither UTF-8 nor cp1252.
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
# Prefixes that bulk's own CSV writers add to neutralise formula injection; read
# back, "'=x" is the organizer's "=x", so that a needs-review round trip is lossless.
#: Cell starts a spreadsheet may run as a formula (bulk_report neutralises them).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NEUTRALISED = tuple("'" + start for start in FORMULA_STARTS)


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
    #: Why the row cannot be read as a supporter (too many cells), or "".
    problem: str = ""
    #: Non-empty cells past the header's width, kept for needs-review.csv.
    extra: tuple[str, ...] = ()

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


class _CountingReader(io.RawIOBase):
    """A raw byte stream that replays a sniffed prefix and counts what it hands out."""

    def __init__(self, stream: BinaryIO, prefix: bytes = b"") -> None:
        self._stream = stream
        self._prefix = prefix
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self._prefix:
            size = min(len(buffer), len(self._prefix))
            buffer[:size] = self._prefix[:size]
            self._prefix = self._prefix[size:]
        else:
            data = self._stream.read(len(buffer))
            size = len(data)
            buffer[:size] = data
        self.bytes_read += size
        return size


class SupportersReader:
    """A supporters' CSV opened for streaming: ``columns``, ``info``, then iterate rows."""

    def __init__(self, source: Path | BinaryIO, encoding: str | None = None) -> None:
        self._owned: BinaryIO | None = None
        if isinstance(source, Path):
            stream, total, detected = _open_path(source, encoding)
            self._owned = stream
            prefix = b""
        else:
            stream, total = source, None
            prefix = _read_prefix(stream)
            detected = encoding or _encoding_of_prefix(prefix)
        self._counter = _CountingReader(stream, prefix)
        buffered = io.BufferedReader(self._counter, _CHUNK)
        # A file checked whole needs no per-row check; anything else is decoded
        # leniently and each row checked, so one bad row cannot stop the run.
        self._lenient = not (isinstance(source, Path) and encoding is None)
        errors = "surrogateescape" if self._lenient else "strict"
        self._text = io.TextIOWrapper(buffered, encoding=detected, errors=errors, newline="")
        self._row_number = 1
        try:
            first_line = self._text.readline()
        except UnicodeDecodeError:
            self.close()
            raise _decode_error(detected, 1) from None
        if self._lenient and _UNDECODED.search(first_line):
            self.close()
            raise _decode_error(detected, 1)
        delimiter = sniff_delimiter(first_line)
        self.info = SourceInfo(detected, delimiter, total)
        self._records = csv.reader(
            _chain_first(first_line, self._text), delimiter=delimiter, strict=False
        )
        try:
            header = next(self._records, None)
        except csv.Error as error:
            self.close()
            raise UnreadableInputError(f"the header row is not valid CSV ({error})") from None
        if header is None:
            self.close()
            raise MissingColumnsError(
                "the input is empty; expected a header row with name and postal code columns"
            )
        self.columns = match_columns(header)

    @property
    def bytes_read(self) -> int:
        """How many bytes of input have been consumed so far (for progress)."""
        return self._counter.bytes_read

    def __iter__(self) -> Iterator[InputRow]:
        width = len(self.columns.header)
        records = self._records
        while True:
            try:
                cells = next(records)
            except StopIteration:
                return
            except UnicodeDecodeError:
                raise _decode_error(self.info.encoding, self._row_number + 1) from None
            except csv.Error as error:
                raise UnreadableInputError(
                    f"row {self._row_number + 1} is not valid CSV ({error}); fix it and re-run"
                ) from None
            self._row_number += 1
            problem = ""
            surplus: tuple[str, ...] = ()
            if len(cells) < width:
                cells.extend([""] * (width - len(cells)))
            elif len(cells) > width:
                extra = cells[width:]
                if any(cell.strip() for cell in extra):
                    surplus = tuple(extra)
                    problem = (
                        f"the row has {len(cells)} cells but the header has {width}; "
                        f"check for a delimiter inside an unquoted value"
                    )
                del cells[width:]
            if self._lenient and _UNDECODED.search("\x1f".join(cells)):
                problem = (
                    f"the row is not valid {self.info.encoding} text; re-save the file as CSV "
                    f"UTF-8 or pass the right --encoding"
                )
            yield InputRow(self._row_number, cells, problem, surplus)

    def close(self) -> None:
        """Release the file (never closes a stream the caller passed in)."""
        if self._owned is not None:
            self._owned.close()
            self._owned = None

    def __enter__(self) -> SupportersReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _chain_first(first: str, rest: io.TextIOWrapper) -> Iterator[str]:
    yield first
    yield from rest


def _open_path(path: Path, encoding: str | None) -> tuple[BinaryIO, int, str]:
    try:
        stream = path.open("rb")
        total = path.stat().st_size
    except OSError as error:
        raise UnreadableInputError(
            f"cannot read {path} ({error.strerror or error}); check the path"
        ) from None
    if encoding is not None:
        return stream, total, _checked_codec(encoding)
    try:
        detected = _scan_encoding(stream)
        stream.seek(0)
    except BaseException:
        stream.close()
        raise
    return stream, total, detected


def _scan_encoding(stream: BinaryIO) -> str:
    """UTF-8 if every byte of the file decodes as UTF-8, else Windows-1252."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    while chunk := stream.read(_SCAN_CHUNK):
        if utf8:
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                utf8 = False
        if not utf8 and not _CP1252_UNDEFINED.isdisjoint(chunk):
            raise InputEncodingError(
                "the input is neither UTF-8 nor Windows-1252; re-save it as CSV UTF-8 "
                "or name its encoding with --encoding"
            )
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    return "utf-8-sig" if utf8 else "cp1252"


def _read_prefix(stream: BinaryIO) -> bytes:
    chunks = []
    size = 0
    while size < SNIFF_BYTES:
        chunk = stream.read(SNIFF_BYTES - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _encoding_of_prefix(prefix: bytes) -> str:
    try:
        codecs.getincrementaldecoder("utf-8")().decode(prefix, final=False)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8-sig"


def _checked_codec(encoding: str) -> str:
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise InputEncodingError(
            f"unknown encoding {encoding!r}; use e.g. utf-8, cp1252 or latin-1"
        ) from None
    # Excel's BOM must not end up glued to the first header.
    return "utf-8-sig" if name == "utf-8" else name


def _decode_error(encoding: str, row: int) -> InputEncodingError:
    return InputEncodingError(
        f"row {row} is not valid {encoding} text; re-save the file as CSV UTF-8 or pass "
        f"--encoding (e.g. --encoding cp1252)"
    )


def sniff_delimiter(header_line: str) -> str:
    """The delimiter that splits the header line most, counting outside quotes."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in header_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","
