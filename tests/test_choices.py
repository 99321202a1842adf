"""Choices are read the way people type them: --lang FR, --format PDF, --province québec."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from mpwrite.choices import (
    FORMATS,
    LANGUAGE_NAMES,
    language_code,
    parse_format,
    parse_language,
    parse_province,
)
from mpwrite.cli.root import app
from mpwrite.errors import UsageError
from mpwrite.geo.ridings import load_bundled

runner = CliRunner()
BATCH = {"MPWRITE_INTERACTIVE": "0"}
PROVINCES = load_bundled().provinces
LANGUAGE_SPELLINGS = {
    "en": ["en", "EN", "English", "english", "ENGLISH", "anglais", "Anglais", " en "],
    "fr": ["fr", "FR", "Fr", "français", "Français", "FRANÇAIS", "francais", "French"],
}


def _any_case(word: str) -> st.SearchStrategy[str]:
    return st.tuples(*(st.sampled_from((c.lower(), c.upper())) for c in word)).map("".join)


@pytest.mark.parametrize(
    ("text", "code"), [(t, c) for c, texts in LANGUAGE_SPELLINGS.items() for t in texts]
)
def test_languages_by_code_or_name_in_either_language(text: str, code: str) -> None:
    assert parse_language(text) == code


@given(st.sampled_from(sorted(LANGUAGE_NAMES)).flatmap(_any_case))
def test_every_language_name_in_any_case(text: str) -> None:
    assert parse_language(text) == LANGUAGE_NAMES[text.lower()]


@given(st.sampled_from(FORMATS).flatmap(_any_case), st.sampled_from(("", " ", "\t")))
def test_every_format_in_any_case(text: str, space: str) -> None:
    assert parse_format(space + text + space) == text.lower()


@given(st.text(max_size=12))
def test_anything_else_is_a_usage_error_listing_the_choices(text: str) -> None:
    try:
        language = parse_language(text)
    except UsageError as error:
        assert "use en (English) or fr (French)" in str(error)
    else:
        assert language in ("en", "fr")
    try:
        fmt = parse_format(text)
    except UsageError as error:
        assert "txt, md, html, eml, pdf" in str(error)
    else:
        assert fmt in FORMATS
    try:
        province = parse_province(text, PROVINCES)
    except UsageError as error:
        assert "QC" in str(error) and "\n" not in str(error)
    else:
        assert province in PROVINCES


@given(
    st.sampled_from(sorted(PROVINCES)).flatmap(
        lambda code: st.tuples(
            st.just(code),
            st.sampled_from(
                [
                    name
                    for name in (
                        code,
                        PROVINCES[code].name_en,
                        PROVINCES[code].name_fr,
                        PROVINCES[code].abbr_en,
                        PROVINCES[code].abbr_fr,
                    )
                    # "Nt" (Nunavut in French) is the code NT: codes win.
                    if name == code or name.upper() not in PROVINCES
                ]
            ).flatmap(_any_case),
        )
    )
)
def test_every_province_by_code_name_or_abbreviation_in_any_case(pair: tuple[str, str]) -> None:
    code, text = pair
    assert parse_province(text, PROVINCES) == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Ontario", "ON"),
        ("québec", "QC"),
        ("quebec", "QC"),
        ("qc", "QC"),
        ("Colombie-Britannique", "BC"),
        ("colombie britannique", "BC"),
        ("PEI", "PE"),
        ("Île-du-Prince-Édouard", "PE"),
        ("nt", "NT"),
        ("Nvt.", "NU"),
    ],
)
def test_provinces_forgive_case_accents_and_dashes(text: str, code: str) -> None:
    assert parse_province(text, PROVINCES) == code


def test_draft_takes_lang_and_format_in_any_case() -> None:
    result = runner.invoke(
        app,
        ["draft", "--riding", "35080", "--name", "Alex", "--lang", "FR", "--format", "MD"],
        env=BATCH,
    )
    assert result.exit_code == 0, result.stderr
    assert "Pour l’envoyer" in result.stderr
    french = runner.invoke(
        app, ["draft", "--riding", "35080", "--name", "Alex", "--lang", "français"], env=BATCH
    )
    assert french.exit_code == 0, french.stderr
    assert "Pour l’envoyer" in french.stderr


def test_draft_pdf_in_capitals(tmp_path: Path) -> None:
    out = tmp_path / "letter.pdf"
    result = runner.invoke(
        app,
        [
            "draft",
            "--riding",
            "35080",
            "--name",
            "Alex",
            "--lang",
            "English",
            "-f",
            "PDF",
            "-o",
            str(out),
        ],
        env=BATCH,
    )
    assert result.exit_code == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    "args",
    [
        ["draft", "--riding", "35080", "--name", "Alex", "--lang", "klingon"],
        ["event", "--lang", "klingon"],
        ["demands", "--lang", "klingon"],
        ["bulk", "x.csv", "--dry-run", "--lang", "klingon"],
    ],
)
def test_an_unknown_language_is_a_usage_error_naming_the_choices(args: list[str]) -> None:
    result = runner.invoke(app, args, env=BATCH)
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: unknown language 'klingon' for --lang; use en (English) or fr (French)\n"
    )


@pytest.mark.parametrize(
    "args",
    [
        ["draft", "--riding", "35080", "--name", "Alex", "--format", "docx"],
        ["bulk", "x.csv", "--dry-run", "--format", "docx"],
    ],
)
def test_an_unknown_format_is_a_usage_error_naming_the_choices(args: list[str]) -> None:
    result = runner.invoke(app, args, env=BATCH)
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: unknown format 'docx' for --format; use one of txt, md, html, eml, pdf\n"
    )


def test_demands_in_french_spelt_out() -> None:
    result = runner.invoke(app, ["demands", "--lang", "Français", "--json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["lang"] == "fr"


@pytest.mark.parametrize("province", ["Ontario", "ontario", "ON", "on", "Ont."])
def test_ridings_province_by_name(province: str) -> None:
    result = runner.invoke(app, ["ridings", "--province", province, "--json"])
    assert result.exit_code == 0, result.stderr
    assert {riding["riding"]["province"] for riding in json.loads(result.stdout)} == {"ON"}


@pytest.mark.parametrize("province", ["québec", "Quebec", "qc", "QC"])
def test_ridings_province_quebec_with_or_without_accent(province: str) -> None:
    result = runner.invoke(app, ["ridings", "--province", province, "--search", "soeurs"])
    assert result.exit_code == 0, result.stderr
    assert "Ville-Marie" in result.stdout


def test_bulk_takes_lang_and_format_in_any_case(tmp_path: Path) -> None:
    source = tmp_path / "s.csv"
    source.write_text("name,riding\nAlex Martin,35080\n", encoding="utf-8")
    result = runner.invoke(
        app, ["bulk", str(source), "--dry-run", "--lang", "French", "--format", "HTML", "--json"]
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["statuses"]["ready"] == 1


def test_a_pasted_paragraph_is_shortened_in_the_error() -> None:
    with pytest.raises(UsageError) as raised:
        parse_language("x" * 500 + "\nsecond line")
    assert len(str(raised.value)) < 120
    assert "\n" not in str(raised.value)


def test_interactive_draft_takes_the_language_spelt_out() -> None:
    answers = ["Ottawa Centre", "Alex", "", "", "", "", "klingon", "Français", *[""] * 8]
    result = runner.invoke(
        app, ["draft"], input="\n".join(answers) + "\n", env={"MPWRITE_INTERACTIVE": "1"}
    )
    assert result.exit_code == 0, result.stderr
    assert "en (English) / fr (français)" in result.stderr  # "klingon" asked again
    assert "Circonscription\u00a0: Ottawa-Centre" in result.stdout


@given(st.sampled_from(sorted(LANGUAGE_NAMES)).flatmap(_any_case) | st.text(max_size=8))
def test_one_language_rule_for_options_spreadsheets_and_the_event_table(text: str) -> None:
    # --lang, a CSV's language column and the event's question accept the same words.
    from mpwrite.bulk.supporters import language_of
    from mpwrite.event import session

    code = language_code(text)
    assert language_of(text, "default") == (code if text else "default")
    assert session.language_code is language_code
    if text.lower() in LANGUAGE_NAMES:
        assert code == LANGUAGE_NAMES[text.lower()]
