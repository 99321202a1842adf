"""Bulk letters written by worker processes: the same files and report as one thread."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from mpwrite import bulk_workers
from mpwrite.bulk import BulkProgress, run_bulk
from mpwrite.bulk_workers import LetterPool, PendingLetter, _Batch
from mpwrite.errors import LetterWorkerError, UnwritablePathError
from mpwrite.lookup import Resolver
from mpwrite.ridings import load_bundled
from tests.test_bulk import HEADER, bulk, leftovers, options, report_rows

ROWS = (
    HEADER
    + "".join(
        f"Person {n},K2P 1L4,{'Ottawa Centre' if n % 3 else 'Ottawa South'},"
        f"{'fr' if n % 4 == 0 else 'en'},{1 + n % 5},\n"
        for n in range(30)
    )
    + (
        "Person 3,K2P 1L4,Ottawa Centre,en,4,\n"  # a duplicate
        "Nobody,Z9Z 9Z9,,,,\n"  # an invalid postal code
        "Someone,K1P 5G4,Nowhere At All,,,\n"  # an unknown riding
    )
)


@pytest.fixture
def processes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two worker processes take over after three letters, four letters a batch."""
    monkeypatch.setattr(bulk_workers, "usable_cores", lambda: 2)
    monkeypatch.setattr(bulk_workers, "PROCESSES_AFTER_OTHERS", 3)
    monkeypatch.setattr(bulk_workers, "BATCH_SIZE_OTHERS", 4)


def files(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_worker_processes_write_what_one_thread_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk_workers, "usable_cores", lambda: 1)
    alone = bulk(tmp_path, ROWS, out=tmp_path / "thread", group_by_mp=True)
    monkeypatch.setattr(bulk_workers, "usable_cores", lambda: 2)
    monkeypatch.setattr(bulk_workers, "PROCESSES_AFTER_OTHERS", 3)
    monkeypatch.setattr(bulk_workers, "BATCH_SIZE_OTHERS", 4)
    shared = bulk(tmp_path, ROWS, out=tmp_path / "processes", group_by_mp=True)
    assert shared.statuses == alone.statuses and shared.statuses["written"] == 30
    assert files(tmp_path / "processes") == files(tmp_path / "thread")
    again = bulk(tmp_path, ROWS, out=tmp_path / "processes", group_by_mp=True)
    assert again.statuses["unchanged"] == 30 and again.statuses["written"] == 0


@pytest.mark.usefixtures("processes")
def test_an_interrupted_run_with_workers_reports_exactly_the_letters_on_disk(
    tmp_path: Path,
) -> None:
    source = tmp_path / "supporters.csv"
    source.write_text(ROWS, encoding="utf-8")

    def stop_at_row_12(progress: BulkProgress) -> None:
        if progress.rows == 11:
            raise KeyboardInterrupt

    out = tmp_path / "out"
    summary = run_bulk(
        source, options(out), progress=stop_at_row_12, resolver=Resolver(load_bundled())
    )
    assert summary.interrupted
    rows = report_rows(out)
    numbers = [int(row["row"]) for row in rows]
    assert numbers == list(range(2, 2 + len(numbers))) and len(numbers) >= 11
    on_disk = sorted(path.name for path in (out / "letters").iterdir())
    assert on_disk == sorted(Path(row["output_file"]).name for row in rows if row["output_file"])
    assert leftovers(out) == []


@pytest.mark.usefixtures("processes")
def test_a_letter_a_worker_cannot_write_stops_the_run_with_the_rows_before_it_reported(
    tmp_path: Path,
) -> None:
    bulk(tmp_path, ROWS)
    out = tmp_path / "out"
    written = [row for row in report_rows(out) if row["status"] == "written"]
    blocked = written[20]
    for path in (out / "letters").iterdir():
        path.unlink()
    (out / blocked["output_file"]).mkdir()  # a folder where the letter goes
    with pytest.raises(UnwritablePathError, match=r"cannot write .*check the --out folder"):
        bulk(tmp_path, ROWS, force=True)
    numbers = [int(row["row"]) for row in report_rows(out)]
    assert numbers == list(range(2, int(blocked["row"])))
    assert leftovers(out) == []


@pytest.mark.usefixtures("processes")
def test_a_worker_killed_mid_run_stops_the_run_with_an_error_and_a_report(
    tmp_path: Path,
) -> None:
    source = tmp_path / "supporters.csv"
    source.write_text(
        HEADER + "".join(f"Person {n},K2P 1L4,35079,,,\n" for n in range(400)), encoding="utf-8"
    )

    def kill_at_row_30(progress: BulkProgress) -> None:
        if progress.rows == 30:
            [worker, *_] = multiprocessing.active_children()
            os.kill(worker.pid or 0, signal.SIGKILL)

    out = tmp_path / "out"
    with pytest.raises(LetterWorkerError, match="run the same command again"):
        run_bulk(source, options(out), progress=kill_at_row_30, resolver=Resolver(load_bundled()))
    numbers = [int(row["row"]) for row in report_rows(out)]
    assert numbers == list(range(2, 2 + len(numbers))) and len(numbers) >= 30
    assert leftovers(out) == []


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc to find workers")
def test_workers_stop_when_the_run_is_killed(tmp_path: Path) -> None:
    source = tmp_path / "supporters.csv"
    source.write_text(
        HEADER + "".join(f"Person {n},K2P 1L4,35079,,,\n" for n in range(40_000)),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    env = {**os.environ, "MPWRITE_HOME": str(tmp_path / "home")}
    run = subprocess.Popen(
        [sys.executable, "-m", "mpwrite", "bulk", str(source), "--out", str(out), "--quiet"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while run.poll() is None and time.monotonic() < deadline and len(workers) < 2:
        workers = [pid for pid in children_of(run.pid) if b"spawn_main" in command_line(pid)]
        time.sleep(0.02)
    assert len(workers) == 2
    run.kill()
    run.wait()
    deadline = time.monotonic() + 20
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(pid) for pid in workers)


def children_of(parent: int) -> list[int]:
    found = []
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat_file.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            found.append(int(stat_file.parent.name))
    return found


def command_line(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def alive(pid: int) -> bool:
    # A dead worker is re-parented and reaped by init; a zombie counts as gone.
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_worker_that_dies_is_reported_as_an_error_not_a_traceback() -> None:
    broken: Future[object] = Future()
    broken.set_exception(BrokenProcessPool("a child process terminated abruptly"))
    batch = _Batch.__new__(_Batch)
    batch.future = broken  # type: ignore[assignment]
    with pytest.raises(LetterWorkerError, match="run the same command again"):
        PendingLetter(batch, 0).result()


@pytest.mark.parametrize(
    ("cores", "after", "starts"),
    [(2, 3, 1), (1, 3, 0), (2, 100, 0)],
    ids=["long", "one-core", "short"],
)
def test_worker_processes_start_once_and_only_for_a_long_run_on_several_cores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cores: int, after: int, starts: int
) -> None:
    monkeypatch.setattr(bulk_workers, "usable_cores", lambda: cores)
    monkeypatch.setattr(bulk_workers, "PROCESSES_AFTER_OTHERS", after)
    started: list[object] = []
    real = LetterPool._start_workers

    def counting(pool: LetterPool) -> object:
        if pool._workers is None:
            started.append(pool)
        return real(pool)

    monkeypatch.setattr(LetterPool, "_start_workers", counting)
    summary = bulk(tmp_path, ROWS)
    assert summary.statuses["written"] == 30
    assert len(started) == starts


def test_ctrl_c_stops_a_run_with_workers_cleanly(tmp_path: Path) -> None:
    source = tmp_path / "supporters.csv"
    source.write_text(
        HEADER + "".join(f"Person {n},K2P 1L4,35079,,,\n" for n in range(40_000)),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    env = {**os.environ, "MPWRITE_HOME": str(tmp_path / "home")}
    run = subprocess.Popen(
        [sys.executable, "-m", "mpwrite", "bulk", str(source), "--out", str(out), "--quiet"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    letters = out / "letters"
    deadline = time.monotonic() + 60
    # Past PROCESSES_AFTER_OTHERS letters, the worker processes are writing.
    while run.poll() is None and time.monotonic() < deadline:
        if letters.is_dir() and sum(1 for _ in os.scandir(letters)) > 3000:
            break
        time.sleep(0.02)
    run.send_signal(signal.SIGINT)
    _, stderr = run.communicate(timeout=60)
    assert run.returncode == 130, stderr  # interrupted, as documented
    assert "Traceback" not in stderr and "interrupted" in stderr.lower()
    rows = report_rows(out)
    assert [int(row["row"]) for row in rows] == list(range(2, 2 + len(rows)))
    assert 3000 < len(rows) < 40_000
    on_disk = sorted(entry.name for entry in os.scandir(letters))
    assert on_disk == sorted(Path(row["output_file"]).name for row in rows)
    assert leftovers(out) == []


def test_many_cores_get_at_most_four_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk_workers, "usable_cores", lambda: 64)
    settings = bulk_workers.LetterSettings(None, "txt", "letter", False, False, options(None).date)  # type: ignore[arg-type]
    pool = LetterPool(settings, campaign=None, ridings={})  # type: ignore[arg-type]
    assert pool._processes == 4
    monkeypatch.setattr(bulk_workers, "usable_cores", lambda: 2)
    assert LetterPool(settings, campaign=None, ridings={})._processes == 2  # type: ignore[arg-type]
