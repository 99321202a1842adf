"""A letter asking the MP for a meeting about one demand ("visit your MP").

The request is short: where (the constituency office when one is on file,
else in the riding, with the letter sent to the Hill office and by e-mail),
who would come, two or three times to choose from, and how to reach the
sender to schedule it. Its words are the campaign's, per language, in
``<lang>/meeting.j2``; it is placed in the same layout as the campaign's
letters, so every format (txt, md, html, eml, pdf) renders it unchanged.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from mpwrite.campaign.folder import Campaign, Demand
from mpwrite.campaign.render import render_template
from mpwrite.errors import CampaignError, UsageError, VacantSeatError
from mpwrite.geo.offices import Office
from mpwrite.geo.parliament import HOUSE_OF_COMMONS_ADDRESS
from mpwrite.geo.ridings import MP, Riding
from mpwrite.i18n import _
from mpwrite.letter.address import recipient_lines
from mpwrite.letter.address import salutation as choose_salutation
from mpwrite.letter.asks import choose_asks
from mpwrite.letter.compose import (
    LANGUAGES,
    Letter,
    Supporter,
    clean_supporter,
    lay_out,
    sender_lines,
    sender_province,
    vacant_seat_message,
    writer_context,
)
from mpwrite.letter.markup import normalise_markup
from mpwrite.letter.prepared import prepared_body
from mpwrite.letter.supporter_text import clean_line, french_spacing

MEETING_TEMPLATE = "meeting.j2"
#: Proposed times: enough to choose from, few enough to read at a glance.
FEWEST_TIMES, MOST_TIMES = 2, 3
#: More names than fit around an MP's table is a typo (a pasted list).
MOST_ATTENDEES = 10
_PHONE = re.compile(r"\+?[0-9][0-9 ().-]{5,}[0-9](\s*(x|ext\.?)\s*[0-9]{1,6})?", re.IGNORECASE)

SUBJECT = {"en": "Meeting request \u2014 {title}", "fr": "Demande de rencontre \u2014 {title}"}


@dataclass(frozen=True)
class Meeting:
    """What the sender proposes: who comes, when, and a phone to schedule by."""

    attendees: tuple[str, ...]
    times: tuple[str, ...]
    phone: str = ""


def parse_attendees(text: str) -> tuple[str, ...]:
    """The names in ``"A, B"``, cleaned; UsageError when none or too many."""
    names = tuple(name for name in (clean_line(part) for part in text.split(",")) if name)
    if not names:
        raise UsageError(
            _('--attendees names nobody; give names separated by commas: --attendees "A, B"')
        )
    if len(names) > MOST_ATTENDEES:
        raise UsageError(
            _("--attendees names {count} people; a meeting request names at most {most}").format(
                count=len(names), most=MOST_ATTENDEES
            )
        )
    return names


def check_times(times: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Two or three proposed times, cleaned; UsageError naming --when otherwise."""
    cleaned = tuple(time for time in (clean_line(text) for text in times) if time)
    if not FEWEST_TIMES <= len(cleaned) <= MOST_TIMES:
        raise UsageError(
            _(
                "give two or three proposed times, one --when each "
                '(e.g. --when "Monday 12 January, 10:00"); got {count}'
            ).format(count=len(cleaned))
        )
    return cleaned


def check_phone(text: str) -> str:
    """A phone number as typed (cleaned), or UsageError; "" stays "" (none given)."""
    phone = clean_line(text)
    if phone and not _PHONE.fullmatch(phone):
        raise UsageError(
            _("--phone {phone!r} is not a phone number; give one like 613-555-0123").format(
                phone=phone
            )
        )
    return phone


def constituency_office(mp: MP) -> Office | None:
    """The MP's first constituency office with a postal address on file, or None."""
    for office in mp.offices:
        if office.in_the_riding and office.postal_address.strip():
            return office
    return None


def office_lines(office: Office) -> tuple[str, ...]:
    """The office's postal address, one line per line, blanks dropped."""
    lines = (clean_line(line) for line in office.postal_address.splitlines())
    return tuple(line for line in lines if line)


def meeting_recipient_lines(
    mp: MP, riding: Riding, lang: str, office: Office | None
) -> tuple[str, ...]:
    """The letters' recipient block, at the constituency office when one is given."""
    lines = recipient_lines(mp, riding, lang)
    if office is None:
        return lines
    return (*lines[: -len(HOUSE_OF_COMMONS_ADDRESS[lang])], *office_lines(office))


def mp_to_meet(riding: Riding, lang: str) -> MP:
    """The riding's MP, or VacantSeatError: a vacant seat has no one to meet."""
    if riding.mp is None:
        raise VacantSeatError(
            vacant_seat_message(riding, lang, option="mpwrite draft --to minister")
        )
    return riding.mp


def has_template(campaign: Campaign, lang: str) -> bool:
    """Whether the campaign has its meeting request in ``lang``."""
    return campaign.root.joinpath(lang).joinpath(MEETING_TEMPLATE).is_file()


def join_names(names: tuple[str, ...], lang: str) -> str:
    """``A``, ``A and B``, ``A, B and C`` (``et`` in French)."""
    word = " et " if lang == "fr" else " and "
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + word + names[-1]


def compose_meeting(
    *,
    campaign: Campaign,
    demand: Demand,
    lang: str,
    riding: Riding,
    supporter: Supporter,
    meeting: Meeting,
    note: str = "",
    date: datetime.date | None = None,
    salutation: str | None = None,
    ask_numbers: tuple[int, ...] = (),
) -> Letter:
    """The meeting request from ``supporter`` to the MP of ``riding`` about ``demand``.

    Raises VacantSeatError for a vacant seat (there is no one to meet),
    UsageError when the request gives no way to reach the sender, CampaignError
    when the campaign has no meeting template in ``lang``, InvalidAskError for
    an ask (of ``ask_numbers``, 1 for the first; none keeps all) the demand
    does not have, and TemplateRenderError when its template is broken.
    """
    if lang not in LANGUAGES:
        raise UsageError(
            _("unknown language {lang!r}; use one of {choices}").format(
                lang=lang, choices=", ".join(LANGUAGES)
            )
        )
    mp = mp_to_meet(riding, lang)
    if not has_template(campaign, lang):
        raise CampaignError(
            _(
                "campaign {campaign} has no {name}; add one to request meetings "
                "(see docs/meeting.md)"
            ).format(campaign=campaign.id, name=campaign.file_label(f"{lang}/{MEETING_TEMPLATE}"))
        )
    supporter = clean_supporter(supporter)
    if not supporter.name:
        raise UsageError(_("the supporter's name is empty; a letter needs a signature"))
    if not supporter.email and not meeting.phone:
        raise UsageError(
            _("a meeting request needs a way to reach you: give --email or --phone (or both)")
        )
    greeting = choose_salutation(lang=lang, chosen=salutation, mp=mp, riding=riding)
    office = constituency_office(mp)
    recipients = meeting_recipient_lines(mp, riding, lang, office)
    letter_date = date or datetime.date.today()
    senders = sender_lines(supporter, sender_province(supporter, riding), lang)
    subject = SUBJECT[lang].format(title=campaign.title[lang])
    shared = prepared_body(campaign, demand, lang, riding, mp).context
    context: dict[str, Any] = {
        **shared,
        "subject": subject,
        "recipient_lines": list(recipients),
        "recipient_block": "\n".join(recipients),
        "body_template": f"{lang}/{MEETING_TEMPLATE}",
        **writer_context(supporter, senders, note, lang, letter_date, greeting),
        "meeting": _meeting_context(meeting, supporter, office, lang),
    }
    if ask_numbers:
        context["asks"] = choose_asks(shared["asks"], ask_numbers, demand.id)
    body = normalise_markup(render_template(campaign, context["body_template"], context))
    return lay_out(
        campaign,
        context,
        body,
        demand=demand,
        riding=riding,
        mp=mp,
        supporter=supporter,
        letter_date=letter_date,
        subject=subject,
        greeting=greeting,
        to="mp",
        senders=senders,
    )


def _meeting_context(
    meeting: Meeting, supporter: Supporter, office: Office | None, lang: str
) -> dict[str, Any]:
    """Plain values only, as every template value (see mpwrite.letter.prepared)."""
    spaced = french_spacing if lang == "fr" else str
    attendees = tuple(clean_line(name) for name in meeting.attendees)
    reach = [value for value in (supporter.email, clean_line(meeting.phone)) if value]
    return {
        "attendees": list(attendees),
        "attendees_text": join_names(attendees, lang),
        "group": len(attendees) > 1,
        "times": [spaced(clean_line(time)) for time in meeting.times],
        "office": ", ".join(office_lines(office)) if office else "",
        "email": supporter.email,
        "phone": clean_line(meeting.phone),
        "contact": (" ou " if lang == "fr" else " or ").join(reach),
    }
