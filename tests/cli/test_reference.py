"""The docs list every option of every command: docs/reference.md's generated
command reference matches the Typer app, and the draft options table in
docs/letters.md is complete."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest
import typer.main

from mpwrite.cli.root import app
from tests.helpers import REPOSITORY

REFERENCE = (REPOSITORY / "docs" / "reference.md").read_text(encoding="utf-8")
LETTERS = (REPOSITORY / "docs" / "letters.md").read_text(encoding="utf-8")


def build_reference() -> ModuleType:
    path = REPOSITORY / "scripts" / "build_reference.py"
    spec = importlib.util.spec_from_file_location("build_reference", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("build_reference", module)
    spec.loader.exec_module(module)
    return module


def every_option() -> list[tuple[str, str]]:
    """(command, option name) for every option of every command, walked from the app."""
    found = []
    for path, command in build_reference().commands(typer.main.get_command(app)):
        for param in command.params:
            if param.param_type_name == "option":
                found += [(" ".join(("mpwrite", *path)), name) for name in param.opts]
    return found


def test_the_walk_sees_the_commands_and_their_options() -> None:
    options = every_option()
    assert ("mpwrite draft", "--represent-url") in options
    assert ("mpwrite data update", "--dry-run") in options
    assert ("mpwrite", "--install-completion") in options
    assert len({command for command, _ in options}) >= 8


def test_reference_is_generated_from_the_app() -> None:
    module = build_reference()
    assert module.START in REFERENCE, "run: python scripts/build_reference.py"
    assert module.with_reference(REFERENCE, module.render()) == REFERENCE, (
        "docs/reference.md's command reference is out of date; "
        "run: python scripts/build_reference.py"
    )


def test_reference_lists_every_option_under_its_command() -> None:
    module = build_reference()
    reference = REFERENCE.split(module.START, 1)[1].split(module.END, 1)[0]
    sections = dict(re.findall(r"### `(mpwrite[^`]*)`\n(.*?)(?=\n### |\Z)", reference, re.S))
    missing = [
        f"{command} {option}"
        for command, option in every_option()
        if f"`{option}`" not in sections.get(command, "")
    ]
    assert missing == []


def test_draft_options_table_has_every_draft_option() -> None:
    table = LETTERS.split("Options (every one can replace a question):", 1)[1].split("\n\n", 2)[1]
    missing = [
        option
        for command, option in every_option()
        if command == "mpwrite draft"
        and option.startswith("--")
        and not re.search(rf"`{re.escape(option)}[`\s]", table)
    ]
    assert missing == []


def test_check_passes_on_the_reference_page(monkeypatch: pytest.MonkeyPatch) -> None:
    module = build_reference()
    monkeypatch.setattr(sys, "argv", ["build_reference.py", "--check"])
    assert module.main() == 0


def test_check_fails_on_a_stale_page_and_leaves_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    module = build_reference()
    stale = REFERENCE.replace("| `--accept-likely` |", "| `--accept-maybe` |")
    assert stale != REFERENCE
    page = tmp_path / "reference.md"
    page.write_text(stale, encoding="utf-8")
    monkeypatch.setattr(module, "REFERENCE", page)
    monkeypatch.setattr(sys, "argv", ["build_reference.py", "--check"])
    assert module.main() == 1
    assert page.read_text(encoding="utf-8") == stale
