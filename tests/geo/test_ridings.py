"""Riding data: loading, forgiving name matching, provenance."""

from __future__ import annotations

import datetime as dt

import pytest

from mpwrite.errors import AmbiguousRidingError, DataError, UnknownRidingError
from mpwrite.folding import normalise_name
from mpwrite.geo.lookup import Resolver
from mpwrite.geo.provenance import describe_data
from mpwrite.geo.ridings import load_bundled, parse_ridings


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Ottawa Centre", "35079"),
        ("ottawa-centre", "35079"),
        ("35079", "35079"),
        ("Ville-Marie—Le Sud-Ouest—Île-des-Sœurs", "24077"),
        ("ville marie le sud ouest ile des soeurs", "24077"),
        ("Ville-Marie–Le Sud-Ouest–Île-des-Soeurs", "24077"),
        ("St. John’s East", "10006"),
        ("st. john's east", "10006"),
        ("Saint-Hyacinthe - Bagot - Acton", "24066"),
        ("Cape Spear—Mount Pearl—Paradise", "10002"),
    ],
)
def test_riding_names_match_forgivingly(typed: str, code: str) -> None:
    assert load_bundled().find(typed).code == code


def test_normalise_name_folds_dashes_apostrophes_and_ligatures() -> None:
    assert normalise_name("Île-des-Sœurs") == normalise_name("ile des soeurs")
    assert normalise_name("St. John’s") == normalise_name("st johns")
    assert normalise_name("A—B–C-D") == "a b c d"


def test_unknown_and_ambiguous_ridings_are_told_apart() -> None:
    data = load_bundled()
    with pytest.raises(UnknownRidingError, match="mpwrite ridings --search"):
        data.find("Atlantis")
    with pytest.raises(AmbiguousRidingError, match="give the full name or the code"):
        data.find("Toronto")


def test_search_by_word_prefixes_within_a_province() -> None:
    found = load_bundled().search("ottawa", "ON")
    assert {riding.code for riding in found} >= {"35079"}
    assert all(riding.province == "ON" for riding in found)


def test_every_fsa_answer_is_likely_outside_one_riding_territories() -> None:
    data = load_bundled()
    resolver = Resolver(data)
    single = {"YT", "NT", "NU"}
    for area in data.postal_areas.values():
        if not area.likely_riding or area.province in single:
            continue
        result = resolver.by_postal_code(f"{area.fsa} 1A1")
        assert result.exact is False
        assert result.best.source == "fsa"


def test_damaged_ridings_file_is_a_data_error() -> None:
    with pytest.raises(DataError, match=r"rebuild it with scripts/build_data\.py"):
        parse_ridings("code,name\n1,x\n")


def test_stale_mp_data_is_flagged() -> None:
    data = load_bundled()
    as_of = dt.date.fromisoformat(data.metadata["mp_data_as_of"])
    fresh = describe_data(data, today=as_of + dt.timedelta(days=30))
    old = describe_data(data, today=as_of + dt.timedelta(days=200))
    assert (fresh.stale, old.stale) == (False, True)
    assert old.age_days == 200


@pytest.mark.parametrize(
    "query", ["ottawa", "sud", "saint jean", "north van", "côte", "l'île", "zz", "", "nord ouest"]
)
def test_search_finds_what_matching_every_name_afresh_finds(query: str) -> None:
    data = load_bundled()
    words = normalise_name(query).split()
    expected = [
        riding
        for riding in data
        if all(
            any(
                part.startswith(word)
                for name in (riding.name_en, riding.name_fr, *riding.aliases)
                for part in normalise_name(name).split()
            )
            for word in words
        )
    ]
    assert data.search(query) == expected
    assert data.search(query) == expected  # and again, from the words kept
