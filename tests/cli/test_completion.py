"""Shell completion: ``mpwrite --install-completion`` / ``--show-completion`` and the
completions themselves, run as the shell runs them (environment variables, no args)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from mpwrite.cli.root import app

# Run as the console script is: program name "mpwrite", entry point cli.main()
# (which builds a one-command app when the first argument names a command).
AS_MPWRITE = "import sys; sys.argv[0] = 'mpwrite'; from mpwrite.cli.root import main; main()"
# Typer finds the user's shell by walking the process tree (shellingham), which
# under pytest is whatever ran pytest: the shell is stated instead.
IN_BASH = (
    "import shellingham; shellingham.detect_shell = lambda *a, **k: ('bash', '/bin/bash'); "
    + AS_MPWRITE
)


def mpwrite(*args: str, code: str = AS_MPWRITE, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        # A shell's plain environment, not whatever earlier tests left in this
        # process's (a stray variable there broke completion in a full run).
        env={
            **{k: os.environ[k] for k in ("PATH", "HOME", "MPWRITE_HOME") if k in os.environ},
            **env,
        },
        timeout=60,
        check=False,
    )


def bash_completions(words: str) -> list[str]:
    done = mpwrite(
        _MPWRITE_COMPLETE="complete_bash",
        COMP_WORDS=words,
        COMP_CWORD=str(len(words.split()) - 1),
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_help_offers_completion() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert "--install-completion" in result.stdout
    assert "--show-completion" in result.stdout


def test_show_completion_prints_the_bash_script() -> None:
    done = mpwrite("--show-completion", code=IN_BASH)
    assert done.returncode == 0, done.stderr
    assert "_MPWRITE_COMPLETE=complete_bash" in done.stdout
    assert "complete -o default -F _mpwrite_completion mpwrite" in done.stdout


def test_install_completion_writes_the_shell_set_up(tmp_path: Path) -> None:
    done = mpwrite("--install-completion", code=IN_BASH, HOME=str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "bash completion installed" in done.stdout
    assert "_MPWRITE_COMPLETE" in (tmp_path / ".bash_completions" / "mpwrite.sh").read_text()


def test_commands_options_and_groups_complete() -> None:
    assert bash_completions("mpwrite lo") == ["lookup"]
    assert bash_completions("mpwrite draft --for") == ["--format", "--force"]
    assert bash_completions("mpwrite data u") == ["update"]
