"""``templates check`` for the meeting request: both languages, renders, says what it must.

A campaign without any ``meeting.j2`` only gets a warning (its letters work;
``draft --kind meeting`` does not); one with a single language has a problem.
Each template is rendered twice with sample data, once with a constituency
office on file and once without, since it chooses its words by that.
"""

from __future__ import annotations

import dataclasses
import datetime

from mpwrite.campaign.folder import CAMPAIGN_LANGUAGES, Campaign, Problem
from mpwrite.errors import MpwriteError
from mpwrite.geo.offices import CONSTITUENCY, Office
from mpwrite.geo.ridings import Riding
from mpwrite.i18n import _
from mpwrite.letter.compose import Supporter
from mpwrite.letter.meeting import MEETING_TEMPLATE, Meeting, compose_meeting, has_template

SAMPLE_MEETING = Meeting(
    attendees=("Sam Sample", "Kim Example"),
    times=("Monday 12 January, 10:00", "Friday 16 January, 14:00"),
    phone="613-555-0123",
)
SAMPLE_OFFICE = Office(CONSTITUENCY, "99 Office Road\nOttawa ON  K2P 0A1", "613-555-0100")


@dataclasses.dataclass(frozen=True)
class MeetingCheck:
    """What checking the meeting templates found."""

    problems: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    templates_checked: int = 0


def check_meeting(campaign: Campaign, riding: Riding, supporter: Supporter) -> MeetingCheck:
    """The meeting templates' problems, rendered for ``riding`` (which must have an MP)."""
    present = [lang for lang in CAMPAIGN_LANGUAGES if has_template(campaign, lang)]
    if not present:
        return MeetingCheck(
            warnings=(
                _(
                    "{folder}: no {name}, so mpwrite draft --kind meeting cannot ask for a "
                    "meeting (see docs/meeting.md)"
                ).format(folder=campaign.label, name=MEETING_TEMPLATE),
            )
        )
    problems: list[str] = []
    for lang in CAMPAIGN_LANGUAGES:
        label = campaign.file_label(f"{lang}/{MEETING_TEMPLATE}")
        if lang not in present:
            problems.append(
                str(
                    Problem(
                        label,
                        None,
                        _(
                            "missing: the meeting request needs a template in each language "
                            "({languages})"
                        ).format(languages=", ".join(CAMPAIGN_LANGUAGES)),
                    )
                )
            )
            continue
        problems += _render_problems(campaign, riding, supporter, lang, label)
    return MeetingCheck(problems=tuple(dict.fromkeys(problems)), templates_checked=len(present))


def _render_problems(
    campaign: Campaign, riding: Riding, supporter: Supporter, lang: str, label: str
) -> list[str]:
    assert riding.mp is not None
    with_office = dataclasses.replace(
        riding, mp=dataclasses.replace(riding.mp, offices=(SAMPLE_OFFICE,))
    )
    problems: list[str] = []
    for sample in (riding, with_office):
        try:
            letter = compose_meeting(
                campaign=campaign,
                demand=campaign.demand(campaign.default_demand),
                lang=lang,
                riding=sample,
                supporter=supporter,
                meeting=SAMPLE_MEETING,
                date=datetime.date(2026, 1, 1),
            )
        except MpwriteError as error:
            problems.append(str(error))
            continue
        text = " ".join(letter.text.split())
        for time in SAMPLE_MEETING.times:
            if time not in text:
                problems.append(
                    _(
                        "{file}: the request leaves out the proposed times; list them with {how}"
                    ).format(
                        file=label, how="{% for time in meeting.times %}- {{ time }} {% endfor %}"
                    )
                )
                break
        # The e-mail address is in the sender's block anyway; the phone only in meeting.contact.
        if SAMPLE_MEETING.phone not in text:
            problems.append(
                _("{file}: the request never says how to reach the sender; use {name}").format(
                    file=label, name="{{ meeting.contact }}"
                )
            )
        # Once in the recipient's block; the body must name it too.
        if sample is with_office and text.count("99 Office Road") < 2:
            problems.append(
                _(
                    "{file}: the request never names the constituency office when one is on "
                    "file; use {name}"
                ).format(file=label, name="{{ meeting.office }}")
            )
    return problems
