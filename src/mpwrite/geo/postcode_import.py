"""``mpwrite data import-postcodes``: load an organisation's own postal-code table.

The file is a CSV with a header: a postal-code column and either a FED code
column or a riding-name column (a CRM export with other columns is fine; only
those two are read, nothing else is kept). It is read like ``bulk``'s input:
comma, semicolon or tab, UTF-8 with or without BOM or Windows-1252, headers in
English or French in any case, with or without accents. Bad rows are reported
with their row number and reason and skipped; the good rows go into the store
in one transaction, so an interrupted import adds nothing rather than half.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from mpwrite.csvfiles.lines import DecodedLines
from mpwrite.csvfiles.reader import header_key
from mpwrite.csvfiles.records import sniff_delimiter
from mpwrite.errors import ImportFileError, InputEncodingError, MpwriteError
from mpwrite.geo.postal import parse_postal_code
from mpwrite.geo.ridings import RidingData
from mpwrite.geo.store import ORIGIN_IMPORT, PostcodeStore
from mpwrite.i18n import _

# Matched after header_key: case, accents, spaces, dashes and underscores ignored.
POSTAL_CODE_HEADERS = (
    "postal code",
    "postcode",
    "postal",
    "postal zip code",
    "zip code",
    "zip",
    "code postal",
    "cp",
    "code",
)
FED_CODE_HEADERS = (
    "fed code",
    "fed",
    "fed num",
    "fed number",
    "riding code",
    "riding id",
    "riding number",
    "district code",
    "district number",
    "ed code",
    "numéro de circonscription",
    "numéro circonscription",
    "no de circonscription",
    "code de circonscription",
    "code circonscription",
)
RIDING_NAME_HEADERS = (
    "riding",
    "riding name",
    "federal riding",
    "district",
    "district name",
    "electoral district",
    "ed name",
    "circonscription",
    "nom de circonscription",
    "nom de la circonscription",
    "circonscription électorale",
    "circonscription fédérale",
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


def _read_text(path: Path) -> str:
    """The file's text, decoded line by line as bulk reads supporters (UTF-8, else cp1252)."""
    try:
        with path.open("rb") as stream:
            lines = DecodedLines(stream, None)
            text = "".join(lines)
    except OSError as error:
        raise ImportFileError(
            _("cannot read {path} ({problem}); check the path").format(
                path=path, problem=error.strerror
            )
        ) from None
    except InputEncodingError as error:
        raise ImportFileError(f"{path}: {error}") from None
    if lines.problems:
        problem = lines.problems[min(lines.problems)].partition(";")[0]
        raise ImportFileError(
            _("{path}: {problem}; save it as CSV UTF-8").format(path=path, problem=problem)
        )
    return text


def read_postcode_table(
    path: Path, data: RidingData
) -> tuple[dict[str, tuple[str, ...]], int, list[RowProblem]]:
    """Postal code → FED codes from a CSV file, with the rows that could not be used."""
    text = _read_text(path)
    delimiter = sniff_delimiter(text.partition("\n")[0])
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        fieldnames = [name for name in reader.fieldnames or () if name and name.strip()]
    except csv.Error as error:
        raise ImportFileError(
            _("{path}: the header row is not valid CSV ({error})").format(path=path, error=error)
        ) from None
    headers: dict[str, str] = {}
    for name in fieldnames:
        headers.setdefault(header_key(name), name)
    postal_column = _column(headers, POSTAL_CODE_HEADERS)
    fed_column = _column(headers, FED_CODE_HEADERS)
    name_column = _column(headers, RIDING_NAME_HEADERS)
    if postal_column is None or (fed_column is None and name_column is None):
        found = ", ".join(name.strip() for name in fieldnames) or _("no header")
        raise ImportFileError(
            _(
                "{path} needs a header row with a postal_code column (or code postal) and a "
                "fed_code or riding column (or circonscription); found: {found}"
            ).format(path=path, found=found)
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
            except MpwriteError as error:
                problems.append(RowProblem(number, str(error)))
                continue
            fed = (row.get(fed_column) or "").strip() if fed_column else ""
            name = (row.get(name_column) or "").strip() if name_column else ""
            if fed:
                if fed not in data.ridings:
                    problems.append(
                        RowProblem(number, _("unknown FED code {code!r}").format(code=fed))
                    )
                    continue
                riding_code = fed
            elif name:
                try:
                    riding_code = data.find(name).code
                except MpwriteError as error:
                    problems.append(RowProblem(number, str(error)))
                    continue
            else:
                problems.append(RowProblem(number, _("no FED code or riding name")))
                continue
            # A riding in another province is a slip in the file; stored, it would
            # be answered as an exact match from the cache ever after.
            riding = data.ridings[riding_code]
            if riding.province not in code.provinces:
                problems.append(
                    RowProblem(
                        number,
                        _(
                            "{code} is in {places} but {riding} ({fed}) is in {province}; "
                            "check the riding"
                        ).format(
                            code=code.code,
                            places=_places(code.provinces, data),
                            riding=riding.name_en,
                            fed=riding.code,
                            province=_places((riding.province,), data),
                        ),
                    )
                )
                continue
            codes = answers.setdefault(code.code, [])
            if riding_code not in codes:
                codes.append(riding_code)
    except csv.Error as error:
        raise ImportFileError(
            _("{path} is not valid CSV near row {row} ({error}); fix it and re-run").format(
                path=path, row=reader.line_num, error=error
            )
        ) from None
    return {code: tuple(feds) for code, feds in answers.items()}, rows_read, problems


def _places(province_codes: tuple[str, ...], data: RidingData) -> str:
    """ "Ontario", "the Northwest Territories or Nunavut": for a one-line reason."""
    names = []
    for province_code in province_codes:
        province = data.provinces.get(province_code)
        name = province.name_en if province else province_code
        names.append(f"the {name}" if name.endswith("Territories") else name)
    return " or ".join(names)


def _column(headers: dict[str, str], accepted: tuple[str, ...]) -> str | None:
    return next((headers[key] for key in map(header_key, accepted) if key in headers), None)


def import_postcodes(path: Path, data: RidingData, store: PostcodeStore) -> ImportReport:
    """Import a CSV file's good rows into the store in one transaction."""
    answers, rows_read, problems = read_postcode_table(path, data)
    imported = store.put_many(answers.items(), ORIGIN_IMPORT) if answers else 0
    return ImportReport(rows_read, imported, tuple(problems))
