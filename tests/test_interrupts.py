"""Ctrl-C held back while a bulk row is being recorded, raised right after."""

from __future__ import annotations

import signal

import pytest

from mpwrite.interrupts import CtrlCGuard


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
