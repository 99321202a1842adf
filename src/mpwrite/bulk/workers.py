"""Composing, rendering and writing bulk letters: in the main process, or in worker processes.

The main process reads rows, looks ridings up and decides each row's fate; a
letter to write becomes a :class:`LetterJob` for a :class:`LetterPool`. One
letter's work is :func:`mpwrite.bulk.letters.make_letter`.

A run's first letters are written at once, in the main process: the row comes
back with its outcome. A long run then hands letters in batches to worker
processes, one per core: composing and rendering a letter is processor work,
which threads of one process cannot share out, and starting a process costs
about as much as a few thousand text letters (or a few PDF letters). Their
outcomes come back as :class:`PendingLetter`, which the run records in input
order. Worker processes ignore Ctrl-C: the run stops reading rows, and the
letters already handed out finish, each atomically.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator, Mapping
from concurrent.futures import BrokenExecutor, Executor, Future
from contextlib import contextmanager
from typing import TYPE_CHECKING

from mpwrite.bulk.letters import LetterDone, LetterJob, LetterSettings, compose_job, make_letter
from mpwrite.bulk.outcomes import RowOutcome, with_status
from mpwrite.bulk.worker_process import (
    NO_FAILURE,
    FirstFailure,
    start_worker,
    write_batch,
    write_bundle,
)
from mpwrite.errors import LetterWorkerError, MpwriteError

if TYPE_CHECKING:
    from mpwrite.bulk.bundles import PdfBundle
    from mpwrite.campaign.folder import Campaign
    from mpwrite.geo.ridings import Riding
    from mpwrite.letter.compose import Letter

__all__ = ["LetterJob", "LetterPool", "LetterSettings", "PendingLetter", "usable_cores"]

#: What a worker process sends back for a batch: the outcomes up to the error that stopped it.
BatchDone = tuple[list[LetterDone], MpwriteError | None]


class PendingLetter:
    """A letter handed to the worker processes: its outcome, once its batch is back."""

    __slots__ = ("_base", "_index", "_pool", "batch")

    def __init__(self, pool: LetterPool, index: int, base: RowOutcome) -> None:
        self._pool = pool
        self._index = index
        self._base = base
        #: The future of the letter's batch; None until the batch is handed out.
        self.batch: Future[BatchDone] | None = None

    def done(self) -> bool:
        """Whether :meth:`result` would return (or raise) without waiting."""
        return self.batch is not None and self.batch.done()

    def wait(self) -> None:
        """Until the outcome is at hand (or the error that stopped the letter)."""
        self._sent().exception()  # waits; result() reports what went wrong

    def result(self) -> RowOutcome:
        """The outcome, waiting for it; the error that stopped the letter's batch, if any."""
        try:
            outcomes, error = self._sent().result()
        except BrokenExecutor as broken:  # a worker killed, or unable to start
            raise _worker_stopped(broken) from None
        if self._index < len(outcomes):
            status, reason, shown = outcomes[self._index]
            return with_status(self._base, status, reason, shown)
        assert error is not None
        raise error

    def _sent(self) -> Future[BatchDone]:
        if self.batch is None:  # waiting for it: its batch goes, however short
            self._pool.send()
        assert self.batch is not None
        return self.batch


#: Letters of a format written in the main process before worker processes take over.
PROCESSES_AFTER = {"pdf": 8}
PROCESSES_AFTER_OTHERS = 2000
#: Worker processes at most, however many cores: the main process can feed about
#: four, and each holds its own copy of the campaign and the ridings (tens of MB).
MOST_WORKERS = 4
#: Bytes most supporter rows stay under (they take 60 to 200): an input of over
#: ROW_BYTES * N bytes has more than N rows.
ROW_BYTES = 200
#: Letters of a format sent to a worker process at a time.
BATCH_SIZE = {"pdf": 2}
BATCH_SIZE_OTHERS = 256


class LetterPool:
    """Writes letters in the main process, then, in a long run, hands them to worker processes."""

    def __init__(
        self,
        settings: LetterSettings,
        campaign: Campaign,
        ridings: Mapping[str, Riding],
        processes: int | None = None,
        *,
        input_bytes: int | None = None,
    ) -> None:
        """``input_bytes``: the input's size, when known (a file, not a pipe)."""
        self._settings = settings
        self._campaign = campaign
        self._ridings = ridings
        self._processes = min(usable_cores(), MOST_WORKERS) if processes is None else processes
        self._processes_after = PROCESSES_AFTER.get(settings.fmt, PROCESSES_AFTER_OTHERS)
        self._batch_size = BATCH_SIZE.get(settings.fmt, BATCH_SIZE_OTHERS)
        # An input known to hold more letters than the main process writes: worker
        # processes start with its first letter, and start up while it writes those.
        long_input = (input_bytes or 0) > ROW_BYTES * self._processes_after
        self._start_early = long_input and self._processes >= 2
        #: Tasks that do nothing, which start the worker processes: done once they are up.
        self._warm_up: list[Future[int]] = []
        self._handing_out = False
        self._workers: Executor | None = None
        #: The batch being gathered, not yet handed out: its jobs and their letters.
        self._jobs: list[LetterJob] = []
        self._letters: list[PendingLetter] = []
        self._submitted = 0

    @property
    def in_flight(self) -> int:
        """Letters the run may leave unrecorded while it reads on: enough to keep all busy."""
        return self._batch_size * self._processes * 3

    def submit(self, job: LetterJob, base: RowOutcome) -> RowOutcome | PendingLetter:
        """``base`` (the row's outcome) with the letter's status: now, or to come.

        A letter written here that fails raises its error now; no later letter starts.
        """
        self._submitted += 1
        if not self._to_workers():
            if self._start_early:
                self._start_workers()
            done = make_letter(job, self._settings, self._campaign, self._ridings)
            return with_status(base, *done)
        self._start_workers()
        letter = PendingLetter(self, len(self._jobs), base)
        self._jobs.append(job)
        self._letters.append(letter)
        if len(self._jobs) >= self._batch_size:
            self.send()
        return letter

    def _to_workers(self) -> bool:
        """Whether the letter goes to worker processes, as every later one will: past the
        main process's share, or, when they started early, as soon as they are up."""
        if not self._handing_out and self._processes >= 2:
            self._handing_out = self._submitted > self._processes_after or bool(
                self._warm_up and all(task.done() for task in self._warm_up)
            )
        return self._handing_out

    def send(self) -> None:
        """Hand the batch gathered so far to the worker processes; later letters start another."""
        jobs, letters = self._jobs, self._letters
        if not jobs:
            return
        assert self._workers is not None
        self._jobs, self._letters = [], []
        first = self._submitted - len(jobs) + 1  # the run's count of the batch's first letter
        batch: Future[BatchDone]
        try:
            with _held_for_new_processes():  # submitting may start a worker process
                batch = self._workers.submit(write_batch, jobs, first)
        except BrokenExecutor as broken:  # each of its letters reports it, in order
            batch = Future()
            batch.set_exception(broken)
        for letter in letters:
            letter.batch = batch

    def _start_workers(self) -> None:
        if self._workers is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # spawn, not fork: the run has threads (the progress bar, the pool's
            # own), and a forked copy of a process with threads can deadlock.
            context = multiprocessing.get_context("spawn")
            # Worker processes write letters out of order: the first letter (by
            # count) that failed, so that only letters after it stop.
            failed: FirstFailure = context.Value("q", NO_FAILURE)
            self._workers = ProcessPoolExecutor(
                self._processes,
                mp_context=context,
                initializer=start_worker,
                # Sent once to each worker, so jobs carry only riding codes.
                initargs=(self._settings, dict(self._ridings), failed),
            )
            # The pool starts a worker when a task finds none idle: as many
            # tasks at once (that do nothing) start them all, here, to be ready
            # when letters come.
            with _held_for_new_processes():
                for _ in range(self._processes):
                    self._warm_up.append(self._workers.submit(os.getpid))

    def write_pdf_bundles(self, bundles: list[PdfBundle]) -> None:
        """Write the run's PDF bundles: in the worker processes when the run has them, else here.

        Each bundle lays its letters out again, and one PDF document's fixed
        cost (its fonts cut down) is most of a small bundle's: a run with many
        MPs has hundreds.
        """
        if self._workers is None:
            from mpwrite.bulk.bundles import write_pdf_bundle
            from mpwrite.output.formats import PageSetup

            page = PageSetup(self._settings.paper, self._settings.envelope)
            for bundle in bundles:
                write_pdf_bundle(bundle, self._compose, page)
            return
        try:
            with _held_for_new_processes():  # a worker that died is replaced
                done = list(self._workers.map(write_bundle, bundles))
        except BrokenExecutor as broken:
            raise _worker_stopped(broken) from None
        assert len(done) == len(bundles)

    def _compose(self, job: LetterJob) -> Letter:
        return compose_job(job, self._settings, self._campaign, self._ridings)

    def close(self, *, abandon: bool = False) -> None:
        """Send what is left, wait for every letter handed out, then stop.

        ``abandon`` (the run stops on an error): letters not yet started are
        dropped, so as few as possible are written that the report cannot name.
        """
        if abandon:
            self._jobs, self._letters = [], []
        try:
            self.send()
        finally:
            if self._workers is not None:
                self._workers.shutdown(wait=True, cancel_futures=abandon)


def _worker_stopped(broken: BrokenExecutor) -> LetterWorkerError:
    return LetterWorkerError(
        f"a process writing letters stopped unexpectedly ({type(broken).__name__}); "
        f"run the same command again: letters already written are kept"
    )


@contextmanager
def _held_for_new_processes() -> Iterator[None]:
    """Within the block, this thread holds SIGINT and SIGTERM back; processes started inherit that.

    A worker process that gets Ctrl-C, or a SIGTERM sent to the whole process
    group, before :func:`start_worker` has decided what they mean dies, and
    breaks the pool. Born with both blocked (the mask survives exec), it decides
    first. Here a signal that comes in the block waits until the block ends.
    """
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def usable_cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1
