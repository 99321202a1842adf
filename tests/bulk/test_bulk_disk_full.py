"""A disk that fills up during a bulk run: the report survives, accounts for every letter
on disk, and no temporary file stays behind."""

from __future__ import annotations

import contextlib
import csv
import errno
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mpwrite.bulk import report as bulk_report
from mpwrite.cli.root import app

runner = CliRunner()
HEADER = "Name,Postal code,Riding\n"


def supporters(tmp_path: Path, count: int) -> Path:
    source = tmp_path / "s.csv"
    source.write_text(
        HEADER + "".join(f"Person {n},K2P 1L4,35079\n" for n in range(count)), encoding="utf-8"
    )
    return source


def report_rows(out: Path) -> list[dict[str, str]]:
    with (out / "report.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def temporaries(out: Path) -> list[str]:
    return sorted(p.name for p in out.rglob("*") if p.name.endswith(".tmp"))


def letters_on_disk(out: Path) -> list[str]:
    return sorted(f"letters/{p.name}" for p in (out / "letters").iterdir())


def full() -> OSError:
    return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_disk_that_fills_up_stops_the_run_with_every_letter_in_the_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Space is kept ahead of the report; once no more can be had, the run stops
    # and records its rows in flight in the space kept.
    if not hasattr(os, "posix_fallocate"):
        pytest.skip("no posix_fallocate on this system: reports are not allocated ahead")
    monkeypatch.setattr(bulk_report, "RESERVE_AHEAD", 64 * 1024)
    real = os.posix_fallocate
    calls = []

    def allocate(descriptor: int, offset: int, length: int) -> None:
        calls.append(offset)
        if offset:  # the space kept when the files were begun, then no more
            raise full()
        real(descriptor, offset, length)

    monkeypatch.setattr(os, "posix_fallocate", allocate)
    out = tmp_path / "out"
    result = runner.invoke(app, ["bulk", str(supporters(tmp_path, 1200)), "--out", str(out), "-q"])
    assert result.exit_code == 1
    assert "is full" in result.stderr and "run the same command again" in result.stderr
    assert "Traceback" not in result.stderr
    rows = report_rows(out)
    # The failure shows at the first flush (the header and FLUSH_EVERY - 1 rows);
    # those rows, and any still in flight then, are in the space kept.
    assert bulk_report.FLUSH_EVERY - 1 <= len(rows) < 1200
    assert [int(row["row"]) for row in rows] == list(range(2, 2 + len(rows)))
    assert f"stopped after {len(rows):,} rows" in result.stderr
    assert letters_on_disk(out) == sorted(row["output_file"] for row in rows)
    assert temporaries(out) == []
    # Space freed, the same command does the rest and finds the first letters unchanged.
    monkeypatch.setattr(os, "posix_fallocate", real)
    again = runner.invoke(app, ["bulk", str(supporters(tmp_path, 1200)), "--out", str(out), "-q"])
    assert again.exit_code == 0
    statuses = [row["status"] for row in report_rows(out)]
    assert statuses == ["unchanged"] * len(rows) + ["written"] * (1200 - len(rows))


@contextlib.contextmanager
def report_writes_fail(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every write to a temporary report file fails with ENOSPC; letters still go."""
    real = os.write

    def write(descriptor: int, data: bytes) -> int:
        try:
            target = os.readlink(f"/proc/self/fd/{descriptor}")
        except OSError:
            target = ""
        if ".csv." in target:
            raise full()
        return real(descriptor, data)

    monkeypatch.setattr(os, "write", write)
    yield


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to tell files apart")
@pytest.mark.parametrize("count", [3, 700])
def test_a_report_that_cannot_be_written_is_a_clear_error_leaving_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count: int
) -> None:
    out = tmp_path / "out"
    source = supporters(tmp_path, count)
    with report_writes_fail(monkeypatch):
        result = runner.invoke(app, ["bulk", str(source), "--out", str(out), "-q"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and "Traceback" not in result.stderr
    assert "report.csv" in result.stderr and "space" in result.stderr
    assert temporaries(out) == []


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 8 MiB tmpfs, where the machine lets the tests mount one."""
    if sys.platform != "linux" or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root on Linux")
    mount = tmp_path / "tiny"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip()})")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


@pytest.mark.slow
def test_on_a_real_full_disk_the_report_names_every_letter_written(
    tmp_path: Path, tiny_disk: Path
) -> None:
    # A real run, worker processes and all, until the disk is full.
    out = tiny_disk / "out"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mpwrite",
            "bulk",
            str(supporters(tmp_path, 3000)),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "MPWRITE_HOME": str(tmp_path / "home")},
    )
    assert done.returncode == 1
    assert "Error: " in done.stderr and "Traceback" not in done.stderr
    rows = report_rows(out)
    assert rows and len(rows) < 3000
    assert letters_on_disk(out) == sorted(row["output_file"] for row in rows)
    assert temporaries(out) == []
