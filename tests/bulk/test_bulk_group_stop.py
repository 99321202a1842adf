"""SIGTERM to a bulk run's whole process group (a service manager stopping it) ends the
run as Ctrl-C does: the rows done reported, exit 130, no half-written file."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

HEADER = "Name,Postal code,Riding\n"


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "killpg"), reason="process groups are POSIX")
def test_sigterm_to_the_process_group_stops_the_run_like_ctrl_c(tmp_path: Path) -> None:
    source = tmp_path / "supporters.csv"
    source.write_text(
        HEADER + "".join(f"Person {n},K2P 1L4,35079\n" for n in range(40_000)), encoding="utf-8"
    )
    out = tmp_path / "out"
    letters = out / "letters"
    run = subprocess.Popen(
        [sys.executable, "-m", "mpwrite", "bulk", str(source), "--out", str(out), "--quiet"],
        env={**os.environ, "MPWRITE_HOME": str(tmp_path / "home")},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, workers included
    )
    deadline = time.monotonic() + 60
    # A long input starts worker processes at once; past a few thousand letters they write.
    while run.poll() is None and time.monotonic() < deadline:
        if letters.is_dir() and sum(1 for _ in os.scandir(letters)) > 3000:
            break
        time.sleep(0.02)
    os.killpg(run.pid, signal.SIGTERM)
    _, stderr = run.communicate(timeout=60)
    assert run.returncode == 130, stderr
    assert "Traceback" not in stderr and "interrupted" in stderr.lower()
    with (out / "report.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [int(row["row"]) for row in rows] == list(range(2, 2 + len(rows)))
    assert 3000 < len(rows) < 40_000
    on_disk = sorted(entry.name for entry in os.scandir(letters))
    assert on_disk == sorted(Path(row["output_file"]).name for row in rows)
    assert sorted(p.name for p in out.rglob("*.tmp")) == []


def _mask_of_this_process(queue: Any) -> None:
    queue.put(signal.pthread_sigmask(signal.SIG_BLOCK, set()))


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="no signal masks here")
def test_a_worker_is_born_with_sigterm_blocked_and_the_run_gets_it_back() -> None:
    # A group SIGTERM (or Ctrl-C) that reaches a worker before start_worker has
    # set up its handling would kill it and break the pool (BrokenProcessPool, exit 1).
    import multiprocessing

    from mpwrite.bulk.workers import _held_for_new_processes

    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    with _held_for_new_processes():
        child = context.Process(target=_mask_of_this_process, args=(queue,))
        child.start()
    assert {signal.SIGTERM, signal.SIGINT} <= queue.get(timeout=30)
    child.join(timeout=30)
    assert signal.SIGTERM not in signal.pthread_sigmask(signal.SIG_BLOCK, set())
    assert signal.SIGINT not in signal.pthread_sigmask(signal.SIG_BLOCK, set())
