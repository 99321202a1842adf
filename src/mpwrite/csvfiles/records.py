"""CSV records from decoded lines, with broken rows cut out instead of swallowing others.

A quote that is opened and never closed makes a CSV parser read every line
after it into one cell: other supporters' names, e-mails and phone numbers in
one supporter's letter. So a record spanning several lines (a quoted cell with
newlines) is accepted only when it is plainly one supporter's; otherwise it is
a **broken row**, reported ``invalid`` with its line numbers, and reading goes
on. The rule, checked in this order:

1. A line after a record's first that leaves the quote open (an even number of
   quotes) and, read on its own, looks like a supporter row (``looks_like_row``:
   a postal code in the postal-code column, or the header's number of cells with
   a name and a postal code or riding) ends the broken record before it, and is
   read again as the start of the next record.
2. A record longer than :data:`LONGEST_RECORD` characters, or with a cell longer
   than :data:`LONGEST_CELL`, ends as a broken row where it reaches that length
   (a single line that long is one); reading goes on at the next line.
3. A quote still open at the end of the input makes the record broken.
4. A multi-line record whose quotes do not pair up strictly (text right after a
   closing quote) is broken.

A properly closed quoted cell with newlines (a note of several paragraphs) is
none of these and stays one row. Every line belongs to exactly one record.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator

from mpwrite.csvfiles.lines import DecodedLines

#: The most characters one record (a supporter's row) may hold, so that an
#: unclosed quote cannot make the reader hold the rest of the file.
LONGEST_RECORD = 1 << 20
#: The csv module's limit on one cell; a longer cell makes its row broken.
LONGEST_CELL = csv.field_size_limit()


#: One record: its cells, its first and last line, and why it is broken or unreadable ("").
Record = tuple[list[str], int, int, str]


class _Cut(Exception):
    """Raised from the line feed to stop the csv parser in the middle of a record."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class RecordReader:
    """Records from decoded lines, one at a time (see the module for the broken-row rule)."""

    def __init__(self, lines: DecodedLines) -> None:
        self._lines = lines
        #: Sniffed from the first line (see :func:`sniff_delimiter`).
        self.delimiter = ","
        #: Set once the header is read: whether a line alone looks like a supporter's row.
        self.looks_like_row: Callable[[str], bool] | None = None
        self._records = self._read()

    def __iter__(self) -> Iterator[Record]:
        return self._records

    def __next__(self) -> Record:
        return next(self._records)

    def _read(self) -> Iterator[Record]:
        texts = iter(self._lines)
        problems = self._lines.problems
        cut = self._lines.cut
        again: list[str] = []  # a line that ended a broken record, to read again
        taken: list[str] = []  # the lines of the record being read
        number = 0  # the last line handed to the parser
        size = 0
        ended = False
        first_text = next(texts, None)
        if first_text is None:
            return
        self.delimiter = sniff_delimiter(first_text)
        again.append(first_text)

        def feed() -> Iterator[str]:
            nonlocal number, size, ended
            while True:
                if again:
                    text = again.pop()
                else:
                    found = next(texts, None)
                    if found is None:
                        ended = True
                        return
                    text = found
                number += 1
                if taken:
                    looks_like_row = self.looks_like_row
                    if looks_like_row is not None and looks_like_row(text):
                        again.append(text)
                        number -= 1
                        raise _Cut(
                            f"a quoted cell is not closed before line {number + 1}, which "
                            f"looks like a row of its own (it is read as one)"
                        )
                    if size + len(text) > LONGEST_RECORD:
                        again.append(text)
                        number -= 1
                        raise _Cut(
                            f"a quoted cell runs on past {LONGEST_RECORD:,} characters "
                            f"(a quote that is never closed?)"
                        )
                taken.append(text)
                size += len(text)
                if size > LONGEST_RECORD or number in cut:
                    raise _Cut(
                        f"the row is longer than {LONGEST_RECORD:,} characters; no "
                        f"supporter's row is that long"
                    )
                yield text

        def broken(reason: str) -> Record:
            first = number - len(taken) + 1
            for line in range(first, number + 1):
                problems.pop(line, None)
            return (
                self._cells_of(taken),
                first,
                number,
                f"{_lines_of(first, number)}: {reason}; fix the file there and re-run",
            )

        while True:
            parser = csv.reader(feed(), delimiter=self.delimiter, strict=False)
            try:
                for cells in parser:
                    first = number - len(taken) + 1
                    if ended:
                        yield broken("a quote is opened and never closed")
                        return
                    if len(taken) > 1 and not _pairs_strictly(taken, self.delimiter):
                        yield broken("the quotes of a cell spanning these lines do not pair up")
                    else:
                        problem = ""
                        if problems:
                            found = [problems.pop(line, "") for line in range(first, number + 1)]
                            problem = next((text for text in found if text), "")
                        yield cells, first, number, problem
                    taken.clear()
                    size = 0
                if taken:  # lines the parser took without making a record of them
                    yield broken("the row is not valid CSV")
                return
            except _Cut as stop:
                record = broken(stop.reason)
            except csv.Error as error:
                if "field limit" in str(error):
                    record = broken(f"a cell is longer than {LONGEST_CELL:,} characters")
                else:
                    record = broken(f"the row is not valid CSV ({error})")
            taken.clear()
            size = 0
            yield record

    def _cells_of(self, texts: list[str]) -> list[str]:
        """A broken record's cells, for needs-review.csv only."""
        try:
            cells = next(csv.reader(texts, delimiter=self.delimiter, strict=False), [])
        except csv.Error:
            return []
        if cells:
            cells[-1] = cells[-1].rstrip("\r\n")  # the line end an unclosed quote took in
        return cells


def _lines_of(first: int, last: int) -> str:
    return f"line {first}" if first == last else f"lines {first}-{last}"


def _pairs_strictly(lines: list[str], delimiter: str) -> bool:
    try:
        records = list(csv.reader(lines, delimiter=delimiter, strict=True))
    except csv.Error:
        return False
    return len(records) == 1


DELIMITERS = (",", ";", "\t")


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
