"""``mpwrite draft --kind meeting`` and ``--kind brief`` through the CLI, prompted and not."""

from __future__ import annotations

import dataclasses
import email
import email.policy
import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from mpwrite.campaign.folder import load_campaign
from mpwrite.cli.commands import _draft_letter
from mpwrite.cli.root import app
from mpwrite.geo.lookup import Resolver
from mpwrite.geo.offices import CONSTITUENCY, Office
from mpwrite.geo.ridings import load_bundled
from mpwrite.letter.address import format_date
from tests.helpers import GOLDEN

runner = CliRunner()
INTERACTIVE = {"MPWRITE_INTERACTIVE": "1"}
BATCH = {"MPWRITE_INTERACTIVE": "0"}
#: The options of the golden meeting requests in tests/letter/test_meeting.py.
MEETING = [
    "draft",
    "--kind",
    "meeting",
    "--riding",
    "Ottawa South",
    "--postal-code",
    "K1S 3V8",
    "--demand",
    "protect-rights",
    "--name",
    "Alex Martin",
    "--address",
    "123 Bank Street, Apt. 4",
    "--city",
    "Ottawa",
    "--email",
    "alex.martin@example.org",
    "--phone",
    "613-555-0101",
    "--attendees",
    "Alex Martin, Sam Lee",
    "--when",
    "Monday 12 January, 10:00",
    "--when",
    "Friday 16 January, 14:00",
    "--when",
    "Monday 19 January, 9:30",
    "--date",
    "2026-12-03",
]
OFFICE = Office(CONSTITUENCY, "1795 Kilborn Avenue\nOttawa ON  K1H 6N1", "613-990-8640")


def invoke(args: list[str], input: str | None = None, env: dict[str, str] | None = None):
    return runner.invoke(app, args, input=input, env=env or BATCH)


def without(args: list[str], option: str, values: int = 1) -> list[str]:
    """``args`` without every ``option`` and the value(s) after it."""
    kept: list[str] = []
    skip = 0
    for arg in args:
        if skip:
            skip -= 1
        elif arg == option:
            skip = values
        else:
            kept.append(arg)
    return kept


@pytest.fixture
def office_on_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ottawa South's MP with a constituency office, as after mpwrite data update."""
    data = load_bundled()
    riding = data.get("35080")
    assert riding.mp is not None
    with_office = dataclasses.replace(riding, mp=dataclasses.replace(riding.mp, offices=(OFFICE,)))
    changed = dataclasses.replace(data, ridings={**data.ridings, "35080": with_office})
    monkeypatch.setattr(_draft_letter, "resolver_for", lambda request: Resolver(changed))


# --- meeting --------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_meeting_txt_is_the_golden_request(lang: str) -> None:
    result = invoke([*MEETING, "--lang", lang, "--salutation", "neutre"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes == (GOLDEN / f"meeting.{lang}.txt").read_bytes()


def test_meeting_without_an_office_says_so_plainly() -> None:
    result = invoke(MEETING)
    assert "Note: no constituency office on file for David J. McGuinty" in result.stderr
    assert "run mpwrite data update" in result.stderr
    assert "No postage is needed" in result.stderr


@pytest.mark.parametrize("fmt", ["txt", "md", "html", "eml", "pdf"])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_meeting_in_every_format(fmt: str, lang: str, tmp_path: Path) -> None:
    out = tmp_path / f"meeting.{fmt}"
    result = invoke([*MEETING, "--lang", lang, "--format", fmt, "--output", str(out)])
    assert result.exit_code == 0, result.stderr
    data = out.read_bytes()
    if fmt == "pdf":
        pages = PdfReader(io.BytesIO(data)).pages
        text = " ".join(page.extract_text() for page in pages)
        assert len(pages) == 1
    elif fmt == "eml":
        message = email.message_from_bytes(data, policy=email.policy.default)
        assert "<david.mcguinty@parl.gc.ca>" in message["To"]
        assert "rencontre" in message["Subject"] or "Meeting request" in message["Subject"]
        text = message.get_content()  # type: ignore[attr-defined]
    else:
        text = data.decode("utf-8")
    flat = " ".join(text.split())
    assert "Sam Lee" in flat
    assert "Friday 16 January, 14:00" in flat
    assert "613-555-0101" in flat


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_meeting_goes_to_the_constituency_office_on_file(
    lang: str, office_on_file: None, tmp_path: Path
) -> None:
    result = invoke([*MEETING, "--lang", lang])
    assert result.exit_code == 0, result.stderr
    assert "1795 Kilborn Avenue\nOttawa ON K1H 6N1\n" in result.stdout
    assert "no constituency office" not in result.stderr
    assert "Kilborn" in result.stderr.splitlines()[-1]  # where to mail it
    assert "It needs a stamp." in result.stderr or "Elle doit être affranchie." in result.stderr
    page = tmp_path / "meeting.html"
    assert invoke([*MEETING, "--lang", lang, "-f", "html", "-o", str(page)]).exit_code == 0
    assert "No postage" not in page.read_text(encoding="utf-8")
    envelope = invoke([*MEETING, "-f", "pdf", "-o", str(tmp_path / "m.pdf"), "--envelope"])
    assert envelope.exit_code == 2
    assert "--envelope" in envelope.stderr and "constituency office" in envelope.stderr


def test_meeting_prompts_for_attendees_times_and_phone() -> None:
    args = without(without(without(MEETING, "--attendees"), "--when"), "--phone")
    answers = "Alex Martin, Sam Lee\nTuesday 13 January, 10:00\nThursday 15 January, 16:00\n\n\n"
    result = invoke([*args, "--lang", "en"], input=answers, env=INTERACTIVE)
    assert result.exit_code == 0, result.stderr
    flat = " ".join(result.stdout.split())
    assert "Alex Martin and Sam Lee would attend." in flat
    assert "- Tuesday 13 January, 10:00 - Thursday 15 January, 16:00 If none" in flat
    assert "reach me at alex.martin@example.org." in flat  # the phone was left blank
    assert "Who would attend?" in result.stderr
    assert "Time 3" in result.stderr


def test_meeting_prompts_in_french_for_the_phone_when_there_is_no_email() -> None:
    args = without(without(without(MEETING, "--when"), "--phone"), "--email")
    answers = "\nlundi 12 janvier, 10 h\nmardi 13 janvier, 14 h\nmercredi 14 janvier, 9 h\n"
    answers += "appelez-moi\n613-555-0199\n1\n"
    result = invoke([*args, "--lang", "fr"], input=answers, env=INTERACTIVE)
    assert result.exit_code == 0, result.stderr
    flat = " ".join(result.stdout.split())
    assert "- lundi 12 janvier, 10 h - mardi 13 janvier, 14 h - mercredi 14 janvier, 9 h" in flat
    assert "vous pouvez me joindre à 613-555-0199." in flat
    assert "Madame la Députée," in result.stdout  # the greeting asked for (preset 1)
    assert "n’est pas un numéro de téléphone" in result.stderr  # asked again


@pytest.mark.parametrize("option", ["--attendees", "--when"])
def test_meeting_without_a_terminal_needs_attendees_and_times(option: str) -> None:
    result = invoke(without(MEETING, option))
    assert result.exit_code == 2
    assert f"Error: {option} is required when not running interactively" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("count", [1, 4])
def test_meeting_needs_two_or_three_times(count: int) -> None:
    args = without(MEETING, "--when")
    for number in range(count):
        args += ["--when", f"Day {number}"]
    result = invoke(args)
    assert result.exit_code == 2
    assert "two or three proposed times, one --when each" in result.stderr
    assert f"got {count}" in result.stderr


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--to", "minister"], "--kind meeting asks your own MP"),
        (["--phone", "call me"], "--phone 'call me' is not a phone number"),
        (["--attendees", " , "], "--attendees names nobody"),
    ],
)
def test_meeting_usage_errors(extra: list[str], message: str) -> None:
    args = without(without(MEETING, "--phone"), "--attendees")
    if "--attendees" not in extra:
        args += ["--attendees", "Alex Martin"]
    result = invoke([*args, *extra])
    assert result.exit_code == 2, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_meeting_keeps_only_the_asks_chosen() -> None:
    result = invoke([*MEETING, "--ask", "3"])
    assert result.exit_code == 0, result.stderr
    flat = " ".join(result.stdout.split())
    assert "- Let survivors reunite with family members who are still abroad." in flat
    assert "Renew the permit" not in flat
    assert "no ask 9 of demand protect-rights" in invoke([*MEETING, "--ask", "9"]).stderr


def test_meeting_needs_a_way_to_reach_the_sender() -> None:
    result = invoke(without(without(MEETING, "--phone"), "--email"))
    assert result.exit_code == 2
    assert "give --email or --phone" in result.stderr


def test_meeting_with_a_vacant_seat_fails_cleanly() -> None:
    args = without(without(MEETING, "--riding"), "--postal-code")
    result = invoke([*args, "--riding", "Scarborough North"])
    assert result.exit_code == 1
    assert "vacant" in result.stderr


def test_meeting_options_need_kind_meeting() -> None:
    result = invoke(["draft", "--riding", "Ottawa South", "--name", "A", "--when", "Monday"])
    assert result.exit_code == 2
    assert "--when: only for --kind meeting" in result.stderr


def test_unknown_kind() -> None:
    result = invoke(["draft", "--kind", "postcard"])
    assert result.exit_code == 2
    assert "unknown --kind 'postcard'; use one of letter, meeting, brief" in result.stderr


def test_kind_letter_is_todays_letter() -> None:
    letter = ["draft", "--riding", "Ottawa South", "--name", "A", "--date", "2026-12-03"]
    assert invoke([*letter, "--kind", "letter"]).stdout_bytes == invoke(letter).stdout_bytes


# --- brief ----------------------------------------------------------------------

CAMPAIGN = load_campaign()


def brief_pdf(demand: str, lang: str, tmp_path: Path) -> list[str]:
    out = tmp_path / f"brief-{demand}-{lang}.pdf"
    args = ["draft", "--kind", "brief", "--demand", demand, "--lang", lang]
    result = invoke([*args, "--format", "pdf", "--output", str(out)])
    assert result.exit_code == 0, result.stderr
    return [page.extract_text() for page in PdfReader(io.BytesIO(out.read_bytes())).pages]


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("demand", [demand.id for demand in CAMPAIGN.demands])
def test_brief_is_one_page_with_asks_sources_dates_and_contact(
    demand: str, lang: str, tmp_path: Path
) -> None:
    pages = brief_pdf(demand, lang, tmp_path)
    assert len(pages) == 1
    text = " ".join(pages[0].split())
    squeezed = "".join(pages[0].split())  # long addresses wrap anywhere
    chosen = CAMPAIGN.demand(demand)
    assert " ".join(chosen.title[lang].split()) in text
    for ask in chosen.facts.asks:
        assert " ".join(ask[lang].split()) in text
    assert chosen.facts.sources
    for source in chosen.facts.sources_in(lang):
        assert "".join(source.title.split()) in squeezed
        assert source.url in squeezed
    assert chosen.facts.checked is not None
    assert format_date(chosen.facts.checked, lang).replace("\u00a0", " ") in text.replace(
        "\u00a0", " "
    )
    assert CAMPAIGN.contact is not None
    assert CAMPAIGN.contact.name[lang] in text
    assert "https://ccrweb.ca/trafficking" in text


@pytest.mark.parametrize("fmt", ["txt", "md", "html"])
def test_brief_as_text(fmt: str) -> None:
    result = invoke(["draft", "--kind", "brief", "--demand", "3", "--format", fmt])
    assert result.exit_code == 0, result.stderr
    assert "Permanent status for trafficked persons" in result.stdout
    assert "Checked against these sources on 30 November 2026." in result.stdout
    assert "https://laws-lois.justice.gc.ca/eng/acts/I-2.5/section-25.html" in result.stdout
    assert "https://ccrweb.ca/trafficking" in result.stdout


def test_brief_as_html_is_a_page_of_escaped_parts_in_french() -> None:
    from html.parser import HTMLParser

    result = invoke(["draft", "--kind", "brief", "--demand", "2", "--lang", "fr", "-f", "html"])
    assert result.exit_code == 0, result.stderr
    found: dict[str, list[str]] = {}

    class Page(HTMLParser):
        tag = ""

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.tag = tag

        def handle_data(self, data: str) -> None:
            if data.strip():
                found.setdefault(self.tag, []).append(data.strip())

    Page().feed(result.stdout)
    chosen = CAMPAIGN.demand("protect-rights")
    assert found["h1"] == [f"Demande\u00a02\u00a0: {chosen.title['fr']}"]
    assert [ask["fr"] for ask in chosen.facts.asks] == found["li"][: len(chosen.facts.asks)]
    assert [source.url for source in chosen.facts.sources_in("fr")] == found["a"]
    assert "<script" not in result.stdout and "http://" not in result.stdout


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--format", "eml"], "--kind brief comes as pdf, txt, md or html, not eml"),
        (["--postal-code", "K1A 0A6", "--name", "A"], "leave out --postal-code, --name"),
        (["--when", "Monday"], "leave out --when"),
    ],
)
def test_brief_usage_errors(extra: list[str], message: str) -> None:
    result = invoke(["draft", "--kind", "brief", "--demand", "1", *extra])
    assert result.exit_code == 2
    assert message in result.stderr


def test_brief_without_demand_is_the_default_demand() -> None:
    result = invoke(["draft", "--kind", "brief", "--format", "txt"])
    assert result.exit_code == 0
    assert CAMPAIGN.demand(CAMPAIGN.default_demand).title["en"] in result.stdout
