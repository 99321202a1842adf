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
import errno
import io
import os
import re
from collections.abc import Sequence
from pathlib import Path

from mpwrite.bulk.outcomes import UNCHANGED, WRITTEN
from mpwrite.csvfiles.reader import Columns, header_key, neutralise
from mpwrite.errors import UnwritablePathError
from mpwrite.files import AtomicFile

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
#: Disk space kept allocated ahead of what a report holds, so that a disk that
#: fills up during a run leaves room for the rows still in flight to be recorded.
RESERVE_AHEAD = 2 * 1024 * 1024


class AtomicCsv:
    """A CSV file written row by row into a temporary file, renamed at ``commit``.

    Space is allocated ahead of the rows (:data:`RESERVE_AHEAD`). When the disk
    fills up (writing fails, or no more can be allocated), rows are kept in
    memory and :attr:`failure` says why: the run then stops taking new rows,
    records those in flight, and :meth:`commit` writes them into the space
    kept for them.
    """

    def __init__(self, path: Path, header: Sequence[str]) -> None:
        self.path = path
        try:
            # Written with os.write, unbuffered: a write that fills the disk
            # says how much it wrote, and the rest is kept to write.
            self._file = AtomicFile(path, buffering=0)
        except OSError as error:
            raise UnwritablePathError(
                f"cannot write {path}: {error.strerror or error}; choose another --out folder"
            ) from None
        self._descriptor = self._file.file.fileno()
        self._rows = io.StringIO()
        self._writer = csv.writer(self._rows)
        # utf-8-sig: Excel then opens accented names correctly.
        self._unwritten = "\ufeff".encode()
        self._written = 0
        self._reserved = 0
        self._pending = 0
        #: Why rows can no longer be written as they come (a full disk); None while they can.
        self.failure: OSError | None = None
        self.rows = 0
        try:
            self._reserve()
        except OSError as error:
            self.discard()
            raise UnwritablePathError(
                f"cannot write {path}: {error.strerror or error}; free some space there or "
                f"choose another --out folder"
            ) from None
        self.write(header)
        self.rows = 0

    def write(self, cells: Sequence[str]) -> None:
        """Append one row, neutralised."""
        self._writer.writerow([neutralise(cell) for cell in cells])
        self.rows += 1
        self._pending += 1
        if self._pending >= FLUSH_EVERY and self.failure is None:
            try:
                self._flush()
                self._reserve()
            except OSError as error:
                self.failure = error

    def commit(self) -> None:
        """Write what is left, then put the file in place of any previous one."""
        try:
            self._flush()
            os.ftruncate(self._descriptor, self._written)  # give back the space kept ahead
            self._file.commit()
        except OSError as error:
            self.discard()
            raise UnwritablePathError(
                f"cannot write {self.path}: {error.strerror or error}; check the --out folder "
                f"and free some space"
            ) from None

    def discard(self) -> None:
        """Throw the temporary file away (a run that failed)."""
        self._file.discard()

    def _flush(self) -> None:
        """Write the rows so far; on an error, what was not written stays to write."""
        if self._rows.tell():
            self._unwritten += self._rows.getvalue().encode("utf-8")
            self._rows.seek(0)
            self._rows.truncate()
        self._pending = 0
        while self._unwritten:
            count = os.write(self._descriptor, self._unwritten)
            self._written += count
            self._unwritten = self._unwritten[count:]

    def _reserve(self) -> None:
        allocate = getattr(os, "posix_fallocate", None)
        if allocate is None or self._reserved - self._written > RESERVE_AHEAD // 2:
            return
        try:
            allocate(self._descriptor, self._written, RESERVE_AHEAD)
        except OSError as error:
            if error.errno in (errno.ENOSPC, errno.EDQUOT):
                raise
            return  # a file system that cannot allocate ahead: write as it comes
        self._reserved = self._written + RESERVE_AHEAD


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

    @property
    def failure(self) -> OSError | None:
        """Why rows can no longer be written as they come (see AtomicCsv.failure)."""
        return self._csv.failure

    def commit(self) -> None:
        """Put the file in place."""
        self._csv.commit()

    def discard(self) -> None:
        """Throw the temporary file away."""
        self._csv.discard()


def open_reports(
    out_dir: Path | None, columns: Columns
) -> tuple[AtomicCsv | None, NeedsReviewCsv | None]:
    """report.csv and needs-review.csv, begun in ``out_dir`` (none without one)."""
    if out_dir is None:
        return None, None
    report = AtomicCsv(out_dir / REPORT_NAME, REPORT_COLUMNS)
    try:
        review = NeedsReviewCsv(out_dir / NEEDS_REVIEW_NAME, columns)
    except BaseException:
        report.discard()
        raise
    return report, review


def commit_reports(report: AtomicCsv, review: NeedsReviewCsv) -> Path | None:
    """Both files in place; needs-review.csv's path, or None when no row needs review.

    Whatever fails, no temporary file stays behind.
    """
    try:
        report.commit()
    except BaseException:
        review.discard()
        raise
    needs_review = report.path.parent / NEEDS_REVIEW_NAME
    if review.rows:
        review.commit()
        return needs_review
    # A clean run leaves no stale needs-review.csv from an earlier one.
    review.discard()
    with contextlib.suppress(FileNotFoundError):
        needs_review.unlink()
    return None


#: What a letter's place in a report looks like: a riding folder, a letter's file name.
_LETTER_PLACE = re.compile(r"[0-9a-z-]+/[0-9a-z-]+-[0-9a-f]{12}(?:[0-9a-f]{12})?\.[a-z]+")


def earlier_letters(out_dir: Path, fmt: str) -> dict[str, list[str]]:
    """The letters of format ``fmt`` an earlier run's report.csv in ``out_dir`` names, by folder.

    Written or found unchanged by that run; read before this run replaces the
    report. Anything else (a missing or unreadable report, an entry without a
    letter's shape) counts for nothing.
    """
    found: dict[str, list[str]] = {}
    suffix = f".{fmt}"
    try:
        handle = (out_dir / REPORT_NAME).open(encoding="utf-8-sig", newline="", errors="replace")
    except OSError:
        return found
    with handle:
        try:
            for row in csv.reader(handle):
                if len(row) != len(REPORT_COLUMNS) or row[1] not in (WRITTEN, UNCHANGED):
                    continue
                place = row[5]
                if place.endswith(suffix) and _LETTER_PLACE.fullmatch(place):
                    folder, _, name = place.partition("/")
                    found.setdefault(folder, []).append(name)
        except (csv.Error, OSError):
            return {}
    return found
