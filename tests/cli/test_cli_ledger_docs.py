"""docs/after-the-campaign.md stays true: its loop is replayed in order, in one folder
and one mpwrite home, and its --json shape is the report's."""

from __future__ import annotations

import email.policy
import json
import re
import shlex
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from mpwrite.cli.root import app
from tests.helpers import REPOSITORY

PAGE = (REPOSITORY / "docs" / "after-the-campaign.md").read_text(encoding="utf-8")


def blocks(kind: str) -> list[str]:
    return re.findall(rf"```{kind}\n(.*?)```", PAGE, re.DOTALL)


def steps() -> list[tuple[str, str]]:
    """(command, stdout) for every `$ mpwrite` line of the page's text blocks, in order."""
    found: list[tuple[str, list[str]]] = []
    for block in blocks("text"):
        for line in block.splitlines():
            if line.startswith("$ "):
                found.append((line[2:], []))
            elif found:
                found[-1][1].append(line)
    return [(command, "".join(f"{line}\n" for line in output)) for command, output in found]


def keys(value: Any) -> Any:
    """The shape of a JSON value: the keys of objects, and of a list's first item."""
    if isinstance(value, dict):
        return {key: keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [keys(value[0])] if value else []
    return None


def test_the_loop_in_the_docs_runs_as_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    [supporters] = blocks("csv")
    Path("supporters.csv").write_text(supporters, encoding="utf-8")
    Path("replies").mkdir()
    reply = EmailMessage(policy=email.policy.default)
    reply["From"] = "Anita Anand <anita.anand@parl.gc.ca>"
    reply["Subject"] = "Re: Protection and justice for trafficked persons"
    reply["Date"] = "Mon, 23 Nov 2026 10:15:00 -0500"
    reply["Message-ID"] = "<r1@parl.gc.ca>"
    reply.set_content("Thank you for your letter.\n")
    Path("replies/anand.eml").write_bytes(reply.as_bytes())

    ran = steps()
    assert len(ran) >= 10
    for command, expected in ran:
        words = shlex.split(command)
        assert words[0] == "mpwrite"
        result = CliRunner().invoke(app, words[1:])
        assert (command, result.exit_code, result.stdout) == (command, 0, expected), result.stderr
    assert "ada@example.org" in Path("crm.csv").read_text(encoding="utf-8")
    assert "<svg" in Path("report.html").read_text(encoding="utf-8")

    # Every MP overdue, so that each list of the shape has an item to compare.
    result = CliRunner().invoke(
        app, ["report", "--json", "--overdue", "0", "--overdue-letters", "0"]
    )
    [documented] = blocks("json")
    assert keys(json.loads(result.stdout)) == keys(json.loads(documented))
