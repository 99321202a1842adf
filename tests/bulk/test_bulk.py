"""The bulk core: every status, the report, needs-review round trip, re-runs, Ctrl-C."""

from __future__ import annotations

import csv
import datetime
from pathlib import Path

import pytest

from mpwrite.bulk import workers as bulk_workers
from mpwrite.bulk.run import BulkProgress, run_bulk
from mpwrite.geo.lookup import Match, Resolver
from mpwrite.geo.postal import PostalCode
from mpwrite.geo.ridings import load_bundled
from mpwrite.output.filenames import WINDOWS_RESERVED, slugify
from tests.helpers import BULK_DATE as DATE
from tests.helpers import BULK_HEADER as HEADER
from tests.helpers import bulk, leftovers, options, report_rows


class TwoRidings:
    """A postal source that says a code spans two ridings."""

    def resolve(self, code: PostalCode, warnings: list[str]) -> tuple[Match, ...] | None:
        data = load_bundled()
        return (
            Match(data.ridings["35079"], "test", exact=True),
            Match(data.ridings["35075"], "test", exact=True),
        )


def test_each_status_and_every_row_once(tmp_path: Path) -> None:
    text = HEADER + (
        "Jordan Lee,K2P 1L4,Ottawa Centre,,,\n"  # 2 written (riding given: exact)
        "Amélie Tremblay,K1P 5G4,,fr,3,\n"  # 3 needs-review (likely only)
        "\n"  # 4 blank
        "Chris Doe,Z9Z 9Z9,,,,\n"  # 5 invalid postal code
        "Jordan  LEE,k2p1l4,35079,,,\n"  # 6 duplicate (normalised name and code)
        "Marc Gagnon,H2X 3K2,Laurier—Sainte-Marie,,,\n"  # 7 needs-review (vacant seat)
        ",K1P 5G4,,,,\n"  # 8 invalid: no name
        "Pat Kim,K1P 5G4,Nowhere At All,,,\n"  # 9 invalid: unknown riding
        "Lou Roy,K1P 5G4,Ottawa Centre,klingon,,\n"  # 10 invalid language
        "Lou Roy,K1P 5G4,Ottawa Centre,en,99,\n"  # 11 invalid demand
    )
    summary = bulk(tmp_path, text)
    rows = report_rows(tmp_path / "out")
    assert [int(row["row"]) for row in rows] == list(range(2, 12))
    statuses = [row["status"] for row in rows]
    assert statuses == [
        "written",
        "needs-review",
        "blank",
        "invalid",
        "duplicate",
        "needs-review",
        "invalid",
        "invalid",
        "invalid",
        "invalid",
    ]
    assert "vacant" in rows[5]["reason"]
    assert "likely riding" in rows[1]["reason"]
    assert "no demand" in rows[9]["reason"] and "99" not in rows[9]["reason"]
    assert rows[0]["riding_code"] == "35079" and rows[0]["output_file"].startswith("letters/")
    assert summary.rows == 10 and summary.exit_code == 1
    assert summary.statuses["written"] == 1 and summary.letters == 1
    assert summary.provinces == {"ON": 1}
    assert leftovers(tmp_path / "out") == []


def test_several_ridings_go_to_review_with_candidates(tmp_path: Path) -> None:
    resolver = Resolver(load_bundled(), [TwoRidings()])
    bulk(tmp_path, HEADER + "Jordan Lee,K2P 1L4,,,,\n", resolver=resolver)
    assert report_rows(tmp_path / "out")[0]["status"] == "needs-review"
    with (tmp_path / "out" / "needs-review.csv").open(encoding="utf-8-sig") as handle:
        review = list(csv.DictReader(handle))
    assert "35079" in review[0]["candidates"] and "35075" in review[0]["candidates"]


def test_approximate_accept_writes_likely_ridings(tmp_path: Path) -> None:
    summary = bulk(tmp_path, HEADER + "Amélie Tremblay,K1P 5G4,,fr,3,\n", approximate="accept")
    assert summary.exit_code == 0
    written = next((tmp_path / "out" / "letters").iterdir())
    assert "Circonscription" in written.read_text(encoding="utf-8")


def test_needs_review_round_trip(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = bulk(
        tmp_path,
        "Prénom,Nom,Code postal,Courriel,Member ID\n"
        "Amélie,Tremblay,K1P 5G4,a@example.org,=1+2\n"
        "Chris,Doe,Z9Z 9Z9,,-7\n",
        out,
    )
    assert first.exit_code == 1
    with (out / "needs-review.csv").open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = list(reader)
    assert header == [
        "Prénom",
        "Nom",
        "Code postal",
        "Courriel",
        "Member ID",
        "riding",
        "candidates",
        "review_reason",
        "extra_cells",
    ]
    assert rows[0][4] == "'=1+2"  # neutralised in the file the organizer opens
    # The organizer fills in the riding (and fixes the postal code) and feeds it back.
    rows[0][5] = "35079"
    rows[1][2] = "K2P 1L4"
    rows[1][5] = "Ottawa Centre"
    filled = tmp_path / "filled.csv"
    with filled.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    second = run_bulk(filled, options(out), resolver=Resolver(load_bundled()))
    assert second.exit_code == 0
    assert second.statuses["written"] == 2
    assert not (out / "needs-review.csv").exists()
    assert len(list((out / "letters").iterdir())) == 2


def test_rerun_skips_identical_letters_and_guards_changed_ones(tmp_path: Path) -> None:
    text = HEADER + "Jordan Lee,K2P 1L4,Ottawa Centre,,,\n"
    first = bulk(tmp_path, text)
    assert first.statuses["written"] == 1
    again = bulk(tmp_path, text)
    assert again.statuses["unchanged"] == 1 and again.exit_code == 0
    changed = bulk(tmp_path, text, date=DATE + datetime.timedelta(days=1))
    assert changed.statuses["conflict"] == 1 and changed.exit_code == 1
    assert "--force" in report_rows(tmp_path / "out")[0]["reason"]
    forced = bulk(tmp_path, text, date=DATE + datetime.timedelta(days=1), force=True)
    assert forced.statuses["written"] == 1
    assert len(list((tmp_path / "out" / "letters").iterdir())) == 1


@pytest.mark.parametrize("writers", ["thread", "worker processes"])
def test_interrupted_run_reports_exactly_the_rows_done(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, writers: str
) -> None:
    if writers == "worker processes":  # after three letters, four a batch
        monkeypatch.setattr(bulk_workers, "usable_cores", lambda: 2)
        monkeypatch.setattr(bulk_workers, "PROCESSES_AFTER_OTHERS", 3)
        monkeypatch.setattr(bulk_workers, "BATCH_SIZE_OTHERS", 4)
    lines = "".join(f"Person {n},K2P 1L4,Ottawa Centre,,,\n" for n in range(20))
    source = tmp_path / "supporters.csv"
    source.write_text(HEADER + lines, encoding="utf-8")

    def stop_at_row_8(progress: BulkProgress) -> None:
        if progress.rows == 7:
            raise KeyboardInterrupt

    out = tmp_path / "out"
    summary = run_bulk(
        source, options(out), progress=stop_at_row_8, resolver=Resolver(load_bundled())
    )
    assert summary.interrupted and summary.exit_code == 1
    rows = report_rows(out)
    # Letters already handed to the writers finish and are reported: the
    # report is an unbroken run of rows from the first, at least up to the
    # interrupted one, and names exactly the letters on disk.
    numbers = [int(row["row"]) for row in rows]
    assert numbers == list(range(2, 2 + len(numbers)))
    assert 8 <= len(numbers) + 1 < 22
    assert all(row["status"] == "written" for row in rows)
    on_disk = sorted(path.name for path in (out / "letters").iterdir())
    assert on_disk == sorted(Path(row["output_file"]).name for row in rows)
    assert leftovers(out) == []


def test_hostile_names_make_safe_file_names(tmp_path: Path) -> None:
    text = HEADER + (
        "../../x,K2P 1L4,35079,,,\n"
        "CON,K1P 5G4,35079,,,\n"
        "a/b\\\\c:d*e?f,K1P 5G5,35079,,,\n"
        "nul\x00byte,K1P 5G6,35079,,,\n"
        '=HYPERLINK("http://x"),K1P 5G7,35079,,,\n'
    )
    bulk(tmp_path, text, group_by_mp=True)
    out = tmp_path / "out"
    files = [row["output_file"] for row in report_rows(out)]
    assert all(row["status"] == "written" for row in report_rows(out))
    assert len(set(files)) == 5
    for name in files:
        folder, _, file_name = name.partition("/")
        assert folder == "35079-ottawa-centre"
        assert all(c.isalnum() or c in "-." for c in file_name), file_name
        assert (out / name).resolve().is_relative_to(out.resolve())
        assert file_name.split(".")[0].lower() not in WINDOWS_RESERVED
    assert not (tmp_path / "x").exists()


def test_group_by_mp_combines_printable_letters(tmp_path: Path) -> None:
    text = HEADER + "A B,K2P 1L4,35079,,,\nC D,K1P 5G4,35079,,,\nE F,R3C 0A1,46010,,,\n"
    summary = bulk(tmp_path, text, group_by_mp=True)
    out = tmp_path / "out"
    assert summary.combined_files == 2
    combined = (out / "35079-ottawa-centre" / "_all-letters.txt").read_text(encoding="utf-8")
    assert combined.count("\f") == 1 and combined.count("Dear Yasir Naqvi") == 2
    bulk(tmp_path, text, tmp_path / "html", group_by_mp=True, fmt="html")
    page = (tmp_path / "html" / "46010-winnipeg-centre" / "_all-letters.html").read_text(
        encoding="utf-8"
    )
    assert page.count("<html") == 1 and page.count('<section class="page">') == 1


def test_dry_run_writes_reports_but_no_letters(tmp_path: Path) -> None:
    summary = bulk(tmp_path, HEADER + "A B,K2P 1L4,35079,,,\n", dry_run=True)
    assert summary.statuses["ready"] == 1 and summary.exit_code == 0
    assert not (tmp_path / "out" / "letters").exists()
    assert report_rows(tmp_path / "out")[0]["status"] == "ready"


def test_formula_cells_in_reports_are_neutralised(tmp_path: Path) -> None:
    bulk(tmp_path, HEADER + '@SUM(A1),K1P 5G4,-cmd|calc,,,"+x"\n')
    raw = (tmp_path / "out" / "needs-review.csv").read_text(encoding="utf-8-sig")
    assert "'@SUM(A1)" in raw and "'-cmd|calc" in raw and "'+x" in raw
    assert "\n@" not in raw and ",-" not in raw and ",+" not in raw


def test_report_holds_nothing_the_supporter_typed(tmp_path: Path) -> None:
    bulk(tmp_path, HEADER + "Zebulon Quux,K2P 1L4,35079,,,Secret note\n")
    raw = (tmp_path / "out" / "report.csv").read_text(encoding="utf-8-sig")
    assert "Secret" not in raw and "K2P" not in raw
    assert "zebulon-quux" in raw  # only as the letter's file name


def test_missing_out_without_dry_run_is_a_usage_error(tmp_path: Path) -> None:
    from mpwrite.errors import UsageError

    source = tmp_path / "s.csv"
    source.write_text(HEADER, encoding="utf-8")
    with pytest.raises(UsageError, match="--out"):
        run_bulk(source, options(None))


def test_slugs_never_hold_reserved_names_or_path_characters() -> None:
    assert slugify("CON") == "con-"
    assert slugify("Spadina—Harbourfront") == "spadina-harbourfront"
    assert slugify("Amélie Côté-Œuvre") == "amelie-cote-oeuvre"
    assert slugify("李小龍") == "letter"
    assert slugify("../../etc/passwd") == "etc-passwd"
    assert slugify("\x00\x01") == "letter"
    assert len(slugify("x" * 500)) == 40
