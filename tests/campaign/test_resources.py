"""A campaign's `[[resources]]` (a hotline): read and checked from the manifest, printed."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mpwrite.campaign.folder import bundled_campaign_root, load_campaign, read_campaign
from mpwrite.campaign.resources import MOST_RESOURCES, Resource
from mpwrite.cli.root import app
from mpwrite.geo.ridings import load_bundled
from mpwrite.letter.compose import Supporter, compose_letter
from mpwrite.output.pdf import render_pdf
from tests.helpers import read_pdf

runner = CliRunner()
HOTLINE = """
[[resources]]
phone = "{phone}"
[resources.name]
en = "{name}"
fr = "Ligne d’aide"
[resources.note]
en = "confidential, 24/7"
fr = "confidentielle"
"""


def campaign_with(tmp_path: Path, resources: str) -> Path:
    """The bundled campaign with its resources replaced by ``resources``."""
    folder = tmp_path / "campaign"
    shutil.copytree(str(bundled_campaign_root()), folder)
    manifest = folder / "manifest.toml"
    text = manifest.read_text("utf-8")
    text = text[: text.index("\n# Shown after each supporter's turn")] + "\n" + resources
    if resources.startswith("resources ="):
        text = resources + text  # a plain key must come before the first table
    manifest.write_text(text, "utf-8")
    return folder


def test_the_bundled_campaign_points_to_the_hotline_in_both_languages() -> None:
    [hotline] = load_campaign().resources
    assert hotline.phone == "1-833-900-1010"
    assert hotline.line("en") == (
        "Canadian Human Trafficking Hotline: 1-833-900-1010 (confidential, 24/7)"
    )
    assert hotline.line("fr") == (
        "Ligne d’urgence canadienne contre la traite des personnes\u00a0: 1-833-900-1010 "
        "(confidentielle, 24 h/24, 7 j/7)"
    )


def test_a_note_is_optional() -> None:
    assert Resource({"en": "Help", "fr": "Aide"}, "211").line("fr") == "Aide\u00a0: 211"


def test_a_campaign_without_resources_has_none(tmp_path: Path) -> None:
    assert read_campaign(campaign_with(tmp_path, "")).resources == ()


@pytest.mark.parametrize(
    ("resources", "problem"),
    [
        (HOTLINE.format(phone="call us", name="Help"), "is not a phone number"),
        (HOTLINE.format(phone="211", name="x" * 90), "one line of at most 80 characters"),
        (HOTLINE.format(phone="211", name="Help").replace('fr = "Ligne d’aide"\n', ""), "name.fr"),
        (HOTLINE.format(phone="211", name="Help") * (MOST_RESOURCES + 1), "list at most 5"),
        ('resources = "call 211"\n', "must be [[resources]] tables"),
    ],
)
def test_templates_check_names_each_resource_problem(
    tmp_path: Path, resources: str, problem: str
) -> None:
    folder = campaign_with(tmp_path, resources)
    result = runner.invoke(app, ["templates", "check", str(folder)])
    assert result.exit_code == 1
    assert problem in result.stdout
    assert "manifest.toml:" in result.stdout


def letter_pdf(campaign_folder: Path | None, lang: str) -> bytes:
    campaign = load_campaign(campaign_folder)
    letter = compose_letter(
        campaign=campaign,
        demand=campaign.demand("all"),
        lang=lang,
        riding=load_bundled().get("35079"),
        supporter=Supporter("Sam Sample"),
        date=datetime.date(2026, 12, 3),
    )
    return render_pdf([letter])


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_printed_letters_carry_the_hotline_at_the_foot(lang: str) -> None:
    [page] = read_pdf(letter_pdf(None, lang))
    assert page.foot == load_campaign().resources[0].line(lang).replace("\u00a0", " ")
    assert "1-833-900-1010" not in page.text


def test_letters_of_a_campaign_without_resources_have_no_foot(tmp_path: Path) -> None:
    [page] = read_pdf(letter_pdf(campaign_with(tmp_path, ""), "en"))
    assert page.foot == ""


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_html_letter_shows_the_hotline_with_how_to_send_it(lang: str) -> None:
    from mpwrite.output.formats import render_html

    campaign = load_campaign()
    letter = compose_letter(
        campaign=campaign,
        demand=campaign.demand("all"),
        lang=lang,
        riding=load_bundled().get("35079"),
        supporter=Supporter("Sam Sample"),
        date=datetime.date(2026, 12, 3),
    )
    page = render_html(letter)
    aside = page[page.index('<aside class="mailing">') : page.index("</aside>")]
    assert '<p class="resources">' in aside and "1-833-900-1010" in aside
    assert "1-833-900-1010" not in page[: page.index("</main>")]
