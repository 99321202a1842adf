"""Represent's House of Commons objects as mpwrite's :class:`~mpwrite.geo.ridings.MP`.

Kept apart from :mod:`mpwrite.geo.mpdata` (which validates and saves whole
downloads) because this is the one place that knows Represent's field names
and quirks: party labels, names split or not, junk phone numbers.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from mpwrite.folding import normalise_name
from mpwrite.geo.offices import CONSTITUENCY, HILL, LONGEST_ADDRESS, MOST_OFFICES, Office
from mpwrite.geo.ridings import MP

_EMAIL_SHAPE = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[A-Za-z]{2,}$")
#: Represent's party labels → the labels mpwrite's data and letters use.
PARTY_LABELS = {
    "liberal": "Liberal",
    "liberal party": "Liberal",
    "conservative": "Conservative",
    "conservative party": "Conservative",
    "bloc quebecois": "Bloc Québécois",
    "bloc": "Bloc Québécois",
    "ndp": "NDP",
    "new democratic party": "NDP",
    "green": "Green",
    "green party": "Green",
    "independent": "Independent",
}


#: Format characters some scripts need inside a name (zero-width non-joiner, joiner).
_NEEDED_FORMAT_CHARACTERS = frozenset("\u200c\u200d")


def clean_text(value: object) -> str:
    """Text from the server made safe to save and show: no control, bidi or private characters.

    Line breaks, tabs and other controls become spaces (then runs of spaces
    one), so a name cannot spill onto a second line; format characters such
    as bidi overrides (U+202A-202E, U+2066-2069) and private-use or surrogate
    code points are dropped. Letters and combining marks are kept as they are.
    """
    kept = []
    for character in str(value or ""):
        category = unicodedata.category(character)
        if category in ("Cc", "Zl", "Zp"):
            kept.append(" ")
        elif category in ("Co", "Cs") or (
            category == "Cf" and character not in _NEEDED_FORMAT_CHARACTERS
        ):
            continue
        else:
            kept.append(character)
    return " ".join("".join(kept).split())


def well_formed_email(text: str) -> bool:
    """Whether an address looks deliverable (one @, a dotted domain, no separators)."""
    return bool(_EMAIL_SHAPE.match(text))


def mp_from_representative(item: dict[str, Any], previous: MP | None) -> MP:
    """The MP in one Represent object; the seat's previous holder fills gaps if the same person."""
    first = clean_text(item.get("first_name"))
    last = clean_text(item.get("last_name"))
    if not (first or last):
        first, _, last = clean_text(item.get("name")).rpartition(" ")
    party_raw = clean_text(item.get("party_name"))
    party = PARTY_LABELS.get(normalise_name(party_raw), party_raw)
    same_person = previous is not None and normalise_name(previous.full_name) == normalise_name(
        f"{first} {last}"
    )
    honorific = previous.honorific if same_person and previous else ""
    email = clean_text(item.get("email")).lower()
    if not email and same_person and previous:
        email = previous.email
    phone = legislature_phone(item)
    if not phone and same_person and previous:
        phone = previous.phone
    return MP(first, last, honorific, party, email, phone, offices_from_representative(item))


def legislature_phone(item: dict[str, Any]) -> str:
    """The Hill office number as 613-xxx-xxxx, or "" when Represent has no usable one.

    Anything that is not a whole North American number ("1 ", an extension on its
    own) is dropped rather than saved, so it never replaces a good number.
    """
    offices = item.get("offices")
    if not isinstance(offices, list):
        return ""
    for office in offices:
        if isinstance(office, dict) and office.get("type") == HILL and office.get("tel"):
            phone = phone_number(office["tel"])
            if phone:
                return phone
    return ""


def phone_number(value: object) -> str:
    """A North American number as xxx-xxx-xxxx, or "" when it is not a whole one."""
    digits = re.sub(r"[^0-9]", "", str(value or "")[:40])
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) != 10:
        return ""
    return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"


def offices_from_representative(item: dict[str, Any]) -> tuple[Office, ...]:
    """The constituency offices of one Represent object, cleaned and bounded.

    The Hill office is the MP's ``phone`` and the House of Commons address, so
    only offices in the riding are kept; those with neither a usable number nor
    an address say nothing and are dropped.
    """
    offices = item.get("offices")
    if not isinstance(offices, list):
        return ()
    kept = []
    for office in offices:
        if not isinstance(office, dict):
            continue
        cleaned = clean_office(
            office.get("type"), office.get("postal"), office.get("tel"), office.get("fax")
        )
        if cleaned is not None and cleaned.in_the_riding:
            kept.append(cleaned)
    return tuple(kept[:MOST_OFFICES])


def clean_office(kind: object, postal: object, tel: object, fax: object) -> Office | None:
    """An office safe to save and show, or None when it is of no known kind or says nothing.

    The address keeps its lines as ", "-separated parts on one line; every part
    loses control and bidi characters, and the whole is cut at LONGEST_ADDRESS.
    """
    kind_text = clean_text(kind).lower()[:20]
    if kind_text not in (CONSTITUENCY, HILL):
        return None
    lines = (clean_text(line) for line in str(postal or "")[: LONGEST_ADDRESS * 4].splitlines())
    address = ", ".join(line for line in lines if line)[:LONGEST_ADDRESS].strip(" ,")
    office = Office(kind_text, address, phone_number(tel), phone_number(fax))
    if not (office.postal_address or office.tel):
        return None
    return office
