"""What a bulk run comes to: its progress as rows go by, and its summary in numbers.

The core returns these; the command line shows them (or prints ``--json``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from mpwrite.bulk.outcomes import DONE_STATUSES, LETTER_STATUSES, STATUSES, RowOutcome
from mpwrite.letter.likeness import Identikit, identikit_report

if TYPE_CHECKING:
    from mpwrite.bulk.ledger_log import BulkLedgerLog


@dataclass(frozen=True, slots=True)
class BulkProgress:
    """Passed to the progress callback after each row."""

    rows: int
    bytes_read: int
    total_bytes: int | None
    outcome: RowOutcome
    #: Seconds left, from the pace so far and, with --online, Represent's rate
    #: limit for the postal codes still to ask; None while it cannot be told.
    eta_seconds: float | None = None


def estimate_eta(
    rows: int,
    bytes_read: int,
    total_bytes: int | None,
    elapsed: float,
    online_requests: int = 0,
    seconds_for_requests: Callable[[int], float] | None = None,
) -> float | None:
    """Time left: the pace so far, or the rate limit's floor if that is longer.

    The rows still to come are estimated from the bytes still to read; with
    ``--online`` as many of them are taken to need Represent as the rows so far
    did, and ``seconds_for_requests`` says how long that many requests take at
    60 a minute.
    """
    if not total_bytes or not bytes_read or not rows:
        return None
    still_to_read = max(total_bytes - bytes_read, 0) / bytes_read
    by_pace = elapsed * still_to_read
    if not online_requests or seconds_for_requests is None:
        return by_pace
    requests_left = round(still_to_read * online_requests)
    return max(by_pace, seconds_for_requests(requests_left))


@dataclass
class BulkSummary:
    """The whole run in numbers, and where its files are."""

    rows: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    provinces: Counter[str] = field(default_factory=Counter)
    parties: Counter[str] = field(default_factory=Counter)
    ridings: Counter[str] = field(default_factory=Counter)
    mps: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    combined_files: int = 0
    labels: Path | None = None
    encoding: str = ""
    delimiter: str = ""
    out_dir: Path | None = None
    report: Path | None = None
    needs_review: Path | None = None
    dry_run: bool = False
    interrupted: bool = False
    #: Look-up warnings by kind (e.g. Represent unreachable) and how many rows each hit.
    warnings: Counter[str] = field(default_factory=Counter)
    #: The date the MP data describes, for --json and the stale-data warning.
    mp_data_as_of: str | None = None
    #: Letters without the supporter's own words.
    without_own_words: int = 0
    #: Letters to one MP that read the same (mpwrite.letter.likeness), grouped.
    identikit: Identikit = field(default_factory=Identikit)
    ledger: BulkLedgerLog | None = None  # with --log: the campaign ledger the run logs to

    @property
    def letters(self) -> int:
        """Rows that stand for a letter (written, unchanged, or ready in a dry run)."""
        return sum(self.statuses[status] for status in LETTER_STATUSES)

    @property
    def unresolved(self) -> int:
        """Rows that got no letter and need the organizer."""
        return sum(n for status, n in self.statuses.items() if status not in DONE_STATUSES)

    @property
    def exit_code(self) -> int:
        """0 when every row is done, 1 when any needs review, is invalid or a duplicate."""
        ledger_failed = self.ledger is not None and self.ledger.failure is not None
        return 1 if self.unresolved or self.interrupted or ledger_failed else 0

    def top_mps(self, count: int = 10) -> list[dict[str, object]]:
        """The MPs with the most letters, most first (ties by riding code)."""
        ranked = sorted(self.ridings.items(), key=lambda item: (-item[1], item[0]))[:count]
        result: list[dict[str, object]] = []
        for code, letters in ranked:
            riding, mp, party = self.mps[code]
            result.append(
                {
                    "riding_code": code,
                    "riding": riding,
                    "mp": mp,
                    "party": party,
                    "letters": letters,
                }
            )
        return result

    def as_dict(self) -> dict[str, object]:
        """The documented ``--json`` shape (see docs/reference.md)."""
        return {
            "rows": self.rows,
            "letters": self.letters,
            "statuses": {status: self.statuses[status] for status in STATUSES},
            "by_province": dict(sorted(self.provinces.items())),
            "by_party": dict(sorted(self.parties.items(), key=lambda i: (-i[1], i[0]))),
            "top_mps": self.top_mps(),
            "combined_files": self.combined_files,
            "labels": str(self.labels) if self.labels else None,
            "input": {"encoding": self.encoding, "delimiter": self.delimiter},
            "mp_data_as_of": self.mp_data_as_of,
            "out_dir": str(self.out_dir) if self.out_dir else None,
            "report": str(self.report) if self.report else None,
            "needs_review": str(self.needs_review) if self.needs_review else None,
            "dry_run": self.dry_run,
            "interrupted": self.interrupted,
            "exit_code": self.exit_code,
            "warnings": [
                {"message": message, "rows": rows} for message, rows in self.warnings.most_common()
            ],
            "letters_without_own_words": self.without_own_words,
            "similar_letters": identikit_report(self.identikit, self.mps),
        }


def record_outcome(summary: BulkSummary, outcome: RowOutcome) -> None:
    """Count one settled row in ``summary``."""
    summary.rows += 1
    summary.statuses[outcome.status] += 1
    if outcome.status in LETTER_STATUSES:
        summary.provinces[outcome.province] += 1
        summary.parties[outcome.party] += 1
        summary.ridings[outcome.riding_code] += 1
        summary.without_own_words += outcome.own_words == "no"
        if outcome.riding_code not in summary.mps:
            summary.mps[outcome.riding_code] = (outcome.riding_name, outcome.mp, outcome.party)
