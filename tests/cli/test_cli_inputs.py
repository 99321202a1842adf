"""Hostile command-line input: special output files, bytes that are not UTF-8, pasted pages."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mpwrite.cli.root import app

runner = CliRunner()
BATCH = {"MPWRITE_INTERACTIVE": "0"}
DRAFT = ["draft", "-r", "35080", "--name", "A"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
@pytest.mark.parametrize("force", [[], ["--force"]])
def test_draft_refuses_to_replace_a_fifo(tmp_path: Path, force: list[str]) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = runner.invoke(app, [*DRAFT, "-o", str(fifo), *force], env=BATCH)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and "not a regular file" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_draft_refuses_a_device_even_with_force(tmp_path: Path) -> None:
    # A private copy of /dev/null's device: a test must never risk the real one.
    device = tmp_path / "null"
    try:
        os.mknod(device, stat.S_IFCHR | 0o600, os.makedev(1, 3))
    except (OSError, AttributeError):
        pytest.skip("this machine does not let the tests make a device node")
    result = runner.invoke(app, [*DRAFT, "-o", str(device), "--force"], env=BATCH)
    assert result.exit_code == 1
    assert "not a regular file" in result.stderr
    assert stat.S_ISCHR(os.lstat(device).st_mode)


def test_draft_refuses_a_symlink_as_output(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.txt"
    target.write_text("keep me")
    link = tmp_path / "letter.txt"
    link.symlink_to(target)
    result = runner.invoke(app, [*DRAFT, "-o", str(link), "--force"], env=BATCH)
    assert result.exit_code == 1
    assert "symbolic link" in result.stderr
    assert link.is_symlink() and target.read_text() == "keep me"


def run_mpwrite(*arguments: str | bytes, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    environment = {**os.environ, **BATCH, "LC_ALL": "C.UTF-8"}
    return subprocess.run(
        [sys.executable, "-m", "mpwrite", *arguments],
        capture_output=True,
        cwd=cwd,
        env=environment,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    "extra",
    [["-f", "txt"], ["-f", "md"], ["-f", "html"], ["--mailto"]],
)
def test_bytes_that_are_not_utf8_are_a_usage_error(tmp_path: Path, extra: list[str]) -> None:
    result = run_mpwrite("draft", "-r", "35080", "--name", b"Al\xe9x", *extra, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stderr.decode() == (
        "Error: the value of --name (Al\\xe9x) is not valid UTF-8 text; retype it, or set your "
        "terminal to UTF-8\n"
    )
    assert result.stdout == b""


def test_undecodable_file_names_still_pass(tmp_path: Path) -> None:
    from mpwrite.cli.root import undecodable_argument

    name = os.fsdecode(b"caf\xe9.txt")
    assert undecodable_argument(["draft", "-o", name]) is None
    assert undecodable_argument([f"--output={name}"]) is None
    (tmp_path / name).write_text("x")
    assert undecodable_argument(["bulk", str(tmp_path / name)]) is None
    assert undecodable_argument(["lookup", name]) == (
        "argument 2 (caf\\xe9.txt) is not valid UTF-8 text; retype it, or set your terminal "
        "to UTF-8"
    )


def test_draft_writes_to_an_undecodable_output_name(tmp_path: Path) -> None:
    result = run_mpwrite(*DRAFT, "-o", b"caf\xe9.txt", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / os.fsdecode(b"caf\xe9.txt")).is_file()


def test_lookup_echoes_a_long_input_once_and_short() -> None:
    pasted = "abcdefgh" * 125_000  # 1 MB
    result = runner.invoke(app, ["lookup", pasted])
    assert result.exit_code == 2
    assert len(result.stderr) < 300
    assert result.stderr.count("abcdefgh") == 5
    assert "…" in result.stderr


def test_lookup_hint_for_a_name_with_a_newline_stays_on_one_line() -> None:
    result = runner.invoke(app, ["lookup", "Ottawa\nCentre"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "'Ottawa\\nCentre'" in result.stderr
    assert '--riding "Ottawa Centre"' in result.stderr


def test_lookup_escapes_control_characters() -> None:
    result = runner.invoke(app, ["lookup", "K1A\x1b[2J0A6\u202e"])
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr and "\u202e" not in result.stderr
    assert "\\x1b" in result.stderr
