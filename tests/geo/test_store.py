"""The local postal-code store and `mpwrite data import-postcodes`."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mpwrite.cli.root import app
from mpwrite.errors import StoreError
from mpwrite.geo.postcode_import import import_postcodes
from mpwrite.geo.ridings import load_bundled
from mpwrite.geo.store import (
    PostcodeStore,
    data_home,
    default_store_path,
    max_age_from_environment,
)

runner = CliRunner()


def test_store_lives_in_mpwrite_home(isolated_mpwrite_home: Path) -> None:
    assert data_home() == isolated_mpwrite_home
    assert default_store_path().parent == isolated_mpwrite_home
    assert PostcodeStore.if_exists() is None
    with PostcodeStore() as store:
        store.put("K1A 0B1", ["35079"])
    assert default_store_path().is_file()


def test_round_trip_keeps_codes_dates_and_origin() -> None:
    when = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    with PostcodeStore() as store:
        store.put("K0A 1K0", ["35088", "35020"], origin="online", fetched_at=when)
        answer = store.get("K0A 1K0")
        assert store.get("K0A 1K1") is None
    assert answer is not None
    assert answer.fed_codes == ("35088", "35020")
    assert answer.fetched_at == when
    assert answer.origin == "online"
    assert answer.older_than(dt.timedelta(days=30), now=when + dt.timedelta(days=31))
    assert not answer.older_than(dt.timedelta(days=30), now=when + dt.timedelta(days=29))


def test_database_uses_wal_and_a_busy_timeout() -> None:
    with PostcodeStore() as store:
        store.put("K1A 0B1", ["35079"])
    connection = sqlite3.connect(default_store_path())
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    connection.close()


def test_max_age_is_configurable(monkeypatch: pytest.MonkeyPatch) -> None:
    assert max_age_from_environment() == dt.timedelta(days=365)
    monkeypatch.setenv("MPWRITE_CACHE_MAX_AGE_DAYS", "30")
    assert max_age_from_environment() == dt.timedelta(days=30)
    monkeypatch.setenv("MPWRITE_CACHE_MAX_AGE_DAYS", "soon")
    with pytest.raises(StoreError, match="whole number of days"):
        max_age_from_environment()


def test_a_failed_write_leaves_nothing_behind() -> None:
    with PostcodeStore() as store:
        store.put("K1A 0B1", ["35079"])
        with pytest.raises(RuntimeError), store._write() as connection:
            connection.execute(
                "INSERT INTO postal_codes VALUES ('K1A 0B2', '35079', '2026-01-01', 'online')"
            )
            raise RuntimeError("interrupted")
        assert store.get("K1A 0B2") is None
        assert store.summary().total == 1


def test_a_killed_process_mid_write_does_not_corrupt_the_store(tmp_path: Path) -> None:
    with PostcodeStore() as store:
        store.put("K1A 0B1", ["35079"])
    script = (
        "import os\n"
        "from mpwrite.geo.store import PostcodeStore\n"
        "store = PostcodeStore()\n"
        "with store._write() as connection:\n"
        '    connection.execute("INSERT INTO postal_codes VALUES '
        "('K1A 0B2', '35079', '2026-01-01', 'online')\")\n"
        "    os._exit(9)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], env=dict(os.environ), check=False)
    assert done.returncode == 9
    with PostcodeStore() as store:
        assert store.get("K1A 0B2") is None
        assert store.get("K1A 0B1") is not None
        store.put("K1A 0B3", ["35079"])  # and it is not left locked
    connection = sqlite3.connect(default_store_path())
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    connection.close()


WRITER = """
import sys
from mpwrite.geo.store import PostcodeStore
tag = sys.argv[1]
store = PostcodeStore()
letters = "ABCEGHJKLMNPRSTVXY"
for i in range(60):
    store.put(f"K1A {i % 10}{letters[i % 18]}{tag}", ["35079"])
store.put_many(
    [(f"M5V {i % 10}{letters[(i // 10) % 18]}{tag}", ("35100",)) for i in range(150)], "import"
)
store.close()
"""


def test_two_processes_writing_at_once_neither_fails_nor_corrupts() -> None:
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, tag],
            env=dict(os.environ),
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("1", "2", "3")
    ]
    results = [(process.wait(timeout=120), process.stderr.read()) for process in processes]  # type: ignore[union-attr]
    for code, stderr in results:
        assert code == 0, stderr
        assert "locked" not in stderr
    with PostcodeStore() as store:
        summary = store.summary()
    # Each writer wrote distinct codes: 60 single puts → 60 keys; 150 rows → 150 keys.
    assert summary.by_origin == {"import": 3 * 150, "online": 3 * 60}
    connection = sqlite3.connect(default_store_path())
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    connection.close()


def test_threads_sharing_a_store_file_do_not_fail() -> None:
    errors: list[BaseException] = []

    def write(tag: int) -> None:
        try:
            with PostcodeStore() as store:
                for i in range(40):
                    store.put(f"H2X {i % 10}A{tag}", ["24037"])
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(tag,)) for tag in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with PostcodeStore() as store:
        assert store.summary().total == 4 * 10


def test_unreadable_store_is_a_clear_error(isolated_mpwrite_home: Path) -> None:
    default_store_path().write_bytes(b"this is not a database" * 100)
    store = PostcodeStore()
    with pytest.raises(StoreError, match="delete it"):
        store.get("K1A 0B1")


IMPORT_CSV = """Supporter,Postal Code,FED Code,Riding
Ann,K1A 0B1,35079,
Bob,k0a1k0,35088,
Cy,K0A 1K0,35020,
Di,not a code,35079,
Ed,M5V 3L9,99999,
Fay,J4Z 3C8,,Brossard—Saint-Lambert
Gus,M5V 3L9,,Nowhere Riding
Hal,H2X 1Y4,,
"""


def test_import_keeps_good_rows_and_reports_bad_ones(tmp_path: Path) -> None:
    table = tmp_path / "crm.csv"
    table.write_text(IMPORT_CSV, encoding="utf-8")
    with PostcodeStore() as store:
        report = import_postcodes(table, load_bundled(), store)
        several = store.get("K0A 1K0")
        by_name = store.get("J4Z 3C8")
        assert store.get("M5V 3L9") is None
    assert report.rows_read == 8
    assert report.postal_codes_imported == 3
    assert [(p.row, p.reason.split(";")[0]) for p in report.problems] == [
        (5, "'not a code' is not a postal code: Canadian postal codes look like A1A 1A1"),
        (6, "unknown FED code '99999'"),
        (8, "no riding matches 'Nowhere Riding'"),
        (9, "no FED code or riding name"),
    ]
    assert several is not None and several.fed_codes == ("35088", "35020")
    assert by_name is not None and by_name.fed_codes == ("24015",) and by_name.origin == "import"


def test_import_command_reports_rows_and_is_one_transaction(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = tmp_path / "crm.csv"
    table.write_text(IMPORT_CSV, encoding="utf-8")
    result = runner.invoke(app, ["data", "import-postcodes", str(table)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "Imported 3 postal codes from 8 rows; 4 rows skipped.\n"
    assert "Row 5: 'not a code' is not a postal code" in result.stderr
    # Supporters' names are never echoed.
    assert "Ann" not in result.stderr + result.stdout
    statements: list[int] = []
    original = PostcodeStore.put_many

    def counting(self: PostcodeStore, *args: object, **kwargs: object) -> int:
        statements.append(1)
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(PostcodeStore, "put_many", counting)
    runner.invoke(app, ["data", "import-postcodes", str(table)])
    assert statements == [1]
    lookup = runner.invoke(app, ["lookup", "J4Z 3C8", "--json"])
    assert json.loads(lookup.stdout)["matches"][0]["source"] == "cache"


def test_import_without_usable_columns_is_a_usage_error(tmp_path: Path) -> None:
    table = tmp_path / "bad.csv"
    table.write_text("name,email\nAnn,ann@example.org\n", encoding="utf-8")
    result = runner.invoke(app, ["data", "import-postcodes", str(table)])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and "postal_code column" in result.stderr
    assert "Traceback" not in result.stderr


def test_import_of_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["data", "import-postcodes", str(tmp_path / "none.csv")])
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr


def test_import_reads_windows_1252_exports(tmp_path: Path) -> None:
    table = tmp_path / "excel.csv"
    table.write_bytes("postal_code,riding\nH2X 1Y4,Laurier—Sainte-Marie\n".encode("cp1252"))
    result = runner.invoke(app, ["data", "import-postcodes", str(table)])
    assert result.exit_code == 0, result.stderr
    assert "Imported 1 postal code from 1 row" in result.stdout


def test_store_folder_and_files_are_private(tmp_path: Path) -> None:
    import stat

    path = tmp_path / "new" / "folder" / "postcodes.sqlite3"
    old_umask = os.umask(0o022)
    try:
        with PostcodeStore(path) as store:
            store.put("K1A 0B1", ["35079"])
            made = [path, *path.parent.glob("postcodes.sqlite3-*")]
            modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in made}
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert modes and all(mode == 0o600 for mode in modes.values()), modes


def test_an_older_world_readable_store_is_narrowed(tmp_path: Path) -> None:
    import stat

    path = tmp_path / "postcodes.sqlite3"
    with PostcodeStore(path) as store:
        store.put("K1A 0B1", ["35079"])
    path.chmod(0o644)
    with PostcodeStore(path) as store:
        assert store.get("K1A 0B1") is not None
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
