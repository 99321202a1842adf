"""Postal-code parsing: what people type becomes A1A 1A1, or a clear error."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mpwrite.errors import MalformedPostalCodeError, MpwriteError
from mpwrite.geo.postal import (
    NEVER_FIRST_LETTERS,
    NEVER_USED_LETTERS,
    parse_postal_code,
)

LETTERS = [c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if c not in NEVER_USED_LETTERS]
FIRST_LETTERS = [c for c in LETTERS if c not in NEVER_FIRST_LETTERS]
DIGITS = list("0123456789")


@st.composite
def valid_codes(draw: st.DrawFn) -> str:
    chars = [
        draw(st.sampled_from(FIRST_LETTERS)),
        draw(st.sampled_from(DIGITS)),
        draw(st.sampled_from(LETTERS)),
        draw(st.sampled_from(DIGITS)),
        draw(st.sampled_from(LETTERS)),
        draw(st.sampled_from(DIGITS)),
    ]
    return "".join(chars[:3]) + " " + "".join(chars[3:])


@st.composite
def typed_forms(draw: st.DrawFn, code: str) -> str:
    """The same code as a person might type it."""
    compact = code.replace(" ", "")
    chars = []
    for position, char in enumerate(compact):
        if char == "0" and position % 2 == 1 and draw(st.booleans()):
            char = "O"
        if draw(st.booleans()):
            char = char.lower()
        chars.append(char)
    separator = draw(st.sampled_from(["", " ", "  ", "-", " - "]))
    typed = "".join(chars[:3]) + separator + "".join(chars[3:])
    before = draw(st.sampled_from(["", " ", "Postal code: ", "\t"]))
    after = draw(st.sampled_from(["", " ", ", Canada", ".", "\n"]))
    return before + typed + after


@given(valid_codes())
def test_canonical_code_parses_to_itself(code: str) -> None:
    assert parse_postal_code(code).code == code


@given(st.data(), valid_codes())
def test_every_typed_form_parses_to_the_same_code(data: st.DataObject, code: str) -> None:
    typed = data.draw(typed_forms(code))
    assert parse_postal_code(typed).code == code


@given(st.text(max_size=40))
def test_normalisation_is_idempotent(text: str) -> None:
    try:
        once = parse_postal_code(text).code
    except MalformedPostalCodeError:
        return
    assert parse_postal_code(once).code == once


@given(st.text(max_size=40))
def test_only_the_projects_own_error_is_raised(text: str) -> None:
    try:
        parse_postal_code(text)
    except MpwriteError as error:
        assert isinstance(error, MalformedPostalCodeError)
        assert "\n" not in str(error)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("K1A 0A6", "K1A 0A6"),
        ("k1a0a6", "K1A 0A6"),
        ("  K1A   0A6 ", "K1A 0A6"),
        ("K1A-0A6", "K1A 0A6"),
        ("K1A 0A6, Canada", "K1A 0A6"),
        ("k1a oa6", "K1A 0A6"),
        ("Ottawa ON K1A 0A6", "K1A 0A6"),
    ],
)
def test_typed_forms(typed: str, expected: str) -> None:
    assert parse_postal_code(typed).code == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("Z1A 0A6", "no Canadian postal code starts with Z"),
        ("W1A 0A6", "no Canadian postal code starts with W"),
        ("K1D 0A6", "never use the letter D"),
        ("K1A 0U6", "never use the letter U"),
        ("K1A", "only the first half of a postal code"),
        ("", "no postal code given"),
        ("hello", "look like A1A 1A1"),
        ("KKA 0A6", "character 2 should be a digit"),
        ("11A 0A6", "character 1 should be a letter"),
        ("K1A 0A6 and M5V 2T6", "found several postal codes"),
    ],
)
def test_rejections_name_the_problem(typed: str, message: str) -> None:
    with pytest.raises(MalformedPostalCodeError, match=message):
        parse_postal_code(typed)


def test_fsa_and_compact_forms() -> None:
    code = parse_postal_code("x1a 0h0")
    assert code.fsa == "X1A"
    assert code.compact == "X1A0H0"
    assert code.provinces == ("NT", "NU")


ASCII_CODE = re.compile(r"[A-Z][0-9][A-Z] [0-9][A-Z][0-9]")
# Digits that are not ASCII but that Python's \d and str.isdigit accept.
FOREIGN_DIGITS = "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹०१२३४५६७८९"


@pytest.mark.parametrize(
    "typed",
    [
        "K1A ٠A6",  # Arabic-Indic zero
        "K١A 0A6",
        "K1A ۰A6",  # extended Arabic-Indic zero
        "K1A ०A6",  # Devanagari zero
        "k1a ٠a٦",
    ],
)
def test_non_ascii_digits_are_refused(typed: str) -> None:
    with pytest.raises(MalformedPostalCodeError):
        parse_postal_code(typed)


@pytest.mark.parametrize("typed", ["Ｋ１Ａ ０Ａ６", "K1A ０A6", "ｋ１ａ　０ａ６", "Ｋ１Ａ０Ａ６"])
def test_full_width_forms_become_ascii(typed: str) -> None:
    assert parse_postal_code(typed).code == "K1A 0A6"


@given(valid_codes(), st.lists(st.integers(0, 5), min_size=1, max_size=3), st.data())
def test_a_foreign_digit_anywhere_is_never_accepted(
    code: str, positions: list[int], data: st.DataObject
) -> None:
    chars = list(code.replace(" ", ""))
    for position in positions:
        chars[position] = data.draw(st.sampled_from(FOREIGN_DIGITS))
    typed = "".join(chars[:3]) + " " + "".join(chars[3:])
    try:
        parsed = parse_postal_code(typed)
    except MalformedPostalCodeError:
        return
    raise AssertionError(f"{typed!r} parsed as {parsed.code!r}")


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=20))
def test_whatever_is_typed_a_parsed_code_is_ascii(typed: str) -> None:
    try:
        parsed = parse_postal_code(typed)
    except MalformedPostalCodeError:
        return
    assert ASCII_CODE.fullmatch(parsed.code), parsed.code
