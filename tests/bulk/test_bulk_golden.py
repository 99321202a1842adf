"""A whole bulk output folder, locked: file names, letters, report.csv and needs-review.csv.

Letters in txt are compared byte for byte; PDFs by their page count and the
text of each page (their bytes hold a creation date and font subset tags).
Regenerate with ``pytest tests/bulk/test_bulk_golden.py --update-golden``
only after reading the diff.
"""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from mpwrite.bulk.run import BulkOptions, run_bulk
from mpwrite.geo.lookup import Resolver
from mpwrite.geo.ridings import load_bundled

TESTS = Path(__file__).parents[1]
SUPPORTERS = TESTS / "fixtures" / "bulk" / "golden-supporters.csv"
GOLDEN = TESTS / "golden" / "bulk"
DATE = datetime.date(2026, 3, 2)


def pdf_text(path: Path) -> bytes:
    """A PDF as text: its page count, then each page's extracted text."""
    pages = PdfReader(path).pages
    parts = [f"pages: {len(pages)}\n"]
    for number, page in enumerate(pages, start=1):
        parts.append(f"--- page {number} ---\n{page.extract_text()}\n")
    return "".join(parts).encode("utf-8")


def folder_as_golden(out: Path) -> dict[str, bytes]:
    """Every file of ``out`` by its path in it; a PDF as ``<path>.txt`` holding its text."""
    found: dict[str, bytes] = {}
    for path in sorted(out.rglob("*")):
        if path.is_dir():
            continue
        name = path.relative_to(out).as_posix()
        if path.suffix == ".pdf":
            found[name + ".txt"] = pdf_text(path)
        else:
            found[name] = path.read_bytes()
    return found


def golden_folder(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


CASES = {
    "txt-flat": {"fmt": "txt"},
    "txt-by-mp": {"fmt": "txt", "group_by_mp": True, "approximate": "accept"},
    "pdf-by-mp": {"fmt": "pdf", "group_by_mp": True, "envelope": True},
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bulk_output_folder_matches_golden(case: str, tmp_path: Path, update_golden: bool) -> None:
    out = tmp_path / "out"
    options = BulkOptions(out_dir=out, date=DATE, **CASES[case])  # type: ignore[arg-type]
    summary = run_bulk(SUPPORTERS, options, resolver=Resolver(load_bundled()))
    assert summary.rows == 8
    produced = folder_as_golden(out)
    golden = GOLDEN / case
    if update_golden:
        shutil.rmtree(golden, ignore_errors=True)
        for name, content in produced.items():
            (golden / name).parent.mkdir(parents=True, exist_ok=True)
            (golden / name).write_bytes(content)
    expected = golden_folder(golden)
    assert expected, f"{golden} is missing; run pytest --update-golden"
    assert sorted(produced) == sorted(expected), "the files written differ from the golden folder"
    for name, content in expected.items():
        assert produced[name] == content, f"{golden / name} differs; review, then --update-golden"


def test_letters_written_by_worker_processes_match_the_same_golden(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mpwrite.bulk import workers

    monkeypatch.setattr(workers, "usable_cores", lambda: 2)
    monkeypatch.setattr(workers, "PROCESSES_AFTER_OTHERS", 1)
    monkeypatch.setattr(workers, "BATCH_SIZE_OTHERS", 2)
    out = tmp_path / "out"
    options = BulkOptions(out_dir=out, date=DATE, **CASES["txt-flat"])  # type: ignore[arg-type]
    run_bulk(SUPPORTERS, options, resolver=Resolver(load_bundled()))
    assert folder_as_golden(out) == golden_folder(GOLDEN / "txt-flat")


def test_pdf_bundles_written_by_worker_processes_match_the_same_golden(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mpwrite.bulk import bundles, workers

    inline = tmp_path / "inline"
    options = BulkOptions(out_dir=inline, date=DATE, **CASES["pdf-by-mp"])  # type: ignore[arg-type]
    run_bulk(SUPPORTERS, options, resolver=Resolver(load_bundled()))

    monkeypatch.setattr(workers, "usable_cores", lambda: 2)
    monkeypatch.setattr(workers, "PROCESSES_AFTER", {"pdf": 1})

    def not_here(*args: object) -> None:
        raise AssertionError("a bundle was laid out in the main process")

    # Spawned workers import their own, unpatched copy: only they can write a bundle.
    monkeypatch.setattr(bundles, "write_pdf_bundle", not_here)
    out = tmp_path / "out"
    options = BulkOptions(out_dir=out, date=DATE, **CASES["pdf-by-mp"])  # type: ignore[arg-type]
    summary = run_bulk(SUPPORTERS, options, resolver=Resolver(load_bundled()))
    assert summary.combined_files > 0
    assert folder_as_golden(out) == golden_folder(GOLDEN / "pdf-by-mp")
    for bundle in inline.glob("*/_all-letters.pdf"):
        assert (out / bundle.relative_to(inline)).read_bytes() == bundle.read_bytes()
