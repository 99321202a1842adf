"""A run's first letters are written in the main process: no thread, and a Ctrl-C
during a letter waits for it, then stops the run with that row reported."""

from __future__ import annotations

import signal
import threading
from pathlib import Path

import pytest

from mpwrite.bulk import workers as bulk_workers
from mpwrite.bulk.letters import LetterDone, make_letter
from mpwrite.bulk.run import run_bulk
from mpwrite.geo.lookup import Resolver
from mpwrite.geo.ridings import load_bundled
from tests.helpers import BULK_HEADER as HEADER
from tests.helpers import bulk, leftovers, options, report_rows

ROWS = HEADER + "".join(f"Person {n},K2P 1L4,Ottawa Centre,,,\n" for n in range(12))


def test_the_first_letters_are_written_by_the_main_thread_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk_workers, "usable_cores", lambda: 2)
    writers: set[str] = set()
    threads: list[int] = []

    def noting(*args: object) -> LetterDone:
        writers.add(threading.current_thread().name)
        threads.append(threading.active_count())
        return make_letter(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(bulk_workers, "make_letter", noting)
    before = threading.active_count()
    summary = bulk(tmp_path, ROWS)
    assert summary.statuses["written"] == 12
    assert writers == {threading.main_thread().name}
    assert set(threads) == {before}  # nothing started to write them


@pytest.mark.skipif(not hasattr(signal, "raise_signal"), reason="needs signal.raise_signal")
@pytest.mark.parametrize("stop", ["SIGINT", "SIGTERM"])
def test_a_ctrl_c_during_a_letter_waits_for_it_then_stops_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stop: str
) -> None:
    written: list[str] = []

    def interrupted_at_the_fifth(*args: object) -> LetterDone:
        if len(written) == 4:
            signal.raise_signal(getattr(signal, stop))
        done = make_letter(*args)  # type: ignore[arg-type]
        written.append(done[2])
        return done

    monkeypatch.setattr(bulk_workers, "make_letter", interrupted_at_the_fifth)
    source = tmp_path / "supporters.csv"
    source.write_text(ROWS, encoding="utf-8")
    out = tmp_path / "out"
    summary = run_bulk(source, options(out), resolver=Resolver(load_bundled()))
    assert summary.interrupted
    rows = report_rows(out)
    assert [row["output_file"] for row in rows] == written
    assert [int(row["row"]) for row in rows] == [2, 3, 4, 5, 6]
    assert all(row["status"] == "written" for row in rows)
    assert sorted(p.name for p in (out / "letters").iterdir()) == sorted(
        Path(name).name for name in written
    )
    assert leftovers(out) == []
