"""``templates check``: everything wrong with a campaign folder, in one report.

Checks the manifest's schema, that every demand has a template in each
language, and that every template renders with sample data in the sandbox
under StrictUndefined. Each problem names its file and, when known, its line.
It also warns, without failing, about demands whose content was last checked
more than a year ago.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from mpwrite.campaign.facts import stale_warning
from mpwrite.campaign.folder import CAMPAIGN_LANGUAGES, LAYOUT_NAME, Problem, read_campaign
from mpwrite.errors import CampaignError, TemplateRenderError
from mpwrite.geo.ridings import MP, Riding
from mpwrite.i18n import _, language
from mpwrite.letter.call_check import check_call_scripts
from mpwrite.letter.compose import Supporter, compose_letter
from mpwrite.letter.meeting_check import check_meeting

SAMPLE_MP = MP(
    first_name="Jane",
    last_name="Doe",
    honorific="Hon.",
    party="Independent",
    email="jane.doe@parl.gc.ca",
    phone="613-555-0100",
)
SAMPLE_RIDING = Riding(
    code="99999",
    name_en="Sample Riding",
    name_fr="Circonscription modèle",
    province="ON",
    aliases=(),
    mp=SAMPLE_MP,
)
SAMPLE_SUPPORTER = Supporter(
    name="Sam Sample",
    address="1 Sample Street",
    city="Ottawa",
    postal_code="K1A 0A6",
    email="sam@example.org",
)
SAMPLE_NOTE = "This matters to me.\n\nIt matters to my neighbours too."


@dataclass(frozen=True)
class CheckReport:
    """The outcome of checking a campaign folder."""

    problems: tuple[str, ...]
    templates_checked: int
    #: Not problems: what to look at before sending (stale facts).
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when nothing is wrong."""
        return not self.problems


def check_campaign(path: str | Path, today: datetime.date | None = None) -> CheckReport:
    """Every problem of the campaign folder at ``path``; never raises for its content."""
    try:
        campaign = read_campaign(path)
    except CampaignError as error:
        return CheckReport((str(error),), 0)
    problems: list[str] = [str(problem) for problem in campaign.problems]
    checked = 0
    for lang in CAMPAIGN_LANGUAGES:
        if campaign.root.joinpath(lang).joinpath(LAYOUT_NAME).is_file():
            checked += 1
        for demand in campaign.demands:
            name = demand.template_name(lang)
            resource = campaign.root.joinpath(lang).joinpath(f"{demand.id}.j2")
            if not resource.is_file():
                problems.append(
                    str(
                        Problem(
                            campaign.file_label(name),
                            None,
                            _(
                                "missing: demand {id} needs a template in each language "
                                "({languages})"
                            ).format(id=demand.id, languages=", ".join(CAMPAIGN_LANGUAGES)),
                        )
                    )
                )
                continue
            checked += 1
            try:
                letter = compose_letter(
                    campaign=campaign,
                    demand=demand,
                    lang=lang,
                    riding=SAMPLE_RIDING,
                    supporter=SAMPLE_SUPPORTER,
                    note=SAMPLE_NOTE,
                    date=datetime.date(2026, 1, 1),
                )
            except TemplateRenderError as error:
                problems.append(str(error))
                continue
            missing = [ask[lang] for ask in demand.facts.asks if ask[lang] not in letter.text]
            if missing:
                problems.append(
                    _(
                        "{file}: the letter leaves out {count} of the demand's asks; "
                        "list them with {loop}"
                    ).format(
                        file=campaign.file_label(name),
                        count=len(missing),
                        loop="{% for ask in asks %}- {{ ask }} {% endfor %}",
                    )
                )
            if SAMPLE_RIDING.name(lang) not in letter.text:
                problems.append(
                    _(
                        "{file}: the letter never names the riding; "
                        "use {name} so the office sees a constituent wrote"
                    ).format(file=campaign.file_label(name), name="{{ riding.name }}")
                )
    call_problems, call_checked, call_warnings = check_call_scripts(
        campaign, SAMPLE_RIDING, SAMPLE_SUPPORTER
    )
    meeting = check_meeting(campaign, SAMPLE_RIDING, SAMPLE_SUPPORTER)
    problems += call_problems + list(meeting.problems)
    checked += call_checked + meeting.templates_checked
    # A broken layout fails every demand the same way: report it once.
    unique = tuple(dict.fromkeys(problems))
    warning = stale_warning(campaign, today or datetime.date.today(), language())
    warnings = (*call_warnings, *((warning,) if warning else ()), *meeting.warnings)
    return CheckReport(unique, checked, warnings)
