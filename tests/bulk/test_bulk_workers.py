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

from mpwrite.bulk import workers as bulk_workers
from mpwrite.bulk.files import remove_stale_temporaries
from mpwrite.bulk.letters import LetterJob
from mpwrite.bulk.outcomes import RowOutcome
from mpwrite.bulk.run import BulkProgress, run_bulk
from mpwrite.bulk.workers import LetterPool, PendingLetter
from mpwrite.errors import LetterWorkerError, UnwritablePathError
from mpwrite.geo.lookup import Resolver
from mpwrite.geo.ridings import load_bundled
from tests.helpers import BULK_HEADER as HEADER
from tests.helpers import bulk, leftovers, options, report_rows

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


@pytest.mark.slow
@pytest.mark.usefixtures("processes")
def test_a_worker_killed_mid_run_stops_the_run_with_an_error_and_a_report(
    tmp_path: Path,
) -> None:
    source = tmp_path / "supporters.csv"
    source.write_text(
        HEADER + "".join(f"Person {n},K2P 1L4,35079,,,\n" for n in range(400)), encoding="utf-8"
    )

    killed: list[int] = []

    def kill_at_row_30(progress: BulkProgress) -> None:
        if progress.rows == 30:
            # Not the child rendering custom campaigns that earlier tests may have started.
            workers = multiprocessing.active_children()
            [worker, *_] = [child for child in workers if child.name != "mpwrite-render"]
            killed.append(worker.pid or 0)
            os.kill(killed[0], signal.SIGKILL)

    out = tmp_path / "out"
    with pytest.raises(LetterWorkerError, match="run the same command again"):
        run_bulk(source, options(out), progress=kill_at_row_30, resolver=Resolver(load_bundled()))
    numbers = [int(row["row"]) for row in report_rows(out)]
    assert numbers == list(range(2, 2 + len(numbers))) and len(numbers) >= 30
    # Only the killed worker can leave a temporary letter (the others stop between
    # letters), and the next run clears it away and finishes the job.
    assert {name.rsplit(".", 2)[1] for name in leftovers(out)} <= {str(killed[0])}
    again = run_bulk(source, options(out), resolver=Resolver(load_bundled()))
    assert again.statuses["written"] + again.statuses["unchanged"] == 400
    assert leftovers(out) == []


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc to find workers")
def test_workers_stop_when_the_run_is_killed(tmp_path: Path) -> None:
    run = start_long_run(tmp_path)
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while run.poll() is None and time.monotonic() < deadline and len(workers) < 2:
        workers = [pid for pid in children_of(run.pid) if b"spawn_main" in command_line(pid)]
        time.sleep(0.02)
    assert len(workers) == 2
    run.kill()
    run.communicate()
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
    letter = PendingLetter(pool=None, index=0, base=RowOutcome(1, "ready"))  # type: ignore[arg-type]
    letter.batch = broken  # type: ignore[assignment]
    with pytest.raises(LetterWorkerError, match="run the same command again"):
        letter.result()


@pytest.mark.parametrize(
    ("cores", "after", "long_input", "starts"),
    [(2, 3, False, 1), (1, 3, False, 0), (2, 100, False, 0), (2, 100, True, 1), (1, 3, True, 0)],
    ids=["long", "one-core", "short", "long-file", "long-file-one-core"],
)
def test_worker_processes_start_once_and_only_for_a_long_run_on_several_cores(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    cores: int,
    after: int,
    long_input: bool,
    starts: int,
) -> None:
    monkeypatch.setattr(bulk_workers, "usable_cores", lambda: cores)
    monkeypatch.setattr(bulk_workers, "PROCESSES_AFTER_OTHERS", after)
    # A file known to be long: workers start with its first letter; else with the
    # first letter past those the main process writes.
    monkeypatch.setattr(bulk_workers, "ROW_BYTES", 0 if long_input else 10**9)
    started: list[tuple[object, int]] = []
    real = LetterPool._start_workers

    def counting(pool: LetterPool) -> object:
        if pool._workers is None:
            started.append((pool, pool._submitted))
        return real(pool)

    monkeypatch.setattr(LetterPool, "_start_workers", counting)
    summary = bulk(tmp_path, ROWS)
    assert summary.statuses["written"] == 30
    assert len(started) == starts
    if starts:
        assert started[0][1] == (1 if long_input else after + 1)


@pytest.mark.parametrize(
    ("fmt", "input_bytes", "early"),
    [
        ("pdf", 8 * 200 + 1, True),
        ("pdf", 8 * 200, False),
        ("pdf", None, False),
        ("txt", 2000 * 200 + 1, True),
        ("txt", 1601, False),
    ],
)
def test_workers_start_with_the_first_letter_of_an_input_longer_than_the_main_process_writes(
    monkeypatch: pytest.MonkeyPatch, fmt: str, input_bytes: int | None, early: bool
) -> None:
    # Its first letters (8 PDFs, 2,000 others) are written while they start up.
    monkeypatch.setattr(bulk_workers, "usable_cores", lambda: 2)
    monkeypatch.setattr(bulk_workers, "make_letter", lambda *args: ("written", "", "l/a.pdf"))
    starts: list[int] = []
    monkeypatch.setattr(LetterPool, "_start_workers", lambda pool: starts.append(pool._submitted))
    settings = bulk_workers.LetterSettings(None, fmt, "letter", False, False, options(None).date)
    pool = LetterPool(settings, campaign=None, ridings={}, input_bytes=input_bytes)  # type: ignore[arg-type]
    job = LetterJob("35079", "Ana Lima", "", "", "K1A 0A6", "", "", "all", "en", "/o/l", "l", "0a")
    assert pool.submit(job, RowOutcome(2, "ready")).status == "written"
    assert starts == ([1] if early else [])


def test_a_long_input_hands_letters_to_the_workers_as_soon_as_they_are_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Not only past the main process's share (8 PDFs): workers left idle while it
    # writes those would make a short PDF run slower.
    import concurrent.futures

    monkeypatch.setattr(bulk_workers, "usable_cores", lambda: 2)
    monkeypatch.setattr(bulk_workers, "make_letter", lambda *args: ("written", "", "l/a.pdf"))
    warm_up: list[Future[object]] = []

    class Pool:
        def submit(self, task: object, *args: object) -> Future[object]:
            future: Future[object] = Future()
            if task is os.getpid:
                warm_up.append(future)
            else:
                future.set_result(([("written", "", "l/b.pdf")] * len(args[0]), None))  # type: ignore[arg-type]
            return future

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", lambda *args, **kw: Pool())
    settings = bulk_workers.LetterSettings(None, "pdf", "letter", False, False, options(None).date)
    pool = LetterPool(settings, campaign=None, ridings={}, input_bytes=10**6)  # type: ignore[arg-type]
    job = LetterJob("35079", "Ana Lima", "", "", "K1A 0A6", "", "", "all", "en", "/o/l", "l", "0a")
    written = [pool.submit(job, RowOutcome(n, "ready")) for n in (2, 3)]
    assert [type(letter) for letter in written] == [RowOutcome, RowOutcome]
    assert len(warm_up) == 2
    for task in warm_up:
        task.set_result(0)
    handed_out = [pool.submit(job, RowOutcome(n, "ready")) for n in (4, 5, 6)]
    assert all(isinstance(letter, PendingLetter) for letter in handed_out)
    assert [letter.result().output_file for letter in handed_out] == ["l/b.pdf"] * 3  # type: ignore[union-attr]


def start_long_run(tmp_path: Path) -> subprocess.Popen[str]:
    """``mpwrite bulk`` on 40,000 supporters, writing to tmp_path/out, in the background."""
    source = tmp_path / "supporters.csv"
    source.write_text(
        HEADER + "".join(f"Person {n},K2P 1L4,35079,,,\n" for n in range(40_000)),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    return subprocess.Popen(
        [sys.executable, "-m", "mpwrite", "bulk", str(source), "--out", str(out), "--quiet"],
        env={**os.environ, "MPWRITE_HOME": str(tmp_path / "home")},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow
@pytest.mark.parametrize("stop", ["SIGINT", "SIGTERM"])
def test_ctrl_c_stops_a_run_with_workers_cleanly(tmp_path: Path, stop: str) -> None:
    # SIGTERM (kill, a service manager) stops the run as Ctrl-C (SIGINT) does.
    run = start_long_run(tmp_path)
    out = tmp_path / "out"
    letters = out / "letters"
    deadline = time.monotonic() + 60
    # Past PROCESSES_AFTER_OTHERS letters, the worker processes are writing.
    while run.poll() is None and time.monotonic() < deadline:
        if letters.is_dir() and sum(1 for _ in os.scandir(letters)) > 3000:
            break
        time.sleep(0.02)
    run.send_signal(getattr(signal, stop))
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


@pytest.mark.skipif(os.name != "posix", reason="temporary letters are cleared only on POSIX")
def test_only_temporary_letters_of_finished_processes_are_cleared(tmp_path: Path) -> None:
    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait()
    names = {
        f".ana-lima-0a1b2c.txt.{finished.pid}.tmp": False,  # its writer is gone
        f".li-chen-3d4e5f.txt.{os.getpid()}.tmp": True,  # being written right now
        ".report.csv.k3j2h1.tmp": True,  # not a letter's temporary file
        "ana-lima-0a1b2c.txt": True,
    }
    for name in names:
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert remove_stale_temporaries(tmp_path) == 1
    assert {path.name for path in tmp_path.iterdir()} == {n for n, kept in names.items() if kept}


def test_an_outcome_crosses_to_a_worker_and_back_unchanged() -> None:
    import pickle

    outcome = RowOutcome(7, "written", "", "35079", "Yasir Naqvi", "letters/a.txt", "ON", "Liberal")
    assert pickle.loads(pickle.dumps(outcome)) == outcome
    job = LetterJob(
        "35079", "Ana Lima", "", "", "K1A 0A6", "", "", "all", "en", "/o/letters", "letters", "0a"
    )
    assert pickle.loads(pickle.dumps(job)) == job
    assert all(type(value) is str for value in job)  # plain values only cross to workers


def held_back(status: str, signum: int) -> bool:
    """Whether a process's /proc status shows ``signum`` ignored or blocked: it cannot kill it."""
    ignored = int(status.split("SigIgn:")[1].split()[0], 16)
    blocked = int(status.split("SigBlk:")[1].split()[0], 16)
    return bool((ignored | blocked) & (1 << (signum - 1)))


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="reads Linux's /proc")
def test_every_worker_process_starts_at_once_safe_from_ctrl_c() -> None:
    settings = bulk_workers.LetterSettings(None, "txt", "letter", False, False, options(None).date)  # type: ignore[arg-type]
    pool = LetterPool(settings, campaign=None, ridings={}, processes=2)  # type: ignore[arg-type]
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, set())
    try:
        pool._start_workers()
        processes = pool._workers._processes  # type: ignore[union-attr]
        assert len(processes) == 2
        for pid in processes:
            status = Path(f"/proc/{pid}/status").read_text()
            assert held_back(status, signal.SIGINT), f"worker {pid} would die of Ctrl-C"
        assert signal.getsignal(signal.SIGINT) is not signal.SIG_IGN
        assert signal.pthread_sigmask(signal.SIG_BLOCK, set()) == mask
    finally:
        pool.close()


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="no signal masks here")
def test_every_batch_is_handed_out_with_ctrl_c_and_sigterm_held_back() -> None:
    # Handing out a batch may start a worker process (the pool starts one when
    # a task finds none idle): it is born with both signals blocked, and the
    # run gets them back right after.
    settings = bulk_workers.LetterSettings(None, "txt", "letter", False, False, options(None).date)  # type: ignore[arg-type]
    pool = LetterPool(settings, campaign=None, ridings={}, processes=2)  # type: ignore[arg-type]
    masks: list[set[int]] = []

    class Pool:
        def submit(self, *args: object) -> Future[object]:
            masks.append(signal.pthread_sigmask(signal.SIG_BLOCK, set()))
            future: Future[object] = Future()
            future.set_result(([], None))
            return future

    pool._workers = Pool()  # type: ignore[assignment]
    pool._submitted = 2
    pool._jobs = [None, None]  # type: ignore[list-item]
    pool.send()
    assert {signal.SIGINT, signal.SIGTERM} <= masks[0]
    assert signal.SIGINT not in signal.pthread_sigmask(signal.SIG_BLOCK, set())


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="no signal masks here")
def test_a_ctrl_c_while_worker_processes_start_is_not_lost() -> None:
    # It waits until they are started, then stops the run as any Ctrl-C does.
    steps: list[str] = []
    with pytest.raises(KeyboardInterrupt):
        with bulk_workers._held_for_new_processes():
            signal.raise_signal(signal.SIGINT)
            steps.append("workers started")
        steps.append("never")
    assert steps == ["workers started"]
