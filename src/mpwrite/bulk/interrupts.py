"""Ctrl-C that waits for bookkeeping to finish: no row is ever half recorded.

A bulk run hands a letter to a writer and notes the row as pending, then later
takes the row off the pending list and records it in the report. A Ctrl-C
between two such steps would lose a row: a letter on disk that no report line
names. :class:`CtrlCGuard` holds a Ctrl-C back while a step is under way and
raises it as soon as the step is complete; everywhere else (reading input,
asking Represent, waiting for a letter) Ctrl-C interrupts at once. SIGTERM is
treated as a Ctrl-C.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class CtrlCGuard:
    """Ctrl-C (and SIGTERM) as KeyboardInterrupt, held back inside :meth:`held` blocks."""

    def __init__(self) -> None:
        self._holding = False
        self._arrived = False
        self._held = _Held(self)

    @contextmanager
    def installed(self) -> Iterator[None]:
        """Within the block, this guard handles Ctrl-C (only where Python's default did).

        And SIGTERM, the polite request to stop that ``kill`` and service
        managers send, the same way, where nothing else handles it.
        """
        if threading.current_thread() is not threading.main_thread():
            yield  # signals are not ours to handle here: held blocks hold nothing
            return
        # Each signal is taken on its own: a run started in the background by a
        # script ignores Ctrl-C, yet a SIGTERM must still end it with its report.
        interrupt = signal.getsignal(signal.SIGINT) is signal.default_int_handler
        if interrupt:
            signal.signal(signal.SIGINT, self._handle)
        terminate = getattr(signal, "SIGTERM", None)
        if terminate is not None and signal.getsignal(terminate) is not signal.SIG_DFL:
            terminate = None
        if terminate is not None:
            signal.signal(terminate, self._handle)
        try:
            yield
        finally:
            if interrupt:
                signal.signal(signal.SIGINT, signal.default_int_handler)
            if terminate is not None:
                signal.signal(terminate, signal.SIG_DFL)

    def held(self) -> _Held:
        """Within the block, a Ctrl-C waits; it is raised when the block completes."""
        return self._held

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self._holding:
            self._arrived = True
            return
        raise KeyboardInterrupt


class _Held:
    """The block of :meth:`CtrlCGuard.held`: a class, as bulk enters one twice a row."""

    __slots__ = ("_guard",)

    def __init__(self, guard: CtrlCGuard) -> None:
        self._guard = guard

    def __enter__(self) -> None:
        self._guard._holding = True

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: object
    ) -> None:
        guard = self._guard
        guard._holding = False
        if kind is not None:
            guard._arrived = False  # the block's own error wins; the run stops anyway
            return
        if guard._arrived:
            guard._arrived = False
            raise KeyboardInterrupt
