"""A phone call to an MP's office: the numbers to dial and a short script to read.

The script is a campaign template per language (``<lang>/call.j2``) rendered
in the same sandbox as letters, from plain values only: who calls and where
they live, the MP, the demand and its asks. It is meant to be read aloud, so
:data:`MOST_WORDS` bounds it (``templates check`` enforces the bound).
Nothing here dials: the numbers are shown for the caller to dial.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mpwrite.campaign.folder import Campaign, Demand
from mpwrite.campaign.render import render_template
from mpwrite.errors import CampaignError, VacantSeatError
from mpwrite.geo.offices import Office, offices_to_call
from mpwrite.geo.ridings import Riding
from mpwrite.i18n import _
from mpwrite.letter.compose import vacant_seat_message
from mpwrite.letter.prepared import campaign_values
from mpwrite.letter.supporter_text import NBSP, clean_line

#: The call script's template, inside each language's folder of a campaign.
CALL_TEMPLATE = "call.j2"
#: A script read aloud in about a minute: offices listen to short calls.
MOST_WORDS = 120
#: Where the caller's name goes when it was not given.
NAME_PLACEHOLDER = {"en": "[your name]", "fr": "[votre nom]"}
#: The longest caller name put in a script.
LONGEST_NAME = 100
#: What a vacant seat's caller is told to do instead (the draft command's option).
VACANT_SEAT_OPTION = "mpwrite draft --to minister"


@dataclass(frozen=True, slots=True)
class CallScript:
    """What a caller needs: whom to call, the numbers in order, what to say."""

    campaign_id: str
    demand: Demand
    lang: str
    riding: Riding
    #: Offices with a number, constituency offices first, Parliament Hill last.
    phones: tuple[Office, ...]
    script: str

    @property
    def words(self) -> int:
        """How many words the script has, as read aloud."""
        return len(self.script.split())


def call_template_name(lang: str) -> str:
    """The call script's template name inside a campaign folder."""
    return f"{lang}/{CALL_TEMPLATE}"


def has_call_template(campaign: Campaign, lang: str) -> bool:
    """Whether ``campaign`` has a call script in ``lang``."""
    return bool(campaign.root.joinpath(lang).joinpath(CALL_TEMPLATE).is_file())


def compose_call(
    *,
    campaign: Campaign,
    demand: Demand,
    lang: str,
    riding: Riding,
    caller_name: str = "",
    postal_code: str = "",
) -> CallScript:
    """The numbers and the script for a call about ``demand`` to ``riding``'s MP.

    VacantSeatError for a seat with no MP (saying what to do instead);
    CampaignError when the campaign has no call script in ``lang``.
    """
    mp = riding.mp
    if mp is None:
        raise VacantSeatError(vacant_seat_message(riding, lang, option=VACANT_SEAT_OPTION))
    if not has_call_template(campaign, lang):
        raise CampaignError(
            _(
                "campaign {campaign} has no call script in this language "
                "({name} is missing); add one (see docs/call.md) or use mpwrite draft"
            ).format(campaign=campaign.id, name=campaign.file_label(call_template_name(lang)))
        )
    name = clean_line(caller_name)[:LONGEST_NAME].strip()
    context: dict[str, Any] = {
        "lang": lang,
        "caller": {
            "name": name or NAME_PLACEHOLDER[lang],
            "named": bool(name),
            "postal_code": clean_line(postal_code).upper()[:7],
        },
        **campaign_values(campaign, demand, lang, riding),
        "mp": {"full_name": mp.full_name},
    }
    rendered = render_template(campaign, call_template_name(lang), context)
    return CallScript(
        campaign_id=campaign.id,
        demand=demand,
        lang=lang,
        riding=riding,
        phones=tuple(office for office in offices_to_call(mp, lang) if office.tel),
        script=tidy_script(rendered),
    )


def tidy_script(text: str) -> str:
    """Paragraphs separated by one blank line, each on one line, spaces collapsed."""
    paragraphs = (" ".join(chunk.split()) for chunk in text.replace("\r", "").split("\n\n"))
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)


#: The call sheet's fixed words, in the script's language (a sheet is one language).
SHEET = {
    "en": {
        "heading": "Call {name}, MP for {riding}.",
        "numbers": "Numbers, in the order to try them:",
        "constituency": "Constituency office ({where})",
        "constituency_unknown": "Constituency office",
        "hill": "Parliament Hill office",
        "no_office": "(no constituency office on file; run mpwrite data update)",
        "no_number": "(no number on file: see ourcommons.ca)",
        "script": "What to say ({words} words):",
    },
    "fr": {
        "heading": f"Appelez {{name}}, circonscription «{NBSP}{{riding}}{NBSP}».",
        "numbers": f"Numéros, dans l’ordre où les essayer{NBSP}:",
        "constituency": "Bureau de circonscription ({where})",
        "constituency_unknown": "Bureau de circonscription",
        "hill": "Bureau de la Colline du Parlement",
        "no_office": (
            f"(aucun bureau de circonscription au dossier{NBSP}; lancez mpwrite data update)"
        ),
        "no_number": f"(aucun numéro au dossier{NBSP}: voir noscommunes.ca)",
        "script": f"Quoi dire ({{words}}{NBSP}mots){NBSP}:",
    },
}


def phone_lines(call: CallScript) -> list[str]:
    """One line per number to dial, in the order to try them, in the script's language."""
    words = SHEET[call.lang]
    lines = []
    for office in call.phones:
        if not office.in_the_riding:
            label = words["hill"]
        elif office.postal_address:
            label = words["constituency"].format(where=office.postal_address)
        else:
            label = words["constituency_unknown"]
        lines.append(f"{office.tel}  {label}")
    return lines


def call_sheet(call: CallScript) -> str:
    """Whom to call, the numbers in order, and the script: the text a caller reads from."""
    words = SHEET[call.lang]
    mp = call.riding.mp
    lines = [
        words["heading"].format(
            name=mp.full_name if mp else "", riding=call.riding.name(call.lang)
        ),
        words["numbers"],
        *(f"  {line}" for line in phone_lines(call)),
    ]
    if not call.phones:
        lines.append(f"  {words['no_number']}")
    if not (mp and any(office.in_the_riding for office in mp.offices)):
        lines.append(f"  {words['no_office']}")
    lines += ["", words["script"].format(words=call.words), "", call.script]
    return "\n".join(lines)


def call_as_dict(
    riding: Riding,
    match_kind: str,
    demand: Demand,
    lang: str,
    call: CallScript | None,
    mp_data_as_of: str | None,
) -> dict[str, Any]:
    """The documented ``mpwrite call --json`` shape (``call`` is None for a vacant seat)."""
    mp = riding.mp
    return {
        "riding": {
            "code": riding.code,
            "name_en": riding.name_en,
            "name_fr": riding.name_fr,
            "province": riding.province,
        },
        "match": match_kind,
        "mp": (
            {"name": mp.full_name, "party": mp.party, "email": mp.email, "vacant": False}
            if mp
            else {"name": None, "party": None, "email": None, "vacant": True}
        ),
        "phones": [
            {
                "number": office.tel,
                "kind": office.kind,
                "postal_address": office.postal_address or None,
            }
            for office in (call.phones if call else ())
        ],
        "constituency_offices_on_file": bool(mp and any(o.in_the_riding for o in mp.offices)),
        "demand": {"id": demand.id, "number": demand.number},
        "lang": lang,
        "script": call.script if call else None,
        "words": call.words if call else 0,
        "mp_data_as_of": mp_data_as_of,
    }
