"""An MP's offices: Parliament Hill and the constituency offices that answer constituents."""

from __future__ import annotations

from dataclasses import dataclass

#: Represent's office types: the Hill office, and offices in the riding.
HILL = "legislature"
CONSTITUENCY = "constituency"


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
