"""Start-up cost of `mpwrite lookup` against a minimal one-command Typer app.

Runs both alternately (so machine noise hits both alike), takes the median of
each and prints the ratio. Target: at most 1.3x the minimal Typer app.

    python benchmarks/startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MINIMAL_APP = """\
import typer

app = typer.Typer()


@app.command()
def lookup(postal_code: str) -> None:
    print(postal_code)


app()
"""

TARGET = 1.3


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of each (at least 7)")
    runs = max(7, parser.parse_args().runs)
    with tempfile.TemporaryDirectory() as folder:
        minimal = Path(folder) / "minimal_app.py"
        minimal.write_text(MINIMAL_APP, encoding="utf-8")
        baseline_command = [sys.executable, str(minimal), "K1A 0A6"]
        mpwrite_command = [sys.executable, "-m", "mpwrite", "lookup", "K1A 0A6"]
        # One untimed run of each warms the file-system cache and .pyc files.
        timed(baseline_command)
        timed(mpwrite_command)
        baseline, ours = [], []
        for _ in range(runs):
            baseline.append(timed(baseline_command))
            ours.append(timed(mpwrite_command))
    base_median, our_median = statistics.median(baseline), statistics.median(ours)
    ratio = our_median / base_median
    print(f"minimal Typer app:        {base_median * 1000:7.1f} ms (median of {runs})")
    print(f"mpwrite lookup K1A 0A6:   {our_median * 1000:7.1f} ms (median of {runs})")
    verdict = "OK" if ratio <= TARGET else "OVER TARGET"
    print(f"ratio: {ratio:.2f}x (target <= {TARGET}x) {verdict}")


if __name__ == "__main__":
    main()
