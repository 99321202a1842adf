"""The local postal-code store: postal code → FED codes, in SQLite.

It keeps every online answer (so a code is asked once) and every row an
organisation imports from its own licensed table. It lives in the user's data
directory (``MPWRITE_HOME`` overrides it). Several mpwrite processes may use it
at once: the database runs in WAL mode, waits for locks instead of failing,
and each write is one transaction, so an interrupted run leaves either the
whole write or none of it. ``sqlite3`` is imported only when a store is opened.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mpwrite.errors import StoreError
from mpwrite.i18n import N_, _

if TYPE_CHECKING:
    import sqlite3

HOME_ENVIRONMENT_VARIABLE = "MPWRITE_HOME"
MAX_AGE_ENVIRONMENT_VARIABLE = "MPWRITE_CACHE_MAX_AGE_DAYS"
STORE_FILE_NAME = "postcodes.sqlite3"
#: Riding boundaries change once a decade, postal codes now and then: a year is
#: fresh enough, and an online run refreshes anything older.
DEFAULT_MAX_AGE_DAYS = 365
#: Milliseconds a writer waits for another process's lock before giving up.
BUSY_TIMEOUT_MS = 30_000

ORIGIN_ONLINE = "online"
ORIGIN_IMPORT = "import"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS postal_codes (
    postal_code TEXT PRIMARY KEY,
    fed_codes   TEXT NOT NULL,
    fetched_at  TEXT NOT NULL,
    origin      TEXT NOT NULL CHECK (origin IN ('online', 'import'))
)
"""


def data_home() -> Path:
    """mpwrite's own folder for the store and downloaded data (``MPWRITE_HOME`` wins)."""
    override = os.environ.get(HOME_ENVIRONMENT_VARIABLE)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("mpwrite", appauthor=False))


def default_store_path() -> Path:
    """Where the postal-code store lives."""
    return data_home() / STORE_FILE_NAME


def max_age_from_environment() -> dt.timedelta:
    """The configured cache age (``MPWRITE_CACHE_MAX_AGE_DAYS``, default a year)."""
    raw = os.environ.get(MAX_AGE_ENVIRONMENT_VARIABLE, "")
    try:
        days = int(raw) if raw.strip() else DEFAULT_MAX_AGE_DAYS
    except ValueError:
        raise StoreError(
            f"{MAX_AGE_ENVIRONMENT_VARIABLE}={raw!r} is not a whole number of days; fix or unset it"
        ) from None
    return dt.timedelta(days=max(days, 0))


def _create_private(path: Path) -> None:
    """The store's folder (0o700) and file (0o600): it holds supporters' postal codes.

    SQLite gives its -wal and -shm files the database file's mode.
    """
    folder = path.parent
    if not folder.exists():
        folder.mkdir(parents=True, mode=0o700, exist_ok=True)
        folder.chmod(0o700)  # mkdir's mode is reduced by the umask, never widened
    if path.exists():
        with contextlib.suppress(OSError):  # not ours to change: leave it as it is
            path.chmod(0o600)  # narrows a store made by an older version
        return
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


@dataclass(frozen=True, slots=True)
class StoredAnswer:
    """What the store knows about one postal code."""

    postal_code: str
    fed_codes: tuple[str, ...]
    fetched_at: dt.datetime
    origin: str

    def older_than(self, max_age: dt.timedelta, now: dt.datetime | None = None) -> bool:
        """Whether the answer is older than ``max_age``."""
        return (now or _now()) - self.fetched_at > max_age


@dataclass(frozen=True, slots=True)
class StoreSummary:
    """Counts and dates for ``mpwrite data info``."""

    path: Path
    by_origin: dict[str, int]
    oldest: dt.datetime | None
    newest: dt.datetime | None

    @property
    def total(self) -> int:
        """Postal codes on file."""
        return sum(self.by_origin.values())


class PostcodeStore:
    """Postal code → FED codes, safe to share between processes."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_store_path()
        self._connection: sqlite3.Connection | None = None

    @classmethod
    def if_exists(cls, path: Path | None = None) -> PostcodeStore | None:
        """The store when its file exists, else None (and no sqlite3 import)."""
        store = cls(path)
        return store if store.path.is_file() else None

    def __enter__(self) -> PostcodeStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the database connection."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _connect(self) -> sqlite3.Connection:
        if self._connection is not None:
            return self._connection
        import sqlite3

        try:
            _create_private(self.path)
        except OSError as error:
            raise StoreError(
                _("cannot create {path} ({reason}); set MPWRITE_HOME to a writable folder").format(
                    path=self.path, reason=error.strerror
                )
            ) from None
        # Setting up WAL on a brand-new file can itself meet another process's
        # lock before busy_timeout applies, so set-up is retried briefly.
        for attempt in range(20):
            try:
                connection = sqlite3.connect(
                    self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None
                )
                connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                connection.execute("PRAGMA journal_mode = WAL")
                connection.execute("PRAGMA synchronous = NORMAL")
                connection.execute(_SCHEMA)
            except sqlite3.OperationalError as error:
                if "locked" in str(error) or "busy" in str(error):
                    time.sleep(0.05 * (attempt + 1))
                    continue
                raise self._error(N_("open"), error) from None
            except sqlite3.Error as error:
                raise self._error(N_("open"), error) from None
            self._connection = connection
            return connection
        raise StoreError(
            _("the store {path} stayed locked by another mpwrite; try again").format(path=self.path)
        )

    def _error(self, action: str, error: Exception) -> StoreError:
        return StoreError(
            _(
                "cannot {action} the postal-code store {path} ({reason}); if it is damaged, "
                "delete it (it is only a cache) or set MPWRITE_HOME"
            ).format(action=_(action), path=self.path, reason=error)
        )

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken up front so two writers queue instead of deadlocking."""
        import sqlite3

        connection = self._connect()
        try:
            connection.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise self._error(N_("write to"), error) from None
        try:
            yield connection
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        try:
            connection.execute("COMMIT")
        except sqlite3.Error as error:
            connection.execute("ROLLBACK")
            raise self._error(N_("write to"), error) from None

    def get(self, postal_code: str) -> StoredAnswer | None:
        """The stored answer for a postal code ("K1A 0A6" form), if any."""
        import sqlite3

        try:
            row = (
                self._connect()
                .execute(
                    "SELECT postal_code, fed_codes, fetched_at, origin FROM postal_codes "
                    "WHERE postal_code = ?",
                    (postal_code,),
                )
                .fetchone()
            )
        except sqlite3.Error as error:
            raise self._error(N_("read"), error) from None
        if row is None:
            return None
        return StoredAnswer(
            postal_code=row[0],
            fed_codes=tuple(code for code in row[1].split(",") if code),
            fetched_at=dt.datetime.fromisoformat(row[2]),
            origin=row[3],
        )

    def put(
        self,
        postal_code: str,
        fed_codes: Iterable[str],
        origin: str = ORIGIN_ONLINE,
        fetched_at: dt.datetime | None = None,
    ) -> None:
        """Record one answer (replacing any older one), in its own transaction."""
        self.put_many([(postal_code, tuple(fed_codes))], origin, fetched_at)

    def put_many(
        self,
        answers: Iterable[tuple[str, tuple[str, ...]]],
        origin: str,
        fetched_at: dt.datetime | None = None,
    ) -> int:
        """Record many answers in ONE transaction: all of them or, on failure, none."""
        import sqlite3

        stamp = (fetched_at or _now()).isoformat()
        rows = [(code, ",".join(feds), stamp, origin) for code, feds in answers]
        try:
            with self._write() as connection:
                connection.executemany(
                    "INSERT OR REPLACE INTO postal_codes (postal_code, fed_codes, fetched_at, "
                    "origin) VALUES (?, ?, ?, ?)",
                    rows,
                )
        except sqlite3.Error as error:
            raise self._error(N_("write to"), error) from None
        return len(rows)

    def summary(self) -> StoreSummary:
        """How many codes the store holds, by origin, and their date range."""
        import sqlite3

        try:
            connection = self._connect()
            by_origin = dict(
                connection.execute(
                    "SELECT origin, COUNT(*) FROM postal_codes GROUP BY origin ORDER BY origin"
                ).fetchall()
            )
            oldest, newest = connection.execute(
                "SELECT MIN(fetched_at), MAX(fetched_at) FROM postal_codes"
            ).fetchone()
        except sqlite3.Error as error:
            raise self._error(N_("read"), error) from None
        return StoreSummary(
            path=self.path,
            by_origin={str(key): int(value) for key, value in by_origin.items()},
            oldest=dt.datetime.fromisoformat(oldest) if oldest else None,
            newest=dt.datetime.fromisoformat(newest) if newest else None,
        )
