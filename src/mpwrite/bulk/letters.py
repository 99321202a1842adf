"""One bulk letter: composed, rendered and put on disk, wherever the run does it.

A :class:`LetterJob` holds what the main process decided for a row (whose
letter, to which riding, about what, in which folder); :func:`make_letter`
does the rest, in the run's main process or in a worker process
(:mod:`mpwrite.bulk.workers`), and says how it went. The file's name is made
here, from the supporter's name: in a long run, by the worker processes.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from mpwrite.bulk.files import KEPT, NEW, SAME, put_letter
from mpwrite.bulk.outcomes import CONFLICT, INVALID, UNCHANGED, WRITTEN
from mpwrite.bulk.reasons import reason_for
from mpwrite.errors import UsageError
from mpwrite.letter.asks import parse_ask_numbers
from mpwrite.output.filenames import letter_file_name

if TYPE_CHECKING:
    from mpwrite.campaign.folder import Campaign
    from mpwrite.geo.ridings import Riding
    from mpwrite.letter.compose import Letter


@dataclass(frozen=True)
class LetterSettings:
    """What every letter of a run shares."""

    campaign: str | Path | None
    fmt: str
    paper: str
    envelope: bool
    force: bool
    date: datetime.date


class LetterJob(NamedTuple):
    """One letter to compose, render and write (or find already written).

    Plain strings: jobs cross to worker processes by the hundred thousand.
    """

    riding_code: str
    name: str
    address: str
    city: str
    postal_code: str
    email: str
    note: str
    demand_id: str
    lang: str
    #: The folder the letter goes in (made already), and its name in --out.
    folder: str
    folder_name: str
    #: The part of the file name that tells supporters apart (bulk_supporters.letter_identity).
    identity: str
    #: A French greeting preset (deputee, depute, neutre) or the supporter's own, or "".
    salutation: str = ""
    #: The demand's asks the supporter keeps, numbers separated by spaces; "" keeps them all.
    asks: str = ""


#: A letter's status, reason and file (relative to --out; "" when none was written).
LetterDone = tuple[str, str, str]


def make_letter(
    job: LetterJob,
    settings: LetterSettings,
    campaign: Campaign,
    ridings: Mapping[str, Riding],
) -> LetterDone:
    """The letter's outcome once it is on disk: written, unchanged, conflict, invalid.

    ``ridings`` are the run's, by code.
    """
    from mpwrite.output.formats import PageSetup, render

    file_name = job_file_name(job, settings.fmt)
    shown = f"{job.folder_name}/{file_name}"
    try:
        letter = compose_job(job, settings, campaign, ridings)
    except UsageError as error:
        return INVALID, reason_for(error), ""
    content = render(letter, settings.fmt, PageSetup(settings.paper, settings.envelope))
    done = put_letter(os.path.join(job.folder, file_name), content, replace=settings.force)
    if done == SAME:
        return UNCHANGED, "identical letter already written", shown
    if done == KEPT:
        return CONFLICT, _CONFLICT_REASON, shown
    return WRITTEN, "" if done == NEW else "replaced a different letter", shown


def compose_job(
    job: LetterJob, settings: LetterSettings, campaign: Campaign, ridings: Mapping[str, Riding]
) -> Letter:
    """The job's letter, as its file holds it (a :class:`UsageError` when it cannot be)."""
    from mpwrite.letter.compose import Supporter, compose_letter

    return compose_letter(
        campaign=campaign,
        demand=campaign.demand(job.demand_id),
        lang=job.lang,
        riding=ridings[job.riding_code],
        supporter=Supporter(job.name, job.address, job.city, job.postal_code, job.email),
        note=job.note,
        date=settings.date,
        salutation=job.salutation or None,
        ask_numbers=parse_ask_numbers(job.asks) if job.asks else (),
    )


def job_file_name(job: LetterJob, fmt: str) -> str:
    """The name of the job's letter in its folder."""
    return letter_file_name(job.name, job.identity, fmt)


_CONFLICT_REASON = "a different letter already exists; re-run with --force to replace it"
