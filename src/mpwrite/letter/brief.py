"""The one-page brief left with an MP after a meeting: one demand, its asks, its sources.

It is about the demand, not about a supporter or a riding, so it needs no
postal code and carries no one's personal data: the same brief serves every
meeting about that demand. Everything in it comes from the campaign
manifest: the demand's title, its asks, its sources (with their French titles
and pages in a French brief) and the date they were last checked, and the
campaign's ``[contact]``.
"""

from __future__ import annotations

from dataclasses import dataclass

from mpwrite.campaign.facts import Source
from mpwrite.campaign.folder import Campaign, Demand
from mpwrite.errors import UsageError
from mpwrite.i18n import _
from mpwrite.letter.address import format_date
from mpwrite.letter.compose import LANGUAGES
from mpwrite.letter.supporter_text import NBSP

#: The brief's own words, by language: headings and the line about dates.
HEADINGS: dict[str, dict[str, str]] = {
    "en": {
        "demand": "Demand {number}",
        "asks": "What we ask the federal government",
        "sources": "The facts behind these asks",
        "checked": "Checked against these sources on {date}.",
        "unchecked": "The campaign gives no date these facts were checked.",
        "contact": "Contact",
    },
    "fr": {
        "demand": "Demande {number}",
        "asks": "Ce que nous demandons au gouvernement fédéral",
        "sources": "Les faits sur lesquels reposent ces demandes",
        "checked": "Vérifiés auprès de ces sources le {date}.",
        "unchecked": "La campagne ne dit pas quand ces faits ont été vérifiés.",
        "contact": "Pour nous joindre",
    },
}


@dataclass(frozen=True)
class Brief:
    """A demand's brief in one language, as plain text pieces for any format."""

    lang: str
    campaign_title: str
    organisation: str
    #: "Demand 2" / "Demande 2".
    label: str
    title: str
    asks: tuple[str, ...]
    #: The sources' heading, and the line saying when they were checked.
    sources_heading: str
    checked_line: str
    #: Titled and linked in the brief's language where the manifest says how.
    sources: tuple[Source, ...]
    contact_heading: str
    #: The campaign's contact (name, e-mail, website); empty when the manifest has none.
    contact: tuple[str, ...]
    asks_heading: str


def compose_brief(campaign: Campaign, demand: Demand, lang: str) -> Brief:
    """The brief for ``demand`` in ``lang`` (en or fr)."""
    if lang not in LANGUAGES:
        raise UsageError(
            _("unknown language {lang!r}; use one of {choices}").format(
                lang=lang, choices=", ".join(LANGUAGES)
            )
        )
    words = HEADINGS[lang]
    checked = demand.facts.checked
    checked_line = (
        words["checked"].format(date=format_date(checked, lang))
        if checked is not None
        else words["unchecked"]
    )
    return Brief(
        lang=lang,
        campaign_title=campaign.title[lang],
        organisation=campaign.organisation[lang],
        label=words["demand"].format(number=demand.number).replace(" ", NBSP),
        title=demand.title[lang],
        asks=tuple(ask[lang] for ask in demand.facts.asks),
        asks_heading=words["asks"],
        sources_heading=words["sources"],
        checked_line=checked_line,
        sources=demand.facts.sources_in(lang),
        contact_heading=words["contact"],
        contact=campaign.contact.lines(lang) if campaign.contact else (),
    )
