"""Forms of address: how a letter names, greets and takes leave of its recipient.

Canadian practice: the Prime Minister is "The Right Honourable … P.C., M.P."
greeted "Dear Prime Minister," / « Monsieur le Premier Ministre, »; a Privy
Councillor is "The Honourable … P.C."; a minister written to by role is
"Dear Minister,". Roles and honorifics the House list lacks come from a
curated, sourced file built into the bundled data (``forms_of_address`` in
metadata.json, from scripts/forms_of_address.csv).

French greetings depend on the recipient's gender, which the data does not
record, so they are chosen, never guessed: the presets ``deputee``, ``depute``
and ``neutre`` (or free text). Unchosen, a French letter uses the neutral
« Madame, Monsieur, ». The French closing formula repeats the greeting.
"""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any

from mpwrite.campaign.folder import Demand
from mpwrite.errors import UsageError
from mpwrite.folding import normalise_name
from mpwrite.geo.parliament import HOUSE_OF_COMMONS_ADDRESS
from mpwrite.geo.ridings import MP, Riding, load_bundled
from mpwrite.i18n import _
from mpwrite.letter.supporter_text import NBSP, clean_line

#: Whom a letter goes to: the riding's MP, or the minister responsible for the demand.
RECIPIENTS = ("mp", "minister")

#: French greetings by preset and recipient: the supporter says which fits.
SALUTATION_PRESETS: dict[str, dict[str, str]] = {
    "deputee": {"mp": "Madame la Députée,", "minister": "Madame la Ministre,"},
    "depute": {"mp": "Monsieur le Député,", "minister": "Monsieur le Ministre,"},
    "neutre": {"mp": "Madame, Monsieur,", "minister": "Madame la Ministre, Monsieur le Ministre,"},
}
NEUTRAL_PRESET = "neutre"
#: A greeting is a line, not a paragraph.
MAX_SALUTATION = 100

MONTHS_EN = (
    *("January", "February", "March", "April", "May", "June", "July"),
    *("August", "September", "October", "November", "December"),
)
MONTHS_FR = (
    *("janvier", "février", "mars", "avril", "mai", "juin", "juillet"),
    *("août", "septembre", "octobre", "novembre", "décembre"),
)


@dataclass(frozen=True, slots=True)
class Role:
    """A curated form of address for one named person holding one seat."""

    code: str
    name: str
    role: str
    privy_councillor: str
    title: dict[str, str]
    salutation: dict[str, str]


def preset_key(text: str) -> str | None:
    """The preset ``text`` names ("députée", "Depute", "neutre"), or None for free text."""
    folded = "".join(
        c for c in unicodedata.normalize("NFKD", text.strip().casefold()) if c.isalpha()
    )
    return folded if folded in SALUTATION_PRESETS else None


@cache
def _curated() -> dict[str, Role]:
    rows = load_bundled().metadata.get("forms_of_address") or ()
    roles = {}
    for row in rows:
        if isinstance(row, dict):
            roles[str(row.get("code", ""))] = Role(
                code=str(row.get("code", "")),
                name=str(row.get("name", "")),
                role=str(row.get("role", "")),
                privy_councillor=str(row.get("privy_councillor", "")),
                title={lang: str(row.get(f"title_{lang}", "")) for lang in ("en", "fr")},
                salutation={lang: str(row.get(f"salutation_{lang}", "")) for lang in ("en", "fr")},
            )
    return roles


def role_of(mp: MP, riding: Riding) -> Role | None:
    """The curated entry for this MP, if the person in the seat is still the one it names."""
    found = _curated().get(riding.code)
    if found is None or normalise_name(found.name) != normalise_name(mp.full_name):
        return None
    return found


def curated_rows() -> list[dict[str, Any]]:
    """The curated rows as bundled, with their sources and as-of dates (for ``data info``)."""
    rows = load_bundled().metadata.get("forms_of_address") or []
    return [row for row in rows if isinstance(row, dict)]


def recipient_name_line(mp: MP, lang: str, role: Role | None = None) -> str:
    """The MP's name with the right form of address, needing no gender.

    English: "The Right Honourable Jane Doe, P.C., M.P.", "The Honourable Jane
    Doe, P.C., M.P." or "Jane Doe, M.P.". French: "Le très honorable Jane Doe,
    c.p." or "Jane Doe": the French post-nominal for an MP (député/députée) is
    gendered, so the riding line below names the role instead. A curated row
    may say the style is the office's, not the Privy Council's (no "P.C.").
    """
    privy = role.privy_councillor == "yes" if role else mp.privy_councillor
    style = mp.style(lang)
    named = f"{style} {mp.full_name}" if style else mp.full_name
    if lang == "fr":
        return f"{named}, c.p." if privy else named
    return f"{named}, P.C., M.P." if privy else f"{named}, M.P."


def recipient_lines(mp: MP, riding: Riding, lang: str) -> tuple[str, ...]:
    """Name, title of office (if any), riding, and the House of Commons address."""
    role = role_of(mp, riding)
    riding_line = (
        f"Circonscription{NBSP}: {riding.name_fr}"
        if lang == "fr"
        else f"Member of Parliament for {riding.name_en}"
    )
    title = (role.title[lang],) if role and role.title.get(lang) else ()
    return (
        recipient_name_line(mp, lang, role),
        *title,
        riding_line,
        *HOUSE_OF_COMMONS_ADDRESS[lang],
    )


def minister_role(names: dict[str, str], lang: str) -> str:
    """The minister's role as an address line starts it ("Ministre de …" in French)."""
    text = names[lang]
    return text[:1].upper() + text[1:]


def minister_lines(names: dict[str, str], lang: str) -> tuple[str, ...]:
    """A minister addressed by role at the House of Commons (names change; roles do not)."""
    return (minister_role(names, lang), *HOUSE_OF_COMMONS_ADDRESS[lang])


def salutation(
    *,
    lang: str,
    chosen: str | None,
    mp: MP | None = None,
    riding: Riding | None = None,
    recipient: str = "mp",
) -> str:
    """The greeting: free text as given, else the role's, the preset's or the default.

    A preset only says which French form fits the recipient; English needs no
    gender ("Dear Jane Doe,", "Dear Minister,"). A role holder's greeting
    ("Dear Prime Minister,") is the curated one unless free text is given.
    """
    # A greeting starts with a word: spreadsheet formula signs in front are dropped.
    text = clean_line(chosen or "").lstrip("=+-@ ")
    if len(text) > MAX_SALUTATION:
        raise UsageError(
            _(
                "the greeting is {length} characters long; keep it under {limit} "
                "or use a preset (deputee, depute, neutre)"
            ).format(length=len(text), limit=MAX_SALUTATION)
        )
    preset = preset_key(text) if text else None
    if text and preset is None:
        return text
    if recipient == "minister":
        return (
            SALUTATION_PRESETS[preset or NEUTRAL_PRESET]["minister"]
            if lang == "fr"
            else ("Dear Minister,")
        )
    assert mp is not None and riding is not None
    role = role_of(mp, riding)
    if role and role.salutation.get(lang):
        return role.salutation[lang]
    if lang == "fr":
        return SALUTATION_PRESETS[preset or NEUTRAL_PRESET]["mp"]
    return f"Dear {mp.full_name},"


def closing(greeting: str, lang: str) -> str:
    """The closing formula; in French it repeats the greeting, as French letters do."""
    if lang != "fr":
        return "Sincerely,"
    appellation = greeting.strip().rstrip(",:;").strip()
    first, _, rest = appellation.partition(" ")
    if first in ("Cher", "Chère", "Chers", "Chères"):
        # « Chère Madame, » opens; « chère Madame » is repeated mid-sentence.
        appellation = f"{first.lower()} {rest}".strip()
    if not appellation:
        return "Je vous prie d’agréer l’expression de ma considération distinguée."
    return f"Je vous prie d’agréer, {appellation}, l’expression de ma considération distinguée."


def format_date(date: datetime.date, lang: str) -> str:
    """ "28 November 2026" or "28 novembre 2026" ("1er" on the first of the month)."""
    if lang == "fr":
        day = "1er" if date.day == 1 else str(date.day)
        return f"{day} {MONTHS_FR[date.month - 1]} {date.year}"
    # Not strftime("%B"): that follows the process locale.
    return f"{date.day} {MONTHS_EN[date.month - 1]} {date.year}"


def date_line(date: datetime.date, lang: str, city: str = "") -> str:
    """The date line: « Montréal, le 3 décembre 2026 » (« Le 3 décembre 2026 » with no city).

    English letters put the place in the sender's address, not on the date
    line, so English is "3 December 2026" either way.
    """
    if lang != "fr":
        return format_date(date, lang)
    return f"{city}, le {format_date(date, lang)}" if city else f"Le {format_date(date, lang)}"


def minister_suggestion(riding: Riding, demand: Demand) -> str:
    """What an organizer can do for a supporter in a vacant seat (bulk's needs-review)."""
    whom = f"the {demand.minister['en']}" if demand.minister else "the minister responsible"
    return (
        f"suggestion: write to {whom} instead, by role, at the House of Commons "
        f"(mpwrite draft --riding {riding.code} --demand {demand.id} --to minister)"
    )
