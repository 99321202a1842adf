"""Logging a bulk run's letters in the campaign ledger (``mpwrite bulk --log``).

Entries are made in the main process as each row's outcome is recorded, and
written a batch at a time, each batch one transaction. A letter written now or
found already written (``unchanged``) is logged; its key comes from the
campaign, demand, channel and the supporter's name and postal code (or riding),
so running the same command again counts every letter once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mpwrite.bulk.outcomes import UNCHANGED, WRITTEN, RowOutcome
from mpwrite.bulk.supporters import ROW_FIELDS, home_key, language_of, name_key
from mpwrite.errors import MpwriteError
from mpwrite.ledger.letters import channel_of, ledger_file, new_session_id
from mpwrite.ledger.record import Entry, Supporter, log_entries
from mpwrite.ledger.store import Ledger

if TYPE_CHECKING:
    from collections.abc import Callable

    from mpwrite.bulk.rows import BulkOptions
    from mpwrite.campaign.folder import Campaign
    from mpwrite.csvfiles.reader import Columns, InputRow

#: Entries written per transaction: few syncs, and little lost to a crash.
BATCH = 200


@dataclass(frozen=True, slots=True)
class LedgerSettings:
    """Where a run logs its letters, and whether supporters' names and e-mails go too."""

    path: Path | None = None
    keep_supporters: bool = False


class BulkLedgerLog:
    """The ledger of one bulk run: :meth:`add` each outcome, :meth:`close` at the end."""

    def __init__(
        self,
        settings: LedgerSettings,
        campaign: Campaign,
        *,
        fmt: str,
        lang: str,
        demand: str | None,
    ) -> None:
        self.path = ledger_file(settings.path, campaign.id)
        self._ledger = Ledger.open(self.path)
        self._keep = settings.keep_supporters
        self._campaign = campaign
        self._columns: Columns | None = None
        self._fields: Callable[[list[str]], list[str]] = lambda cells: cells
        self._channel = channel_of(fmt)
        self._lang = lang
        self._default_demand = demand or campaign.default_demand
        self._source = new_session_id("bulk")
        self._pending: list[Entry] = []
        #: Letters of this run, and how many of them were new to the ledger.
        self.letters = 0
        self.added = 0
        #: Why logging stopped (the ledger became unusable), or None.
        self.failure: MpwriteError | None = None

    def add(self, row: InputRow, outcome: RowOutcome, columns: Columns) -> None:
        """Note a row's letter, if it has one; write a batch when one is full."""
        if outcome.status not in (WRITTEN, UNCHANGED) or self.failure is not None:
            return
        if columns is not self._columns:
            self._columns, self._fields = columns, columns.picker(ROW_FIELDS)
        fields = self._fields(row.cells)
        self.letters += 1
        name, first, last, language, demand, riding, postal = fields[:7]
        name = name or " ".join(part for part in (first, last) if part)
        where = home_key(_compact(postal), postal, riding)
        self._pending.append(
            Entry(
                campaign=self._campaign.id,
                demand=self._campaign.demand(demand or self._default_demand).id,
                language=language_of(language, self._lang) or self._lang,
                riding_code=outcome.riding_code,
                riding_name=outcome.riding_name,
                mp_name=outcome.mp,
                mp_party=outcome.party,
                province=outcome.province,
                channel=self._channel,
                source=self._source,
                identity=("bulk", name_key(name), where),
                supporter=Supporter(name, fields[9]) if self._keep else None,
            )
        )
        if len(self._pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        """Write the entries noted so far, in one transaction."""
        if not self._pending or self.failure is not None:
            return
        try:
            self.added += log_entries(self._ledger, self._pending, keep_supporters=self._keep)
        except MpwriteError as error:
            # The letters are written: the run goes on and reports the ledger's trouble.
            self.failure = error
        self._pending = []

    def close(self) -> None:
        """Write what is left and close the ledger."""
        try:
            self.flush()
        finally:
            self._ledger.close()


def open_ledger_log(options: BulkOptions, campaign: Campaign) -> BulkLedgerLog | None:
    """The run's ledger log when it logs (``--log``, and not a dry run), else None."""
    if options.ledger is None or options.dry_run:
        return None
    return BulkLedgerLog(
        options.ledger, campaign, fmt=options.fmt, lang=options.lang, demand=options.demand
    )


def _compact(postal_text: str) -> str | None:
    from mpwrite.errors import MalformedPostalCodeError
    from mpwrite.geo.postal import parse_postal_code

    try:
        return parse_postal_code(postal_text).compact if postal_text else None
    except MalformedPostalCodeError:
        return None
