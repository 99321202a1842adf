"""Composing, rendering and writing bulk letters off the main thread.

The main thread reads rows, looks ridings up and decides each row's fate; a
letter to write becomes a :class:`LetterJob` for a :class:`LetterPool`. Its
outcome comes back as a :class:`PendingLetter`, which the run records in
input order.

One letter's work is :func:`mpwrite.bulk.letters.make_letter`. A run's first
letters go to one writer thread, which starts at once. A long run then hands
letters in batches to worker processes, one per core: composing and rendering a
letter is processor work, which threads of one process cannot share out, and
starting a process costs about as much as a few thousand text letters (or a few
PDF letters). Worker processes ignore Ctrl-C: the run stops reading rows, and
the letters already handed out finish, each atomically.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Mapping
from concurrent.futures import BrokenExecutor, Executor, Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import TYPE_CHECKING, Protocol

from mpwrite.bulk.letters import LetterDone, LetterJob, LetterSettings, make_letter
from mpwrite.bulk.outcomes import RowOutcome, with_status
from mpwrite.bulk.worker_process import (
    NO_FAILURE,
    STOPPED,
    FirstFailure,
    ready,
    start_worker,
    write_batch,
)
from mpwrite.errors import LetterWorkerError, MpwriteError

if TYPE_CHECKING:
    from mpwrite.campaign.folder import Campaign
    from mpwrite.geo.ridings import Riding

__all__ = ["LetterJob", "LetterPool", "LetterSettings", "PendingLetter", "usable_cores"]


class PendingLetter:
    """A letter handed to the pool: its outcome once written."""

    __slots__ = ("_base", "_batch", "_index")

    def __init__(self, batch: _Batch, index: int, base: RowOutcome) -> None:
        self._batch = batch
        self._index = index
        self._base = base

    def done(self) -> bool:
        """Whether :meth:`result` would return (or raise) without waiting."""
        batch = self._batch
        return batch.outcomes is not None or (batch.future is not None and batch.future.done())

    def wait(self) -> None:
        """Until the outcome is at hand (or the error that stopped the letter)."""
        batch = self._batch
        if batch.outcomes is None:
            batch.send()
            assert batch.future is not None
            batch.future.exception()  # waits; result() reports what went wrong

    def result(self) -> RowOutcome:
        """The outcome, waiting for it; the error that stopped the letter's batch, if any."""
        batch = self._batch
        outcomes = batch.outcomes if batch.outcomes is not None else batch.collect()
        if self._index < len(outcomes):
            status, reason, shown = outcomes[self._index]
            return with_status(self._base, status, reason, shown)
        assert batch.error is not None
        raise batch.error


class _Batch:
    """Jobs that go to one worker together, and the future of their outcomes."""

    __slots__ = ("_executor", "_pool", "error", "first", "future", "jobs", "outcomes")

    def __init__(self, pool: LetterPool, executor: Executor) -> None:
        self._pool = pool
        self._executor = executor
        self.jobs: list[LetterJob] = []
        #: The run's count of letters at the batch's first (letters go in batches in order).
        self.first = 0
        self.future: Future[tuple[list[LetterDone], MpwriteError | None]] | None = None
        #: Once collected: the outcomes, up to the error that stopped the batch (if any).
        self.outcomes: list[LetterDone] | None = None
        self.error: MpwriteError | None = None

    def send(self) -> None:
        if self.future is None:
            self._pool.sent(self)
            try:
                if self._pool.may_start_a_worker(self._executor):
                    with _ctrl_c_ignored():
                        self.future = self._executor.submit(write_batch, self.jobs, self.first)
                else:
                    self.future = self._executor.submit(write_batch, self.jobs, self.first)
            except BrokenExecutor as broken:
                raise _worker_stopped(broken) from None

    def collect(self) -> list[LetterDone]:
        """The outcomes, waiting for them (kept, so each letter's costs no wait)."""
        self.send()
        assert self.future is not None
        try:
            self.outcomes, self.error = self.future.result()
        except BrokenExecutor as broken:  # a worker killed, or unable to start
            raise _worker_stopped(broken) from None
        self.jobs = []  # done with: a batch is kept until its last letter is recorded
        return self.outcomes


def _worker_stopped(broken: BrokenExecutor) -> LetterWorkerError:
    return LetterWorkerError(
        f"a process writing letters stopped unexpectedly ({type(broken).__name__}); "
        f"run the same command again: letters already written are kept"
    )


#: Letters of a format written on the writer thread before worker processes start.
PROCESSES_AFTER = {"pdf": 8}
PROCESSES_AFTER_OTHERS = 2000
#: Worker processes at most, however many cores: the main process can feed about
#: four, and each holds its own copy of the campaign and the ridings (tens of MB).
MOST_WORKERS = 4
#: Letters of a format sent to a worker process at a time.
BATCH_SIZE = {"pdf": 2}
BATCH_SIZE_OTHERS = 256


class LetterPool:
    """Hands letter jobs to a writer thread, then, in a long run, to worker processes."""

    def __init__(
        self,
        settings: LetterSettings,
        campaign: Campaign,
        ridings: Mapping[str, Riding],
        processes: int | None = None,
        *,
        long_run: bool = False,
    ) -> None:
        """``long_run``: the run is known to be long, so worker processes start with its
        first letter, and start up while the writer thread writes the first letters."""
        self._long_run = long_run
        self._settings = settings
        self._campaign = campaign
        self._ridings = ridings
        self._processes = min(usable_cores(), MOST_WORKERS) if processes is None else processes
        self._processes_after = PROCESSES_AFTER.get(settings.fmt, PROCESSES_AFTER_OTHERS)
        self._batch_size = BATCH_SIZE.get(settings.fmt, BATCH_SIZE_OTHERS)
        self._thread: ThreadPoolExecutor | None = None
        self._workers: Executor | None = None
        self._batch: _Batch | None = None
        self._submitted = 0
        # Set by the first letter that fails: no letter starts after it, so
        # none is written that the report, which stops at that row, cannot name.
        self._failed = threading.Event()
        # In worker processes, letters are written out of order: the first
        # letter (by count) that failed, so that only letters after it stop.
        self._workers_failed: FirstFailure | None = None

    @property
    def in_flight(self) -> int:
        """Letters the run may leave unrecorded while it reads on: enough to keep all busy."""
        if self._processes < 2 or self._submitted <= self._processes_after:
            return 64  # the writer thread's
        return self._batch_size * max(self._processes, 1) * 3

    def submit(self, job: LetterJob, base: RowOutcome) -> PendingLetter:
        """The job's outcome, to come: ``base`` (the row's) with the letter's status."""
        self._submitted += 1
        if self._processes < 2 or self._submitted <= self._processes_after:
            if self._long_run and self._processes >= 2:
                self._start_workers()
            return self._on_thread(job, base)
        batch = self._batch
        if batch is None:
            batch = self._batch = _Batch(self, self._start_workers())
            batch.first = self._submitted
        batch.jobs.append(job)
        pending = PendingLetter(batch, len(batch.jobs) - 1, base)
        if len(batch.jobs) >= self._batch_size:
            batch.send()
        return pending

    def sent(self, batch: _Batch) -> None:
        """``batch`` is on its way: later jobs start a new one."""
        if self._batch is batch:
            self._batch = None

    def _on_thread(self, job: LetterJob, base: RowOutcome) -> PendingLetter:
        if self._thread is None:
            self._thread = ThreadPoolExecutor(1, thread_name_prefix="mpwrite-letters")
        batch = _Batch(self, self._thread)
        batch.future = self._thread.submit(
            _write_one,
            job,
            self._settings,
            self._campaign,
            self._ridings,
            self._failed,
        )
        return PendingLetter(batch, 0, base)

    def _start_workers(self) -> Executor:
        if self._workers is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # spawn, not fork: the run has threads (the writer, the progress
            # bar), and a forked copy of a process with threads can deadlock.
            context = multiprocessing.get_context("spawn")
            self._workers_failed = context.Value("q", NO_FAILURE)
            workers = ProcessPoolExecutor(
                self._processes,
                mp_context=context,
                initializer=start_worker,
                # Sent once to each worker, so jobs carry only riding codes.
                initargs=(self._settings, dict(self._ridings), self._workers_failed),
            )
            self._workers = workers
            # Workers must be born ignoring Ctrl-C: one that gets it while
            # starting up dies and breaks the pool. The pool starts a worker
            # when a task finds none idle, so as many tasks at once start them
            # all, here, and later batches need not ignore Ctrl-C (see
            # may_start_a_worker for the rare worker started later).
            try:
                with _ctrl_c_ignored():
                    for _ in range(self._processes):
                        workers.submit(ready)
            except BrokenExecutor as broken:
                raise _worker_stopped(broken) from None
        return self._workers

    def may_start_a_worker(self, executor: Executor) -> bool:
        """Whether handing ``executor`` a task may start a worker process.

        Only the process pool starts any, while it has fewer than it may. A
        pool that does not say how many it has (another Python) may always.
        """
        if executor is not self._workers:
            return False
        started = getattr(executor, "_processes", None)
        return started is None or len(started) < self._processes

    def close(self, *, abandon: bool = False) -> None:
        """Send what is left, wait for every letter handed out, then stop.

        ``abandon`` (the run stops on an error): letters not yet started are
        dropped, so as few as possible are written that the report cannot name.
        """
        if abandon:
            self._batch = None
        try:
            if self._batch is not None:
                self._batch.send()
        finally:
            for executor in (self._thread, self._workers):
                if executor is not None:
                    executor.shutdown(wait=True, cancel_futures=abandon)


@contextmanager
def _ctrl_c_ignored() -> Iterator[None]:
    """Within the block, SIGINT is ignored and SIGTERM blocked (from the main thread only).

    Processes started in the block inherit the ignoring, and Python keeps it.
    A Ctrl-C in the block itself (while processes start) is lost.
    """
    import signal

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A worker that gets SIGTERM (a stop sent to the whole process group) before
    # start_worker has decided what it means dies, and breaks the pool. So it is
    # born with SIGTERM blocked (the mask survives exec); here a SIGTERM waits
    # until the block ends, and is not lost.
    masked = hasattr(signal, "pthread_sigmask")
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM}) if masked else set()
    try:
        yield
    finally:
        if masked:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        # None: a handler not set from Python, which cannot be put back; the default is.
        signal.signal(signal.SIGINT, signal.SIG_DFL if previous is None else previous)


def usable_cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _write_one(
    job: LetterJob,
    settings: LetterSettings,
    campaign: Campaign,
    ridings: Mapping[str, Riding],
    failed: EventLike,
) -> tuple[list[LetterDone], MpwriteError | None]:
    if failed.is_set():
        return [], STOPPED
    try:
        return [make_letter(job, settings, campaign, ridings)], None
    except MpwriteError as error:
        failed.set()
        return [], error


class EventLike(Protocol):
    """A threading or multiprocessing Event."""

    def is_set(self) -> bool: ...

    def set(self) -> None: ...
