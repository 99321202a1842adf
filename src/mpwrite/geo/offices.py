"""An MP's offices: Parliament Hill and the constituency offices that answer constituents."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from mpwrite.geo.parliament import house_address_line
from mpwrite.i18n import _

if TYPE_CHECKING:
    from mpwrite.geo.ridings import MP

#: Represent's office types: the Hill office, and offices in the riding.
HILL = "legislature"
CONSTITUENCY = "constituency"
#: Bounds on what a download may put on file: a real MP has one to four offices
#: and addresses of a few dozen characters.
MOST_OFFICES = 8
LONGEST_ADDRESS = 200


@dataclass(frozen=True, slots=True)
class Office:
    """One office of an MP, as Represent lists it."""

    kind: str
    postal_address: str = ""
    tel: str = ""
    fax: str = ""

    @property
    def in_the_riding(self) -> bool:
        """Whether this is a constituency office (they answer constituents first)."""
        return self.kind == CONSTITUENCY

    def as_dict(self) -> dict[str, str | None]:
        """The documented ``--json`` shape of an office (empty fields are null)."""
        return {
            "kind": self.kind,
            "postal_address": self.postal_address or None,
            "tel": self.tel or None,
            "fax": self.fax or None,
        }


def hill_office(mp: MP, lang: str = "en") -> Office:
    """The MP's Parliament Hill office: the House of Commons and the Hill phone on file."""
    return Office(HILL, house_address_line(lang), mp.phone)


def offices_to_call(mp: MP, lang: str = "en") -> tuple[Office, ...]:
    """Every office on file, constituency offices first (they answer constituents), Hill last."""
    return (*(office for office in mp.offices if office.in_the_riding), hill_office(mp, lang))


def office_line(office: Office) -> str:
    """An office on one line: its address, then its numbers ("tel." and "fax")."""
    parts = [office.postal_address] if office.postal_address else []
    if office.tel:
        parts.append(_("tel. {number}").format(number=office.tel))
    if office.fax:
        parts.append(_("fax {number}").format(number=office.fax))
    return "; ".join(parts)
