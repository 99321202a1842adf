"""What a look-up found, and how a riding is shown: one set of rules for draft, event and bulk.

A look-up answers with one certain riding (exact), one riding its postal area
probably lies in (likely), or several the postal code may be in (ambiguous).
A likely answer becomes the riding only once the supporter confirms it or the
caller accepts likely answers (``--accept-likely``, ``--approximate accept``);
an ambiguous one always needs the supporter, or the organizer, to choose. A
vacant seat is a riding found whose MP is missing: no letter can go to that MP.

What each caller does with the answer (ask, warn, put the row in
needs-review.csv) stays with the caller; the rules and the one-line
descriptions of a riding live here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from mpwrite.i18n import _

if TYPE_CHECKING:
    from mpwrite.errors import AmbiguousRidingError
    from mpwrite.geo.lookup import LookupResult, Resolver
    from mpwrite.geo.ridings import Riding

Certainty = Literal["exact", "likely", "ambiguous"]

#: The most ridings an ambiguous name lists to pick from; more means "type more".
MOST_TO_PICK = 10


@dataclass(frozen=True, slots=True)
class Found:
    """A look-up result, classified: how certain it is and which ridings it names."""

    certainty: Certainty
    #: The candidate ridings, the likeliest first (one unless ambiguous).
    ridings: tuple[Riding, ...]
    #: Whether a likely answer counts as the riding without asking.
    accept_likely: bool = False

    @property
    def riding(self) -> Riding:
        """The riding found (the first candidate when ambiguous)."""
        return self.ridings[0]

    @property
    def exact(self) -> bool:
        return self.certainty == "exact"

    @property
    def likely(self) -> bool:
        return self.certainty == "likely"

    @property
    def ambiguous(self) -> bool:
        return self.certainty == "ambiguous"

    @property
    def accepted(self) -> bool:
        """Whether :attr:`riding` may be used without anyone confirming or choosing it."""
        return self.exact or (self.likely and self.accept_likely)

    @property
    def vacant(self) -> bool:
        """Whether the accepted riding's seat is vacant: there is no MP to write to."""
        return self.accepted and self.riding.vacant


def classify(result: LookupResult, *, accept_likely: bool = False) -> Found:
    """Exact, likely or ambiguous; ``accept_likely`` lets a likely riding count as found."""
    ridings = tuple(match.riding for match in result.matches)
    certainty: Certainty
    if len(ridings) > 1:
        certainty = "ambiguous"
    elif result.exact:
        certainty = "exact"
    else:
        certainty = "likely"
    return Found(certainty, ridings, accept_likely)


def ridings_to_pick(resolver: Resolver, error: AmbiguousRidingError) -> tuple[Riding, ...]:
    """The ridings an ambiguous name may mean, to pick one by number.

    Empty when there are too many to list (the supporter types more of the
    name) or too few to choose between.
    """
    if not 1 < len(error.candidates) <= MOST_TO_PICK:
        return ()
    return tuple(resolver.by_riding(code).best.riding for code in error.candidates)


def describe(riding: Riding, lang: str | None = "en") -> str:
    """One line naming a riding found and its MP, for the supporter to check.

    In ``lang``: "Ottawa Centre (ON): Yasir Naqvi". With ``lang`` None, for a
    screen shared by English and French speakers, both names and the party:
    "Ottawa Centre / Ottawa-Centre (ON) — MP / député·e : Yasir Naqvi (Liberal)".
    """
    mp = riding.mp
    if lang is not None:
        who = mp.display_name if mp else _("vacant seat")
        return f"{riding.name(lang)} ({riding.province}): {who}"
    names = riding.name_en
    if riding.name_fr != riding.name_en:
        names = f"{riding.name_en} / {riding.name_fr}"
    who = f"{mp.display_name} ({mp.party})" if mp else _("vacant / vacant")
    return _("{riding} ({province}) — MP / député·e : {who}").format(
        riding=names, province=riding.province, who=who
    )


def review_label(riding: Riding) -> str:
    """A riding as the organizer's needs-review.csv lists it: "35075 Ottawa Centre (Yasir Naqvi)".

    Always English: the file's columns and reasons are.
    """
    who = riding.mp.display_name if riding.mp else "vacant"
    return f"{riding.code} {riding.name_en} ({who})"
