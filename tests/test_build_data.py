"""Tests for scripts/build_data.py and the data files it produced (data/)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.helpers import REPOSITORY

REPO = REPOSITORY
DATA = REPO / "data"
SCRIPT = REPO / "scripts" / "build_data.py"
SOURCES = REPO.parent / "shared" / "data" / "sources"
GENERATED = ("ridings.csv", "fsa.csv", "provinces.csv", "metadata.json")

MP_FIELDS = (
    "mp_first_name",
    "mp_last_name",
    "mp_honorific",
    "mp_party",
    "mp_email",
    "mp_phone",
)
PARTIES = {"Liberal", "Conservative", "Bloc Québécois", "NDP", "Green", "Independent"}
VACANCIES = {"24037", "24065", "24066", "35095", "47014"}
PROVINCE_COUNTS = {
    "ON": 122,
    "QC": 78,
    "BC": 43,
    "AB": 37,
    "MB": 14,
    "SK": 14,
    "NS": 11,
    "NB": 10,
    "NL": 7,
    "PE": 4,
    "YT": 1,
    "NT": 1,
    "NU": 1,
}


def read_rows(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def ridings() -> dict[str, dict[str, str]]:
    return {row["code"]: row for row in read_rows("ridings.csv")}


@pytest.fixture(scope="module")
def fsas() -> list[dict[str, str]]:
    return read_rows("fsa.csv")


@pytest.mark.skipif(not SOURCES.is_dir(), reason="source snapshots not present")
def test_build_is_reproducible(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--sources", str(SOURCES), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for name in GENERATED:
        built = (tmp_path / name).read_bytes()
        assert built == (DATA / name).read_bytes(), f"data/{name} is stale: rerun the build"


def test_files_are_plain_utf8_with_lf() -> None:
    for name in GENERATED:
        raw = (DATA / name).read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf"), name
        assert b"\r" not in raw, name
        assert raw.endswith(b"\n"), name
        raw.decode("utf-8")


def test_ridings_header_and_order() -> None:
    with open(DATA / "ridings.csv", encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert header == [
        "code",
        "name_en",
        "name_fr",
        "province",
        "aliases",
        *MP_FIELDS,
        "vacant",
    ]
    codes = [row["code"] for row in read_rows("ridings.csv")]
    assert codes == sorted(codes)


def test_343_unique_codes(ridings: dict[str, dict[str, str]]) -> None:
    rows = read_rows("ridings.csv")
    assert len(rows) == 343
    assert len(ridings) == 343
    assert all(len(code) == 5 and code.isdigit() for code in ridings)


def test_province_counts(ridings: dict[str, dict[str, str]]) -> None:
    assert Counter(row["province"] for row in ridings.values()) == PROVINCE_COUNTS


def test_vacancies_and_mp_fields(ridings: dict[str, dict[str, str]]) -> None:
    vacant = {code for code, row in ridings.items() if row["vacant"] == "yes"}
    assert vacant == VACANCIES
    for code, row in ridings.items():
        assert row["vacant"] in ("yes", "no"), code
        if row["vacant"] == "yes":
            assert all(row[field] == "" for field in MP_FIELDS), code
        else:
            assert row["mp_first_name"] and row["mp_last_name"], code
            assert row["mp_party"] in PARTIES, code
            assert "@" in row["mp_email"], code
            assert row["mp_email"] == row["mp_email"].lower(), code
            assert row["mp_honorific"] in ("", "Hon.", "Right Hon."), code
            phone = row["mp_phone"]
            assert phone == "" or (len(phone) == 12 and phone[3] == "-" and phone[7] == "-"), code


def test_spot_checks(ridings: dict[str, dict[str, str]]) -> None:
    mendes = ridings["24015"]
    assert (mendes["mp_first_name"], mendes["mp_last_name"]) == ("Alexandra", "Mendès")
    belanger = ridings["35104"]
    assert (belanger["mp_first_name"], belanger["mp_last_name"]) == ("Jim", "Bélanger")
    ottawa = ridings["35079"]
    assert (ottawa["name_en"], ottawa["name_fr"]) == ("Ottawa Centre", "Ottawa-Centre")
    assert ridings["48011"]["mp_last_name"] == "Rempel Garner"
    assert "Cape Spear—Mount Pearl—Paradise" in ridings["10002"]["aliases"].split("|")
    # A by-election winner does not inherit the previous member's honorific.
    assert ridings["35112"]["mp_last_name"] == "Martin"
    assert ridings["35112"]["mp_honorific"] == ""


def test_fsa_table(fsas: list[dict[str, str]], ridings: dict[str, dict[str, str]]) -> None:
    codes = [row["fsa"] for row in fsas]
    assert codes == sorted(codes)
    assert len(codes) == len(set(codes))
    by_fsa = {row["fsa"]: row for row in fsas}
    assert by_fsa["K1A"]["likely_riding"] == "35079"
    for row in fsas:
        assert row["province"] in PROVINCE_COUNTS, row
        assert row["kind"] in ("", "urban", "rural"), row
        if row["likely_riding"]:
            assert row["likely_riding"] in ridings, row


def test_provinces_table() -> None:
    rows = read_rows("provinces.csv")
    assert [row["code"] for row in rows] == list(
        ("NL", "PE", "NS", "NB", "QC", "ON", "MB", "SK", "AB", "BC", "YT", "NT", "NU")
    )
    assert [int(row["sgc"]) for row in rows] == sorted(int(row["sgc"]) for row in rows)


def test_metadata_counts(ridings: dict[str, dict[str, str]], fsas: list[dict[str, str]]) -> None:
    text = (DATA / "metadata.json").read_text(encoding="utf-8")
    metadata = json.loads(text)
    assert text == json.dumps(metadata, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    assert metadata["schema_version"] == 1
    vacancies = sum(row["vacant"] == "yes" for row in ridings.values())
    assert metadata["counts"] == {
        "ridings": len(ridings),
        "mps": len(ridings) - vacancies,
        "vacancies": vacancies,
        "fsas": len(fsas),
        "fsas_with_likely_riding": sum(bool(row["likely_riding"]) for row in fsas),
    }
    for key in ("mp_data_as_of", "ridings_as_of", "fsa_as_of"):
        assert len(metadata[key]) == 10 and metadata[key][4] == "-", key
    for source in metadata["sources"]:
        for key in ("id", "file", "title", "publisher", "as_of", "licence", "used_for"):
            assert key in source, (source.get("id"), key)
