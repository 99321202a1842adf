"""The ledger file: created, migrated, refused when bad, shared by processes, forgetting."""

from __future__ import annotations

import datetime as dt
import hashlib
import multiprocessing
import sqlite3
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from mpwrite.errors import LedgerDamagedError, LedgerError, LedgerInputError, LedgerTooNewError
from mpwrite.ledger.record import (
    Entry,
    Supporter,
    forget,
    load_entries,
    log_entries,
    parse_date,
    supporter_entries,
)
from mpwrite.ledger.replies import NewReply, add_replies, list_replies
from mpwrite.ledger.schema import SCHEMA_VERSION
from mpwrite.ledger.store import Ledger, default_ledger_path

# The first released layout, written out here as it was so the migration is
# tested against a real old file, not against today's code.
VERSION_1 = (
    "CREATE TABLE ledger_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE entries (
        id INTEGER PRIMARY KEY, entry_key TEXT NOT NULL UNIQUE, campaign TEXT NOT NULL,
        demand TEXT NOT NULL, language TEXT NOT NULL, riding_code TEXT NOT NULL,
        riding_name TEXT NOT NULL, mp_name TEXT NOT NULL, mp_party TEXT NOT NULL,
        province TEXT NOT NULL,
        channel TEXT NOT NULL CHECK (channel IN ('email', 'print', 'call', 'meeting')),
        logged_on TEXT NOT NULL, source TEXT NOT NULL, supporter_name TEXT, supporter_email TEXT
    )""",
    "CREATE INDEX entries_riding ON entries (campaign, riding_code)",
    """CREATE TABLE replies (
        id INTEGER PRIMARY KEY, campaign TEXT NOT NULL, riding_code TEXT NOT NULL,
        received_on TEXT NOT NULL, stance TEXT NOT NULL, note TEXT NOT NULL DEFAULT ''
    )""",
    "INSERT INTO ledger_meta VALUES ('application', 'mpwrite-ledger'), ('schema_version', '1'),"
    " ('key_salt', 'abc')",
    "INSERT INTO entries VALUES (1, 'k1', 'housing', 'build', 'en', '35079', 'Ottawa Centre', "
    "'Yasir Naqvi', 'Liberal', 'ON', 'print', '2026-10-01', 'bulk-0', NULL, NULL)",
    "INSERT INTO replies VALUES (1, 'housing', '35079', '2026-10-20', 'supports', 'by phone')",
)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def table_columns(path: Path, table: str) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]
    finally:
        connection.close()


def test_a_new_ledger_is_created_private_with_its_schema_version(ledger_path: Path) -> None:
    assert not ledger_path.exists()
    with Ledger.open(ledger_path) as ledger:
        assert ledger.meta("schema_version") == str(SCHEMA_VERSION) == "2"
        assert ledger.meta("application") == "mpwrite-ledger"
        assert len(ledger.meta("key_salt") or "") == 32
    assert stat.S_IMODE(ledger_path.stat().st_mode) == 0o600
    assert "message_id" in table_columns(ledger_path, "replies")
    connection = sqlite3.connect(ledger_path)
    assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    connection.close()


def test_reading_a_missing_ledger_says_to_log_first_and_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "none.sqlite3"
    with pytest.raises(LedgerError, match="log letters with --log first"):
        Ledger.open(path, create=False)
    assert not path.exists()


def test_a_version_1_ledger_is_migrated_and_keeps_what_it_held(ledger_path: Path) -> None:
    connection = sqlite3.connect(ledger_path)
    for statement in VERSION_1:
        connection.execute(statement)
    connection.commit()
    connection.close()
    assert "message_id" not in table_columns(ledger_path, "replies")

    with Ledger.open(ledger_path) as ledger:
        assert ledger.meta("schema_version") == "2"
        assert ledger.meta("key_salt") == "abc"  # kept: old keys still match
        [entry] = load_entries(ledger)
        assert (entry.riding_code, entry.channel, entry.logged_on) == (
            "35079",
            "print",
            dt.date(2026, 10, 1),
        )
        [old] = list_replies(ledger)
        assert (old.stance, old.note, old.subject) == ("supports", "by phone", "")
        # What version 2 added works on the migrated file: a message is kept once.
        reply = NewReply("housing", "35079", dt.date(2026, 11, 3), message_id="<m1@x>")
        assert len(add_replies(ledger, [reply, reply])) == 1


def test_a_ledger_from_a_newer_mpwrite_is_refused_and_left_alone(ledger_path: Path) -> None:
    with Ledger.open(ledger_path) as ledger, ledger.transaction() as connection:
        connection.execute("UPDATE ledger_meta SET value = '9' WHERE key = 'schema_version'")
    before = digest(ledger_path)
    with pytest.raises(LedgerTooNewError, match=r"newer mpwrite \(schema 9.*up to 2\)"):
        Ledger.open(ledger_path)
    assert digest(ledger_path) == before


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda good: b"name,email\nAda,ada@example.org\n", id="not-sqlite"),
        pytest.param(lambda good: good[:100] + b"\xff" * 3000 + good[3100:], id="bad-pages"),
        pytest.param(lambda good: good[: len(good) // 3], id="truncated"),
        pytest.param(lambda good: good[:-4000] + b"\x07" * 4000, id="bad-index-page"),
    ],
)
def test_a_damaged_ledger_is_refused_and_left_byte_for_byte(
    ledger_path: Path, make_entry: Callable[..., Entry], damage: Callable[[bytes], bytes]
) -> None:
    with Ledger.open(ledger_path) as ledger:
        log_entries(ledger, [make_entry("35079", str(n)) for n in range(200)])
        ledger.scrub()
    for sidecar in ("-wal", "-shm"):
        Path(f"{ledger_path}{sidecar}").unlink(missing_ok=True)
    ledger_path.write_bytes(damage(ledger_path.read_bytes()))
    before = digest(ledger_path)
    with (
        pytest.raises(LedgerDamagedError, match="left as it is"),
        Ledger.open(ledger_path) as ledger,
    ):
        log_entries(ledger, [make_entry("24029", "one more")])
    assert digest(ledger_path) == before


def test_another_sqlite_file_is_not_taken_for_a_ledger(tmp_path: Path) -> None:
    other = tmp_path / "postcodes.sqlite3"
    connection = sqlite3.connect(other)
    connection.execute("CREATE TABLE postal_codes (postal_code TEXT)")
    connection.commit()
    connection.close()
    before = digest(other)
    with pytest.raises(LedgerDamagedError, match="not an mpwrite ledger"):
        Ledger.open(other)
    assert digest(other) == before


def test_a_folder_or_device_is_not_a_ledger(tmp_path: Path) -> None:
    with pytest.raises(LedgerError, match="not a regular file"):
        Ledger.open(tmp_path)


def test_logging_the_same_letters_again_counts_them_once(
    ledger: Ledger, make_entry: Callable[..., Entry]
) -> None:
    run = [make_entry("35079", "row", str(n)) for n in range(5)]
    assert log_entries(ledger, run) == 5
    assert log_entries(ledger, run) == 0
    # Another channel or demand is another letter, even for the same row.
    assert log_entries(ledger, [make_entry("35079", "row", "0", channel="print")]) == 1
    assert log_entries(ledger, [make_entry("35079", "row", "0", demand="rent")]) == 1
    assert len(load_entries(ledger)) == 7


def test_a_failed_batch_leaves_nothing_behind(
    ledger: Ledger, make_entry: Callable[..., Entry]
) -> None:
    batch = [make_entry("35079", "a"), make_entry("35079", "b", channel="fax")]
    with pytest.raises(LedgerInputError, match="'fax' is not a channel"):
        log_entries(ledger, batch)
    assert load_entries(ledger) == []


def test_keys_are_the_ledgers_own_so_they_tell_nothing_elsewhere(
    tmp_path: Path, make_entry: Callable[..., Entry]
) -> None:
    keys = []
    for name in ("a", "b"):
        with Ledger.open(tmp_path / f"{name}.sqlite3") as ledger:
            log_entries(ledger, [make_entry("35079", "Ada Lovelace", "ada@example.org")])
            keys.append(ledger.rows("SELECT entry_key FROM entries")[0][0])
    assert keys[0] != keys[1]


def test_supporters_are_kept_only_when_asked_and_forget_removes_them(
    ledger: Ledger, ledger_path: Path, make_entry: Callable[..., Entry]
) -> None:
    ada = Supporter("Ada Lovelace", "ada@example.org")
    grace = Supporter("Grace Hopper", "grace@example.org")
    log_entries(ledger, [make_entry("35079", "1", supporter=ada)])
    assert supporter_entries(ledger) == []
    # The same letter logged again with --log-supporters: counted once, now named.
    assert log_entries(ledger, [make_entry("35079", "1", supporter=ada)], keep_supporters=True) == 0
    assert [entry.email for entry in supporter_entries(ledger)] == ["ada@example.org"]
    forget(ledger, dt.date(2999, 1, 1))
    log_entries(
        ledger,
        [
            make_entry("35079", "2", supporter=ada, logged_on=dt.date(2026, 10, 1)),
            make_entry("24029", "3", supporter=grace, logged_on=dt.date(2026, 11, 20)),
        ],
        keep_supporters=True,
    )
    assert [entry.name for entry in supporter_entries(ledger)] == ["Ada Lovelace", "Grace Hopper"]

    add_replies(
        ledger,
        [
            NewReply("housing", "35079", dt.date(2026, 10, 9), excerpt="Dear Ada, thank you."),
            NewReply("housing", "24029", dt.date(2026, 11, 9), excerpt="Dear Grace, thanks."),
        ],
    )
    assert forget(ledger, dt.date(2026, 11, 1)) == 1
    assert [reply.excerpt for reply in list_replies(ledger)] == ["", "Dear Grace, thanks."]
    assert [entry.email for entry in supporter_entries(ledger)] == ["grace@example.org"]
    assert len(load_entries(ledger)) == 3  # the letters still count
    # Really gone: not in the file, nor in its write-ahead log.
    for path in (ledger_path, Path(f"{ledger_path}-wal")):
        if path.exists():
            assert b"ada@example.org" not in path.read_bytes()
            assert b"Dear Ada" not in path.read_bytes()


def test_dates_are_read_strictly() -> None:
    assert parse_date(" 2026-11-30 ") == dt.date(2026, 11, 30)
    with pytest.raises(LedgerInputError, match="write it as YYYY-MM-DD"):
        parse_date("30/11/2026")


def test_a_campaigns_ledger_lives_in_mpwrite_home(isolated_mpwrite_home: Path) -> None:
    assert default_ledger_path("housing-2026") == (
        isolated_mpwrite_home / "ledgers" / "housing-2026.sqlite3"
    )
    for bad in ("../elsewhere", "a/b", ".hidden", ""):
        with pytest.raises(LedgerInputError, match="give --ledger FILE"):
            default_ledger_path(bad)


def _log_from_another_process(path: str, tag: str) -> None:
    """Log 200 entries one transaction at a time, as a bulk run and an event might."""
    with Ledger.open(Path(path)) as ledger:
        for number in range(200):
            entry = Entry(
                campaign="housing",
                demand="build",
                language="en",
                riding_code="35079",
                riding_name="Ottawa Centre",
                mp_name="Yasir Naqvi",
                mp_party="Liberal",
                province="ON",
                channel="email",
                source=tag,
                identity=(tag, str(number)),
            )
            log_entries(ledger, [entry])


def test_two_processes_logging_at_once_lose_nothing(ledger_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    writers = [
        context.Process(target=_log_from_another_process, args=(str(ledger_path), tag))
        for tag in ("bulk", "event")
    ]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=120)
    assert [writer.exitcode for writer in writers] == [0, 0]
    with Ledger.open(ledger_path) as ledger:
        entries = load_entries(ledger)
        assert ledger.rows("PRAGMA integrity_check") == [("ok",)]
    assert len(entries) == 400
    assert {entry.source for entry in entries} == {"bulk", "event"}
