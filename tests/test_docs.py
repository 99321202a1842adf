"""The README and docs/ stay true: every console example in them is run and
compared, every relative link leads somewhere, the README stays short, and CI
runs the exact test command the README gives."""

from __future__ import annotations

import re
import shlex
import unicodedata
from pathlib import Path
from urllib.parse import unquote

import pytest
from typer.testing import CliRunner

from mpwrite.cli.root import app
from tests.helpers import REPOSITORY

README_PATH = REPOSITORY / "README.md"
README = README_PATH.read_text(encoding="utf-8")
PAGES = [README_PATH, *sorted((REPOSITORY / "docs").glob("*.md"))]
CONSOLE_BLOCK = re.compile(r"```console\n(.*?)```", re.DOTALL)
SH_BLOCK = re.compile(r"```sh\n(.*?)```", re.DOTALL)
FENCED = re.compile(r"^```.*?^```", re.DOTALL | re.MULTILINE)
INLINE_CODE = re.compile(r"`+[^`\n]*`+")
LINK = re.compile(r"\]\(([^)\s]+)\)")
README_MAX_LINES = 250


def name(page: Path) -> str:
    return page.relative_to(REPOSITORY).as_posix()


def console_examples(text: str) -> list[tuple[str, str]]:
    """(command, expected stdout) pairs from every ```console block."""
    examples = []
    for block in CONSOLE_BLOCK.findall(text):
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


EXAMPLES = [
    (name(page), command, expected)
    for page in PAGES
    for command, expected in console_examples(page.read_text(encoding="utf-8"))
]


def test_the_docs_have_console_examples() -> None:
    assert len(EXAMPLES) >= 8
    assert {page for page, _, _ in EXAMPLES} >= {"README.md", "docs/lookup.md", "docs/letters.md"}


@pytest.mark.parametrize(
    ("page", "command", "expected"),
    EXAMPLES,
    ids=[f"{page}:{command}" for page, command, _ in EXAMPLES],
)
def test_console_example_is_true(page: str, command: str, expected: str) -> None:
    words = shlex.split(command)
    assert words[0] == "mpwrite", f"{page}: a console example runs mpwrite"
    result = CliRunner().invoke(app, words[1:])
    assert result.stdout == expected


def test_readme_is_short() -> None:
    lines = README.count("\n")
    assert lines <= README_MAX_LINES, f"README.md has {lines} lines; move detail to docs/"


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to '-'."""
    text = heading.strip().lower().replace("`", "")
    kept = "".join(c for c in text if c in " -_" or unicodedata.category(c)[0] in "LN")
    return kept.replace(" ", "-")


def anchors(text: str) -> set[str]:
    found: set[str] = set()
    for line in FENCED.sub("", text).splitlines():
        if match := re.match(r"#{1,6} (.+)", line):
            found.add(slug(match.group(1)))
    return found


def links(text: str) -> list[str]:
    """Relative link targets outside code: no scheme, no mail address."""
    prose = INLINE_CODE.sub("", FENCED.sub("", text))
    return [
        target
        for target in LINK.findall(prose)
        if not re.match(r"[a-z][a-z0-9+.-]*:", target, re.IGNORECASE)
    ]


def test_slugs_follow_github() -> None:
    assert slug("Exact answers online: `--online`") == "exact-answers-online---online"
    assert slug("4. report.csv: one line per input row") == "4-reportcsv-one-line-per-input-row"
    assert slug("Which answer wins (the resolver's order)") == (
        "which-answer-wins-the-resolvers-order"
    )


def leads_somewhere(page: Path, target: str) -> bool:
    """An existing file inside the repository and, in a Markdown file, an existing heading."""
    path, _, anchor = target.partition("#")
    file = (page.parent / unquote(path)).resolve() if path else page
    if not file.exists() or REPOSITORY not in file.parents:
        return False
    if anchor and file.suffix == ".md":
        return anchor in anchors(file.read_text(encoding="utf-8"))
    return True


@pytest.mark.parametrize("page", PAGES, ids=name)
def test_relative_links_lead_to_files_and_headings(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    broken = [target for target in links(text) if not leads_somewhere(page, target)]
    assert broken == [], f"{name(page)}: links to nothing"


def test_links_are_found() -> None:
    assert "docs/reference.md" in links(README)
    assert "reference.md#mpwrite-bulk---json" in links(
        (REPOSITORY / "docs" / "bulk.md").read_text(encoding="utf-8")
    )


def test_ci_runs_the_readme_test_command() -> None:
    set_up_blocks = [block.strip() for block in SH_BLOCK.findall(README)]
    [test_command] = [block for block in set_up_blocks if "pytest" in block]
    [main_job] = [block for block in set_up_blocks if "mpwrite lookup" in block]
    assert main_job.startswith("python3 -m venv .venv && ")
    ci_script = (REPOSITORY / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in ci_script.splitlines()
