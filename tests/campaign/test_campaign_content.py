"""The bundled campaign's content against the facts as checked in late 2026.

Word limits, asks, the one request to a minister named by role, nothing asked
that is already done, and the dated facts (checked date, sources, short text)
that the manifest carries for each demand.
"""

from __future__ import annotations

import datetime
import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mpwrite.campaign.facts import MAX_SHORT_CHARS, months_before, stale_warning
from mpwrite.campaign.folder import load_campaign, read_campaign
from mpwrite.cli.root import app
from mpwrite.geo.ridings import load_bundled
from mpwrite.letter.check import check_campaign
from mpwrite.letter.compose import Supporter, compose_letter
from tests.helpers import REPOSITORY

CAMPAIGN = REPOSITORY / "templates/letters/ccr-anti-trafficking"
DEMAND_IDS = (
    "root-causes",
    "protect-rights",
    "permanent-status",
    "access-to-justice",
    "access-to-services",
    "all",
)
LANGS = ("en", "fr")
MAX_WORDS = {"en": 250, "fr": 290}
# The responsible ministers by role, as facts-2026.md lists them.
MINISTER_ROLES = {
    "en": (
        "Minister of Immigration, Refugees and Citizenship",
        "Minister of Public Safety",
        "Minister of Justice",
        "Minister of Employment",
    ),
    "fr": (
        "ministre de l’Immigration, des Réfugiés et de la Citoyenneté",
        "ministre de la Sécurité publique",
        "ministre de la Justice",
        "ministre de l’Emploi",
    ),
}
REPLY = {"en": "reply", "fr": "votre position"}
SUPPORTER = Supporter(name="Alex Martin", postal_code="K1S 3V8")
DATE = datetime.date(2026, 12, 3)
runner = CliRunner()


def words(text: str) -> int:
    return len(re.findall(r"[\w’'-]+", text))


def longest_named_riding():
    ridings = load_bundled().ridings.values()
    return max(
        (riding for riding in ridings if riding.mp is not None),
        key=lambda riding: max(words(riding.name("en")), words(riding.name("fr"))),
    )


def body(demand: str, lang: str) -> str:
    campaign = load_campaign()
    letter = compose_letter(
        campaign=campaign,
        demand=campaign.demand(demand),
        lang=lang,
        riding=longest_named_riding(),
        supporter=SUPPORTER,
        date=DATE,
    )
    assert letter.body, "the body stands on its own in the letter"
    return letter.body


def plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


# --- each demand's letter ---------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("demand", DEMAND_IDS)
def test_body_is_within_the_word_limit(demand: str, lang: str) -> None:
    count = words(body(demand, lang))
    assert count <= MAX_WORDS[lang], f"{lang}/{demand}: {count} words"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("demand", DEMAND_IDS)
def test_body_carries_its_asks_and_ends_with_one_request_to_a_minister(
    demand: str, lang: str
) -> None:
    text = body(demand, lang)
    facts = load_campaign().demand(demand).facts
    assert facts.asks, "every bundled demand lists its asks"
    if demand == "all":
        assert len(facts.asks) == 3, "the short letter makes three headline asks"
    for ask in facts.asks:
        assert f"- {ask[lang]}" in text
        assert len(re.findall(r"[.!?](?:\s|$)", ask[lang])) == 1, f"one sentence: {ask[lang]}"
    minister = load_campaign().demand(demand).minister
    assert minister, "every bundled demand names its minister"
    role = minister[lang]
    assert role in MINISTER_ROLES[lang]
    request = text.split("\n\n")[-1]
    assert role in request and "?" in request, f"the last paragraph asks one question: {request}"
    assert text.count("?") == 1, "one request, not several"
    assert REPLY[lang] in request


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("demand", DEMAND_IDS)
def test_the_council_is_credited_as_a_current_call(demand: str, lang: str) -> None:
    text = body(demand, lang)
    name = {"en": "Canadian Council for Refugees", "fr": "Conseil canadien pour les réfugiés"}
    assert name[lang] in text
    assert "2020" not in text


def campaign_texts() -> list[tuple[str, str]]:
    """Every template and manifest string, each with where it comes from."""
    texts = [(str(path), path.read_text(encoding="utf-8")) for path in CAMPAIGN.rglob("*.j2")]
    manifest = (CAMPAIGN / "manifest.toml").read_text(encoding="utf-8")
    return [*texts, ("manifest.toml", manifest)]


# What facts-2026.md says is done or wrong: no letter may ask for it or claim it.
DONE_OR_WRONG = (
    "instead of 6 months",
    "au lieu de 6 mois",
    "12 months instead of 6",
    "ratify the ILO",
    "ratify the Forced Labour Convention",
    "ratifier la Convention sur le travail forcé",
    "spouses and children",
    "conjoints et enfants",
    "no dedicated route",
    "aucune voie propre",
    "guarantee",
    "garantir",
    "February 2020",
    "février 2020",
)


@pytest.mark.parametrize("phrase", DONE_OR_WRONG)
def test_no_template_asks_for_what_is_already_done(phrase: str) -> None:
    for where, text in campaign_texts():
        assert phrase.lower() not in plain(text).lower(), f"{where} says {phrase!r}"


def test_the_ilo_convention_is_dated_right() -> None:
    for lang, year in (("en", "in 2011"), ("fr", "en 2011")):
        assert year in plain(body("root-causes", lang))


# --- dated facts in the manifest --------------------------------------------------


def test_every_demand_has_a_date_checked_sources_and_a_short_version() -> None:
    for demand in load_campaign().demands:
        facts = demand.facts
        assert facts.checked is not None and facts.checked >= datetime.date(2026, 11, 1)
        assert facts.sources, demand.id
        for source in facts.sources:
            assert source.title.strip()
            assert re.match(
                r"https://[a-z0-9.-]+\.(gc\.ca|canada\.ca|parl\.ca|ilo\.org|un\.org)/", source.url
            )
        assert facts.short is not None
        for lang in LANGS:
            short = facts.short[lang]
            assert 200 <= len(short) <= MAX_SHORT_CHARS, (demand.id, lang, len(short))
            assert demand.minister[lang] in short


def test_demands_json_carries_date_sources_asks_and_minister() -> None:
    result = runner.invoke(app, ["demands", "--json", "--lang", "fr"])
    assert result.exit_code == 0, result.stderr
    listed = json.loads(result.stdout)["demands"]
    protect = next(demand for demand in listed if demand["id"] == "protect-rights")
    assert protect["checked"] == "2026-11-30"
    assert {"title", "url"} == set(protect["sources"][0])
    assert any("2025" in source["title"] for source in protect["sources"])
    assert protect["minister"] == "ministre de l’Immigration, des Réfugiés et de la Citoyenneté"
    assert protect["asks"][0].startswith("Rendre le permis")
    assert len(protect["short"]) <= MAX_SHORT_CHARS


def stale_copy(tmp_path: Path, checked: str = "2025-01-15") -> Path:
    folder = tmp_path / "campaign"
    shutil.copytree(CAMPAIGN, folder)
    manifest = folder / "manifest.toml"
    text = manifest.read_text(encoding="utf-8")
    # Only protect-rights goes stale.
    head, _, rest = text.partition('id = "protect-rights"')
    rest = rest.replace("checked = 2026-11-30", f"checked = {checked}", 1)
    manifest.write_text(f'{head}id = "protect-rights"{rest}', encoding="utf-8")
    return folder


def test_months_before_keeps_the_day_or_takes_the_months_last() -> None:
    assert months_before(datetime.date(2026, 12, 3), 12) == datetime.date(2025, 12, 3)
    assert months_before(datetime.date(2028, 2, 29), 12) == datetime.date(2027, 2, 28)
    assert months_before(datetime.date(2026, 3, 31), 1) == datetime.date(2026, 2, 28)


def test_templates_check_warns_about_a_demand_checked_over_a_year_ago(tmp_path: Path) -> None:
    folder = stale_copy(tmp_path)
    report = check_campaign(folder, today=datetime.date(2026, 12, 3))
    assert report.ok, report.problems
    assert len(report.warnings) == 1
    assert "protect-rights (2025-01-15)" in report.warnings[0]
    assert "root-causes" not in report.warnings[0]
    # Exactly twelve months is not yet stale.
    fresh = check_campaign(stale_copy(tmp_path / "b", "2025-12-03"), datetime.date(2026, 12, 3))
    assert fresh.warnings == ()
    result = runner.invoke(app, ["templates", "check", str(folder)])
    assert result.exit_code == 0
    assert result.stdout.startswith("OK: ")
    assert "Warning: the content of protect-rights (2025-01-15)" in result.stderr


def test_french_stale_warning(tmp_path: Path) -> None:
    campaign = read_campaign(stale_copy(tmp_path))
    warning = stale_warning(campaign, datetime.date(2026, 12, 3), "fr")
    assert warning.startswith("Attention\u00a0: contenu vérifié il y a plus de 12\u00a0mois")


def test_draft_warns_once_about_stale_content(tmp_path: Path) -> None:
    folder = stale_copy(tmp_path)
    args = ["draft", "--campaign", str(folder), "--riding", "Ottawa Centre", "--name", "Alex"]
    result = runner.invoke(app, [*args, "--demand", "root-causes", "--note", "Mine."])
    assert result.exit_code == 0, result.stderr
    assert result.stderr.count("protect-rights (2025-01-15)") == 1
    fresh = runner.invoke(app, [*args[:1], *args[3:], "--note", "Mine."])
    assert fresh.exit_code == 0
    assert "checked more than" not in fresh.stderr


def test_bulk_warns_once_about_stale_content(tmp_path: Path) -> None:
    folder = stale_copy(tmp_path)
    source = tmp_path / "supporters.csv"
    source.write_text(
        "name,riding\nAlex Martin,Ottawa Centre\nSam Lee,Ottawa South\n", encoding="utf-8"
    )
    result = runner.invoke(
        app,
        ["bulk", str(source), "--out", str(tmp_path / "out"), "--campaign", str(folder), "-q"],
    )
    assert result.stderr.count("protect-rights (2025-01-15)") == 1, result.stderr


@pytest.mark.parametrize(
    "line,problem",
    [
        ('checked = "2026-11-30"', "checked must be a date like 2026-11-30"),
        ("checked = 2026-11-30T10:00:00", "checked must be a date like 2026-11-30"),
    ],
)
def test_a_bad_checked_date_is_a_problem(tmp_path: Path, line: str, problem: str) -> None:
    folder = tmp_path / "campaign"
    shutil.copytree(CAMPAIGN, folder)
    manifest = folder / "manifest.toml"
    text = manifest.read_text(encoding="utf-8").replace("checked = 2026-11-30", line, 1)
    manifest.write_text(text, encoding="utf-8")
    report = check_campaign(folder, datetime.date(2026, 12, 3))
    assert any(problem in found for found in report.problems), report.problems


def test_a_too_long_short_text_and_a_plain_http_source_are_problems(tmp_path: Path) -> None:
    folder = tmp_path / "campaign"
    shutil.copytree(CAMPAIGN, folder)
    manifest = folder / "manifest.toml"
    text = manifest.read_text(encoding="utf-8")
    text = text.replace('url = "https://', 'url = "http://', 1)
    text = re.sub(r'(\[demands\.short\]\nen = ")', r"\1" + "x" * 901, text, count=1)
    manifest.write_text(text, encoding="utf-8")
    problems = " ".join(check_campaign(folder, datetime.date(2026, 12, 3)).problems)
    assert "url must start with https://" in problems
    assert "keep it to 900" in problems


def test_a_template_that_drops_the_asks_is_a_problem(tmp_path: Path) -> None:
    folder = tmp_path / "campaign"
    shutil.copytree(CAMPAIGN, folder)
    template = folder / "en" / "root-causes.j2"
    text = template.read_text(encoding="utf-8")
    template.write_text(text.replace("{% for ask in asks %}\n- {{ ask }}\n{% endfor %}", ""))
    problems = check_campaign(folder, datetime.date(2026, 12, 3)).problems
    assert any("leaves out 4 of the demand's asks" in problem for problem in problems)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("demand", DEMAND_IDS)
def test_the_short_version_fits_the_event_qr_code(demand: str, lang: str) -> None:
    from mpwrite.output.qr import MAX_QR_BYTES, letter_payload

    campaign = load_campaign()
    letter = compose_letter(
        campaign=campaign,
        demand=campaign.demand(demand),
        lang=lang,
        riding=longest_named_riding(),
        supporter=Supporter(
            "Marie-Ève Tremblay-Fournier",
            "1234, rue Saint-Jean-Baptiste, app. 12",
            "Saint-Jean-sur-Richelieu",
            "J3B 1A1",
            "marie-eve@example.org",
        ),
        note="Ça me tient à cœur.",
        date=DATE,
    )
    payload = letter_payload(letter)
    assert payload.kind == "short"
    assert len(payload.text.encode("utf-8")) <= MAX_QR_BYTES - 60, "room for a longer greeting"


def test_event_shows_the_stale_warning_once_on_its_first_screen(tmp_path: Path) -> None:
    folder = stale_copy(tmp_path)
    result = runner.invoke(
        app,
        ["event", "--campaign", str(folder)],
        input="K1A 0A6\ncancel\nquit\n",
        env={"MPWRITE_INTERACTIVE": "1"},
    )
    assert result.exit_code == 0, result.stderr
    assert result.stderr.count("protect-rights (2025-01-15)") == 2  # English, then French
    assert "Attention\u00a0: contenu vérifié" in result.stderr


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("demand", DEMAND_IDS)
def test_a_body_with_only_some_asks_lists_only_those(demand: str, lang: str) -> None:
    """The shape a supporter's choice of asks relies on: the body lists what ``asks`` holds."""
    from mpwrite.campaign.render import render_template

    campaign = load_campaign()
    chosen = campaign.demand(demand)
    letter = compose_letter(
        campaign=campaign,
        demand=chosen,
        lang=lang,
        riding=longest_named_riding(),
        supporter=SUPPORTER,
        date=DATE,
    )
    asks = [ask[lang] for ask in chosen.facts.asks]
    context = {
        "riding": {"name": letter.riding.name(lang)},
        "campaign": {"organisation": campaign.organisation[lang]},
        "asks": asks[-1:],
        "recipient": {"kind": "mp"},
    }
    text = render_template(campaign, chosen.template_name(lang), context)
    assert f"- {asks[-1]}" in text
    assert not any(ask in text for ask in asks[:-1])
    count_words = ("two", "three", "four", "five", "deux", "trois", "quatre", "cinq")
    assert not re.search(rf"\b({'|'.join(count_words)})\b", plain(text), flags=re.I)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("demand", DEMAND_IDS)
def test_a_letter_to_the_minister_asks_the_minister_directly(demand: str, lang: str) -> None:
    campaign = load_campaign()
    letter = compose_letter(
        campaign=campaign,
        demand=campaign.demand(demand),
        lang=lang,
        riding=longest_named_riding(),
        supporter=SUPPORTER,
        date=DATE,
        to="minister",
    )
    request = letter.body.split("\n\n")[-1]
    assert request.count("?") == 1 and {"en": "reply", "fr": "réponse"}[lang] in request
    assert "ministre" not in request.lower(), "no request to raise it with themself"
    assert words(letter.body) <= MAX_WORDS[lang]
    # The minister is not the supporter's MP: no "your riding", no "constituent".
    assert "votre circonscription" not in letter.text and "constituent" not in letter.text
    assert {"en": "whose seat in the House of Commons is vacant", "fr": "dont le siège est vacant"}[
        lang
    ] in letter.text
