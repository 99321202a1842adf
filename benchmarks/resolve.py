"""Resolving many postal codes through the library, after the data is loaded.

Target: 100,000 postal codes in under 1 second. Also prints the ratio against
a baseline measured in the same run: a bare dictionary look-up of each code's
first three characters, the least any resolver could do.

    python benchmarks/resolve.py [--codes 100000]
"""

from __future__ import annotations

import argparse
import random
import time

from mpwrite.geo.lookup import Resolver
from mpwrite.geo.ridings import load_bundled


def synthetic_codes(count: int, fsas: list[str], seed: int = 2026) -> list[str]:
    rng = random.Random(seed)
    letters = "ABCEGHJKLMNPRSTVWXYZ"
    forms = ["{fsa} {ldu}", "{fsa}{ldu}", "{low} {ldu_low}", " {fsa}-{ldu} "]
    codes = []
    for _ in range(count):
        fsa = rng.choice(fsas)
        ldu = f"{rng.randrange(10)}{rng.choice(letters)}{rng.randrange(10)}"
        form = rng.choice(forms)
        codes.append(form.format(fsa=fsa, ldu=ldu, low=fsa.lower(), ldu_low=ldu.lower()))
    return codes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codes", type=int, default=100_000)
    count = parser.parse_args().codes
    data = load_bundled()
    resolver = Resolver(data)
    fsas = sorted(area.fsa for area in data.postal_areas.values() if area.likely_riding)
    codes = synthetic_codes(count, fsas)

    start = time.perf_counter()
    table = {area.fsa: area.likely_riding for area in data.postal_areas.values()}
    baseline_hits = sum(1 for code in codes if table.get(code.strip()[:3].upper()))
    baseline = time.perf_counter() - start

    start = time.perf_counter()
    resolved = sum(1 for code in codes if resolver.by_postal_code(code).matches)
    ours = time.perf_counter() - start

    assert resolved == baseline_hits == count
    print(f"baseline (bare dict look-up): {baseline:.3f} s for {count:,} codes")
    print(
        f"mpwrite Resolver:             {ours:.3f} s for {count:,} codes "
        f"({ours / count * 1e6:.2f} µs each)"
    )
    print(
        f"ratio: {ours / baseline:.1f}x the bare look-up; "
        f"target < 1 s per 100,000: {'OK' if ours * 100_000 / count < 1 else 'OVER TARGET'}"
    )


if __name__ == "__main__":
    main()
