"""The manifest's [contact] table: read, and every defect reported with its line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mpwrite.campaign.folder import load_campaign, read_campaign
from tests.helpers import BUNDLED_CAMPAIGN

CONTACT = """[contact]
name = { en = "Canadian Council for Refugees", fr = "Conseil canadien pour les réfugiés" }
website = "https://ccrweb.ca/trafficking"
"""


def with_contact(tmp_path: Path, table: str) -> Path:
    folder = tmp_path / "campaign"
    shutil.copytree(BUNDLED_CAMPAIGN, folder)
    manifest = folder / "manifest.toml"
    text = manifest.read_text(encoding="utf-8")
    assert CONTACT in text
    manifest.write_text(text.replace(CONTACT, table), encoding="utf-8")
    return folder


def test_bundled_contact() -> None:
    contact = load_campaign().contact
    assert contact is not None
    assert contact.lines("fr") == (
        "Conseil canadien pour les réfugiés",
        "https://ccrweb.ca/trafficking",
    )


def test_contact_is_optional(tmp_path: Path) -> None:
    assert load_campaign(with_contact(tmp_path, "")).contact is None


def test_one_name_for_both_languages_and_an_email(tmp_path: Path) -> None:
    table = '[contact]\nname = "Jo Organiser"\nemail = "jo@example.org"\n'
    contact = load_campaign(with_contact(tmp_path, table)).contact
    assert contact is not None
    assert contact.lines("en") == contact.lines("fr") == ("Jo Organiser", "jo@example.org")


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('[contact]\nname = "Jo"\n', "contact needs an email or a website"),
        ('[contact]\nname = "Jo"\nemail = "jo at example"\n', "contact.email 'jo at example'"),
        ('[contact]\nname = "Jo"\nwebsite = "http://x.org"\n', "website must start with https://"),
        ('[contact]\nname = "Jo"\nwebsite = "https://x.org"\nphone = "1"\n', "unknown key 'phone'"),
        ('[contact]\nwebsite = "https://x.org"\n', "contact.name must be a table"),
    ],
)
def test_contact_problems_name_the_line(tmp_path: Path, table: str, message: str) -> None:
    folder = with_contact(tmp_path, table)
    problems = [str(problem) for problem in read_campaign(folder).problems]
    assert len(problems) == 1, problems
    assert message in problems[0]
    line = (
        (folder / "manifest.toml")
        .read_text(encoding="utf-8")
        .splitlines()
        .index(table.splitlines()[0])
    )
    assert problems[0].startswith(f"{folder}/manifest.toml:{line + 1}: ")
