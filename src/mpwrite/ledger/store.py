"""Opening a ledger file: creating it, bringing an older one up to date, refusing a bad one.

A ledger is checked read-only before anything is written to it: a file that is
not an mpwrite ledger, is damaged, or comes from a newer mpwrite is refused
with a clear error and left byte for byte as it was. Several processes may log
at once: the database runs in WAL mode, a writer waits for another's lock, and
each write is one transaction. ``sqlite3`` is imported only when a ledger is
opened, so commands that do not log pay nothing for it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import secrets
import stat
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mpwrite.errors import LedgerDamagedError, LedgerError, LedgerInputError, LedgerTooNewError
from mpwrite.i18n import _
from mpwrite.ledger.schema import APPLICATION, MIGRATIONS, SCHEMA_VERSION

if TYPE_CHECKING:
    import sqlite3

#: Milliseconds a writer waits for another process's lock before giving up.
BUSY_TIMEOUT_MS = 30_000
#: The folder of mpwrite's data home that holds one ledger per campaign.
LEDGERS_FOLDER = "ledgers"
_SQLITE_HEADER = b"SQLite format 3\x00"
# A campaign id becomes a file name: nothing that could climb out of the folder.
_CAMPAIGN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


def default_ledger_path(campaign_id: str) -> Path:
    """Where a campaign's ledger lives when no ``--ledger FILE`` is given."""
    if not _CAMPAIGN_ID.fullmatch(campaign_id) or ".." in campaign_id:
        raise LedgerInputError(
            _(
                "{campaign!r} cannot name a ledger file; give --ledger FILE or a campaign id "
                "of letters, digits, dots, dashes and underscores"
            ).format(campaign=campaign_id)
        )
    from mpwrite.geo.store import data_home

    return data_home() / LEDGERS_FOLDER / f"{campaign_id}.sqlite3"


def known_campaigns() -> list[str]:
    """The campaigns that have a ledger in mpwrite's data home."""
    from mpwrite.geo.store import data_home

    folder = data_home() / LEDGERS_FOLDER
    try:
        return sorted(path.stem for path in folder.glob("*.sqlite3") if path.is_file())
    except OSError:
        return []


def find_ledger(explicit: Path | None, campaign: str | None) -> Path:
    """The ledger a command reads: ``--ledger``, the campaign's, or the only one there is."""
    if explicit is not None:
        return explicit
    if campaign is not None:
        return default_ledger_path(campaign)
    known = known_campaigns()
    if len(known) == 1:
        return default_ledger_path(known[0])
    if not known:
        raise LedgerError(
            _("there is no ledger yet; log letters with --log, or give --ledger FILE")
        )
    raise LedgerInputError(
        _(
            "there are ledgers for several campaigns ({campaigns}); choose one with --campaign ID"
        ).format(campaigns=", ".join(known))
    )


class Ledger:
    """An open ledger file, at the current schema version."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self._connection = connection

    @classmethod
    def open(cls, path: Path, *, create: bool = True) -> Ledger:
        """The ledger at ``path``, created (with ``create``) or brought up to date."""
        path = Path(path)
        if not _inspect(path):  # no file, an empty one, or SQLite with no tables yet
            if not create:
                raise LedgerError(
                    _("there is no ledger at {path}; log letters with --log first").format(
                        path=path
                    )
                )
            _create_private(path)
        return cls(path, _connect(path))

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the database connection."""
        self._connection.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it is kept, or on any failure none of it."""
        import sqlite3

        connection = self._connection
        try:
            connection.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise _error(self.path, error) from None
        try:
            yield connection
        except sqlite3.Error as error:
            connection.execute("ROLLBACK")
            raise _error(self.path, error) from None
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        try:
            connection.execute("COMMIT")
        except sqlite3.Error as error:
            with contextlib.suppress(sqlite3.Error):
                connection.execute("ROLLBACK")
            raise _error(self.path, error) from None

    def rows(self, sql: str, parameters: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        """The rows a query gives; a damaged or locked file is a LedgerError."""
        import sqlite3

        try:
            return self._connection.execute(sql, tuple(parameters)).fetchall()
        except (sqlite3.Error, UnicodeDecodeError) as error:
            raise _error(self.path, error) from None

    def meta(self, key: str) -> str | None:
        """One value of the ledger's own settings."""
        found = self.rows("SELECT value FROM ledger_meta WHERE key = ?", (key,))
        return str(found[0][0]) if found else None

    def date(self, value: object) -> dt.date:
        """A date the ledger holds; one that is not YYYY-MM-DD means a damaged ledger."""
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise LedgerDamagedError(
                _("the ledger {path} holds a date that is not YYYY-MM-DD: {value!r}").format(
                    path=self.path, value=value
                )
            ) from None

    def scrub(self) -> None:
        """Push deleted data out of the write-ahead log into the (zeroed) main file."""
        import sqlite3

        try:
            self._connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error as error:
            raise _error(self.path, error) from None


def _inspect(path: Path) -> int | None:
    """The schema version of the ledger at ``path``, None when there is none yet.

    Read-only: nothing is written to a file until it is known to be a ledger
    this mpwrite can use.
    """
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as error:
        raise LedgerError(
            _("cannot read the ledger {path}: {reason}").format(path=path, reason=error.strerror)
        ) from None
    if not stat.S_ISREG(mode):
        raise LedgerError(
            _("{path} is not a regular file; give the path of a ledger file").format(path=path)
        )
    try:
        with path.open("rb") as file:
            header = file.read(len(_SQLITE_HEADER))
    except OSError as error:
        raise LedgerError(
            _("cannot read the ledger {path}: {reason}").format(path=path, reason=error.strerror)
        ) from None
    if not header:
        return None  # an empty file (as a fresh shared one): the ledger is made in it
    if header != _SQLITE_HEADER:
        raise _damaged(path)
    return _checked_version(path)


def _checked_version(path: Path) -> int:
    import sqlite3
    from urllib.parse import quote

    try:
        connection = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True)
    except sqlite3.Error:
        raise _damaged(path) from None
    try:
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        if not tables:
            return 0
        if "ledger_meta" not in tables:
            raise _not_a_ledger(path)
        meta = dict(connection.execute("SELECT key, value FROM ledger_meta").fetchall())
        if meta.get("application") != APPLICATION:
            raise _not_a_ledger(path)
        version = int(meta.get("schema_version", ""))
        if version > SCHEMA_VERSION:
            raise _too_new(path, version)
        if connection.execute("PRAGMA quick_check").fetchone() != ("ok",):
            raise _damaged(path)
        return version
    except sqlite3.OperationalError as error:
        # Locked, or not readable here (permissions): not a verdict on the file.
        raise _error(path, error) from None
    except (sqlite3.Error, UnicodeDecodeError, ValueError):
        raise _damaged(path) from None
    finally:
        connection.close()


def _connect(path: Path) -> sqlite3.Connection:
    """A read-write connection to a checked ledger, its schema brought up to date."""
    import sqlite3

    # Switching a brand-new file to WAL can meet another process's lock before
    # busy_timeout applies, so set-up is retried until the deadline.
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    attempt = 0
    while True:
        attempt += 1
        connection = None
        try:
            connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            connection.execute("PRAGMA journal_mode = WAL")
            # Letters logged are worth a sync each: a power cut must not lose them.
            connection.execute("PRAGMA synchronous = FULL")
            # forget must really remove a supporter's name, not leave it in free pages.
            connection.execute("PRAGMA secure_delete = ON")
            _migrate(path, connection)
            return connection
        except sqlite3.OperationalError as error:
            if connection is not None:
                connection.close()
            if not _is_busy(error) or time.monotonic() >= deadline:
                raise _error(path, error) from None
            time.sleep(0.05 * attempt)
        except (sqlite3.Error, UnicodeDecodeError) as error:
            if connection is not None:
                connection.close()
            raise _error(path, error) from None
        except BaseException:
            if connection is not None:
                connection.close()
            raise


def _migrate(path: Path, connection: sqlite3.Connection) -> None:
    """Run the schema steps the file is missing, all in one transaction."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        # Read again under the lock: another process may have just created it.
        version = _version(connection)
        if version > SCHEMA_VERSION:
            raise _too_new(path, version)
        for statements in MIGRATIONS[version:]:
            for statement in statements:
                connection.execute(statement)
        if version < SCHEMA_VERSION:
            connection.executemany(
                "INSERT OR REPLACE INTO ledger_meta (key, value) VALUES (?, ?)",
                [("application", APPLICATION), ("schema_version", str(SCHEMA_VERSION))],
            )
            connection.execute(
                "INSERT OR IGNORE INTO ledger_meta (key, value) VALUES ('key_salt', ?)",
                (secrets.token_hex(16),),
            )
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise


def _version(connection: sqlite3.Connection) -> int:
    has_meta = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'ledger_meta'"
    ).fetchone()
    if not has_meta:
        return 0
    found = connection.execute(
        "SELECT value FROM ledger_meta WHERE key = 'schema_version'"
    ).fetchone()
    return int(found[0]) if found else 0


def _create_private(path: Path) -> None:
    """The ledger's folder (0o700) and file (0o600): it may hold supporters' names."""
    folder = path.parent
    try:
        if not folder.exists():
            folder.mkdir(parents=True, mode=0o700, exist_ok=True)
            folder.chmod(0o700)  # mkdir's mode is reduced by the umask, never widened
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    except OSError as error:
        raise LedgerError(
            _(
                "cannot create the ledger {path}: {reason}; give --ledger FILE in a writable folder"
            ).format(path=path, reason=error.strerror)
        ) from None


def _is_busy(error: Exception) -> bool:
    return "locked" in str(error) or "busy" in str(error)


def _damaged(path: Path) -> LedgerDamagedError:
    return LedgerDamagedError(
        _(
            "the ledger {path} is damaged or not a ledger; it was left as it is: restore it "
            "from a copy, or give another --ledger FILE"
        ).format(path=path)
    )


def _not_a_ledger(path: Path) -> LedgerDamagedError:
    return LedgerDamagedError(
        _(
            "{path} is an SQLite file but not an mpwrite ledger; it was left as it is: give "
            "another --ledger FILE"
        ).format(path=path)
    )


def _too_new(path: Path, version: int) -> LedgerTooNewError:
    return LedgerTooNewError(
        _(
            "the ledger {path} was written by a newer mpwrite (schema {found}, this one knows "
            "up to {known}); upgrade mpwrite to use it"
        ).format(path=path, found=version, known=SCHEMA_VERSION)
    )


def _error(path: Path, error: Exception) -> LedgerError:
    if _is_busy(error):
        return LedgerError(
            _(
                "the ledger {path} is locked by another process; try again when it has finished"
            ).format(path=path)
        )
    if "malformed" in str(error) or "not a database" in str(error):
        return _damaged(path)
    return LedgerError(_("cannot use the ledger {path}: {reason}").format(path=path, reason=error))
