"""Hostile or damaged supporter CSVs: every line accounted for, no row's text in another's letter.

Broken rows (an unclosed quote, a cell too long), undecodable lines, a stray
Windows-1252 line in a UTF-8 file, and --encoding values that are not text
encodings.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from mpwrite.bulk.run import BulkOptions, BulkSummary, run_bulk
from mpwrite.cli.root import app
from mpwrite.csvfiles import lines as supporters_lines
from mpwrite.csvfiles.lines import checked_encoding
from mpwrite.csvfiles.reader import SupportersReader
from mpwrite.errors import InputEncodingError
from mpwrite.geo.lookup import Resolver
from mpwrite.geo.ridings import load_bundled

DATE = datetime.date(2026, 3, 2)
RESOLVER = Resolver(load_bundled())


def run(source: Path | io.BytesIO, out: Path, **changes: object) -> BulkSummary:
    values: dict[str, object] = {"out_dir": out, "date": DATE}
    values.update(changes)
    return run_bulk(source, BulkOptions(**values), resolver=RESOLVER)  # type: ignore[arg-type]


def csv_rows(path: Path) -> list[dict[str, str]]:
    # Strict UTF-8: a surrogate that reached a writer would not decode here.
    with path.open(encoding="utf-8-sig", errors="strict", newline="") as handle:
        return list(csv.DictReader(handle))


def letters(out: Path) -> dict[str, str]:
    return {
        path.name: path.read_text(encoding="utf-8") for path in sorted(out.glob("letters/*.txt"))
    }


UNCLOSED = (
    b"Name,Postal Code,Riding,Note\n"
    b'Bob,K1A 0A6,35079,"I care\n'
    b"Carol,K1A 0A6,35079,carol@x.org 555-1234\n"
    b"Dave,K1A 0A6,35079,\n"
)


def test_an_unclosed_quote_is_one_invalid_row_and_the_rows_after_it_get_their_own_letters(
    tmp_path: Path,
) -> None:
    source = tmp_path / "q.csv"
    source.write_bytes(UNCLOSED)
    summary = run(source, tmp_path / "out")
    report = csv_rows(tmp_path / "out" / "report.csv")
    assert [(row["row"], row["status"]) for row in report] == [
        ("2", "invalid"),
        ("3", "written"),
        ("4", "written"),
    ]
    assert report[0]["reason"].startswith("line 2: a quoted cell is not closed before line 3")
    assert summary.exit_code == 1
    written = letters(tmp_path / "out")
    assert sorted(name.split("-")[0] for name in written) == ["carol", "dave"]
    assert "I care" not in "".join(written.values())
    dave = next(text for name, text in written.items() if name.startswith("dave"))
    assert "carol" not in dave.lower() and "555-1234" not in dave
    review = csv_rows(tmp_path / "out" / "needs-review.csv")
    assert [row["Name"] for row in review] == ["Bob"]
    assert review[0]["Note"] == "I care"


@pytest.mark.parametrize(
    ("body", "lines"),
    [
        # The quote never closes and nothing after it looks like a row.
        (b'Bob,K1A 0A6,35079,"I care\nso much\n', "lines 3-4"),
        # It closes, but with text right after the closing quote.
        (b'Bob,K1A 0A6,35079,"I care\nabout "this" a lot\n', "lines 3-4"),
        # A quote left open on the last line.
        (b'Bob,K1A 0A6,35079,"I care', "line 3"),
    ],
)
def test_broken_quotes_make_an_invalid_row_that_names_its_lines(
    tmp_path: Path, body: bytes, lines: str
) -> None:
    source = tmp_path / "q.csv"
    source.write_bytes(b"Name,Postal Code,Riding,Note\nAnn,K1A 0A6,35079,\n" + body)
    run(source, tmp_path / "out")
    report = csv_rows(tmp_path / "out" / "report.csv")
    assert [row["status"] for row in report] == ["written", "invalid"]
    assert report[1]["reason"].startswith(f"{lines}: ")
    assert list(letters(tmp_path / "out")) == [next(iter(letters(tmp_path / "out")))]


def test_a_closed_quoted_note_over_several_lines_stays_one_row(tmp_path: Path) -> None:
    source = tmp_path / "q.csv"
    source.write_bytes(
        b"Name,Postal Code,Riding,Note\n"
        b'Bob,K1A 0A6,35079,"I care, deeply.\n\nPlease act, now."\n'
        b"Dave,K1A 0A6,35079,\n"
    )
    summary = run(source, tmp_path / "out")
    assert summary.statuses["written"] == 2 and summary.rows == 2
    bob = next(t for n, t in letters(tmp_path / "out").items() if n.startswith("bob"))
    assert "Please act, now." in bob


def test_a_cell_too_long_makes_only_its_row_invalid(tmp_path: Path) -> None:
    source = tmp_path / "long.csv"
    source.write_text(
        "Name,Postal Code,Riding,Note\n"
        f"Ann,K1A 0A6,35079,{'x' * 140_000}\n"
        f'Bob,K1A 0A6,35079,"{"y" * 140_000}\nstill the note"\n'
        "Dave,K1A 0A6,35079,\n",
        encoding="utf-8",
    )
    summary = run(source, tmp_path / "out")
    report = csv_rows(tmp_path / "out" / "report.csv")
    assert [row["status"] for row in report][:2] == ["invalid", "invalid"]
    assert "line 2: a cell is longer than 131,072 characters" in report[0]["reason"]
    assert report[-1]["status"] == "written" and summary.statuses["written"] == 1
    assert [name.split("-")[0] for name in letters(tmp_path / "out")] == ["dave"]


BAD_UTF8 = b"Name,Postal Code,Riding\nA B,K1A 0A6,35079\nC\xe9D,K1A 0A6,35079\nE F,K1A 0A6,35079\n"


@pytest.mark.parametrize("from_stdin", [True, False])
def test_a_line_not_in_the_given_encoding_is_an_invalid_row_and_the_reports_are_written(
    tmp_path: Path, from_stdin: bool
) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes(BAD_UTF8)
    source: Path | io.BytesIO = io.BytesIO(BAD_UTF8) if from_stdin else path
    run(source, tmp_path / "out", encoding="utf-8")
    report = csv_rows(tmp_path / "out" / "report.csv")
    assert [row["status"] for row in report] == ["written", "invalid", "written"]
    assert report[1]["reason"].startswith("line 3 is not valid UTF-8 text")
    review = csv_rows(tmp_path / "out" / "needs-review.csv")
    assert review[0]["Name"] == "C\ufffdD"


def test_a_line_neither_utf8_nor_cp1252_never_reaches_a_writer_as_surrogates(
    tmp_path: Path,
) -> None:
    source = io.BytesIO(b"Name,Postal Code,Riding\n\x81\x8d,K1A 0A6,35079\nE F,K1A 0A6,35079\n")
    run(source, tmp_path / "out")
    assert [row["status"] for row in csv_rows(tmp_path / "out" / "report.csv")] == [
        "invalid",
        "written",
    ]
    assert csv_rows(tmp_path / "out" / "needs-review.csv")[0]["Name"] == "\ufffd\ufffd"


def test_a_stray_cp1252_line_leaves_the_utf8_lines_and_their_file_names_alone(
    tmp_path: Path,
) -> None:
    good = "Name,Postal Code,Riding\nZoé Tremblay,K1A 0A6,35079\nHélène Côté,K1A 0A6,35079\n"
    stray = good.encode().replace("Hélène".encode(), "Hélène".encode("cp1252"))
    source = tmp_path / "in.csv"
    source.write_bytes(stray)
    first = run(source, tmp_path / "out")
    names = sorted(letters(tmp_path / "out"))
    assert any(name.startswith("zoe-tremblay-") for name in names)
    assert "Zoé Tremblay" in "".join(letters(tmp_path / "out").values())
    assert first.encoding == "utf-8-sig"
    assert [
        m for m in first.warnings if "line 3 of a UTF-8 file holds bytes that are not UTF-8" in m
    ]
    # The organizer re-saves the file as UTF-8: the same letters, found unchanged.
    source.write_text(good, encoding="utf-8")
    again = run(source, tmp_path / "out")
    assert again.statuses["unchanged"] == 2 and sorted(letters(tmp_path / "out")) == names
    assert not again.warnings


def test_a_whole_cp1252_file_is_reported_as_cp1252_without_a_warning(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_bytes("Name,Postal Code,Riding\nHélène,K1A 0A6,35079\n".encode("cp1252"))
    summary = run(source, tmp_path / "out")
    assert summary.encoding == "cp1252" and not summary.warnings
    assert "Hélène" in "".join(letters(tmp_path / "out").values())


runner = CliRunner()


@pytest.mark.parametrize(
    "encoding", ["rot13", "base64", "hex", "zlib", "idna", "punycode", "undefined", "utf-7"]
)
def test_encoding_must_be_a_text_encoding(tmp_path: Path, encoding: str) -> None:
    result = runner.invoke(
        app,
        ["bulk", "-", "--encoding", encoding, "--out", str(tmp_path / "out")],
        input=b"Name,Postal Code\nA B,K1A 0A6\n",
    )
    assert result.exit_code == 2
    assert "not a text encoding" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_checked_encoding_accepts_real_text_encodings() -> None:
    assert checked_encoding("UTF8") == "utf-8-sig"
    assert checked_encoding("latin_1") == "iso8859-1"
    assert checked_encoding("utf-16-le") == "utf-16-le"
    with pytest.raises(InputEncodingError, match="unknown encoding"):
        checked_encoding("klingon")


def test_utf16_without_a_bom_is_a_clear_error(tmp_path: Path) -> None:
    data = "Name,Postal Code\nA B,K1A 0A6\n".encode("utf-16-le")
    for extra in ([], ["--encoding", "utf-16"]):
        result = runner.invoke(
            app, ["bulk", "-", "--out", str(tmp_path / "out"), *extra], input=data
        )
        assert result.exit_code == 2 and "Traceback" not in result.output
        assert "utf-16-le" in result.output


def test_utf16_with_a_bom_is_read_without_being_asked(tmp_path: Path) -> None:
    data = "Name,Postal Code,Riding\nHélène,K1A 0A6,35079\n".encode("utf-16")
    summary = run(io.BytesIO(data), tmp_path / "out")
    assert summary.statuses["written"] == 1 and summary.encoding == "utf-16"


# --- Random CSV text ----------------------------------------------------------

HEADER = "Name,Postal Code,Riding,Note"
ROW_COUNT = 5


def row_text(index: int) -> str:
    """Row ``index``: every cell carries a token naming it (Qa..., Qb...)."""
    token = "Q" + "abcdefghij"[index]
    return f"{token}name {token}last,K1A 0A6,35079,{token}note"


# What random damage can do to a line: quotes, delimiters, line breaks, stray bytes.
DAMAGE = st.lists(
    st.tuples(
        st.integers(0, ROW_COUNT - 1),
        st.integers(0, 40),
        st.sampled_from(['"', '"', ",", "\n", "\r\n", '""', "\xe9", "\x00", ";", " "]),
    ),
    max_size=6,
)


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(damage=DAMAGE, blank_after=st.sets(st.integers(0, ROW_COUNT - 1), max_size=2))
def test_random_damage_never_loses_a_line_or_mixes_rows_in_a_letter(
    tmp_path_factory: pytest.TempPathFactory,
    damage: list[tuple[int, int, str]],
    blank_after: set[int],
) -> None:
    lines = [row_text(index) for index in range(ROW_COUNT)]
    for index, at, text in damage:
        line = lines[index]
        at = min(at, len(line))
        lines[index] = line[:at] + text + line[at:]
    body = "".join(
        line + "\n" + ("\n" if index in blank_after else "") for index, line in enumerate(lines)
    )
    data = (HEADER + "\n" + body).encode("utf-8")
    physical_lines = len(data.splitlines())

    # Every physical line after the header is in exactly one row.
    with SupportersReader(io.BytesIO(data)) as reader:
        rows = list(reader)
    covered = [line for row in rows for line in range(row.first_line, row.last_line + 1)]
    assert covered == list(range(2, physical_lines + 1))

    out = tmp_path_factory.mktemp("out")
    summary = run(io.BytesIO(data), out)
    report = csv_rows(out / "report.csv")
    assert [int(row["row"]) for row in report] == [row.number for row in rows]
    assert summary.rows == len(rows)

    # No letter holds tokens of two rows (a token may be split by damage: then it is absent).
    for name, text in letters(out).items():
        owners = set(re.findall(r"Q([a-j])(?:name|last|note)", text))
        assert len(owners) <= 1, (name, owners, data)


@settings(max_examples=200)
@given(
    text=st.text(alphabet=st.sampled_from('ab,"\r\n\xe9'), max_size=60),
    chunk=st.integers(1, 9),
)
def test_lines_are_the_same_whatever_the_chunk_size(text: str, chunk: int) -> None:
    data = text.encode("utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(supporters_lines, "_CHUNK", chunk)
        lines = list(supporters_lines.DecodedLines(io.BytesIO(data), None))
    assert lines == [line.decode("utf-8") for line in data.splitlines(keepends=True)]


def test_a_line_too_long_to_keep_is_cut_and_its_row_is_invalid(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(supporters_lines, "_CHUNK", 16)
    monkeypatch.setattr(supporters_lines, "LONGEST_LINE_BYTES", 40)
    data = (
        f"Name,Postal Code,Riding,Note\nAnn,K1A 0A6,35079,{'x' * 100}\r\nDave,K1A 0A6,35079,\n"
    ).encode()
    with SupportersReader(io.BytesIO(data)) as reader:
        rows = list(reader)
    assert [(row.number, row.first_line, row.last_line) for row in rows] == [(2, 2, 2), (3, 3, 3)]
    assert rows[0].problem.startswith("line 2: the row is longer than")
    assert rows[1].cells == ["Dave", "K1A 0A6", "35079", ""] and not rows[1].problem


def test_import_postcodes_reads_lines_as_bulk_does_and_names_an_undecodable_one(
    tmp_path: Path,
) -> None:
    from mpwrite.errors import ImportFileError
    from mpwrite.geo.postcode_import import read_postcode_table

    table = tmp_path / "codes.csv"
    table.write_bytes(b"postal_code,fed_code\nK1A 0A6,35079\nK1A\x810A7,35079\n")
    with pytest.raises(ImportFileError, match="line 3 is neither UTF-8 nor Windows-1252"):
        read_postcode_table(table, load_bundled())
    table.write_bytes("postal_code,riding\nK1A 0A6,Ottawa Centre\n".encode("utf-16"))
    answers, _rows, problems = read_postcode_table(table, load_bundled())
    assert answers == {"K1A 0A6": ("35079",)} and not problems


def test_the_cli_names_the_cp1252_lines_and_reports_the_broken_row(tmp_path: Path) -> None:
    data = (
        "Name,Postal Code,Riding,Note\nZoé,K1A 0A6,35079,\n".encode()
        + "Hélène,K1A 0A6,35079,\n".encode("cp1252")
        + b'Bob,K1A 0A6,35079,"I care\nCarol,K1A 0A6,35079,carol@x.org\n'
    )
    result = runner.invoke(
        app, ["bulk", "-", "--out", str(tmp_path / "out"), "--date", "2026-03-02"], input=data
    )
    assert result.exit_code == 1, result.output
    assert "Warning: line 3 of a UTF-8 file holds bytes that are not UTF-8" in result.output
    statuses = [row["status"] for row in csv_rows(tmp_path / "out" / "report.csv")]
    assert statuses == ["written", "written", "invalid", "written"]


def test_a_multi_line_cell_before_the_postal_code_stays_one_row(tmp_path: Path) -> None:
    source = tmp_path / "q.csv"
    source.write_bytes(
        b"Address,Name,Postal Code,Riding\n"
        b'"12 Main St\nApt 4",Bob Smith,K1A 0A6,35079\n'
        b'"1 Elm St",Dave,K1A 0A6,35079\n'
    )
    summary = run(source, tmp_path / "out")
    assert summary.statuses["written"] == 2 and summary.rows == 2
