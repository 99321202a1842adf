"""Riding data: the 343 federal ridings, their MPs, provinces and postal areas.

Loaded from the bundled CSV files (built by ``scripts/build_data.py``). The
loader is cached: a process reads the files once.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from mpwrite.errors import AmbiguousRidingError, DataError, UnknownRidingError
from mpwrite.folding import normalise_name
from mpwrite.geo.offices import Office
from mpwrite.i18n import _
from mpwrite.resources import read_data_text

RIDINGS_COLUMNS = (
    "code",
    "name_en",
    "name_fr",
    "province",
    "aliases",
    "mp_first_name",
    "mp_last_name",
    "mp_honorific",
    "mp_party",
    "mp_email",
    "mp_phone",
    "vacant",
)
FSA_COLUMNS = ("fsa", "province", "place", "kind", "likely_riding")
PROVINCE_COLUMNS = ("code", "sgc", "name_en", "name_fr", "abbr_en", "abbr_fr")

#: Honorifics of privy councillors: "Right Hon." is the Prime Minister's (and
#: a few others'), "Hon." every other member of the Privy Council.
PRIVY_COUNCILLOR_HONORIFICS = ("Hon.", "Right Hon.")


@dataclass(frozen=True, slots=True)
class MP:
    """A sitting Member of Parliament."""

    first_name: str
    last_name: str
    honorific: str
    party: str
    email: str
    phone: str
    #: Offices on file (from ``mpwrite data update``); the bundled data has none.
    offices: tuple[Office, ...] = ()

    @property
    def full_name(self) -> str:
        """First and last name as the House spells them."""
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def privy_councillor(self) -> bool:
        """Whether the MP is a member of the Privy Council ("P.C." after the name)."""
        return self.honorific in PRIVY_COUNCILLOR_HONORIFICS

    def style(self, lang: str) -> str:
        """The formal style before the name in an address ("The Honourable"), or ""."""
        styles = {
            "Hon.": {"en": "The Honourable", "fr": "L’honorable"},
            "Right Hon.": {"en": "The Right Honourable", "fr": "Le très honorable"},
        }
        return styles.get(self.honorific, {}).get(lang, "")

    @property
    def display_name(self) -> str:
        """The name with its honorific, for listings."""
        return f"{self.honorific} {self.full_name}" if self.honorific else self.full_name


@dataclass(frozen=True, slots=True)
class Province:
    """A province or territory."""

    code: str
    sgc: str
    name_en: str
    name_fr: str
    abbr_en: str
    abbr_fr: str

    def name(self, lang: str) -> str:
        """The name in ``en`` or ``fr``."""
        return self.name_fr if lang == "fr" else self.name_en


@dataclass(frozen=True, slots=True)
class Riding:
    """A federal electoral district of the 2023 Representation Order."""

    code: str
    name_en: str
    name_fr: str
    province: str
    aliases: tuple[str, ...]
    mp: MP | None

    @property
    def vacant(self) -> bool:
        """Whether the seat has no MP."""
        return self.mp is None

    def name(self, lang: str) -> str:
        """The riding's name in ``en`` or ``fr``."""
        return self.name_fr if lang == "fr" else self.name_en


@dataclass(frozen=True, slots=True)
class PostalArea:
    """A Forward Sortation Area (first three characters of a postal code) in use."""

    fsa: str
    province: str
    place: str
    kind: str
    likely_riding: str | None


@dataclass(slots=True)
class RidingData:
    """Ridings, MPs, provinces and postal areas, with look-ups by code and name."""

    ridings: dict[str, Riding]
    postal_areas: dict[str, PostalArea]
    provinces: dict[str, Province]
    metadata: dict[str, Any]
    _names: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _words: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)

    def _name_index(self) -> dict[str, list[str]]:
        # Built on the first name look-up, not at load: most commands (a postal
        # code look-up) never need it, and start-up time counts.
        if not self._names:
            for riding in self.ridings.values():
                for name in (riding.name_en, riding.name_fr, *riding.aliases):
                    codes = self._names.setdefault(normalise_name(name), [])
                    if riding.code not in codes:
                        codes.append(riding.code)
        return self._names

    def __iter__(self) -> Iterator[Riding]:
        return iter(self.ridings.values())

    def __len__(self) -> int:
        return len(self.ridings)

    def get(self, code: str) -> Riding:
        """The riding with this FED code, or UnknownRidingError."""
        try:
            return self.ridings[code]
        except KeyError:
            raise UnknownRidingError(
                _("no riding has the code {code}; list them with: mpwrite ridings").format(
                    code=code
                )
            ) from None

    def find(self, text: str) -> Riding:
        """The one riding a name or FED code means, forgiving case, accents and dashes."""
        query = text.strip()
        if query.isdigit():
            return self.get(query)
        key = normalise_name(query)
        if not key:
            raise UnknownRidingError(_("no riding name given; give a name or a 5-digit code"))
        exact = self._name_index().get(key, [])
        if len(exact) == 1:
            return self.ridings[exact[0]]
        candidates = exact or [riding.code for riding in self.search(query)]
        if len(candidates) == 1:
            return self.ridings[candidates[0]]
        if not candidates:
            close = self.close_names(query)
            word = query.split()[0] if query.split() else query
            if close:
                message = _(
                    "no riding matches {query!r}; did you mean {names}? "
                    'Or find yours with: mpwrite ridings --search "{word}"'
                ).format(
                    query=query, names=_(" or ").join(name for _code, name in close), word=word
                )
            else:
                message = _(
                    "no riding matches {query!r}; "
                    'find yours with: mpwrite ridings --search "{word}"'
                ).format(query=query, word=word)
            raise UnknownRidingError(message, suggestions=tuple(code for code, _name in close))
        shown = "; ".join(
            f"{self.ridings[code].name_en} ({code})" for code in sorted(candidates)[:5]
        )
        more = f" and {len(candidates) - 5} more" if len(candidates) > 5 else ""
        raise AmbiguousRidingError(
            _("{query!r} matches {count} ridings: {names}; give the full name or the code").format(
                query=query, count=len(candidates), names=f"{shown}{more}"
            ),
            candidates=tuple(sorted(candidates)),
        )

    def close_names(self, text: str, limit: int = 3) -> list[tuple[str, str]]:
        """(code, name) of the ridings whose name is closest to a mistyped ``text``.

        Compared without case, accents or dashes, so "Otawa Centre", "otawa-centre"
        and "Otawa—Centre" all suggest Ottawa Centre; a French name suggests the
        French name.
        """
        import difflib

        key = normalise_name(text)
        shown: dict[str, tuple[str, str]] = {}
        for riding in self.ridings.values():
            for name in (riding.name_en, riding.name_fr, *riding.aliases):
                shown.setdefault(normalise_name(name), (riding.code, name))
        found: list[tuple[str, str]] = []
        for close in difflib.get_close_matches(key, shown, n=limit * 2, cutoff=0.8):
            code, name = shown[close]
            if all(code != seen for seen, _name in found):
                found.append((code, name))
        if found:
            return found[:limit]
        # A typo in a word of a long name ("Vile-Marie" for "Ville-Marie—Le Sud-Ouest—…"):
        # correct each word against the words of all names, then search.
        vocabulary = {word for riding in self for word in self._riding_words(riding)}
        corrected = []
        for word in key.split():
            if any(known.startswith(word) for known in vocabulary):
                corrected.append(word)
                continue
            close_words = difflib.get_close_matches(word, vocabulary, n=1, cutoff=0.8)
            if not close_words:
                return []
            corrected.append(close_words[0])
        matches = self.search(" ".join(corrected))
        if len(matches) > limit:
            return []
        lang = "fr" if any(key == normalise_name(r.name_fr) for r in matches) else "en"
        return [(riding.code, riding.name(lang)) for riding in matches]

    def search(self, text: str = "", province: str | None = None) -> list[Riding]:
        """Ridings whose names contain every word of ``text``, in one province if given."""
        words = normalise_name(text).split()
        wanted_province = province.upper() if province else None
        found = []
        for riding in self.ridings.values():
            if wanted_province and riding.province != wanted_province:
                continue
            riding_words = self._riding_words(riding)
            if all(any(part.startswith(w) for part in riding_words) for w in words):
                found.append(riding)
        return found

    def _riding_words(self, riding: Riding) -> tuple[str, ...]:
        # The words of all a riding's names, normalised once per loaded data.
        found = self._words.get(riding.code)
        if found is None:
            names = (riding.name_en, riding.name_fr, *riding.aliases)
            found = self._words[riding.code] = tuple(
                {part: None for name in names for part in normalise_name(name).split()}
            )
        return found


def _rows(text: str, expected: tuple[str, ...], name: str) -> Iterable[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != expected:
        raise DataError(
            f"{name} has columns {reader.fieldnames}, expected {list(expected)}; "
            f"rebuild it with scripts/build_data.py"
        )
    return reader


def parse_ridings(text: str, name: str = "ridings.csv") -> dict[str, Riding]:
    """Ridings keyed by code, from the text of a ridings.csv file."""
    ridings: dict[str, Riding] = {}
    for row in _rows(text, RIDINGS_COLUMNS, name):
        vacant = row["vacant"] == "yes"
        mp = None
        if not vacant:
            mp = MP(
                first_name=row["mp_first_name"],
                last_name=row["mp_last_name"],
                honorific=row["mp_honorific"],
                party=row["mp_party"],
                email=row["mp_email"],
                phone=row["mp_phone"],
            )
        aliases = tuple(a for a in row["aliases"].split("|") if a)
        ridings[row["code"]] = Riding(
            code=row["code"],
            name_en=row["name_en"],
            name_fr=row["name_fr"],
            province=row["province"],
            aliases=aliases,
            mp=mp,
        )
    return ridings


def parse_postal_areas(text: str, name: str = "fsa.csv") -> dict[str, PostalArea]:
    """Postal areas keyed by FSA, from the text of an fsa.csv file."""
    # A plain reader over positional columns: this runs on every start-up and is
    # twice as fast as DictReader for the ~1,700 rows.
    reader = csv.reader(io.StringIO(text))
    header = tuple(next(reader, ()))
    if header != FSA_COLUMNS:
        raise DataError(
            f"{name} has columns {list(header)}, expected {list(FSA_COLUMNS)}; "
            f"rebuild it with scripts/build_data.py"
        )
    areas = {}
    for fsa, province, place, kind, likely_riding in reader:
        areas[fsa] = PostalArea(fsa, province, place, kind, likely_riding or None)
    return areas


def parse_provinces(text: str, name: str = "provinces.csv") -> dict[str, Province]:
    """Provinces keyed by two-letter code, from the text of a provinces.csv file."""
    return {
        row["code"]: Province(**{column: row[column] for column in PROVINCE_COLUMNS})
        for row in _rows(text, PROVINCE_COLUMNS, name)
    }


@cache
def load_bundled() -> RidingData:
    """The riding data shipped with mpwrite."""
    try:
        metadata = json.loads(read_data_text("metadata.json"))
    except json.JSONDecodeError as error:
        raise DataError(f"bundled metadata.json is damaged ({error}); reinstall mpwrite") from None
    return RidingData(
        ridings=parse_ridings(read_data_text("ridings.csv")),
        postal_areas=parse_postal_areas(read_data_text("fsa.csv")),
        provinces=parse_provinces(read_data_text("provinces.csv")),
        metadata=metadata,
    )
