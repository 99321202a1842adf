"""The CSV files bulk writes next to the letters: report.csv and needs-review.csv.

Both are written as the rows go by, into a temporary file in the output folder,
and renamed into place only when the run ends (even an interrupted one), so a
reader never sees half a report and an old report is replaced in one step.
Every cell is neutralised against formula injection: a spreadsheet must not run
``=HYPERLINK(...)`` that a supporter typed as their name.

report.csv holds nothing a supporter typed: only the row number, the status,
mpwrite's own reason, the riding code, the MP's name, the letter's file name and
whether the letter has the supporter's own words (yes/no).
"""

from __future__ import annotations

import contextlib
import csv
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from mpwrite.errors import UnwritablePathError
from mpwrite.supporters_csv import FORMULA_STARTS, Columns, header_key

REPORT_NAME = "report.csv"
NEEDS_REVIEW_NAME = "needs-review.csv"
REPORT_COLUMNS = ("row", "status", "reason", "riding_code", "mp", "output_file", "own_words")
#: Columns needs-review.csv adds to the input's own; filled in or read by the organizer.
RIDING_COLUMN = "riding"
CANDIDATES_COLUMN = "candidates"
REASON_COLUMN = "review_reason"
EXTRA_CELLS_COLUMN = "extra_cells"

# Flushing every row costs a system call each; this many rows is at most a
# fraction of a second of work lost to a crash, and Ctrl-C loses none.
FLUSH_EVERY = 500


def neutralise(cell: str) -> str:
    """A cell a spreadsheet shows as text: a leading ' before = + - @ tab or CR."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


class AtomicCsv:
    """A CSV file written row by row into a temporary file, renamed at ``commit``."""

    def __init__(self, path: Path, header: Sequence[str]) -> None:
        self.path = path
        try:
            descriptor, temporary = tempfile.mkstemp(
                dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
            )
        except OSError as error:
            raise UnwritablePathError(
                f"cannot write {path}: {error.strerror or error}; choose another --out folder"
            ) from None
        self._temporary = Path(temporary)
        # utf-8-sig: Excel then opens accented names correctly.
        self._handle: IO[str] = os.fdopen(descriptor, "w", encoding="utf-8-sig", newline="")
        self._writer = csv.writer(self._handle)
        self._pending = 0
        self.rows = 0
        self.write(header)
        self.rows = 0

    def write(self, cells: Sequence[str]) -> None:
        """Append one row, neutralised."""
        self._writer.writerow([neutralise(cell) for cell in cells])
        self.rows += 1
        self._pending += 1
        if self._pending >= FLUSH_EVERY:
            self._handle.flush()
            self._pending = 0

    def commit(self) -> None:
        """Flush, then put the file in place of any previous one."""
        try:
            self._handle.flush()
            os.fsync(self._handle.fileno())
            self._handle.close()
            os.replace(self._temporary, self.path)
        except OSError as error:
            self.discard()
            raise UnwritablePathError(
                f"cannot write {self.path}: {error.strerror or error}; check the --out folder"
            ) from None

    def discard(self) -> None:
        """Throw the temporary file away (a run that failed before it began)."""
        with contextlib.suppress(OSError):
            self._handle.close()
        with contextlib.suppress(OSError):
            self._temporary.unlink()


class NeedsReviewCsv:
    """The rows that got no letter, in the input's own columns plus riding and candidates.

    The organizer fills in ``riding`` and feeds the file straight back to bulk:
    the header keeps the input's own names, and the added columns replace ones
    of the same name, so a second round trip does not grow the file sideways.
    """

    def __init__(self, path: Path, columns: Columns) -> None:
        header = list(columns.header)
        if columns.position("riding") is None:
            header.append(RIDING_COLUMN)
        keys = [header_key(cell) for cell in header]
        positions = []
        for name in (CANDIDATES_COLUMN, REASON_COLUMN, EXTRA_CELLS_COLUMN):
            key = header_key(name)
            if key in keys:
                positions.append(keys.index(key))
            else:
                positions.append(len(header))
                header.append(name)
                keys.append(key)
        self._candidates_at, self._reason_at, self._extra_at = positions
        self._width = len(header)
        self._csv = AtomicCsv(path, header)

    @property
    def rows(self) -> int:
        """How many rows have been written."""
        return self._csv.rows

    def write(
        self,
        cells: Sequence[str],
        candidates: str,
        reason: str,
        extra: Sequence[str] = (),
    ) -> None:
        """One row as the organizer typed it, with what mpwrite knows added.

        Cells past the header's width (a delimiter inside an unquoted value)
        go, joined, into the extra column, so nothing the organizer typed is lost.
        """
        row = list(cells) + [""] * (self._width - len(cells))
        row[self._candidates_at] = candidates
        row[self._reason_at] = reason
        row[self._extra_at] = " | ".join(extra)
        self._csv.write(row)

    def commit(self) -> None:
        """Put the file in place."""
        self._csv.commit()

    def discard(self) -> None:
        """Throw the temporary file away."""
        self._csv.discard()
