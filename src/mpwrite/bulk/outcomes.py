"""The outcomes of bulk rows: the statuses a row can end in, and one row's result.

Shared by the row logic (:mod:`mpwrite.bulk.rows`), the letter writers
(:mod:`mpwrite.bulk.workers`, also in worker processes) and the run
(:mod:`mpwrite.bulk.run`).
"""

from __future__ import annotations

from dataclasses import dataclass

# Statuses, in the order the summary lists them.
WRITTEN = "written"
UNCHANGED = "unchanged"
READY = "ready"
BLANK = "blank"
NEEDS_REVIEW = "needs-review"
INVALID = "invalid"
DUPLICATE = "duplicate"
CONFLICT = "conflict"
STATUSES = (WRITTEN, UNCHANGED, READY, BLANK, NEEDS_REVIEW, INVALID, DUPLICATE, CONFLICT)
#: Statuses that leave nothing for the organizer to do (exit code 0).
DONE_STATUSES = frozenset({WRITTEN, UNCHANGED, READY, BLANK})
#: Statuses whose rows go to needs-review.csv for the organizer to fix and feed back.
REVIEW_STATUSES = frozenset({NEEDS_REVIEW, INVALID})
#: Statuses that stand for a letter to an MP (written now, before, or in a dry run).
LETTER_STATUSES = frozenset({WRITTEN, UNCHANGED, READY})


@dataclass(frozen=True, slots=True)
class RowOutcome:
    """What happened to one input row; exactly one per row, in input order."""

    row: int
    status: str
    reason: str = ""
    riding_code: str = ""
    mp: str = ""
    output_file: str = ""
    province: str = ""
    party: str = ""
    riding_name: str = ""
    #: "yes" or "no": whether the letter carries the supporter's own words ("" when unknown).
    own_words: str = ""

    def __reduce__(self) -> tuple[type[RowOutcome], tuple[int | str, ...]]:
        # Outcomes cross to and from worker processes by the thousand; the
        # dataclass default (state set field by field) is three times slower.
        return (
            RowOutcome,
            (
                self.row,
                self.status,
                self.reason,
                self.riding_code,
                self.mp,
                self.output_file,
                self.province,
                self.party,
                self.riding_name,
                self.own_words,
            ),
        )


def with_status(base: RowOutcome, status: str, reason: str, output_file: str = "") -> RowOutcome:
    """``base`` with another status and reason (and the letter's file, if any)."""
    return RowOutcome(
        base.row,
        status,
        reason,
        base.riding_code,
        base.mp,
        output_file,
        base.province,
        base.party,
        base.riding_name,
        base.own_words,
    )
