"""Which supporters a bulk run has met already, in flat memory however long the input.

Duplicate detection must remember every supporter of the run. It keeps an
8-byte hash per supporter: in a compact in-memory table up to
:data:`IN_MEMORY_LIMIT` supporters, then in a SQLite table in a temporary file
that is deleted when the run ends, so a run of millions of rows uses no more
memory than one of a hundred thousand.

The hashes are keyed with a random key made for the run and never stored, so
the temporary file cannot be checked against a list of names: it says nothing
about who the supporters are. Two different supporters get the same 64-bit
hash with odds of about one in 30 million at a million rows.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from array import array
from pathlib import Path
from typing import TYPE_CHECKING

from mpwrite.errors import UnwritablePathError

if TYPE_CHECKING:
    import sqlite3

#: Supporters kept in memory (8 to 16 bytes each, 2 MiB in all) before the table
#: moves to disk. Most campaigns stay below it and never pay for SQLite (about
#: 10 us a row); memory stays flat, a few MiB above a small run's, beyond it.
IN_MEMORY_LIMIT = 100_000
_INITIAL_SLOTS = 1024


class SeenSupporters:
    """A set of supporter identities that answers "seen before?" as it records."""

    def __init__(self, in_memory_limit: int | None = None, spill_dir: Path | None = None):
        self._key = os.urandom(32)
        self._limit = IN_MEMORY_LIMIT if in_memory_limit is None else in_memory_limit
        self._spill_dir = spill_dir
        self._table = array("Q", bytes(8 * _INITIAL_SLOTS))
        self._mask = _INITIAL_SLOTS - 1
        self._count = 0
        self._database: sqlite3.Connection | None = None
        self._database_path: Path | None = None

    @property
    def on_disk(self) -> bool:
        """Whether the table has moved to its temporary file."""
        return self._database is not None

    def add(self, identity: bytes) -> bool:
        """Record a supporter; False when it was recorded before."""
        value = int.from_bytes(
            hashlib.blake2b(identity, key=self._key, digest_size=8).digest(), "little"
        )
        if self._database is not None:
            return self._add_on_disk(value)
        added = self._add_in_memory(value or 1)
        if added:
            self._count += 1
            if self._count > self._limit:
                self._spill()
            elif self._count * 3 > len(self._table) * 2:
                self._grow()
        return added

    def __len__(self) -> int:
        if self._database is not None:
            row = self._database.execute("SELECT count(*) FROM seen").fetchone()
            return int(row[0])
        return self._count

    def close(self) -> None:
        """Forget everything and delete the temporary file, if any."""
        if self._database is not None:
            with contextlib.suppress(Exception):
                self._database.close()
            self._database = None
        if self._database_path is not None:
            with contextlib.suppress(OSError):
                self._database_path.unlink()
            self._database_path = None
        self._table = array("Q")
        self._count = 0

    def __enter__(self) -> SeenSupporters:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _add_in_memory(self, value: int) -> bool:
        table, mask = self._table, self._mask
        slot = value & mask
        while (present := table[slot]) != 0:
            if present == value:
                return False
            slot = (slot + 1) & mask
        table[slot] = value
        return True

    def _add_on_disk(self, value: int) -> bool:
        import sqlite3

        assert self._database is not None
        try:
            # INTEGER PRIMARY KEY is SQLite's rowid: signed 64 bits.
            cursor = self._database.execute(
                "INSERT OR IGNORE INTO seen VALUES (?)", (value - (1 << 63),)
            )
        except sqlite3.Error as error:
            raise self._unwritable(error) from None
        return cursor.rowcount == 1

    def _unwritable(self, error: Exception) -> UnwritablePathError:
        where = self._database_path.parent if self._database_path else tempfile.gettempdir()
        self.close()
        return UnwritablePathError(
            f"cannot keep the table of supporters already seen in {where} ({error}); "
            f"free some disk space there or point TMPDIR at a folder with room"
        )

    def _grow(self) -> None:
        old = self._table
        self._table = array("Q", bytes(16 * len(old)))
        self._mask = len(self._table) - 1
        for value in old:
            if value:
                self._add_in_memory(value)

    def _spill(self) -> None:
        import sqlite3

        try:
            descriptor, name = tempfile.mkstemp(
                prefix=".mpwrite-seen-", suffix=".sqlite", dir=self._spill_dir
            )
            os.close(descriptor)
        except OSError as error:
            raise self._unwritable(error) from None
        self._database_path = Path(name)
        try:
            database = self._database = sqlite3.connect(name, isolation_level=None)
            # A scratch table: no journal, no fsync, a small page cache.
            database.execute("PRAGMA journal_mode=OFF")
            database.execute("PRAGMA synchronous=OFF")
            database.execute("PRAGMA cache_size=-256")
            database.execute("PRAGMA temp_store=FILE")
            database.execute("CREATE TABLE seen (hash INTEGER PRIMARY KEY)")
            database.execute("BEGIN")
            database.executemany(
                "INSERT OR IGNORE INTO seen VALUES (?)",
                ((value - (1 << 63),) for value in self._table if value),
            )
            # The transaction stays open until close: committing each row
            # would write to the file each time, and the file is thrown away.
        except sqlite3.Error as error:
            raise self._unwritable(error) from None
        except BaseException:
            self.close()
            raise
        self._table = array("Q")
