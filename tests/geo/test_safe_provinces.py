"""A likely riding is always in the postal code's province: in the build, the data
and at run time."""

from __future__ import annotations

import csv
import dataclasses
import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest
from typer.testing import CliRunner

from mpwrite.cli.root import app
from mpwrite.errors import NoRidingForPostalAreaError
from mpwrite.geo.lookup import Resolver
from mpwrite.geo.postal import PROVINCES_BY_FIRST_LETTER
from mpwrite.geo.ridings import load_bundled
from tests.helpers import REPOSITORY

REPO = REPOSITORY
BATCH = {"MPWRITE_INTERACTIVE": "0"}
SGC = {"MB": "46", "SK": "47"}


def load_build_script() -> ModuleType:
    path = REPO / "scripts" / "build_data.py"
    spec = importlib.util.spec_from_file_location("build_data_for_provinces", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def flin_flon(likely: str) -> list[dict[str, str]]:
    return [{"fsa": "R8A", "province": "MB", "place": "Flin Flon", "kind": "urban",
             "likely_riding": likely}]


def test_build_fails_on_a_likely_riding_in_another_province(tmp_path: Path) -> None:
    build = load_build_script()
    empty = tmp_path / "none.csv"
    empty.write_text(",".join(build.FSA_CORRECTION_COLUMNS) + "\n", encoding="utf-8")
    message = re.escape("R8A (MB): likely riding 47003 is in another province")
    with pytest.raises(SystemExit, match=message):
        build.apply_fsa_corrections(empty, flin_flon("47003"), SGC)


def test_build_applies_the_curated_sourced_correction() -> None:
    build = load_build_script()
    fsas = flin_flon("47003")
    rows = build.apply_fsa_corrections(build.DEFAULT_FSA_CORRECTIONS, fsas, {
        **SGC, "ON": "35", "QC": "24", "NT": "61", "NU": "62"})
    assert fsas[0]["likely_riding"] == "46002"
    assert all(row["source"].strip() and row["as_of"] for row in rows)


def test_build_refuses_an_unsourced_correction(tmp_path: Path) -> None:
    build = load_build_script()
    unsourced = tmp_path / "unsourced.csv"
    unsourced.write_text("fsa,likely_riding,source,as_of,note\nR8A,46002,,2023-09-22,\n",
                         encoding="utf-8")
    with pytest.raises(SystemExit, match="needs a source"):
        build.apply_fsa_corrections(unsourced, flin_flon("47003"), SGC)


def test_every_bundled_likely_riding_is_in_its_postal_codes_province() -> None:
    data = load_bundled()
    with open(REPO / "data" / "fsa.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["likely_riding"]:
                province = data.ridings[row["likely_riding"]].province
                assert province in PROVINCES_BY_FIRST_LETTER[row["fsa"][0]], row


def test_flin_flon_gets_a_manitoba_riding() -> None:
    result = CliRunner().invoke(app, ["lookup", "R8A 1A1", "--json"], env=BATCH)
    assert result.exit_code == 0, result.stderr
    assert '"province": "MB"' in result.stdout
    assert "46002" in result.stdout


def test_a_likely_riding_across_a_border_is_not_offered_at_run_time() -> None:
    data = load_bundled()
    data.postal_areas["R8A"] = dataclasses.replace(data.postal_areas["R8A"], likely_riding="47003")
    with pytest.raises(NoRidingForPostalAreaError):
        Resolver(data).by_postal_code("R8A 1A1")
