"""``mpwrite bulk``: a letter for every supporter in a CSV, and a report on every row."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, BinaryIO

import typer

from mpwrite.cli.commands._ledger import LedgerFile, Log, LogSupporters, wants_log
from mpwrite.cli.commands._options import Online, RepresentUrl, parse_date
from mpwrite.cli.commands._output import emit_json, note, note_stale_demands, warn_if_stale
from mpwrite.errors import UsageError
from mpwrite.i18n import N_, _, use_english_everywhere, use_language

if TYPE_CHECKING:
    from rich.console import Console

    from mpwrite.bulk.run import BulkProgress, BulkSummary

#: Seconds between plain progress lines when stderr is not a terminal.
PLAIN_PROGRESS_INTERVAL = 10.0
EXIT_INTERRUPTED = 130


def bulk(
    supporters: Annotated[
        str, typer.Argument(help=N_("The supporters' CSV file, or - to read it from stdin."))
    ],
    out: Annotated[
        str | None,
        typer.Option(
            "--out", "-o", help=N_("Folder for the letters, report.csv and needs-review.csv.")
        ),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help=N_("Letter format: txt, md, html, eml or pdf."))
    ] = "txt",
    group_by: Annotated[
        str | None,
        typer.Option(
            "--group-by",
            help=N_(
                "'mp': a folder per riding and, for txt/md/html/pdf, one combined file per MP."
            ),
        ),
    ] = None,
    approximate: Annotated[
        str,
        typer.Option(
            "--approximate",
            help=N_(
                "'review' (default): rows with only a likely riding go to needs-review.csv; "
                "'accept': write them to the likely riding."
            ),
        ),
    ] = "review",
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help=N_("Read, look up and report; write no letters."))
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help=N_("Replace letters whose content changed."))
    ] = False,
    lang: Annotated[
        str,
        typer.Option(
            "--lang", "-l", help=N_("Language for rows without one: en, fr, English, français…")
        ),
    ] = "en",
    demand: Annotated[
        str | None,
        typer.Option("--demand", "-d", help=N_("Demand (number or id) for rows without one.")),
    ] = None,
    campaign: Annotated[
        str | None, typer.Option("--campaign", help=N_("A campaign folder (default: bundled)."))
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option(
            "--encoding",
            help=N_(
                "The CSV's text encoding (default: UTF-8, bytes that are not read as Windows-1252)."
            ),
        ),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option("--date", help=N_("Date on the letters, YYYY-MM-DD (default: today).")),
    ] = None,
    online: Online = False,
    represent_url: RepresentUrl = None,
    paper: Annotated[
        str, typer.Option("--paper", help=N_("PDF paper size: letter (default) or a4."))
    ] = "letter",
    envelope: Annotated[
        bool,
        typer.Option("--envelope", help=N_("PDF: a #10 envelope page after each letter.")),
    ] = False,
    labels: Annotated[
        bool,
        typer.Option(
            "--labels", help=N_("PDF: labels.pdf in --out, one address label per MP with letters.")
        ),
    ] = False,
    require_own_words: Annotated[
        bool,
        typer.Option(
            "--require-own-words",
            help=N_("Rows with an empty note go to needs-review.csv instead of getting a letter."),
        ),
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help=N_("Print the summary as JSON on stdout."))
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help=N_("No progress, no summary table."))
    ] = False,
    log: Log = False,
    log_supporters: LogSupporters = False,
    ledger: LedgerFile = None,
) -> None:
    """Write a letter for every supporter in a CSV file, with a report on every row."""
    # report.csv's reasons are data for organizers' tools: the same words in every
    # locale, from this process and its letter workers alike.
    use_english_everywhere()
    from mpwrite.bulk.ledger_log import LedgerSettings
    from mpwrite.bulk.run import BulkOptions, run_bulk
    from mpwrite.campaign.folder import load_campaign
    from mpwrite.choices import parse_format, parse_language

    lang = parse_language(lang)
    fmt = parse_format(fmt)
    if group_by not in (None, "mp"):
        raise UsageError(f"--group-by takes only 'mp', not {group_by!r}")
    if out is not None and not out.strip():
        # Path("") is the current folder: letters would land wherever bulk was started.
        raise UsageError("--out is empty; give the folder for the letters, e.g. --out letters")
    options = BulkOptions(
        out_dir=Path(out) if out is not None else None,
        fmt=fmt,
        group_by_mp=group_by == "mp",
        approximate=approximate,
        dry_run=dry_run,
        force=force,
        lang=lang,
        demand=demand,
        campaign=campaign,
        encoding=encoding,
        date=parse_date(date),
        online=online or represent_url is not None,
        represent_url=represent_url,
        paper=paper,
        envelope=envelope,
        labels=labels,
        require_own_words=require_own_words,
        ledger=LedgerSettings(ledger, log_supporters)
        if wants_log(log, log_supporters, ledger)
        else None,
    )
    note_stale_demands(load_campaign(campaign))
    source: Path | BinaryIO = (
        typer.get_binary_stream("stdin") if supporters == "-" else Path(supporters)
    )
    with _ProgressReporter(quiet) as progress:
        summary = run_bulk(source, options, progress=progress)
    if lang == "fr":
        # The report is written: the lines for the organizer can now be in French
        # (the reasons quoted from the report stay as written there).
        use_language("fr")
    warn_if_stale(summary.mp_data_as_of)
    _note_ledger(summary, wants_log(log, log_supporters, ledger))
    # Shown even with --quiet: they explain why rows went to review.
    for message, rows in summary.warnings.most_common():
        note(
            (
                _("Warning: {message} (1 row)")
                if rows == 1
                else _("Warning: {message} ({count} rows)")
            ).format(message=message, count=f"{rows:,}")
        )
    if as_json:
        emit_json(summary.as_dict())
    elif not quiet:
        _print_summary(summary)
    if summary.interrupted:
        note(
            _("Interrupted: the report covers the {count} rows done so far.").format(
                count=summary.rows
            )
        )
        raise typer.Exit(EXIT_INTERRUPTED)
    if summary.exit_code and not quiet:
        unresolved = (
            _("1 row got no letter; see the report")
            if summary.unresolved == 1
            else _("{count} rows got no letter; see the report")
        ).format(count=summary.unresolved)
        if summary.needs_review:
            unresolved += _(" and {path}").format(path=summary.needs_review)
        note(unresolved + ".")
    raise typer.Exit(summary.exit_code)


def _note_ledger(summary: BulkSummary, asked: bool) -> None:
    """What --log did: letters logged, or why the ledger could not take them."""
    logged = summary.ledger
    if logged is None:
        if asked:
            note(_("Nothing was logged: a dry run writes no letters."))
        return
    if logged.failure is not None:
        note(
            _("Error: {message} (the letters themselves were written)").format(
                message=logged.failure
            )
        )
        return
    before = logged.letters - logged.added
    message = _("Logged {count} letters in the ledger {path}.").format(
        count=f"{logged.added:,}", path=logged.path
    )
    if before:
        message += " " + _("{count} more were logged already.").format(count=f"{before:,}")
    note(message)


def _time_left(seconds: float | None) -> str:
    """ " , about 3 min left" for a progress line; empty while unknown."""
    if seconds is None:
        return ""
    if seconds < 60:
        return f", about {seconds:.0f} s left"
    if seconds < 3600:
        return f", about {seconds / 60:.0f} min left"
    return f", about {seconds / 3600:.1f} h left"


class _ProgressReporter:
    """The progress callback: a Rich bar on a terminal, plain lines otherwise, or nothing."""

    def __init__(self, quiet: bool) -> None:
        self._quiet = quiet
        self._bar: object | None = None
        self._started = time.monotonic()
        self._last_line = self._started

    def __enter__(self) -> Callable[[BulkProgress], None] | None:
        if self._quiet:
            return None
        if sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TextColumn

            bar = Progress(
                TextColumn("{task.fields[rows]:,} rows"),
                BarColumn(),
                TextColumn("{task.fields[rate]:,.0f} rows/s"),
                # The core's estimate, which knows Represent's rate limit with --online.
                TextColumn("{task.fields[eta]}"),
                console=Console(stderr=True),
                transient=True,
            )
            bar.start()
            task = bar.add_task("bulk", total=None, rows=0, rate=0.0, eta="")
            self._bar = bar

            def update(progress: BulkProgress) -> None:
                # Redrawing costs more than a row; Rich refreshes 10 times a second anyway.
                if progress.rows % 200 and progress.rows > 200:
                    return
                elapsed = max(time.monotonic() - self._started, 1e-6)
                bar.update(
                    task,
                    total=progress.total_bytes,
                    completed=progress.bytes_read,
                    rows=progress.rows,
                    rate=progress.rows / elapsed,
                    eta=_time_left(progress.eta_seconds).removeprefix(", "),
                )

            return update

        def plain(progress: BulkProgress) -> None:
            now = time.monotonic()
            if now - self._last_line >= PLAIN_PROGRESS_INTERVAL:
                self._last_line = now
                rate = progress.rows / max(now - self._started, 1e-6)
                done = ""
                if progress.total_bytes:
                    done = f", {100 * progress.bytes_read / progress.total_bytes:.0f}% of the input"
                left = _time_left(progress.eta_seconds)
                note(f"bulk: {progress.rows:,} rows ({rate:,.0f} rows/s{done}){left}")

        return plain

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()  # type: ignore[attr-defined]


def _print_summary(summary: BulkSummary) -> None:
    from rich.console import Console
    from rich.table import Table

    from mpwrite.bulk.run import STATUSES

    console = Console(stderr=True)
    statuses = Table(title=_("Rows"), show_header=True)
    statuses.add_column(_("status"))
    statuses.add_column(_("rows"), justify="right")
    statuses.add_row(_("read"), f"{summary.rows:,}")
    for status in STATUSES:
        if summary.statuses[status]:
            statuses.add_row(status, f"{summary.statuses[status]:,}")
    console.print(statuses)
    if summary.letters:
        # Two tables: provinces and parties are separate counts, not pairs.
        for title, column, counts in (
            (_("Letters per province"), _("province"), summary.provinces),
            (_("Letters per party"), _("party"), summary.parties),
        ):
            by = Table(title=title)
            by.add_column(column)
            by.add_column(_("letters"), justify="right")
            for name, letters in sorted(counts.items(), key=lambda i: (-i[1], i[0])):
                by.add_row(name, f"{letters:,}")
            console.print(by)
        top = Table(title=_("MPs with the most letters"))
        for column in (N_("riding"), N_("MP"), N_("party"), N_("letters")):
            top.add_column(_(column), justify="right" if column == "letters" else "left")
        for entry in summary.top_mps():
            top.add_row(
                f"{entry['riding_code']} {entry['riding']}",
                str(entry["mp"]),
                str(entry["party"]),
                f"{entry['letters']:,}",
            )
        console.print(top)
    if summary.letters:
        _print_voice(console, summary)
    if summary.report:
        console.print(_("Report: {path}").format(path=summary.report), highlight=False)
    if summary.needs_review:
        console.print(_("Needs review: {path}").format(path=summary.needs_review), highlight=False)
    if summary.combined_files:
        console.print(
            _("Combined files per MP: {path}").format(path=summary.combined_files),
            highlight=False,
        )
    if summary.labels:
        console.print(_("Address labels: {path}").format(path=summary.labels), highlight=False)


def _print_voice(console: Console, summary: BulkSummary) -> None:
    """How personal the batch is: letters without own words, letters that read alike."""
    from rich.table import Table

    from mpwrite.letter.likeness import identikit_report

    console.print(
        _("Letters without the supporter's own words: {count} of {letters}").format(
            count=f"{summary.without_own_words:,}", letters=f"{summary.letters:,}"
        ),
        highlight=False,
    )
    report = identikit_report(summary.identikit, summary.mps)
    by_mp = report["by_mp"]
    assert isinstance(by_mp, list)
    if not by_mp:
        return
    alike = Table(title=_("Letters that read alike, per MP (identical or near-identical)"))
    for column in (N_("riding"), N_("MP"), N_("groups"), N_("letters"), N_("largest")):
        alike.add_column(_(column), justify="left" if column in ("riding", "MP") else "right")
    for entry in by_mp[:10]:
        groups = entry["groups"]
        alike.add_row(
            f"{entry['riding_code']} {entry['riding']}",
            str(entry["mp"]),
            str(len(groups)),
            f"{sum(group['letters'] for group in groups):,}",
            f"{groups[0]['letters']:,}",
        )
    console.print(alike)
    console.print(
        _(
            "{count} letters read like another to the same MP; "
            "offices discount such letters: ask supporters for a sentence of their own."
        ).format(count=f"{report['letters_in_groups']:,}")
        + (_(" (Comparisons were capped on this large batch.)") if report["capped"] else ""),
        highlight=False,
    )
