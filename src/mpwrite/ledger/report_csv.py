"""The report as CSV for spreadsheets, and the supporters' export for a CRM.

Every cell is neutralised against formula injection: a spreadsheet must not run
``=HYPERLINK(...)`` that a supporter typed as their name, or an MP's name as
someone edited it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from mpwrite.csvfiles.reader import neutralise
from mpwrite.ledger.record import SupporterEntry

MP_COLUMNS = ("riding_code", "mp_name", "party", "letters", "replies", "last_stance")
#: The columns Action Network's and NationBuilder's people imports map by name.
SUPPORTER_COLUMNS = ("email", "first_name", "last_name", "riding", "mp", "demand", "date")


def mps_csv(report: Mapping[str, Any]) -> bytes:
    """One row per MP of a report: riding code, MP, party, letters, replies, last stance.

    UTF-8 with a byte-order mark, so that Excel shows accented names correctly.
    """
    rows = (
        (
            mp["riding_code"],
            mp["mp_name"],
            mp["party"],
            str(mp["letters"]),
            str(mp["replies"]),
            mp["last_stance"] or "",
        )
        for mp in report["mps"]
    )
    return _csv(MP_COLUMNS, rows).encode("utf-8-sig")


def split_name(name: str) -> tuple[str, str]:
    """First and last name from a full name: the last word is the last name."""
    words = name.split()
    if len(words) < 2:
        return (name.strip(), "")
    return (" ".join(words[:-1]), words[-1])


def supporters_csv(entries: Iterable[SupporterEntry]) -> bytes:
    """The CRM import: one row per logged letter that still names its supporter.

    Plain UTF-8 without a byte-order mark: CRM importers read the first column
    name as written, and a mark would hide ``email`` from them.
    """
    rows = []
    for entry in entries:
        first, last = split_name(entry.name)
        rows.append(
            (
                entry.email,
                first,
                last,
                entry.riding_name,
                entry.mp_name,
                entry.demand,
                entry.logged_on.isoformat(),
            )
        )
    return _csv(SUPPORTER_COLUMNS, rows).encode("utf-8")


def _csv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue()
