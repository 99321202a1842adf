"""The meeting request: composed from the campaign's meeting.j2, golden in both languages."""

from __future__ import annotations

import dataclasses
import datetime
import shutil
from pathlib import Path

import pytest

from mpwrite.campaign.folder import load_campaign
from mpwrite.errors import CampaignError, UsageError, VacantSeatError
from mpwrite.geo.offices import CONSTITUENCY, HILL, Office
from mpwrite.geo.ridings import Riding, load_bundled
from mpwrite.letter.check import check_campaign
from mpwrite.letter.compose import Supporter
from mpwrite.letter.meeting import (
    Meeting,
    check_phone,
    check_times,
    compose_meeting,
    constituency_office,
    join_names,
    parse_attendees,
)
from mpwrite.output.formats import FORMATS, render, render_html
from tests.helpers import BUNDLED_CAMPAIGN, GOLDEN

DATE = datetime.date(2026, 12, 3)
SUPPORTER = Supporter(
    name="Alex Martin",
    address="123 Bank Street, Apt. 4",
    city="Ottawa",
    postal_code="K1S 3V8",
    email="alex.martin@example.org",
)
MEETING = Meeting(
    attendees=("Alex Martin", "Sam Lee"),
    times=("Monday 12 January, 10:00", "Friday 16 January, 14:00", "Monday 19 January, 9:30"),
    phone="613-555-0101",
)
OFFICE = Office(CONSTITUENCY, "1795 Kilborn Avenue\nOttawa ON  K1H 6N1", "613-990-8640")


def riding(code: str = "35080", offices: tuple[Office, ...] = ()) -> Riding:
    found = load_bundled().get(code)
    assert found.mp is not None
    return dataclasses.replace(found, mp=dataclasses.replace(found.mp, offices=offices))


def meeting_letter(lang: str = "en", **overrides: object):
    campaign = load_campaign()
    arguments: dict[str, object] = {
        "campaign": campaign,
        "demand": campaign.demand("protect-rights"),
        "lang": lang,
        "riding": riding(),
        "supporter": SUPPORTER,
        "meeting": MEETING,
        "date": DATE,
    }
    arguments.update(overrides)
    return compose_meeting(**arguments)  # type: ignore[arg-type]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_golden_meeting_request(lang: str, update_golden: bool) -> None:
    rendered = render(meeting_letter(lang), "txt")
    path = GOLDEN / f"meeting.{lang}.txt"
    if update_golden:
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(rendered)
    assert path.is_file(), f"{path} is missing; run pytest --update-golden"
    assert rendered == path.read_bytes(), f"{path} differs; review, then pytest --update-golden"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_request_carries_the_demand_people_times_and_contact(lang: str) -> None:
    letter = meeting_letter(lang)
    text = " ".join(letter.text.split())
    for ask in letter.demand.facts.asks:
        assert ask[lang] in text
    assert ("Alex Martin and Sam Lee" if lang == "en" else "Alex Martin et Sam Lee") in text
    for time in MEETING.times:
        assert time in text
    assert "alex.martin@example.org" in text and "613-555-0101" in text
    assert letter.riding.name(lang) in text
    # Without an office on file, the request goes to the Hill office.
    assert letter.recipient_lines[-1].endswith("K1A 0A6")
    assert "Kilborn" not in text


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_request_goes_to_the_constituency_office_when_one_is_on_file(lang: str) -> None:
    hill = Office(HILL, "House of Commons\nOttawa ON  K1A 0A6", "613-992-0000")
    letter = meeting_letter(lang, riding=riding(offices=(hill, OFFICE)))
    assert letter.recipient_lines[-2:] == ("1795 Kilborn Avenue", "Ottawa ON K1H 6N1")
    assert "House of Commons" not in letter.recipient_lines
    body = " ".join(letter.text.split())
    place = "your constituency office" if lang == "en" else "votre bureau de circonscription"
    assert f"{place}, 1795 Kilborn Avenue, Ottawa ON K1H 6N1" in body
    # Only mail to the House of Commons goes without a stamp.
    no_postage = {"en": "No postage is needed", "fr": "Aucun timbre n’est nécessaire"}[lang]
    assert no_postage not in render_html(letter)
    assert no_postage in render_html(meeting_letter(lang))  # to the House of Commons


def test_an_office_without_an_address_does_not_count() -> None:
    no_address = Office(CONSTITUENCY, "", "613-555-0100")
    assert constituency_office(riding(offices=(no_address,)).mp) is None  # type: ignore[arg-type]
    assert constituency_office(riding(offices=(no_address, OFFICE)).mp) == OFFICE  # type: ignore[arg-type]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_format_renders(fmt: str, lang: str) -> None:
    data = render(meeting_letter(lang, riding=riding(offices=(OFFICE,))), fmt)
    assert b"Sam Lee" in data


def test_one_attendee_is_not_a_we() -> None:
    alone = dataclasses.replace(MEETING, attendees=("Alex Martin",))
    text = " ".join(meeting_letter("en", meeting=alone).text.split())
    assert "Alex Martin would attend." in text
    assert "I would leave you" in text
    french = " ".join(meeting_letter("fr", meeting=alone).text.split())
    assert "Y participerait Alex Martin." in french
    assert "Je vous laisserais" in french


def test_a_vacant_seat_has_no_one_to_meet() -> None:
    with pytest.raises(VacantSeatError, match="vacant"):
        meeting_letter(riding=load_bundled().get("35095"))


def test_a_request_needs_a_way_to_reach_the_sender() -> None:
    nobody = dataclasses.replace(SUPPORTER, email="")
    with pytest.raises(UsageError, match="--email or --phone"):
        meeting_letter(supporter=nobody, meeting=dataclasses.replace(MEETING, phone=""))
    text = meeting_letter(supporter=nobody).text
    assert "reach me at 613-555-0101." in " ".join(text.split())


def test_a_campaign_without_meeting_template_says_so(tmp_path: Path) -> None:
    folder = tmp_path / "campaign"
    shutil.copytree(BUNDLED_CAMPAIGN, folder)
    for lang in ("en", "fr"):
        (folder / lang / "meeting.j2").unlink()
    with pytest.raises(CampaignError, match=r"no .*en/meeting\.j2"):
        meeting_letter(campaign=load_campaign(folder))
    report = check_campaign(folder)
    assert report.ok
    assert any("no meeting.j2" in warning for warning in report.warnings)


def test_templates_check_wants_the_meeting_request_in_both_languages(tmp_path: Path) -> None:
    folder = tmp_path / "campaign"
    shutil.copytree(BUNDLED_CAMPAIGN, folder)
    (folder / "fr" / "meeting.j2").unlink()
    (folder / "en" / "meeting.j2").write_text(
        "I live in {{ riding.name }}; meet us?\n\n{{ meeting.nowhere }}", encoding="utf-8"
    )
    problems = check_campaign(folder).problems
    assert any("fr/meeting.j2: missing" in problem for problem in problems)
    assert any("en/meeting.j2" in problem and "nowhere" in problem for problem in problems)


def test_templates_check_wants_times_contact_and_office(tmp_path: Path) -> None:
    folder = tmp_path / "campaign"
    shutil.copytree(BUNDLED_CAMPAIGN, folder)
    (folder / "en" / "meeting.j2").write_text(
        "I live in {{ riding.name }} and would like to meet you.", encoding="utf-8"
    )
    problems = "\n".join(check_campaign(folder).problems)
    assert "en/meeting.j2: the request leaves out the proposed times" in problems
    assert "en/meeting.j2: the request never says how to reach the sender" in problems
    assert "en/meeting.j2: the request never names the constituency office" in problems
    assert "fr/meeting.j2" not in problems


def test_bundled_meeting_templates_pass_the_check() -> None:
    report = check_campaign(BUNDLED_CAMPAIGN)
    assert report.ok, report.problems
    assert not any("meeting" in warning for warning in report.warnings)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Alex Martin", ("Alex Martin",)),
        (" Alex Martin ,Sam  Lee,, ", ("Alex Martin", "Sam Lee")),
    ],
)
def test_attendees_are_names_separated_by_commas(text: str, names: tuple[str, ...]) -> None:
    assert parse_attendees(text) == names


@pytest.mark.parametrize("text", ["", " , ,", ",".join(f"P{n}" for n in range(11))])
def test_attendees_refused(text: str) -> None:
    with pytest.raises(UsageError, match="--attendees"):
        parse_attendees(text)


@pytest.mark.parametrize("count", [0, 1, 4])
def test_two_or_three_times(count: int) -> None:
    with pytest.raises(UsageError, match=f"two or three proposed times.*got {count}"):
        check_times([f"Day {n}" for n in range(count)])
    assert check_times(["Mon  10:00", "Tue 11:00"]) == ("Mon 10:00", "Tue 11:00")


def test_phone_numbers() -> None:
    for phone in ("613-555-0101", "+1 (613) 555-0101", "613.555.0101 ext. 12", ""):
        assert check_phone(phone) == phone
    for bad in ("call me", "12", "613-555-0101; rm"):
        with pytest.raises(UsageError, match="--phone"):
            check_phone(bad)


def test_names_are_joined_per_language() -> None:
    assert join_names(("A", "B", "C"), "en") == "A, B and C"
    assert join_names(("A", "B"), "fr") == "A et B"
    assert join_names(("A",), "fr") == "A"
