"""The local postal-code store: postal code → FED codes, in SQLite.

It keeps every online answer (so a code is asked once) and every row an
organisation imports from its own licensed table. It lives in the user's data
directory (``MPWRITE_HOME`` overrides it). Several mpwrite processes may use it
at once: the database runs in WAL mode, a writer waits for another's lock
instead of failing, and each write is one transaction, so an interrupted run
leaves either the whole write or none of it. A read waits only a moment: the
store is a cache, and a look-up answers without it rather than wait. A damaged
file or row is reported as a StoreError (or, for one row, read as no answer),
never as a crash. ``sqlite3`` is imported only when a store is opened.
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
#: The largest MPWRITE_CACHE_MAX_AGE_DAYS accepted: a century is "never refresh".
MAX_AGE_LIMIT_DAYS = 36_500
#: Milliseconds a writer waits for another process's lock before giving up.
BUSY_TIMEOUT_MS = 30_000
#: Milliseconds a read, or caching one answer, waits: the store is a cache, so
#: a look-up then answers without it rather than keep the user waiting.
CACHE_TIMEOUT_MS = 2_000

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


#: What failed, for each thing done to the store (a whole phrase each, for translators).
_FAILURES = {
    "open": N_("cannot open the postal-code store {path} ({error})"),
    "read": N_("cannot read the postal-code store {path} ({error})"),
    "write to": N_("cannot write to the postal-code store {path} ({error})"),
}


def max_age_from_environment() -> dt.timedelta:
    """The configured cache age (``MPWRITE_CACHE_MAX_AGE_DAYS``, default a year)."""
    raw = os.environ.get(MAX_AGE_ENVIRONMENT_VARIABLE, "")
    shown = raw if len(raw) <= 40 else raw[:40] + "…"
    valid = _("give a whole number of days from 0 to {most}, or unset it").format(
        most=MAX_AGE_LIMIT_DAYS
    )
    words = {"variable": MAX_AGE_ENVIRONMENT_VARIABLE, "value": shown, "valid": valid}
    try:
        days = int(raw) if raw.strip() else DEFAULT_MAX_AGE_DAYS
    except ValueError:
        raise StoreError(
            _("{variable}={value!r} is not a whole number of days; {valid}").format(**words)
        ) from None
    if days > MAX_AGE_LIMIT_DAYS:
        raise StoreError(_("{variable}={value!r} is too large; {valid}").format(**words))
    if days < 0:
        raise StoreError(_("{variable}={value!r} is negative; {valid}").format(**words))
    return dt.timedelta(days=days)


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
        self._timeout_ms = BUSY_TIMEOUT_MS
        #: Set once a lock made this store give up: a run then stops waiting on it.
        self._locked_out = False

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

    def _connect(self, timeout_ms: int = BUSY_TIMEOUT_MS) -> sqlite3.Connection:
        """The connection, waiting at most ``timeout_ms`` for other processes' locks."""
        if self._connection is not None:
            if self._timeout_ms != timeout_ms:
                self._connection.execute(f"PRAGMA busy_timeout = {timeout_ms}")
                self._timeout_ms = timeout_ms
            return self._connection
        import sqlite3

        try:
            _create_private(self.path)
        except OSError as error:
            raise StoreError(
                _("cannot create {path} ({problem}); set MPWRITE_HOME to a writable folder").format(
                    path=self.path, problem=error.strerror
                )
            ) from None
        # Setting up WAL on a brand-new file can itself meet another process's
        # lock before busy_timeout applies, so set-up is retried until the deadline.
        deadline = time.monotonic() + timeout_ms / 1000
        attempt = 0
        while True:
            attempt += 1
            left_ms = max(int((deadline - time.monotonic()) * 1000), 1)
            connection = None
            try:
                connection = sqlite3.connect(
                    self.path, timeout=left_ms / 1000, isolation_level=None
                )
                connection.execute(f"PRAGMA busy_timeout = {left_ms}")
                connection.execute("PRAGMA journal_mode = WAL")
                connection.execute("PRAGMA synchronous = NORMAL")
                connection.execute(_SCHEMA)
                connection.execute(f"PRAGMA busy_timeout = {timeout_ms}")
            except sqlite3.OperationalError as error:
                if connection is not None:
                    connection.close()
                if not _is_busy(error):
                    raise self._error("open", error) from None
                if time.monotonic() >= deadline:
                    raise self._busy() from None
                time.sleep(min(0.05 * attempt, max(deadline - time.monotonic(), 0.0)))
                continue
            except (sqlite3.Error, UnicodeDecodeError) as error:
                # A damaged file can make even SQLite's own message undecodable.
                if connection is not None:
                    connection.close()
                raise self._error("open", error) from None
            self._connection = connection
            self._timeout_ms = timeout_ms
            return connection

    def _busy(self) -> StoreError:
        self._locked_out = True
        return StoreError(
            _(
                "the postal-code store {path} is locked by another process; "
                "try again when it has finished"
            ).format(path=self.path)
        )

    def _refuse_if_locked_out(self) -> None:
        if self._locked_out:
            raise StoreError(
                _(
                    "the postal-code store {path} was locked by another process; it is not "
                    "used again in this run"
                ).format(path=self.path)
            )

    def _error(self, action: str, error: Exception) -> StoreError:
        import sqlite3

        if isinstance(error, sqlite3.OperationalError) and _is_busy(error):
            return self._busy()
        return StoreError(
            _(_FAILURES[action]).format(path=self.path, error=error)
            + _("; if it is damaged, delete it (it is only a cache) or set MPWRITE_HOME")
        )

    @contextmanager
    def _write(self, timeout_ms: int = BUSY_TIMEOUT_MS) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken up front so two writers queue instead of deadlocking."""
        import sqlite3

        connection = self._connect(timeout_ms)
        try:
            connection.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise self._error("write to", error) from None
        try:
            yield connection
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        try:
            connection.execute("COMMIT")
        except sqlite3.Error as error:
            connection.execute("ROLLBACK")
            raise self._error("write to", error) from None

    def get(self, postal_code: str) -> StoredAnswer | None:
        """The stored answer for a postal code ("K1A 0A6" form), if any.

        Waits at most :data:`CACHE_TIMEOUT_MS` for another process's lock. A row
        that cannot be read (a damaged date or text) counts as no answer, so
        it is fetched again rather than stopping the run.
        """
        if self._connection is None and not self.path.exists():
            # Reading never creates the store: a look-up that then fails would
            # leave an empty one behind. The first answer to keep creates it.
            return None
        import sqlite3

        self._refuse_if_locked_out()
        try:
            row = (
                self._connect(CACHE_TIMEOUT_MS)
                .execute(
                    "SELECT postal_code, fed_codes, fetched_at, origin FROM postal_codes "
                    "WHERE postal_code = ?",
                    (postal_code,),
                )
                .fetchone()
            )
        except (sqlite3.Error, UnicodeDecodeError) as error:
            raise self._error("read", error) from None
        if row is None:
            return None
        return _answer_from_row(row)

    def put(
        self,
        postal_code: str,
        fed_codes: Iterable[str],
        origin: str = ORIGIN_ONLINE,
        fetched_at: dt.datetime | None = None,
    ) -> None:
        """Record one answer (replacing any older one), in its own transaction.

        Waits at most :data:`CACHE_TIMEOUT_MS` for another process's lock.
        """
        self._refuse_if_locked_out()
        self.put_many([(postal_code, tuple(fed_codes))], origin, fetched_at, CACHE_TIMEOUT_MS)

    def put_many(
        self,
        answers: Iterable[tuple[str, tuple[str, ...]]],
        origin: str,
        fetched_at: dt.datetime | None = None,
        timeout_ms: int = BUSY_TIMEOUT_MS,
    ) -> int:
        """Record many answers in ONE transaction: all of them or, on failure, none."""
        import sqlite3

        stamp = (fetched_at or _now()).isoformat()
        rows = [(code, ",".join(feds), stamp, origin) for code, feds in answers]
        try:
            with self._write(timeout_ms) as connection:
                connection.executemany(
                    "INSERT OR REPLACE INTO postal_codes (postal_code, fed_codes, fetched_at, "
                    "origin) VALUES (?, ?, ?, ?)",
                    rows,
                )
        except sqlite3.Error as error:
            raise self._error("write to", error) from None
        return len(rows)

    def summary(self) -> StoreSummary:
        """How many codes the store holds, by origin, and their date range."""
        import sqlite3

        try:
            connection = self._connect(CACHE_TIMEOUT_MS)
            by_origin = dict(
                connection.execute(
                    "SELECT origin, COUNT(*) FROM postal_codes GROUP BY origin ORDER BY origin"
                ).fetchall()
            )
            oldest, newest = connection.execute(
                "SELECT MIN(fetched_at), MAX(fetched_at) FROM postal_codes"
            ).fetchone()
            return StoreSummary(
                path=self.path,
                by_origin={str(key): int(value) for key, value in by_origin.items()},
                oldest=_timestamp(oldest),
                newest=_timestamp(newest),
            )
        except (sqlite3.Error, UnicodeDecodeError, ValueError, TypeError) as error:
            raise self._error("read", error) from None


def _is_busy(error: Exception) -> bool:
    return "locked" in str(error) or "busy" in str(error)


def _timestamp(value: object) -> dt.datetime | None:
    """A stored ISO date as an aware datetime; None when missing or unreadable."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=dt.UTC)


def _answer_from_row(row: tuple[object, ...]) -> StoredAnswer | None:
    postal_code, fed_codes, fetched_at, origin = row
    stamp = _timestamp(fetched_at)
    if not (isinstance(postal_code, str) and isinstance(fed_codes, str)) or stamp is None:
        return None
    return StoredAnswer(
        postal_code=postal_code,
        fed_codes=tuple(code for code in fed_codes.split(",") if code),
        fetched_at=stamp,
        origin=str(origin),
    )
