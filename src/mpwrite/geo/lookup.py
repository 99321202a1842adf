"""Find the riding, and so the MP, for a postal code or a riding name.

A :class:`Resolver` asks its postal-code sources in order; the first one that
answers wins. The bundled FSA table is always last and only ever says
"likely": a postal area often spans several ridings. Sources that know more
(a local store, the online service) go in front of it without any change here
or in the CLI.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from mpwrite.errors import NoRidingForPostalAreaError, UnknownPostalAreaError
from mpwrite.geo.offices import offices_to_call
from mpwrite.geo.postal import PROVINCES_BY_FIRST_LETTER, PostalCode, parse_postal_code
from mpwrite.geo.ridings import PostalArea, Riding, RidingData
from mpwrite.i18n import _

SOURCE_RIDING = "riding"
SOURCE_FSA = "fsa"
SOURCE_PROVINCE = "province"


@dataclass(frozen=True, slots=True)
class Match:
    """One riding a query may belong to, with where the answer came from."""

    riding: Riding
    source: str
    exact: bool


@dataclass(frozen=True, slots=True)
class LookupResult:
    """The answer to one look-up: the candidate ridings and any warnings."""

    matches: tuple[Match, ...]
    postal_code: PostalCode | None = None
    postal_area: PostalArea | None = None
    warnings: tuple[str, ...] = field(default=())

    @property
    def exact(self) -> bool:
        """True when there is exactly one match and it is certain."""
        return len(self.matches) == 1 and self.matches[0].exact

    @property
    def best(self) -> Match:
        """The first match (the only one when the answer is certain)."""
        return self.matches[0]


class PostalSource(Protocol):
    """Something that may know the ridings of a postal code."""

    def resolve(self, code: PostalCode, warnings: list[str]) -> tuple[Match, ...] | None:
        """The matches for ``code``, or None to let the next source answer.

        A source that fails (say, the network is down) appends one line for the
        user to ``warnings`` and returns None so the next source answers.
        """
        ...


class FsaTableSource:
    """The bundled FSA → likely riding table: approximate, except in one-riding territories.

    Yukon, the Northwest Territories and Nunavut are one riding each, so a postal
    area known to lie in one of them gives a certain answer (source "province").
    """

    def __init__(self, data: RidingData) -> None:
        ridings_by_province: dict[str, list[Riding]] = {}
        for riding in data:
            ridings_by_province.setdefault(riding.province, []).append(riding)
        # Built once so that resolving many codes is a dictionary look-up each.
        self._by_fsa: dict[str, tuple[Match, ...]] = {}
        for area in data.postal_areas.values():
            in_province = ridings_by_province.get(area.province, [])
            if len(in_province) == 1:
                self._by_fsa[area.fsa] = (Match(in_province[0], SOURCE_PROVINCE, exact=True),)
            elif area.likely_riding in data.ridings:
                riding = data.ridings[area.likely_riding]
                # A sample from across a provincial border would send the letter
                # to another province's MP: better no likely riding than that one.
                if riding.province in PROVINCES_BY_FIRST_LETTER.get(area.fsa[0], ()):
                    self._by_fsa[area.fsa] = (Match(riding, SOURCE_FSA, exact=False),)

    def resolve(self, code: PostalCode, warnings: list[str]) -> tuple[Match, ...] | None:
        """The likely riding of the code's postal area, if the table has one."""
        return self._by_fsa.get(code.fsa)


class Resolver:
    """Resolve postal codes and riding names against riding data and sources."""

    def __init__(self, data: RidingData, sources: Sequence[PostalSource] | None = None) -> None:
        self.data = data
        self.sources: list[PostalSource] = list(sources or [])
        self.sources.append(FsaTableSource(data))

    def by_postal_code(self, text: str | PostalCode) -> LookupResult:
        """The ridings a postal code may belong to; raises when none is known."""
        code = text if isinstance(text, PostalCode) else parse_postal_code(text)
        area = self.data.postal_areas.get(code.fsa)
        if area is None:
            raise UnknownPostalAreaError(
                _(
                    "no postal code starting {fsa} is in use; check the code, or name your "
                    "riding with --riding (find it with: mpwrite ridings --search PLACE)"
                ).format(fsa=code.fsa)
            )
        warnings: list[str] = []
        for source in self.sources:
            matches = source.resolve(code, warnings)
            if matches:
                return LookupResult(matches, code, area, tuple(warnings))
        raise NoRidingForPostalAreaError(
            _(
                "mpwrite has no riding on file for postal codes starting {fsa} ({place}); "
                "name your riding with --riding "
                "(find it with: mpwrite ridings --province {province} --search PLACE)"
            ).format(fsa=code.fsa, place=area.place or area.province, province=area.province)
        )

    def by_riding(self, text: str) -> LookupResult:
        """The riding a name or FED code means; certain by definition."""
        riding = self.data.find(text)
        return LookupResult((Match(riding, SOURCE_RIDING, exact=True),))


def riding_as_dict(riding: Riding) -> dict[str, object]:
    """A riding and its MP in the documented ``--json`` shape."""
    mp = riding.mp
    return {
        "riding": {
            "code": riding.code,
            "name_en": riding.name_en,
            "name_fr": riding.name_fr,
            "province": riding.province,
        },
        "mp": {
            "name": mp.full_name if mp else None,
            "first_name": mp.first_name if mp else None,
            "last_name": mp.last_name if mp else None,
            "honorific": mp.honorific if mp else None,
            "party": mp.party if mp else None,
            "email": mp.email if mp else None,
            "phone": (mp.phone or None) if mp else None,
            "vacant": mp is None,
            # Constituency offices first (they answer constituents), the Hill office last.
            "offices": [office.as_dict() for office in offices_to_call(mp)] if mp else [],
        },
    }


def result_as_dict(result: LookupResult) -> dict[str, object]:
    """A look-up result in the documented ``--json`` shape."""
    area = result.postal_area
    return {
        "postal_code": result.postal_code.code if result.postal_code else None,
        "fsa": result.postal_code.fsa if result.postal_code else None,
        "place": area.place if area else None,
        "exact": result.exact,
        "matches": [
            {"exact": match.exact, "source": match.source, **riding_as_dict(match.riding)}
            for match in result.matches
        ],
        "warnings": list(result.warnings),
    }
