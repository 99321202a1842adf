"""Progress for bulk runs: the time left knows Represent's rate limit."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from mpwrite.bulk.run import BulkOptions, BulkProgress, estimate_eta, make_resolver, run_bulk
from mpwrite.geo import represent
from tests.helpers import represent_fixture


def test_eta_follows_the_pace_offline() -> None:
    # A quarter of the input read in 10 s: three quarters take 30 s more.
    assert estimate_eta(100, 250, 1000, 10.0) == pytest.approx(30.0)


def test_eta_is_unknown_before_anything_is_read() -> None:
    assert estimate_eta(0, 0, 1000, 0.0) is None
    assert estimate_eta(10, 100, None, 1.0) is None


def test_eta_has_the_rate_limit_as_a_floor() -> None:
    # 100 rows so far, half of them needed Represent; 300 rows to come need
    # about 150 requests, which at one a second take 150 s: longer than the pace.
    def one_a_second(requests: int) -> float:
        return float(requests)

    eta = estimate_eta(100, 250, 1000, 10.0, 50, one_a_second)
    assert eta == pytest.approx(150.0)
    # When the pace is slower than the limit, the pace wins.
    assert estimate_eta(100, 250, 1000, 1000.0, 50, one_a_second) == pytest.approx(3000.0)


def test_online_bulk_reports_an_eta_from_the_rate_limit(
    tmp_path: Path, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    answer = represent_fixture("postcode_single.json")
    codes = [f"K1A 0B{digit}" for digit in range(10)]
    for code in codes:
        httpserver.expect_request(f"/postcodes/{code.replace(' ', '')}/").respond_with_json(
            answer
        )
    monkeypatch.setenv("MPWRITE_REPRESENT_URL", httpserver.url_for("/"))
    monkeypatch.setattr(represent, "_sleep", lambda seconds: None)
    source = tmp_path / "s.csv"
    # Long notes make the file large enough for the bytes read to track the rows.
    note = "x" * 100_000
    source.write_text(
        "Name,Postal code,Note\n"
        + "".join(f"P{n},{code},{note}\n" for n, code in enumerate(codes)),
        encoding="utf-8",
    )
    seen: list[BulkProgress] = []
    resolver = make_resolver(online=True)
    summary = run_bulk(
        source,
        BulkOptions(out_dir=None, dry_run=True),
        progress=seen.append,
        resolver=resolver,
    )
    assert summary.statuses["ready"] == 10
    first = seen[0]
    # Every row so far needed Represent, so every row still to read is expected
    # to: at 60 a minute that is about a second each, whatever the local pace.
    assert first.eta_seconds is not None and first.eta_seconds >= 5.0
    assert seen[-1].eta_seconds == pytest.approx(0.0, abs=1e-6)
