"""Ctrl-C held back while a bulk row is being recorded, raised right after."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from mpwrite.bulk.interrupts import CtrlCGuard


def test_ctrl_c_in_a_held_block_waits_for_its_end() -> None:
    guard = CtrlCGuard()
    steps: list[str] = []
    with guard.installed():
        with pytest.raises(KeyboardInterrupt), guard.held():
            signal.raise_signal(signal.SIGINT)
            steps.append("finished the step")
        with pytest.raises(KeyboardInterrupt):
            signal.raise_signal(signal.SIGINT)  # outside a held block: at once
            steps.append("never")
        with guard.held():
            steps.append("a quiet step")
    assert steps == ["finished the step", "a quiet step"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_guard_leaves_alone_a_ctrl_c_someone_else_handles() -> None:
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, frame: caught.append(number))
    try:
        guard = CtrlCGuard()
        with guard.installed(), guard.held():
            signal.raise_signal(signal.SIGINT)
        assert caught == [signal.SIGINT]
    finally:
        signal.signal(signal.SIGINT, previous)


def test_a_held_block_that_fails_forgets_its_ctrl_c() -> None:
    guard = CtrlCGuard()
    with guard.installed():
        with pytest.raises(ValueError), guard.held():
            signal.raise_signal(signal.SIGINT)
            raise ValueError("the block's own error")
        try:
            with guard.held():
                pass
        except KeyboardInterrupt:
            pytest.fail("a Ctrl-C held in the failed block came out of a later one")


CHILD_WITH_CTRL_C_IGNORED = """
import signal
from mpwrite.bulk.interrupts import CtrlCGuard

signal.signal(signal.SIGINT, signal.SIG_IGN)  # as for a job a script starts with '&'
guard = CtrlCGuard()
with guard.installed():
    try:
        with guard.held():
            signal.raise_signal(signal.SIGTERM)
            print("step finished")
    except KeyboardInterrupt:
        print("stopped after the step")
"""


@pytest.mark.skipif(not hasattr(signal, "SIGTERM") or os.name != "posix", reason="POSIX signals")
def test_sigterm_is_handled_even_when_ctrl_c_is_ignored() -> None:
    # A background run ignores SIGINT; SIGTERM must still stop it with its report written,
    # not kill it outright (exit -15, no report.csv).
    child = subprocess.run(
        [sys.executable, "-c", CHILD_WITH_CTRL_C_IGNORED],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert child.returncode == 0, child.stderr
    assert child.stdout.split("\n")[:2] == ["step finished", "stopped after the step"]
