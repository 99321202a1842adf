"""Bulk letters: one letter per supporter row, and a report accounting for every row.

:func:`run_bulk` streams the input: it reads one row, decides its fate, writes
its letter and its report line, and forgets it. What it keeps between rows is
small and bounded (counters per riding, caches of recent look-ups), and
duplicate detection keeps a keyed 8-byte hash per supporter, moved from memory
to a temporary SQLite file past a bound (:mod:`mpwrite.bulk.seen`), so memory
stays flat however long the input.

The core returns result objects (:class:`RowOutcome` per row through the
progress callback, :class:`BulkSummary` at the end) and never prints.
"""

from __future__ import annotations

import contextlib
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from mpwrite.bulk.bundles import BundledLetters, combine_per_mp
from mpwrite.bulk.files import write_streamed
from mpwrite.bulk.interrupts import CtrlCGuard
from mpwrite.bulk.ledger_log import open_ledger_log
from mpwrite.bulk.letters import LetterJob
from mpwrite.bulk.options import APPROXIMATE_CHOICES, BulkOptions
from mpwrite.bulk.outcomes import STATUSES, UNCHANGED, WRITTEN, RowOutcome
from mpwrite.bulk.output import OutputFolder
from mpwrite.bulk.report import (
    REPORT_NAME,
    AtomicCsv,
    NeedsReviewCsv,
    commit_reports,
    earlier_letters,
    open_reports,
)
from mpwrite.bulk.rows import RowProcessor
from mpwrite.bulk.summary import BulkProgress, BulkSummary, estimate_eta, record_outcome
from mpwrite.bulk.workers import PendingLetter
from mpwrite.csvfiles.reader import InputRow, SupportersReader
from mpwrite.errors import MpwriteError, UnwritablePathError, UsageError
from mpwrite.geo.lookup import Resolver
from mpwrite.geo.provenance import mp_data_as_of
from mpwrite.geo.ridings import RidingData
from mpwrite.geo.sources import online_source_of

#: Letters a combined file gathers: written or verified by the run (not a kept conflict).
_BUNDLED = frozenset({WRITTEN, UNCHANGED})

__all__ = [
    "STATUSES",
    "BulkOptions",
    "BulkProgress",
    "BulkSummary",
    "RowOutcome",
    "estimate_eta",
    "run_bulk",
]


def make_resolver(online: bool = False, represent_url: str | None = None) -> Resolver:
    """The resolver bulk uses: the active MP data (downloaded by ``data update`` or
    bundled), plus the local store, and Represent when asked."""
    from mpwrite.geo.mpdata import load_active
    from mpwrite.geo.sources import build_resolver

    data, _origin = load_active()
    return build_resolver(data, online=online, represent_url=represent_url)


def run_bulk(
    source: Path | BinaryIO,
    options: BulkOptions,
    *,
    progress: Callable[[BulkProgress], None] | None = None,
    resolver: Resolver | None = None,
) -> BulkSummary:
    """Write a letter for every supporter row of ``source`` and report on every row.

    Ctrl-C (KeyboardInterrupt) stops reading rows; letters already handed out
    finish, the report files are completed with the rows done so far and the
    summary says ``interrupted``. Any other error also completes the reports,
    then propagates.

    The output folder is locked for the run (:mod:`mpwrite.bulk.output`): a
    second run on it fails at once with OutputFolderBusyError.

    A long run writes letters in worker processes started with ``spawn``, which
    import the caller's main module again: a script calling this must keep its
    own work under ``if __name__ == "__main__":``.
    """
    _check_options(options)
    from mpwrite.campaign.folder import load_campaign

    campaign = load_campaign(options.campaign)
    if options.demand is not None:
        campaign.demand(options.demand)  # a usage error now, not one per row
    resolver = resolver or make_resolver(options.online, options.represent_url)
    as_of = mp_data_as_of(resolver.data)
    summary = BulkSummary(dry_run=options.dry_run, out_dir=options.out_dir, mp_data_as_of=as_of)
    # The input is opened first: a run that cannot read it leaves no --out folder.
    with SupportersReader(source, options.encoding) as reader, _output(options.out_dir) as out:
        summary.encoding = reader.info.encoding
        summary.delimiter = reader.info.delimiter
        summary.ledger = open_ledger_log(options, campaign)
        earlier = (
            earlier_letters(options.out_dir, options.fmt)
            if options.group_by_mp and options.out_dir is not None
            else None
        )
        report, review = open_reports(options.out_dir, reader.columns)
        if out is not None:
            out.started = True
        processor = RowProcessor(
            options, resolver, campaign, reader.columns, review, reader.info.total_bytes
        )
        # With --group-by mp, the letters this run wrote or found unchanged, by
        # folder: the combined files gather these and nothing else in the folder.
        letters: BundledLetters | None = {} if options.group_by_mp else None
        try:
            try:
                _process_rows(reader, processor, summary, report, review, progress, letters)
            finally:
                summary.warnings = processor.warnings
                summary.encoding = reader.info.encoding  # known once read: cp1252 lines?
                summary.warnings.update(reader.warnings())
                summary.identikit = processor.voices.identikit
                if summary.ledger is not None:
                    summary.ledger.close()
            if not summary.interrupted and not options.dry_run:
                _finish_files(summary, options, processor, resolver.data, letters, earlier)
        except BaseException:
            processor.close(abandon=True)
            raise
        else:
            # After the bundles: the worker processes that wrote letters write them too.
            processor.close()
    return summary


def _finish_files(
    summary: BulkSummary,
    options: BulkOptions,
    processor: RowProcessor,
    data: RidingData,
    letters: BundledLetters | None,
    earlier: dict[str, list[str]] | None,
) -> None:
    """The combined file per MP (--group-by mp) and the label sheet (--labels)."""
    try:
        if letters is not None and options.out_dir is not None:
            summary.combined_files = combine_per_mp(
                options.out_dir,
                letters,
                options.fmt,
                earlier,
                write_pdf_bundles=processor.write_pdf_bundles,
            )
        if options.labels:
            summary.labels = write_labels(summary, options, data)
    except KeyboardInterrupt:
        summary.interrupted = True


def _output(out_dir: Path | None) -> contextlib.AbstractContextManager[OutputFolder | None]:
    return OutputFolder(out_dir) if out_dir is not None else contextlib.nullcontext()


LABELS_NAME = "labels.pdf"


def write_labels(summary: BulkSummary, options: BulkOptions, data: RidingData) -> Path:
    """``labels.pdf`` in the output folder: one address label per MP who got letters.

    ``data`` is the run's own riding data, so labels name the MPs the letters do.
    """
    from mpwrite.output.pdf import render_labels, riding_label_lines

    assert options.out_dir is not None
    addresses = [
        riding_label_lines(data.ridings[code], options.lang) for code in sorted(summary.ridings)
    ]
    path = options.out_dir / LABELS_NAME
    write_streamed(path, iter([render_labels(addresses, options.paper)]))
    return path


def _process_rows(
    reader: SupportersReader,
    processor: RowProcessor,
    summary: BulkSummary,
    report: AtomicCsv | None,
    review: NeedsReviewCsv | None,
    progress: Callable[[BulkProgress], None] | None,
    letters: BundledLetters | None = None,
) -> None:
    """Every row through the processor, then the reports completed (see run_bulk).

    A long run's letters are written in worker processes (:mod:`mpwrite.bulk.workers`);
    outcomes are recorded in input order as they settle, with a bounded window
    of letters in flight so memory stays flat.
    """
    pending: deque[tuple[InputRow, RowOutcome | PendingLetter, LetterJob | None]] = deque()
    # A PDF bundle is laid out from the letters' jobs, not read back from their files.
    keep_jobs = letters is not None and processor.options.fmt == "pdf"
    started = time.monotonic()
    online = online_source_of(processor.resolver)
    ctrl_c = CtrlCGuard()

    def settle(*, quietly: bool = False) -> None:
        row, outcome, job = pending[0]
        processor.wait(outcome)  # a Ctrl-C here leaves the row pending
        with ctrl_c.held():
            done = processor.finish(row, outcome)
            pending.popleft()
            record_outcome(summary, done)
            if summary.ledger is not None:
                summary.ledger.add(row, done, reader.columns)
            if letters is not None and done.status in _BUNDLED:
                folder, _, name = done.output_file.partition("/")
                letters.setdefault(folder, {})[name] = job
            if report is not None:
                report.write(
                    (
                        str(done.row),
                        done.status,
                        done.reason,
                        done.riding_code,
                        done.mp,
                        done.output_file,
                        done.own_words,
                    )
                )
        if progress is not None and not quietly:
            eta = estimate_eta(
                summary.rows,
                reader.bytes_read,
                reader.info.total_bytes,
                time.monotonic() - started,
                online.client.requests_sent if online is not None else 0,
                online.client.limiter.estimated_seconds if online is not None else None,
            )
            progress(
                BulkProgress(summary.rows, reader.bytes_read, reader.info.total_bytes, done, eta)
            )

    def drain(keep: int) -> None:
        while pending and (
            len(pending) > keep
            or not isinstance(pending[0][1], PendingLetter)
            or pending[0][1].done()
        ):
            settle()

    try:
        with ctrl_c.installed():
            try:
                for row in reader:
                    decision = processor.decide(row)
                    # Writing the letter (or handing it out) and noting the row go
                    # together: a Ctrl-C waits for the letter in hand.
                    with ctrl_c.held():
                        job = decision.letter if keep_jobs else None
                        pending.append((row, processor.carry_out(row, decision), job))
                    drain(processor.letters_in_flight)
                    if (
                        report is not None
                        and review is not None
                        and (report.failure or review.failure)
                    ):
                        break  # the disk is full: record the rows in flight, then stop
            except KeyboardInterrupt:
                summary.interrupted = True
            # Letters already handed out finish (each atomically), so the report
            # covers every row whose letter is on disk, even after Ctrl-C.
            while pending:
                try:
                    settle(quietly=summary.interrupted)
                except KeyboardInterrupt:
                    summary.interrupted = True  # recorded, or still pending: go on
    except KeyboardInterrupt:
        summary.interrupted = True
    except MpwriteError:
        _commit(report, review, summary)
        raise
    except BaseException:
        for writer in (report, review):
            if writer is not None:
                writer.discard()
        raise
    _commit(report, review, summary)


def _check_options(options: BulkOptions) -> None:
    if options.out_dir is None and not options.dry_run:
        raise UsageError("give the folder for the letters with --out DIR (or use --dry-run)")
    if options.approximate not in APPROXIMATE_CHOICES:
        raise UsageError(
            f"--approximate must be one of {', '.join(APPROXIMATE_CHOICES)}, "
            f"not {options.approximate!r}"
        )
    if options.lang not in ("en", "fr"):
        raise UsageError(f"unknown language {options.lang!r}; use en or fr")
    from mpwrite.csvfiles.lines import checked_encoding
    from mpwrite.output.formats import file_extension

    if options.encoding is not None:
        checked_encoding(options.encoding)
    file_extension(options.fmt)
    if options.fmt != "pdf" and (options.envelope or options.labels or options.paper != "letter"):
        raise UsageError("--paper, --envelope and --labels need --format pdf")
    if options.labels and options.dry_run:
        raise UsageError("--labels writes labels.pdf; it cannot be used with --dry-run")
    from mpwrite.output.pdf import check_paper

    check_paper(options.paper)
    if options.out_dir is not None and options.out_dir.exists() and not options.out_dir.is_dir():
        raise UsageError(f"--out {options.out_dir} is a file; give a folder")


def _commit(report: AtomicCsv | None, review: NeedsReviewCsv | None, summary: BulkSummary) -> None:
    if report is None or review is None:
        return
    summary.needs_review = commit_reports(report, review)
    summary.report = report.path
    failure = report.failure or review.failure
    if failure is not None:
        raise UnwritablePathError(
            f"the disk holding {report.path.parent} is full ({failure.strerror or failure}): "
            f"the run stopped after {summary.rows:,} rows, and {REPORT_NAME} accounts for "
            f"each of them; free some space and run the same command again (letters already "
            f"written are found unchanged)"
        )
