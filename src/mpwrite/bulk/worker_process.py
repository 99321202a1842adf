"""The worker-process side of bulk letters: what runs in each process of the pool.

:mod:`mpwrite.bulk.workers` starts these processes (``spawn``) and hands them
batches of letters; each process loads the campaign once (:func:`start_worker`)
and writes its batches (:func:`write_batch`).
"""

from __future__ import annotations

import os
import threading
from contextlib import AbstractContextManager
from dataclasses import dataclass
from types import FrameType
from typing import TYPE_CHECKING, Protocol

from mpwrite.bulk.letters import LetterDone, LetterJob, LetterSettings, compose_job, make_letter
from mpwrite.errors import LetterWorkerError, MpwriteError

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

    from mpwrite.bulk.bundles import PdfBundle
    from mpwrite.campaign.folder import Campaign
    from mpwrite.geo.ridings import Riding
    from mpwrite.letter.compose import Letter

#: What letters after a failed one come to: never written (the run stops at the failure).
STOPPED = LetterWorkerError(
    "the run stopped: another of its letters could not be written (is the disk full?); "
    "fix that and run the same command again: letters already written are kept"
)


NO_FAILURE = 2**62


class FirstFailure(Protocol):
    """A multiprocessing Value: the count of the first letter that failed."""

    value: int

    def get_lock(self) -> AbstractContextManager[object]: ...


@dataclass
class _Worker:
    settings: LetterSettings
    campaign: Campaign
    ridings: dict[str, Riding]
    failed: FirstFailure


_worker: _Worker | None = None


#: Held while a worker writes a letter, so that it stops between letters, never in one.
_writing = threading.Lock()
#: Set by SIGTERM during a letter: the worker ends once the letter is written.
_terminate_after_letter = False


def start_worker(
    settings: LetterSettings, ridings: dict[str, Riding], failed: FirstFailure
) -> None:
    """In each worker process: ignore Ctrl-C (the run decides when to stop), load the campaign.

    A worker also stops, after the letter in hand, when the run's process is
    gone (killed, or crashed): its remaining letters would be in no report; and
    on SIGTERM from the run, which the pool sends every worker when one of them
    has died. A SIGTERM from anyone else went to the whole group (a service
    manager stopping the run, ``kill -- -PID``): the run stops as on Ctrl-C, and
    the worker, like on Ctrl-C, writes the letters it was handed, so that the
    report can name them.
    """
    import multiprocessing
    import signal

    from mpwrite.campaign.folder import load_campaign

    parent = multiprocessing.parent_process()
    assert parent is not None and parent.pid is not None  # the run's pool started this one
    # Born with SIGINT and SIGTERM blocked (mpwrite.bulk.workers): each is let in
    # once what it means here is settled.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    by_sender = hasattr(signal, "sigwaitinfo")
    if by_sender:
        # Kept blocked, before any thread starts, so that only the sorting thread takes it.
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
        threading.Thread(
            target=_sort_terminations, args=(parent.pid,), name="mpwrite-sigterm", daemon=True
        ).start()
    else:  # no way to tell who sent it: every SIGTERM stops the worker
        signal.signal(signal.SIGTERM, _on_terminate)
    if hasattr(signal, "pthread_sigmask"):
        let_in = {signal.SIGINT} if by_sender else {signal.SIGINT, signal.SIGTERM}
        signal.pthread_sigmask(signal.SIG_UNBLOCK, let_in)
    global _worker
    _worker = _Worker(settings, load_campaign(settings.campaign), ridings, failed)
    threading.Thread(target=_stop_with, args=(parent,), name="mpwrite-parent", daemon=True).start()


def _stop_with(parent: BaseProcess) -> None:
    parent.join()  # returns once the run's process is gone
    with _writing:
        os._exit(1)


def _sort_terminations(run_pid: int) -> None:
    """Stop on the run's SIGTERM (after the letter in hand); let others' go by."""
    import signal

    while signal.sigwaitinfo({signal.SIGTERM}).si_pid != run_pid:
        pass
    with _writing:
        os._exit(1)


def _on_terminate(signum: int, frame: FrameType | None) -> None:
    global _terminate_after_letter
    if _writing.locked():
        _terminate_after_letter = True
    else:
        os._exit(1)


def write_batch(jobs: list[LetterJob], first: int) -> tuple[list[LetterDone], MpwriteError | None]:
    """In a worker process: the outcomes of ``jobs`` up to the first error, and that error."""
    worker = _worker
    assert worker is not None
    outcomes: list[LetterDone] = []
    for count, job in enumerate(jobs, start=first):
        if worker.failed.value < count:
            return outcomes, STOPPED
        try:
            with _writing:
                outcome = make_letter(
                    job,
                    worker.settings,
                    worker.campaign,
                    worker.ridings,
                )
            if _terminate_after_letter:
                os._exit(1)
            outcomes.append(outcome)
        except MpwriteError as error:
            with worker.failed.get_lock():
                worker.failed.value = min(worker.failed.value, count)
            return outcomes, error
    return outcomes, None


def write_bundle(bundle: PdfBundle) -> None:
    """In a worker process: one MP's PDF bundle (:func:`mpwrite.bulk.bundles.write_pdf_bundle`)."""
    from mpwrite.bulk.bundles import write_pdf_bundle
    from mpwrite.output.formats import PageSetup

    worker = _worker
    assert worker is not None
    settings = worker.settings

    def compose(job: LetterJob) -> Letter:
        return compose_job(job, settings, worker.campaign, worker.ridings)

    with _writing:  # like a letter: a bundle is written whole before the worker stops
        write_pdf_bundle(bundle, compose, PageSetup(settings.paper, settings.envelope))
    if _terminate_after_letter:
        os._exit(1)
