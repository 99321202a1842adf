"""Composing, rendering and writing bulk letters on a background thread.

The main thread reads rows, looks ridings up and decides each row's fate; a
letter to write becomes a :class:`LetterJob` for the writer thread. Creating
files is mostly waiting on the file system, which releases the GIL, so the
writer overlaps it with the next rows' work. Outcomes come back as futures,
which the run records in input order.

Worker processes were tried and measured: creating the files, not composing
them, is what takes the time, and two processes writing at once were slower
than one thread.
"""

from __future__ import annotations

import datetime
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mpwrite.bulk_files import compare_existing, write_letter
from mpwrite.errors import UsageError

if TYPE_CHECKING:
    from mpwrite.bulk_rows import RowOutcome
    from mpwrite.campaigns import Campaign
    from mpwrite.formats import RenderMemory
    from mpwrite.letters import Supporter
    from mpwrite.ridings import Riding


@dataclass(frozen=True)
class LetterSettings:
    """What every letter of a run shares."""

    campaign: str | Path | None
    fmt: str
    paper: str
    envelope: bool
    force: bool
    date: datetime.date


@dataclass(frozen=True)
class LetterJob:
    """One letter to compose, render and write (or find already written)."""

    base: RowOutcome
    riding: Riding
    supporter: Supporter
    note: str
    demand_id: str
    lang: str
    path: Path
    shown: str


def make_letter(
    job: LetterJob,
    settings: LetterSettings,
    campaign: Campaign,
    memory: RenderMemory | None = None,
) -> RowOutcome:
    """The row's outcome once its letter is on disk: written, unchanged, conflict, invalid.

    ``memory`` holds the pieces of letters the run has already rendered.
    """
    from mpwrite.bulk_rows import CONFLICT, INVALID, UNCHANGED, WRITTEN, with_status
    from mpwrite.formats import RenderMemory, remembered_rendering
    from mpwrite.letters import compose_letter

    try:
        letter = compose_letter(
            campaign=campaign,
            demand=campaign.demand(job.demand_id),
            lang=job.lang,
            riding=job.riding,
            supporter=job.supporter,
            note=job.note,
            date=settings.date,
        )
    except UsageError as error:
        return with_status(job.base, INVALID, str(error))
    if settings.fmt == "pdf":
        from mpwrite.pdf import render_pdf

        content = render_pdf([letter], settings.paper, settings.envelope)
    else:
        from mpwrite.formats import render

        with remembered_rendering(memory if memory is not None else RenderMemory()):
            content = render(letter, settings.fmt)
    existing = compare_existing(job.path, content)
    if existing is True:
        return with_status(job.base, UNCHANGED, "identical letter already written", job.shown)
    if existing is not None and not settings.force:
        return with_status(
            job.base,
            CONFLICT,
            "a different letter already exists; re-run with --force to replace it",
            job.shown,
        )
    write_letter(job.path, content)
    reason = "replaced a different letter" if existing is not None else ""
    return with_status(job.base, WRITTEN, reason, job.shown)


class LetterPool:
    """Hands letter jobs to one writer thread."""

    def __init__(self, settings: LetterSettings, campaign: Campaign) -> None:
        self._settings = settings
        self._campaign = campaign
        self._executor: ThreadPoolExecutor | None = None
        self._memory: RenderMemory | None = None

    def submit(self, job: LetterJob) -> Future[RowOutcome]:
        """The job's outcome, to come."""
        if self._executor is None:
            from mpwrite.formats import RenderMemory

            self._executor = ThreadPoolExecutor(1, thread_name_prefix="mpwrite-letters")
            self._memory = RenderMemory()
        return self._executor.submit(make_letter, job, self._settings, self._campaign, self._memory)

    def close(self) -> None:
        """Wait for the letters handed out, then stop the writer."""
        if self._executor is not None:
            self._executor.shutdown(wait=True)
