"""README.md stays true: its console examples are run and compared, and CI runs
the exact test command the README gives."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mpwrite.cli.root import app

REPOSITORY = Path(__file__).resolve().parents[1]
README = (REPOSITORY / "README.md").read_text(encoding="utf-8")
CONSOLE_BLOCK = re.compile(r"```console\n(.*?)```", re.DOTALL)
SH_BLOCK = re.compile(r"```sh\n(.*?)```", re.DOTALL)


def console_examples() -> list[tuple[str, str]]:
    """(command, expected stdout) pairs from every ```console block."""
    examples = []
    for block in CONSOLE_BLOCK.findall(README):
        command, output, continued = None, [], False
        for line in block.splitlines():
            if continued and command is not None:
                command = command[:-1] + line.strip()
            elif line.startswith("$ "):
                if command is not None:
                    examples.append((command, "\n".join(output) + "\n"))
                command, output = line[2:], []
            else:
                output.append(line)
            continued = command is not None and not output and command.endswith("\\")
        if command is not None:
            examples.append((command, "\n".join(output) + "\n"))
    return examples


EXAMPLES = console_examples()


def test_readme_has_console_examples() -> None:
    assert len(EXAMPLES) >= 5


@pytest.mark.parametrize(("command", "expected"), EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_readme_console_example_is_true(command: str, expected: str) -> None:
    words = shlex.split(command)
    assert words[0] == "mpwrite"
    result = CliRunner().invoke(app, words[1:])
    assert result.stdout == expected


def test_ci_runs_the_readme_test_command() -> None:
    set_up_blocks = [block.strip() for block in SH_BLOCK.findall(README)]
    [test_command] = [block for block in set_up_blocks if "pytest" in block]
    [main_job] = [block for block in set_up_blocks if "mpwrite lookup" in block]
    assert main_job.startswith("python3 -m venv .venv && ")
    ci_script = (REPOSITORY / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in ci_script.splitlines()
