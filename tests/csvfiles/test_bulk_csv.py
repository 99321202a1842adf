"""Reading supporters' CSV as people really have it (issue 4, input quirks)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mpwrite.csvfiles.reader import InputRow, SupportersReader, header_key, match_columns
from mpwrite.errors import InputEncodingError, MissingColumnsError


def read(data: bytes, tmp_path: Path, encoding: str | None = None) -> tuple[SupportersReader, list]:
    path = tmp_path / "in.csv"
    path.write_bytes(data)
    reader = SupportersReader(path, encoding)
    rows = list(reader)
    reader.close()
    return reader, rows


def test_utf8_with_excel_bom_keeps_the_first_header_clean(tmp_path: Path) -> None:
    reader, rows = read("\ufeffName,Postal code\nAmélie,K1P 5G4\n".encode(), tmp_path)
    assert reader.info.encoding == "utf-8-sig"
    assert reader.columns.header[0] == "Name"
    assert reader.columns.get(rows[0].cells, "name") == "Amélie"


def test_cp1252_is_detected_even_when_the_first_accent_is_far_down(tmp_path: Path) -> None:
    lines = ["Name,Postal code"] + [f"Person {n},K1P 5G4" for n in range(40000)]
    lines.append("Hélène,K1P 5G4")
    reader, rows = read(("\r\n".join(lines) + "\r\n").encode("cp1252"), tmp_path)
    assert reader.info.encoding == "cp1252"
    assert reader.columns.get(rows[-1].cells, "name") == "Hélène"


def test_a_line_neither_utf8_nor_cp1252_is_an_invalid_row_and_reading_goes_on(
    tmp_path: Path,
) -> None:
    _, rows = read(b"Name,Postal code\n\xe9\x81,K1P 5G4\nZed,K1P 5G4\n", tmp_path)
    assert "line 2 is neither UTF-8 nor Windows-1252" in rows[0].problem
    assert rows[1].cells == ["Zed", "K1P 5G4"] and not rows[1].problem


def test_stdin_bytes_far_down_decode_on_their_own_line_only() -> None:
    head = "Name,Postal code\nZoé,K1P 5G4\n" + "".join(f"A{n},K1P 5G4\n" for n in range(120000))
    data = head.encode() + b"H\xe9l\xe8ne,K1P 5G4\nZed,K1P 5G4\n"
    reader = SupportersReader(io.BytesIO(data))
    rows = list(reader)
    assert not any(row.problem for row in rows)
    assert rows[0].cells[0] == "Zoé" and rows[-2].cells[0] == "Hélène"
    assert reader.info.encoding == "utf-8-sig"
    assert "line 120003 of a UTF-8 file" in reader.fallback_warning()


def test_encoding_option_overrides_detection(tmp_path: Path) -> None:
    reader, rows = read("Name,Postal code\nÉric,K1P 5G4\n".encode("latin-1"), tmp_path, "latin-1")
    assert reader.columns.get(rows[0].cells, "name") == "Éric"
    with pytest.raises(InputEncodingError, match="unknown encoding"):
        read(b"Name,Postal code\n", tmp_path, "klingon")


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiter_is_sniffed(tmp_path: Path, delimiter: str) -> None:
    text = delimiter.join(["Name", "Postal code", "City"]) + "\n"
    text += delimiter.join(['"Doe, Jane"', "K1P 5G4", "Ottawa"]) + "\n"
    reader, rows = read(text.encode(), tmp_path)
    assert reader.info.delimiter == delimiter
    assert reader.columns.get(rows[0].cells, "name") == "Doe, Jane"
    assert reader.columns.get(rows[0].cells, "city") == "Ottawa"


def test_blank_lines_are_rows_with_spreadsheet_numbers(tmp_path: Path) -> None:
    _, rows = read(b"Name,Postal code\nA,K1P 5G4\n\n,\nB,K1P 5G4\n", tmp_path)
    assert [(row.number, row.blank) for row in rows] == [
        (2, False),
        (3, True),
        (4, True),
        (5, False),
    ]


def test_quoted_newlines_stay_in_one_row(tmp_path: Path) -> None:
    _, rows = read(
        b'Name,Postal code,Note\nA,K1P 5G4,"line one\r\nline two"\nB,K1P 5G4,\n', tmp_path
    )
    assert [row.number for row in rows] == [2, 3]
    assert rows[0].cells[2] == "line one\r\nline two"


def test_short_rows_are_padded_and_long_rows_with_data_are_flagged(tmp_path: Path) -> None:
    _, rows = read(b"Name,Postal code,City\nA,K1P 5G4\nB,K1P 5G4,Ottawa,,\nC,K1P,5G4,X\n", tmp_path)
    assert rows[0].cells == ["A", "K1P 5G4", ""] and not rows[0].problem
    assert rows[1].cells == ["B", "K1P 5G4", "Ottawa"] and not rows[1].problem
    assert "4 cells but the header has 3" in rows[2].problem


@pytest.mark.parametrize(
    ("headers", "field", "position"),
    [
        (["Nom complet", "Code postal"], "postal_code", 1),
        (["Prénom", "Nom", "CODE_POSTAL", "Courriel", "Langue", "Circonscription"], "last_name", 1),
        (["Prénom", "Nom", "CODE_POSTAL", "Courriel", "Langue", "Circonscription"], "riding", 5),
        (["Nom", "Code postal"], "name", 0),
        (["first_name", "LAST NAME", "postal_code", "E-mail", "Adresse", "Ville"], "email", 3),
        (["first_name", "LAST NAME", "postalcode", "E-mail", "Adresse", "Ville"], "city", 5),
        (["Full Name", " Postal  Code ", "Demande", "Note"], "demand", 2),
    ],
)
def test_headers_match_in_english_and_french(headers: list[str], field: str, position: int) -> None:
    assert match_columns(headers).position(field) == position


def test_missing_columns_error_lists_found_and_expected() -> None:
    with pytest.raises(MissingColumnsError) as caught:
        match_columns(["Email", "Town"])
    message = str(caught.value)
    assert "'Email', 'Town'" in message
    assert "name (or first name and last name)" in message and "postal code" in message


@given(st.text(max_size=30))
def test_header_key_ignores_case_accents_spaces_and_underscores(text: str) -> None:
    assert header_key(text.upper()) == header_key(text.lower().replace(" ", "_"))


@given(st.lists(st.text(alphabet=st.sampled_from("a \t\u00a0\u2028\u3000\x1f"), max_size=4)))
def test_a_row_is_blank_exactly_when_no_cell_holds_more_than_spaces(cells: list[str]) -> None:
    assert InputRow(2, cells).blank == (not any(cell.strip() for cell in cells))
