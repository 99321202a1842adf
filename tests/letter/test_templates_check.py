"""``mpwrite templates check``: every problem of a campaign folder, with file and line."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mpwrite.cli.root import app
from tests.helpers import REPOSITORY

BUNDLED = REPOSITORY / "templates/letters/ccr-anti-trafficking"
runner = CliRunner()


def check(path: Path):
    return runner.invoke(app, ["templates", "check", str(path)])


def copy_bundled(tmp_path: Path) -> Path:
    folder = tmp_path / "campaign"
    shutil.copytree(BUNDLED, folder)
    return folder


def test_bundled_campaign_is_ok() -> None:
    result = check(BUNDLED)
    assert result.exit_code == 0, result.stdout
    # 6 demands x 2 languages, 2 layouts, 2 meeting requests and 2 call scripts.
    assert result.stdout == "OK: 18 templates\n"


def test_campaign_without_layouts_is_ok(tmp_path: Path) -> None:
    folder = copy_bundled(tmp_path)
    for lang in ("en", "fr"):
        (folder / lang / "_layout.j2").unlink()
    result = check(folder)
    assert result.exit_code == 0
    assert result.stdout == "OK: 16 templates\n"


def test_every_problem_is_reported_with_file_and_line(tmp_path: Path) -> None:
    folder = copy_bundled(tmp_path)
    manifest = folder / "manifest.toml"
    text = manifest.read_text(encoding="utf-8")
    text = text.replace('en = "Canadian Council for Refugees"\n', "")
    text = text.replace("number = 5", "number = 4")
    manifest.write_text(text, encoding="utf-8")
    (folder / "fr" / "access-to-justice.j2").unlink()
    (folder / "en" / "root-causes.j2").write_text(
        "Line one.\n\nWe live in {{ riding.name }}, near {{ riding.mayor }}.", encoding="utf-8"
    )
    (folder / "fr" / "_layout.j2").write_text("{{ body }}\n{% endif %}", encoding="utf-8")
    result = check(folder)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    manifest_lines = text.splitlines()
    organisation_line = manifest_lines.index("[organisation]") + 1
    fifth_demand_line = [n for n, line in enumerate(manifest_lines, 1) if line == "[[demands]]"][4]
    expected = [
        f"{folder}/manifest.toml:{organisation_line}: organisation.en must be a non-empty string",
        f"{folder}/manifest.toml:{fifth_demand_line}: demand number 4 is used twice; "
        "each must be unique",
        f"{folder}/fr/access-to-justice.j2: missing: demand access-to-justice needs a template "
        "in each language (en, fr)",
        f"{folder}/en/root-causes.j2:3: 'dict object' has no attribute 'mayor'",
        f"{folder}/fr/_layout.j2:2: Encountered unknown tag 'endif'.",
    ]
    for line in expected:
        assert line in lines, (line, lines)
    assert len(lines) == len(expected), lines
    assert "5 problems" in result.stderr


def test_manifest_syntax_error_names_the_line(tmp_path: Path) -> None:
    folder = copy_bundled(tmp_path)
    (folder / "manifest.toml").write_text('id = "x"\n\n[title\nen = 1\n', encoding="utf-8")
    result = check(folder)
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{folder}/manifest.toml:3: ")


def test_missing_folder_or_manifest(tmp_path: Path) -> None:
    missing = check(tmp_path / "nowhere")
    assert missing.exit_code == 1 and "no campaign folder" in missing.stdout
    empty = check(tmp_path)
    assert empty.exit_code == 1 and "manifest.toml is missing" in empty.stdout


def test_manifest_schema_types(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "manifest.toml").write_text(
        'id = 3\ntitle = "only one language"\ndefault_demand = "nope"\n'
        '[organisation]\nen = "Org"\nfr = "Org"\n'
        '[[demands]]\nid = "Bad Id"\nnumber = "one"\n',
        encoding="utf-8",
    )
    result = check(folder)
    assert result.exit_code == 1
    out = result.stdout
    assert f"{folder}/manifest.toml:1: id must be a non-empty string" in out
    assert "title must be a table with en and fr strings" in out
    assert "demand id 'Bad Id' must be lower-case" in out
    assert "number must be a positive integer" in out
    assert "default_demand 'nope' is not the id of a demand" in out
    assert "demand Bad Id: title must be a table" in out


HOSTILE = [
    "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "{% set s = 'x' %}\n" + "{% set s = s ~ s %}\n" * 40 + "{{ s }}",
    "{{ (((10**100)**100)**100)**100 }}",
    '{{ "a".ljust(2000000000) }}',
    '{{ "{:>2000000000}".format(1) }}',
]


@pytest.mark.parametrize("body", HOSTILE)
def test_hostile_templates_are_reported_quickly(tmp_path: Path, body: str) -> None:
    folder = copy_bundled(tmp_path)
    (folder / "en" / "all.j2").write_text(body, encoding="utf-8")
    started = time.monotonic()
    result = check(folder)
    assert time.monotonic() - started < 6  # stopped, not hung: the old code ran for minutes
    assert result.exit_code == 1
    assert re.fullmatch(rf"{re.escape(str(folder))}/en/all\.j2:\d+: .+\n", result.stdout), (
        result.stdout
    )
    assert "Traceback" not in result.stderr
    started = time.monotonic()
    drafted = runner.invoke(
        app, ["draft", "-r", "35080", "--name", "A", "--campaign", str(folder)],
        env={"MPWRITE_INTERACTIVE": "0"},
    )
    assert time.monotonic() - started < 6  # stopped, not hung: the old code ran for minutes
    assert drafted.exit_code == 1
    assert re.fullmatch(rf"Error: {re.escape(str(folder))}/en/all\.j2:\d+: .+\n", drafted.stderr)
    assert drafted.stdout == ""
