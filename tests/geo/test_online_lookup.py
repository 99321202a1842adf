"""`mpwrite lookup --online` against a local server that answers like Represent."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from mpwrite.cli.root import app
from mpwrite.geo import represent
from mpwrite.geo.lookup import Resolver
from mpwrite.geo.postal import parse_postal_code
from mpwrite.geo.ridings import load_bundled
from mpwrite.geo.sources import build_resolver, federal_codes, online_source_of
from mpwrite.geo.store import PostcodeStore
from tests.helpers import TESTS
from tests.helpers import represent_fixture as fixture

FIXTURES = TESTS / "fixtures" / "represent"
runner = CliRunner()


@pytest.fixture(autouse=True)
def no_real_waiting(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Retries and the rate limiter sleep through this: tests never wait for real."""
    slept: list[float] = []
    monkeypatch.setattr(represent, "_sleep", slept.append)
    return slept


def lookup_json(server: HTTPServer, *args: str) -> tuple[dict[str, Any], str]:
    result = runner.invoke(
        app, ["lookup", *args, "--json", "--online", "--represent-url", server.url_for("/")]
    )
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout), result.stderr


def test_single_riding_is_exact_and_from_online(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/postcodes/K1A0B1/").respond_with_json(
        fixture("postcode_single.json")
    )
    answer, stderr = lookup_json(httpserver, "k1a 0b1")
    assert answer["exact"] is True
    [match] = answer["matches"]
    assert match["source"] == "online" and match["exact"] is True
    # The 2013-order boundary (35075) and the provincial one are ignored.
    assert match["riding"]["code"] == "35079"
    assert match["mp"]["name"] == "Yasir Naqvi"
    assert "likely" not in stderr


def test_several_ridings_are_all_shown(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/postcodes/K0A1K0/").respond_with_json(
        fixture("postcode_several.json")
    )
    answer, stderr = lookup_json(httpserver, "K0A1K0")
    assert answer["exact"] is False
    assert [m["riding"]["code"] for m in answer["matches"]] == ["35088", "35020"]
    assert all(m["exact"] and m["source"] == "online" for m in answer["matches"])
    assert "spans 2 ridings" in stderr


def test_centroid_only_answer(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/postcodes/M5V3L9/").respond_with_json(
        fixture("postcode_centroid_only.json")
    )
    answer, _ = lookup_json(httpserver, "M5V 3L9")
    assert [m["riding"]["code"] for m in answer["matches"]] == ["35100"]
    assert answer["exact"] is True


def test_concordance_only_answer(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/postcodes/J4Z3C8/").respond_with_json(
        fixture("postcode_concordance_only.json")
    )
    answer, _ = lookup_json(httpserver, "J4Z 3C8")
    assert [m["riding"]["code"] for m in answer["matches"]] == ["24015"]
    assert answer["matches"][0]["source"] == "online"


def test_set_named_without_a_year_is_used_only_when_code_and_name_agree() -> None:
    data = load_bundled()

    def boundary(code: str, name: str) -> dict[str, Any]:
        return {
            "external_id": code,
            "name": name,
            "related": {"boundary_set_url": "/boundary-sets/federal-electoral-districts/"},
        }

    agreeing = {"boundaries_centroid": [boundary("35079", "Ottawa Centre")]}
    stale_numbering = {"boundaries_centroid": [boundary("35079", "Some 2013 Riding")]}
    assert federal_codes(agreeing, data) == ("35079",)
    assert federal_codes(stale_numbering, data) == ()


def human_lookup(server: HTTPServer, code: str) -> tuple[int, str, str]:
    result = runner.invoke(
        app, ["lookup", code, "--online", "--represent-url", server.url_for("/")]
    )
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (404, "", "does not know the postal code K1A 0B1"),
        (503, "down", "HTTP 503"),
        (200, "{not json", "not JSON"),
    ],
)
def test_failures_give_one_line_and_the_offline_answer(
    httpserver: HTTPServer, status: int, body: str, expected: str
) -> None:
    httpserver.expect_request("/postcodes/K1A0B1/").respond_with_data(
        body, status=status, content_type="application/json"
    )
    exit_code, stdout, stderr = human_lookup(httpserver, "K1A 0B1")
    assert exit_code == 0
    assert "[likely, not confirmed, source: fsa]" in stdout
    warnings = [line for line in stderr.splitlines() if line.startswith("Warning:")]
    assert len(warnings) == 1 and expected in warnings[0]
    assert "offline answer" in warnings[0]
    assert "Traceback" not in stderr + stdout


def test_no_connection_gives_one_line_and_the_offline_answer() -> None:
    result = runner.invoke(
        app, ["lookup", "K1A 0B1", "--json", "--represent-url", "http://127.0.0.1:9"]
    )
    assert result.exit_code == 0
    answer = json.loads(result.stdout)
    assert answer["matches"][0]["source"] == "fsa" and answer["exact"] is False
    assert len(answer["warnings"]) == 1 and "could not connect" in answer["warnings"][0]


def test_retry_after_503_then_success(httpserver: HTTPServer, no_real_waiting: list[float]) -> None:
    httpserver.expect_oneshot_request("/postcodes/K1A0B1/").respond_with_data("", status=503)
    httpserver.expect_request("/postcodes/K1A0B1/").respond_with_json(
        fixture("postcode_single.json")
    )
    answer, _ = lookup_json(httpserver, "K1A 0B1")
    assert answer["matches"][0]["source"] == "online"
    assert 1.0 in no_real_waiting


def test_answer_with_no_federal_riding_falls_back(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/postcodes/K1A0B2/").respond_with_json(
        fixture("postcode_no_federal.json")
    )
    answer, stderr = lookup_json(httpserver, "K1A 0B2")
    assert answer["matches"][0]["source"] == "fsa"
    assert "no current federal riding" in answer["warnings"][0]
    # The hint to confirm does not send the user back to --online, which just failed.
    assert "only the likely riding" in stderr and "--online" not in stderr


def test_second_lookup_is_a_cache_hit_without_any_request(httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request("/postcodes/K0A1K0/").respond_with_json(
        fixture("postcode_several.json")
    )
    first, _ = lookup_json(httpserver, "K0A 1K0")
    assert {m["source"] for m in first["matches"]} == {"online"}
    second, _ = lookup_json(httpserver, "K0A 1K0")
    assert {m["source"] for m in second["matches"]} == {"cache"}
    assert [m["riding"]["code"] for m in second["matches"]] == ["35088", "35020"]
    assert len(httpserver.log) == 1
    # Offline, the store still answers (it exists now), exactly.
    offline = runner.invoke(app, ["lookup", "K0A 1K0", "--json"])
    assert {m["source"] for m in json.loads(offline.stdout)["matches"]} == {"cache"}


def test_old_cache_entries_are_refreshed_online_and_kept_if_offline(
    httpserver: HTTPServer,
) -> None:
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=400)
    with PostcodeStore() as store:
        store.put("K1A 0B1", ["35079"], fetched_at=long_ago)
    httpserver.expect_oneshot_request("/postcodes/K1A0B1/").respond_with_data("", status=503)
    # Represent down: the stale cached answer is still better than the FSA guess.
    answer, _ = lookup_json(httpserver, "K1A 0B1")
    assert answer["matches"][0]["source"] == "cache"
    assert len(answer["warnings"]) == 1
    httpserver.expect_request("/postcodes/K1A0B1/").respond_with_json(
        fixture("postcode_single.json")
    )
    refreshed, _ = lookup_json(httpserver, "K1A 0B1")
    assert refreshed["matches"][0]["source"] == "online"
    with PostcodeStore() as store:
        stored = store.get("K1A 0B1")
    assert stored is not None and not stored.older_than(dt.timedelta(days=1))


def test_resolver_order_riding_beats_store_beats_fsa() -> None:
    data = load_bundled()
    with PostcodeStore() as store:
        store.put("K1A 0B1", ["35020"], origin="import")
        resolver = build_resolver(data, store=store)
        assert resolver.by_postal_code("K1A 0B1").best.riding.code == "35020"
        assert resolver.by_postal_code("K1A 0B1").best.source == "cache"
        assert resolver.by_riding("Ottawa Centre").best.source == "riding"
        assert resolver.by_postal_code("K1A 0A6").best.source == "fsa"


def test_offline_lookup_imports_neither_requests_nor_jinja_nor_sqlite(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from mpwrite.cli.root import app\n"
        "result = CliRunner().invoke(app, ['lookup', 'K1A 0A6', '--json'])\n"
        "assert result.exit_code == 0, result.output\n"
        "print(','.join(m for m in ('requests', 'jinja2', 'sqlite3') if m in sys.modules))\n"
    )
    env = {"MPWRITE_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert done.stdout.strip() == ""


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def online_resolver(server: HTTPServer, clock: FakeClock, retries: int = 3) -> Resolver:
    client = represent.RepresentClient(
        server.url_for("/"),
        retries=retries,
        limiter=represent.RateLimiter(clock=clock, sleep=clock.sleep),
        sleep=clock.sleep,
    )
    return build_resolver(load_bundled(), online=True, client=client)


def test_online_answers_are_stored_so_a_rerun_asks_represent_nothing(
    httpserver: HTTPServer,
) -> None:
    for name in ("postcode_single.json", "postcode_several.json", "postcode_centroid_only.json"):
        answer = fixture(name)
        httpserver.expect_request(f"/postcodes/{answer['code']}/").respond_with_json(answer)
    codes = [parse_postal_code(row) for row in ("K1A 0B1", "K0A 1K0", "M5V 3L9")]
    clock = FakeClock()
    resolver = online_resolver(httpserver, clock)
    results = {code.code: resolver.by_postal_code(code) for code in codes}
    assert len(httpserver.log) == 3
    assert clock.now == pytest.approx(2.0)  # one request a second, the first at once
    assert len(results["K0A 1K0"].matches) == 2
    # A re-run (say after Ctrl-C) asks Represent nothing: the store has every answer.
    again = online_resolver(httpserver, FakeClock())
    rerun = {code.code: again.by_postal_code(code) for code in codes}
    assert len(httpserver.log) == 3
    assert rerun["K1A 0B1"].best.source == "cache"


def test_a_run_stops_asking_represent_after_repeated_outages(httpserver: HTTPServer) -> None:
    httpserver.expect_request(re.compile("/postcodes/.*")).respond_with_data("", status=503)
    resolver = online_resolver(httpserver, FakeClock(), retries=0)
    codes = [parse_postal_code(f"K1A 0B{digit}") for digit in range(1, 7)]
    results = [resolver.by_postal_code(code) for code in codes]
    assert len(httpserver.log) == 3
    last = results[-1]
    assert last.best.source == "fsa"
    assert "not being asked any more" in last.warnings[0]
    online = online_source_of(resolver)
    assert online is not None and online.gave_up
