"""A demand's sources in the manifest: one title and page for both languages, or each in en/fr."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mpwrite.campaign.facts import Source
from mpwrite.campaign.folder import load_campaign, read_campaign
from mpwrite.cli.root import app
from mpwrite.letter.check import check_campaign
from tests.helpers import REPOSITORY, one_title_and_url_per_source

BUNDLED = REPOSITORY / "templates/letters/ccr-anti-trafficking"
runner = CliRunner()
#: The one source whose French page could not be confirmed: its English page serves both.
ENGLISH_PAGE_ONLY = (
    "https://www.canada.ca/en/immigration-refugees-citizenship/news/notices/"
    "better-support-foreign-nationals-facing-human-trafficking-family-violence-canada.html"
)
FRENCH_PAGE = re.compile(
    r"https://(laws-lois\.justice\.gc\.ca/fra/"
    r"|www\.canada\.ca/fr/"
    r"|www\.securitepublique\.gc\.ca/.*-fr\.aspx$"
    r"|www\.parl\.ca/legisinfo/fr/"
    r"|normlex\.ilo\.org/dyn/normlex/fr/"
    r"|treaties\.un\.org/.*clang=_fr$)"
)


def copy_with(tmp_path: Path, old: str, new: str, count: int = 1) -> Path:
    """The bundled campaign with ``old`` replaced by ``new`` in its manifest."""
    folder = tmp_path / "campaign"
    shutil.copytree(BUNDLED, folder)
    manifest = folder / "manifest.toml"
    text = manifest.read_text(encoding="utf-8")
    assert old in text
    manifest.write_text(text.replace(old, new, count), encoding="utf-8")
    return folder


def old_style_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "old-style"
    shutil.copytree(BUNDLED, folder)
    manifest = folder / "manifest.toml"
    text = one_title_and_url_per_source(manifest.read_text(encoding="utf-8"))
    assert "[demands.sources." not in text
    manifest.write_text(text, encoding="utf-8")
    return folder


# --- the bundled campaign's sources -----------------------------------------------


def test_every_bundled_source_has_a_french_title_and_page() -> None:
    for demand in load_campaign().demands:
        for source in demand.facts.sources:
            assert source.title_fr and source.title_fr != source.title, source
            if source.url == ENGLISH_PAGE_ONLY:
                assert source.url_fr == ""
                assert source.title_fr.endswith("(page en anglais)")
                continue
            assert FRENCH_PAGE.match(source.url_fr), source.url_fr
            assert source.url_fr != source.url


def test_french_titles_follow_french_typography() -> None:
    for demand in load_campaign().demands:
        for source in demand.facts.sources:
            title = source.title_fr
            # A no-break space before : ; ? ! and no typewriter apostrophe.
            assert not re.search(r"[^\u00a0][:;?!]", title), title
            assert "'" not in title and '"' not in title, title


def test_the_official_french_titles_of_the_laws() -> None:
    titles = {
        source.url_fr: source.title_fr
        for demand in load_campaign().demands
        for source in demand.facts.sources
    }
    fra = "https://laws-lois.justice.gc.ca/fra/"
    assert titles[f"{fra}lois/C-46/section-279.04.html"].startswith("Code criminel, article 279.04")
    assert titles[f"{fra}reglements/DORS-2002-227/section-207.1.html"].startswith(
        "Règlement sur l’immigration et la protection des réfugiés, article 207.1"
    )
    assert titles[f"{fra}lois/I-2.5/section-25.html"].startswith(
        "Loi sur l’immigration et la protection des réfugiés, article 25"
    )


def test_a_source_in_each_language() -> None:
    source = Source("Criminal Code", "https://en.example", "Code criminel", "https://fr.example")
    assert source.in_language("en") == source
    assert source.in_language("fr") == Source("Code criminel", "https://fr.example")
    english_page = Source("Notice", "https://en.example", "Avis")
    assert english_page.in_language("fr") == Source("Avis", "https://en.example")
    same = Source("NORMLEX", "https://both.example")
    assert same.in_language("fr") == same


# --- manifests that give one title and one page -----------------------------------


def test_an_old_style_manifest_serves_its_sources_in_both_languages(tmp_path: Path) -> None:
    campaign = load_campaign(old_style_copy(tmp_path))
    bundled = load_campaign()
    for demand, original in zip(campaign.demands, bundled.demands, strict=True):
        english = [(s.title, s.url) for s in original.facts.sources]
        for lang in ("en", "fr"):
            assert [(s.title, s.url) for s in demand.facts.sources_in(lang)] == english
    assert check_campaign(old_style_copy(tmp_path / "b")).ok


def test_demands_json_lists_sources_in_the_chosen_language(tmp_path: Path) -> None:
    def sources(lang: str, *campaign: str) -> list[dict[str, str]]:
        result = runner.invoke(app, ["demands", "--json", "--lang", lang, *campaign])
        assert result.exit_code == 0, result.stderr
        listed = json.loads(result.stdout)["demands"]
        return next(d for d in listed if d["id"] == "access-to-justice")["sources"]

    assert sources("en")[0] == {
        "title": "Criminal Code, section 279.04 (exploitation)",
        "url": "https://laws-lois.justice.gc.ca/eng/acts/C-46/section-279.04.html",
    }
    assert sources("fr")[0] == {
        "title": "Code criminel, article 279.04 (exploitation)",
        "url": "https://laws-lois.justice.gc.ca/fra/lois/C-46/section-279.04.html",
    }
    old_style = ["--campaign", str(old_style_copy(tmp_path))]
    assert sources("fr", *old_style) == sources("en")


# --- templates check ---------------------------------------------------------------

FIRST_TITLE_FR = 'fr = "NORMLEX (OIT)\u00a0: Convention (n°\u00a029) sur le travail forcé, 1930"\n'
FIRST_URL_FR = (
    'fr = "https://normlex.ilo.org/dyn/normlex/fr/f?p=NORMLEXPUB:12100:0::NO::P12100_ILO_CODE:C029"'
)
WHERE = "demand root-causes: source 1: "


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        (
            FIRST_TITLE_FR,
            "",
            "title has no fr; give both en and fr, or one string for both languages",
        ),
        (
            FIRST_TITLE_FR,
            FIRST_TITLE_FR + 'de = "Zwangsarbeit"\n',
            "title has 'de'; give only en and fr",
        ),
        (FIRST_URL_FR, 'fr = "http://normlex.ilo.org/fr"', "url must start with https://"),
        (FIRST_URL_FR, 'fr = ""', "url.fr must be a non-empty string"),
        (
            "[[demands.sources]]\n[demands.sources.title]\n",
            '[[demands.sources]]\ntitle = ""\n[demands.sources.titre]\n',
            "title must be a non-empty string, or a table with en and fr strings",
        ),
        (
            "[[demands.sources]]\n[demands.sources.title]\n",
            '[[demands.sources]]\ntitle_fr = "Convention sur le travail forcé"\n'
            "[demands.sources.title]\n",
            "unknown key 'title_fr'; give a title or url per language as a table, "
            'like title = { en = "…", fr = "…" }',
        ),
    ],
    ids=["no-fr", "other-language", "http", "empty-url", "not-a-string", "title_fr"],
)
def test_templates_check_names_a_bad_source_and_the_fix(
    tmp_path: Path, old: str, new: str, problem: str
) -> None:
    folder = copy_with(tmp_path, old, new)
    result = runner.invoke(app, ["templates", "check", str(folder)])
    assert result.exit_code == 1
    lines = (folder / "manifest.toml").read_text(encoding="utf-8").splitlines()
    demand_line = lines.index('id = "root-causes"')  # the [[demands]] line just above
    assert f"{folder}/manifest.toml:{demand_line}: {WHERE}{problem}" in result.stdout.splitlines()


def test_a_bad_source_stops_draft_with_one_line(tmp_path: Path) -> None:
    folder = copy_with(tmp_path, FIRST_TITLE_FR, "")
    result = runner.invoke(
        app, ["draft", "--kind", "brief", "--campaign", str(folder), "--format", "txt"]
    )
    assert result.exit_code == 1
    assert "title has no fr" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_problems_are_reported_in_french(tmp_path: Path) -> None:
    from mpwrite.i18n import use_language

    folder = copy_with(tmp_path, FIRST_TITLE_FR, "")
    use_language("fr")  # the english_messages fixture puts English back
    problems = [str(problem) for problem in read_campaign(folder).problems]
    assert any(
        "title n’a pas de fr\u00a0; donnez en et fr, ou un seul texte pour les deux langues" in p
        for p in problems
    ), problems
