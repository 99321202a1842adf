"""``mpwrite data import-postcodes``: load an organisation's own postal-code table.

The file is a CSV with a header: a postal-code column and either a FED code
column or a riding-name column (a CRM export with other columns is fine; only
those two are read, nothing else is kept). Bad rows are reported with their
row number and reason and skipped; the good rows go into the store in one
transaction, so an interrupted import adds nothing rather than half.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from mpwrite.errors import ImportFileError, MpwriteError
from mpwrite.postal import parse_postal_code
from mpwrite.ridings import RidingData
from mpwrite.store import ORIGIN_IMPORT, PostcodeStore

POSTAL_CODE_HEADERS = ("postal_code", "postalcode", "postcode", "postal", "code_postal", "code")
FED_CODE_HEADERS = (
    "fed_code",
    "fed",
    "fed_num",
    "fednum",
    "riding_code",
    "district_code",
    "ed_code",
    "ridingid",
    "riding_id",
)
RIDING_NAME_HEADERS = (
    "riding",
    "riding_name",
    "district",
    "district_name",
    "electoral_district",
    "circonscription",
    "ed_name",
)


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A row that was not imported, and why."""

    row: int
    reason: str


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did."""

    rows_read: int
    postal_codes_imported: int
    problems: tuple[RowProblem, ...]


def _key(header: str) -> str:
    return "_".join(header.strip().casefold().replace("-", " ").split())


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ImportFileError(f"cannot read {path} ({error.strerror}); check the path") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Spreadsheet programs on Windows still save CSV as cp1252.
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError:
            raise ImportFileError(
                f"{path} is neither UTF-8 nor Windows-1252 text; save it as CSV UTF-8"
            ) from None


def read_postcode_table(
    path: Path, data: RidingData
) -> tuple[dict[str, tuple[str, ...]], int, list[RowProblem]]:
    """Postal code → FED codes from a CSV file, with the rows that could not be used."""
    reader = csv.DictReader(io.StringIO(_read_text(path), newline=""))
    headers = {_key(name): name for name in reader.fieldnames or () if name}
    postal_column = next((headers[h] for h in POSTAL_CODE_HEADERS if h in headers), None)
    fed_column = next((headers[h] for h in FED_CODE_HEADERS if h in headers), None)
    name_column = next((headers[h] for h in RIDING_NAME_HEADERS if h in headers), None)
    if postal_column is None or (fed_column is None and name_column is None):
        raise ImportFileError(
            f"{path} needs a header row with a postal_code column and a fed_code or riding "
            f"column (found: {', '.join(headers) or 'no header'})"
        )
    answers: dict[str, list[str]] = {}
    problems: list[RowProblem] = []
    rows_read = 0
    try:
        for index, row in enumerate(reader):
            rows_read += 1
            number = index + 2  # the header is row 1, as a spreadsheet numbers them
            try:
                code = parse_postal_code(row.get(postal_column) or "")
            except MpwriteError:
                problems.append(RowProblem(number, "malformed or missing postal code"))
                continue
            fed = (row.get(fed_column) or "").strip() if fed_column else ""
            name = (row.get(name_column) or "").strip() if name_column else ""
            if fed:
                if fed not in data.ridings:
                    problems.append(RowProblem(number, f"unknown FED code {fed!r}"))
                    continue
                riding_code = fed
            elif name:
                try:
                    riding_code = data.find(name).code
                except MpwriteError as error:
                    problems.append(RowProblem(number, str(error)))
                    continue
            else:
                problems.append(RowProblem(number, "no FED code or riding name"))
                continue
            codes = answers.setdefault(code.code, [])
            if riding_code not in codes:
                codes.append(riding_code)
    except csv.Error as error:
        raise ImportFileError(
            f"{path} is not valid CSV near row {reader.line_num} ({error}); fix it and re-run"
        ) from None
    return {code: tuple(feds) for code, feds in answers.items()}, rows_read, problems


def import_postcodes(path: Path, data: RidingData, store: PostcodeStore) -> ImportReport:
    """Import a CSV file's good rows into the store in one transaction."""
    answers, rows_read, problems = read_postcode_table(path, data)
    imported = store.put_many(answers.items(), ORIGIN_IMPORT) if answers else 0
    return ImportReport(rows_read, imported, tuple(problems))
