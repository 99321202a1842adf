"""What bulk writes stays the run's own: one file per supporter in any script, bundles of
the run's letters only, reports without supporters' text, one run per folder, and
nothing left behind by a run that never started."""

from __future__ import annotations

import csv
import hashlib
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from mpwrite.bulk import rows as bulk_rows
from mpwrite.bulk.output import LOCK_NAME
from mpwrite.bulk.supporters import name_key, supporter_identity
from mpwrite.cli.root import app
from mpwrite.folding import normalise_name
from mpwrite.geo.ridings import load_bundled
from mpwrite.output.filenames import riding_folder_name

runner = CliRunner()


def run(tmp_path: Path, text: str, *extra: str, out: Path | None = None) -> tuple[int, str]:
    source = tmp_path / "s.csv"
    source.write_text(text, encoding="utf-8")
    target = out or tmp_path / "out"
    result = runner.invoke(app, ["bulk", str(source), "--out", str(target), "-q", *extra])
    return result.exit_code, result.stderr


def report(out: Path) -> list[dict[str, str]]:
    with (out / "report.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


# --- supporters in every script -------------------------------------------------

PAIRS = [
    ("王伟", "李娜"),
    ("Иван Петров", "Олег Сидоров"),
    ("Ελένη Παππά", "Μαρία Νίκου"),
    ("محمد علي", "فاطمة حسن"),
    ("राम शर्मा", "सीता देवी"),
    ("ᐃᓄᒃ ᓯᕗᓪᓕᖅ", "ᐊᓂᕐᓂ ᑲᑎᖅ"),
]


@pytest.mark.parametrize(("first", "second"), PAIRS)
def test_two_supporters_in_another_script_at_one_postal_code_get_two_letters(
    tmp_path: Path, first: str, second: str
) -> None:
    text = f"Name,Postal Code,Riding\n{first},K1A 0A6,35079\n{second},K1A 0A6,35079\n"
    code, _ = run(tmp_path, text)
    rows = report(tmp_path / "out")
    assert code == 0 and [row["status"] for row in rows] == ["written", "written"]
    files = [tmp_path / "out" / row["output_file"] for row in rows]
    assert files[0] != files[1]
    assert first in files[0].read_text(encoding="utf-8")
    assert second in files[1].read_text(encoding="utf-8")
    # A re-run finds both letters where it left them.
    run(tmp_path, text)
    assert [row["status"] for row in report(tmp_path / "out")] == ["unchanged", "unchanged"]


def test_force_never_replaces_another_supporters_letter(tmp_path: Path) -> None:
    run(tmp_path, "Name,Postal Code,Riding\n王伟,K1A 0A6,35079\n")
    first = tmp_path / "out" / report(tmp_path / "out")[0]["output_file"]
    run(tmp_path, "Name,Postal Code,Riding\n李娜,K1A 0A6,35079\n", "--force")
    second = tmp_path / "out" / report(tmp_path / "out")[0]["output_file"]
    assert second != first
    assert "王伟" in first.read_text(encoding="utf-8")
    assert "李娜" in second.read_text(encoding="utf-8")


def test_two_supporters_whose_short_identities_collide_still_get_two_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 48 bits can collide in a run of millions: the second supporter gets 96.
    real = bulk_rows.letter_identity

    def colliding(digest: bytes, *, longer: bool = False) -> str:
        return real(digest, longer=True) if longer else "0" * 12

    monkeypatch.setattr(bulk_rows, "letter_identity", colliding)
    for extra in ((), ("--force",)):
        code, _ = run(tmp_path, "Name,Riding\nAnne Roy,35079\nAnne Roy,35075\n", *extra)
        rows = report(tmp_path / "out")
        assert code == 0 and rows[0]["output_file"] != rows[1]["output_file"]
    assert [row["status"] for row in rows] == ["unchanged", "unchanged"]


def test_rows_without_a_postal_code_are_told_apart_by_their_riding(tmp_path: Path) -> None:
    run(
        tmp_path,
        "Name,Postal Code,Riding\n"
        "Jane Doe,,35079\n"
        "Jane Doe,,35075\n"  # another riding: another supporter
        "Jane Doe,,35079\n",  # the first again
    )
    rows = report(tmp_path / "out")
    assert [row["status"] for row in rows] == ["written", "written", "duplicate"]
    assert rows[0]["output_file"] != rows[1]["output_file"]
    assert rows[2]["reason"] == "same name and riding as an earlier row"


def test_names_of_one_script_keep_their_file_names_from_before() -> None:
    # The key as it was, for names it could tell apart: their files must not move.
    for name in ("Zoé Tremblay", "O'Brien-Smith", "Ægir Søren", "ÉLODIE  d’Anjou"):
        before = hashlib.blake2b(
            f"{normalise_name(name)}\x1fK1A0A6".encode(), digest_size=16
        ).digest()
        assert supporter_identity(name, "K1A0A6") == before


# Latin letters (with and without accents), combining accents, ASCII.
LATIN = st.sampled_from(
    [
        chr(n)
        for n in range(0x20, 0x370)
        if chr(n).isascii() or unicodedata.name(chr(n), "").startswith(("LATIN", "COMBINING"))
    ]
)


@given(st.text(LATIN, max_size=30))
def test_latin_names_reduce_as_riding_names_do(name: str) -> None:
    if normalise_name(name):
        assert name_key(name) == normalise_name(name)


@given(st.text(max_size=20), st.text(max_size=20))
def test_names_whose_letters_differ_have_different_keys(left: str, right: str) -> None:
    if name_key(left) == name_key(right):
        # Then they differ only in what folding drops: case, accents, punctuation.
        letters = [
            "".join(c for c in normalise_name(text) if c.isalnum()) for text in (left, right)
        ]
        assert letters[0] == letters[1]


# --- --group-by mp bundles the run's letters only -------------------------------


def riding_folder(out: Path) -> Path:
    riding = load_bundled().ridings["35079"]
    return out / riding_folder_name(riding.code, riding.name_en)


def test_combined_file_gathers_only_the_letters_of_the_run(tmp_path: Path) -> None:
    out = tmp_path / "out"
    folder = riding_folder(out)
    folder.mkdir(parents=True)
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET PASSWORD\n", encoding="utf-8")
    (folder / "notes.txt").write_text("ORGANIZER NOTES: call back Tuesday\n", encoding="utf-8")
    (folder / "zz-link.txt").symlink_to(secret)
    code, stderr = run(tmp_path, "Name,Riding\nA B,35079\nC D,35079\n", "--group-by", "mp")
    assert code == 0, stderr
    combined = (folder / "_all-letters.txt").read_text(encoding="utf-8")
    assert "SECRET" not in combined and "ORGANIZER NOTES" not in combined
    assert "A B" in combined and "C D" in combined
    assert combined.count("\f") == 1  # two letters, one page break


def test_a_later_run_adds_its_letters_to_the_earlier_runs_in_the_bundle(tmp_path: Path) -> None:
    # The needs-review round trip: the second run's bundle still holds the first's letters
    # (those its report names), and nothing else the folder has gained since.
    out = tmp_path / "out"
    folder = riding_folder(out)
    run(tmp_path, "Name,Riding\nA B,35079\nC D,35079\n", "--group-by", "mp")
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET PASSWORD\n", encoding="utf-8")
    (folder / "zz-planted-0123456789ab.txt").symlink_to(secret)
    with (out / "report.csv").open("a", encoding="utf-8") as report_file:
        report_file.write(f"9,written,,35079,X,{folder.name}/zz-planted-0123456789ab.txt\r\n")
    code, stderr = run(tmp_path, "Name,Riding\nE F,35079\n", "--group-by", "mp")
    assert code == 0, stderr
    combined = (folder / "_all-letters.txt").read_text(encoding="utf-8")
    assert all(name in combined for name in ("A B", "C D", "E F"))
    assert "SECRET" not in combined and combined.count("\f") == 2


def test_a_fifo_or_a_link_to_a_device_in_the_folder_is_left_alone(tmp_path: Path) -> None:
    # In a child process with a memory limit and a time-out: the old code hung
    # on the FIFO and read /dev/zero until memory ran out.
    out = tmp_path / "out"
    folder = riding_folder(out)
    folder.mkdir(parents=True)
    os.mkfifo(folder / "a-fifo.txt")
    (folder / "b-zero.txt").symlink_to("/dev/zero")
    source = tmp_path / "s.csv"
    source.write_text("Name,Riding\nA B,35079\n", encoding="utf-8")
    limit = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))\n"
        "from mpwrite.cli.root import main\n"
        "sys.argv = ['mpwrite', *sys.argv[1:]]\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", limit, "bulk", str(source), "--out", str(out), "--group-by", "mp"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "MPWRITE_HOME": str(tmp_path / "home")},
    )
    assert done.returncode == 0, done.stderr
    combined = (folder / "_all-letters.txt").read_text(encoding="utf-8")
    assert "A B" in combined and "\f" not in combined


# --- report.csv holds nothing a supporter typed ---------------------------------


def test_no_reason_in_the_report_repeats_what_a_supporter_typed(tmp_path: Path) -> None:
    typed = {
        "jane@example.org": "A B,jane@example.org,,,,",  # an e-mail in the postal code
        "K1A 0A6 K2P 1L4": "A B,K1A 0A6 K2P 1L4,,,,",  # two postal codes
        "Q9Q": "A B,Q9Q,,,,",  # half a postal code
        "Zyxwvut Riding": "A B,,Zyxwvut Riding,,,",  # no such riding
        "ottawa": "A B,,ottawa,,,",  # several ridings
        "klingon-tongue": "A B,K2P 1L4,35079,klingon-tongue,,",
        "demand-zzz": "A B,K2P 1L4,35079,,demand-zzz,",
        "not-an@address@x": "A B,K2P 1L4,35079,,,not-an@address@x",
    }
    header = "Name,Postal Code,Riding,Language,Demand,Email\n"
    code, _ = run(tmp_path, header + "\n".join(typed.values()) + "\n")
    assert code == 1
    rows = report(tmp_path / "out")
    assert len(rows) == len(typed) and all(row["status"] != "written" for row in rows)
    text = (tmp_path / "out" / "report.csv").read_text(encoding="utf-8-sig").casefold()
    for value in typed:
        assert value.casefold() not in text, value
    # The reasons still name the column at fault, and needs-review.csv has the cells.
    assert all(row["reason"] for row in rows)
    review = (tmp_path / "out" / "needs-review.csv").read_text(encoding="utf-8-sig")
    assert "Zyxwvut Riding" in review and "jane@example.org" in review


# --- the output folder -----------------------------------------------------------


def test_an_empty_out_is_a_usage_error_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.csv").write_text("Name,Riding\nA B,35079\n", encoding="utf-8")
    for empty in ("", "  "):
        result = runner.invoke(app, ["bulk", "s.csv", "--out", empty])
        assert result.exit_code == 2 and "--out" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.csv"]


def test_a_run_that_cannot_start_leaves_no_out_folder(tmp_path: Path) -> None:
    out = tmp_path / "new" / "out"
    missing = runner.invoke(app, ["bulk", str(tmp_path / "nope.csv"), "--out", str(out)])
    assert missing.exit_code == 2 and "cannot read" in missing.stderr
    (tmp_path / "s.csv").write_text("Colour\nblue\n", encoding="utf-8")
    no_columns = runner.invoke(app, ["bulk", str(tmp_path / "s.csv"), "--out", str(out)])
    assert no_columns.exit_code == 2
    assert not (tmp_path / "new").exists() or not out.exists()
    assert not out.exists()


HOLD_LOCK = (
    "import sys\n"
    "from pathlib import Path\n"
    "from mpwrite.bulk.output import lock_folder\n"
    "lock_folder(Path(sys.argv[1]))\n"
    "print('locked', flush=True)\n"
    "sys.stdin.read()\n"
)


@pytest.mark.skipif(sys.platform == "win32", reason="folder locks use flock (POSIX)")
def test_a_second_run_on_a_locked_folder_fails_at_once_naming_the_holder(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.csv").write_text("the first run's report\n", encoding="utf-8")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(out)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        code, stderr = run(tmp_path, "Name,Riding\nA B,35079\n", out=out)
        assert code == 1
        assert f"process {holder.pid}" in stderr and str(out) in stderr
        assert (out / "report.csv").read_text(encoding="utf-8") == "the first run's report\n"
        assert not (out / "letters").exists()
    finally:
        holder.communicate("", timeout=10)
    # Once the holder has gone, the folder is free again, and the lock file goes with the run.
    code, stderr = run(tmp_path, "Name,Riding\nA B,35079\n", out=out)
    assert code == 0, stderr
    assert not (out / LOCK_NAME).exists()
