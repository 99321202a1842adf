"""A PDF never goes to a terminal; it still goes down a pipe."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import threading
from pathlib import Path

DRAFT_PDF = [
    sys.executable, "-m", "mpwrite", "draft", "--riding", "35080", "--name", "Alex",
    "--format", "pdf",
]


def run_with_stdout_on_a_terminal(args: list[str]) -> tuple[int, str, bytes]:
    """Exit code, stderr and what reached the terminal, for ``args`` run on a pty."""
    leader, follower = pty.openpty()
    env = {**os.environ, "MPWRITE_INTERACTIVE": "0"}
    shown = bytearray()

    def drain() -> None:
        # Read as the program writes, so a program that floods the terminal
        # cannot block on a full terminal buffer.
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # Linux reports EIO once the terminal's other end is closed
                return
            if not chunk:
                return
            shown.extend(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        done = subprocess.run(
            args, stdin=subprocess.DEVNULL, stdout=follower, stderr=subprocess.PIPE,
            env=env, timeout=60, check=False,
        )
    finally:
        os.close(follower)
        reader.join(timeout=10)
        os.close(leader)
    return done.returncode, done.stderr.decode(), bytes(shown)


def test_draft_pdf_refuses_a_terminal() -> None:
    code, stderr, shown = run_with_stdout_on_a_terminal(DRAFT_PDF)
    assert code == 2, stderr
    assert "Error:" in stderr and "--output" in stderr
    assert len(stderr.strip().splitlines()) == 1
    assert b"%PDF" not in shown


def test_draft_pdf_still_goes_down_a_pipe(tmp_path: Path) -> None:
    done = subprocess.run(
        DRAFT_PDF, stdin=subprocess.DEVNULL, capture_output=True, timeout=60, check=False,
        env={**os.environ, "MPWRITE_INTERACTIVE": "0"},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"%PDF")
