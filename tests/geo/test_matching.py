"""One set of riding rules: what a look-up found, and one line to show a riding."""

from __future__ import annotations

import pytest

from mpwrite.errors import AmbiguousRidingError
from mpwrite.geo.lookup import SOURCE_FSA, SOURCE_RIDING, LookupResult, Match, Resolver
from mpwrite.geo.matching import (
    MOST_TO_PICK,
    classify,
    describe,
    review_label,
    ridings_to_pick,
)
from mpwrite.geo.mpdata import load_active
from mpwrite.geo.ridings import MP, Riding
from mpwrite.i18n import use_language

NAQVI = MP("Yasir", "Naqvi", "", "Liberal", "yasir.naqvi@parl.gc.ca", "")
OTTAWA_CENTRE = Riding("35075", "Ottawa Centre", "Ottawa-Centre", "ON", (), NAQVI)
NUNAVUT = Riding("62001", "Nunavut", "Nunavut", "NU", (), MP("Lori", "Idlout", "", "NDP", "", ""))
EMPTY = Riding("35999", "Somewhere North", "Quelque part au Nord", "ON", (), None)


def result(*matches: tuple[Riding, bool]) -> LookupResult:
    return LookupResult(
        tuple(
            Match(riding, SOURCE_RIDING if exact else SOURCE_FSA, exact)
            for riding, exact in matches
        )
    )


def test_one_certain_riding_is_exact_and_accepted() -> None:
    found = classify(result((OTTAWA_CENTRE, True)))
    assert (found.certainty, found.exact, found.accepted, found.vacant) == (
        "exact",
        True,
        True,
        False,
    )
    assert found.riding == OTTAWA_CENTRE


def test_a_likely_riding_is_accepted_only_when_the_caller_says_so() -> None:
    asked = classify(result((OTTAWA_CENTRE, False)))
    assert (asked.certainty, asked.likely, asked.accepted) == ("likely", True, False)
    taken = classify(result((OTTAWA_CENTRE, False)), accept_likely=True)
    assert (taken.likely, taken.accepted, taken.riding) == (True, True, OTTAWA_CENTRE)


@pytest.mark.parametrize("accept_likely", [False, True])
@pytest.mark.parametrize("exact", [False, True])
def test_several_ridings_are_ambiguous_and_never_accepted(accept_likely: bool, exact: bool) -> None:
    found = classify(result((OTTAWA_CENTRE, exact), (EMPTY, exact)), accept_likely=accept_likely)
    assert (found.certainty, found.ambiguous, found.accepted, found.vacant) == (
        "ambiguous",
        True,
        False,
        False,
    )
    assert found.ridings == (OTTAWA_CENTRE, EMPTY)


def test_a_vacant_seat_is_known_once_its_riding_is_accepted() -> None:
    assert classify(result((EMPTY, True))).vacant
    assert not classify(result((EMPTY, False))).vacant
    assert classify(result((EMPTY, False)), accept_likely=True).vacant


def test_a_riding_in_the_supporters_language() -> None:
    assert describe(OTTAWA_CENTRE) == "Ottawa Centre (ON): Yasir Naqvi"
    assert describe(EMPTY, "en") == "Somewhere North (ON): vacant seat"
    use_language("fr")
    assert describe(OTTAWA_CENTRE, "fr") == "Ottawa-Centre (ON): Yasir Naqvi"
    assert describe(EMPTY, "fr") == "Quelque part au Nord (ON): siège vacant"


def test_a_riding_on_a_screen_for_both_languages() -> None:
    assert describe(OTTAWA_CENTRE, lang=None) == (
        "Ottawa Centre / Ottawa-Centre (ON) — MP / député·e : Yasir Naqvi (Liberal)"
    )
    assert describe(NUNAVUT, lang=None) == "Nunavut (NU) — MP / député·e : Lori Idlout (NDP)"
    assert describe(EMPTY, lang=None) == (
        "Somewhere North / Quelque part au Nord (ON) — MP / député·e : vacant / vacant"
    )
    use_language("fr")
    assert describe(OTTAWA_CENTRE, lang=None) == (
        "Ottawa Centre / Ottawa-Centre (ON) — député·e\u00a0: Yasir Naqvi (Liberal)"
    )
    assert describe(EMPTY, lang=None) == (
        "Somewhere North / Quelque part au Nord (ON) — député·e\u00a0: vacant"
    )


def test_a_riding_in_needs_review_is_in_english_whatever_the_language() -> None:
    use_language("fr")
    assert review_label(OTTAWA_CENTRE) == "35075 Ottawa Centre (Yasir Naqvi)"
    assert review_label(EMPTY) == "35999 Somewhere North (vacant)"


def test_an_ambiguous_name_lists_a_few_ridings_to_pick_from() -> None:
    data, _origin = load_active()
    resolver = Resolver(data)
    codes = tuple(riding.code for riding in list(data)[: MOST_TO_PICK + 1])
    listed = ridings_to_pick(resolver, AmbiguousRidingError("", codes[:3]))
    assert [riding.code for riding in listed] == list(codes[:3])
    assert ridings_to_pick(resolver, AmbiguousRidingError("", codes[:MOST_TO_PICK])) != ()
    assert ridings_to_pick(resolver, AmbiguousRidingError("", codes)) == ()
    assert ridings_to_pick(resolver, AmbiguousRidingError("", codes[:1])) == ()
