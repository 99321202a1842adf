"""Benchmark ``mpwrite bulk --format pdf`` against a bare fpdf2 loop over the same letters.

Run from the repository root::

    .venv/bin/python benchmarks/pdf.py             # 1,000 letters
    .venv/bin/python benchmarks/pdf.py --rows 200  # a smoke run
    .venv/bin/python benchmarks/pdf.py --repeat 3  # each side timed 3 times

It generates synthetic supporters (every row a good one, English and French,
spread over the country's ridings), writes their letters once as text with
``mpwrite bulk --format txt`` (not timed), then, in the same run, times:

* ``mpwrite bulk --format pdf``, one PDF per letter (worker processes, one per core);
* a baseline: one Python process that, for each of those text letters, makes an
  fpdf2 document with the same embedded fonts (DejaVu Sans and its bold), sets the
  text in one ``multi_cell`` at a fixed 11 pt, and writes it to its own file;
* ``mpwrite bulk --format pdf --group-by mp`` (also one bundle per MP), for information.

Each side runs ``--repeat`` times (default 2), in turn, into fresh folders; its best
time counts. Prints bulk's best as a ratio of the baseline's (target: at most
0.75x). Not a test: numbers depend on the machine. Nothing touches the network.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
MPWRITE = [sys.executable, "-m", "mpwrite"]
FIRST = ["Amélie", "Jordan", "Priya", "Marc", "Sam", "Chloé", "Li", "Omar", "Ana", "Noah"]
LAST = ["Tremblay", "Lee", "Singh", "Gagnon", "O’Neil", "Roy", "Chen", "Haddad", "Lima", "Côté"]
LETTERS = "ABCEGHJKLMNPRSTVWXYZ"
DATE = "2026-03-02"


def supporters(path: Path, rows: int, seed: int = 6) -> None:
    """``rows`` good supporters, each with a riding that has an MP; a third or more in French."""
    sys.path.insert(0, str(REPOSITORY / "src"))
    from mpwrite.geo.ridings import load_bundled

    data = load_bundled()
    areas = sorted(
        (
            area
            for area in data.postal_areas.values()
            if area.likely_riding and not data.get(area.likely_riding).vacant
        ),
        key=lambda area: area.fsa,
    )
    chance = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        header = ["First name", "Last name", "Address", "City", "Postal code", "Language", "Riding"]
        out.writerow(header)
        out.writerows(
            [
                chance.choice(FIRST),
                f"{chance.choice(LAST)}-{number}",
                f"{chance.randrange(1, 999)} Main Street",
                area.place or "Town",
                f"{area.fsa} {chance.randrange(10)}{chance.choice(LETTERS)}{chance.randrange(10)}",
                "fr" if area.province == "QC" or number % 3 == 0 else "en",
                area.likely_riding,
            ]
            for number, area in enumerate(chance.choice(areas) for _ in range(rows))
        )


BASELINE = r"""
import sys
from pathlib import Path
from fpdf import FPDF
fonts, letters, out = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
out.mkdir(parents=True, exist_ok=True)
for number, path in enumerate(sorted(letters.rglob("*.txt"))):
    pdf = FPDF(unit="mm", format="letter")
    pdf.add_font("DejaVuSans", "", fonts / "DejaVuSans.ttf")
    pdf.add_font("DejaVuSans", "B", fonts / "DejaVuSans-Bold.ttf")
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_font("DejaVuSans", "", 11)
    pdf.multi_cell(0, 11 * 0.3528 * 1.2, path.read_text(encoding="utf-8"))
    pdf.output(str(out / f"{number}.pdf"))
"""


def timed(command: list[str], env: dict[str, str]) -> float:
    os.sync()  # what earlier runs wrote is not charged to this one
    started = time.perf_counter()
    completed = subprocess.run(command, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if completed.returncode != 0:
        raise SystemExit(f"{command[:4]} failed:\n{completed.stderr}")
    return elapsed


def count(folder: Path, pattern: str) -> int:
    return sum(1 for _ in folder.rglob(pattern))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000, help="letters to write")
    parser.add_argument("--repeat", type=int, default=2, help="timed runs of each side")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="mpwrite-pdf-bench-"))
    env = dict(os.environ, MPWRITE_HOME=str(work / "home"), PYTHONPATH=str(REPOSITORY / "src"))
    fonts = REPOSITORY / "src" / "mpwrite" / "fonts"
    try:
        source = work / "supporters.csv"
        supporters(source, args.rows)
        texts = work / "texts"
        bulk = [*MPWRITE, "bulk", str(source), "--quiet", "--date", DATE]
        timed([*bulk, "--out", str(texts)], env)
        letters = count(texts, "*.txt")
        if letters != args.rows:
            raise SystemExit(f"expected {args.rows} text letters, got {letters}")

        sides: dict[str, list[float]] = {"baseline": [], "bulk": [], "grouped": []}
        for attempt in range(args.repeat):
            runs = [
                ("baseline", [sys.executable, "-c", BASELINE, str(fonts), str(texts)]),
                ("bulk", [*bulk, "--format", "pdf"]),
                ("grouped", [*bulk, "--format", "pdf", "--group-by", "mp"]),
            ]
            for name, command in runs if attempt % 2 == 0 else reversed(runs):
                out = work / f"{name}-{attempt}"
                sides[name].append(timed([*command, *_out(name, out)], env))
                if count(out, "*.pdf") < letters:
                    raise SystemExit(f"{name} wrote fewer than {letters} PDFs")
                shutil.rmtree(out)
        best = {name: min(times) for name, times in sides.items()}
        print(f"PDF letters, {letters:,} (best of {args.repeat}; cores: {os.cpu_count()}):")
        labels = {
            "baseline": "baseline (fpdf2 loop, one core)",
            "bulk": "mpwrite bulk --format pdf",
            "grouped": "  ... --group-by mp (bundles)",
        }
        for name, label in labels.items():
            times = ", ".join(f"{value:.1f} s" for value in sides[name])
            rate = letters / best[name]
            print(f"  {label:<34} {best[name]:6.1f} s ({rate:5.1f} letters/s; runs: {times})")
        print(f"  ratio bulk / baseline: {best['bulk'] / best['baseline']:.2f}x (target <= 0.75x)")
        print(f"  ratio grouped / baseline: {best['grouped'] / best['baseline']:.2f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _out(name: str, out: Path) -> list[str]:
    # The baseline takes its folder as its last argument; bulk takes --out.
    return [str(out)] if name == "baseline" else ["--out", str(out)]


if __name__ == "__main__":
    main()
