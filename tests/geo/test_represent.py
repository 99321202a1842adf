"""The Represent client against a local server: headers, retries, limits, failures."""

from __future__ import annotations

import json
import time

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from mpwrite import __version__
from mpwrite.errors import (
    RepresentNotFoundError,
    RepresentResponseError,
    RepresentUnavailableError,
    UsageError,
)
from mpwrite.geo.represent import (
    DEFAULT_BASE_URL,
    USER_AGENT,
    RateLimiter,
    RepresentClient,
    resolve_base_url,
)

POSTCODE = "/postcodes/K1A0B1/"


class FakeClock:
    """A clock that only moves when something sleeps on it."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def client_for(server: HTTPServer, clock: FakeClock, **options: object) -> RepresentClient:
    limiter = RateLimiter(clock=clock, sleep=clock.sleep)
    return RepresentClient(
        server.url_for("/"),
        limiter=limiter,
        sleep=clock.sleep,
        **options,  # type: ignore[arg-type]
    )


def test_user_agent_names_mpwrite_and_its_version(httpserver: HTTPServer) -> None:
    assert USER_AGENT.startswith(f"mpwrite/{__version__} ")
    httpserver.expect_request(POSTCODE, headers={"User-Agent": USER_AGENT}).respond_with_json(
        {"code": "K1A0B1"}
    )
    answer = client_for(httpserver, FakeClock()).postcode("k1a0b1")
    assert answer == {"code": "K1A0B1"}


def test_base_url_argument_beats_environment_beats_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert resolve_base_url() == DEFAULT_BASE_URL
    monkeypatch.setenv("MPWRITE_REPRESENT_URL", "http://env.example/")
    assert resolve_base_url() == "http://env.example"
    assert resolve_base_url("http://arg.example") == "http://arg.example"


@pytest.mark.parametrize("status", [429, 503, 500])
def test_retries_after_throttling_or_server_errors_then_succeeds(
    httpserver: HTTPServer, status: int
) -> None:
    httpserver.expect_oneshot_request(POSTCODE).respond_with_data("busy", status=status)
    httpserver.expect_oneshot_request(POSTCODE).respond_with_data("busy", status=status)
    httpserver.expect_request(POSTCODE).respond_with_json({"code": "K1A0B1"})
    clock = FakeClock()
    client = client_for(httpserver, clock)
    assert client.postcode("K1A0B1") == {"code": "K1A0B1"}
    assert client.requests_sent == 3
    # Exponential backoff: 1 s then 2 s (the limiter needs no wait after those).
    assert clock.sleeps == [1.0, 2.0]


def test_retry_after_header_is_obeyed(httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request(POSTCODE).respond_with_data(
        "slow down", status=429, headers={"Retry-After": "7"}
    )
    httpserver.expect_request(POSTCODE).respond_with_json({"code": "K1A0B1"})
    clock = FakeClock()
    client_for(httpserver, clock).postcode("K1A0B1")
    assert clock.sleeps == [7.0]


def test_gives_up_after_the_retries_with_one_clear_error(httpserver: HTTPServer) -> None:
    httpserver.expect_request(POSTCODE).respond_with_data("down", status=503)
    clock = FakeClock()
    client = client_for(httpserver, clock, retries=3)
    with pytest.raises(RepresentUnavailableError) as caught:
        client.postcode("K1A0B1")
    assert client.requests_sent == 4
    assert clock.sleeps == [1.0, 2.0, 4.0]
    message = str(caught.value)
    assert "HTTP 503" in message and "4 attempts" in message and "\n" not in message


def test_timeout_is_reported_as_unavailable(httpserver: HTTPServer) -> None:
    def slow(request: Request) -> Response:
        time.sleep(0.5)
        return Response(json.dumps({"code": "K1A0B1"}), content_type="application/json")

    httpserver.expect_request(POSTCODE).respond_with_handler(slow)
    client = client_for(httpserver, FakeClock(), timeout=0.1, retries=1)
    with pytest.raises(RepresentUnavailableError, match=r"no answer within 0\.1 s"):
        client.postcode("K1A0B1")
    assert client.requests_sent == 2


def test_connection_refused_is_reported_as_unavailable() -> None:
    clock = FakeClock()
    client = RepresentClient(
        "http://127.0.0.1:9",
        retries=1,
        limiter=RateLimiter(clock=clock, sleep=clock.sleep),
        sleep=clock.sleep,
    )
    with pytest.raises(RepresentUnavailableError, match="could not connect"):
        client.postcode("K1A0B1")


def test_not_found_is_not_retried(httpserver: HTTPServer) -> None:
    httpserver.expect_request(POSTCODE).respond_with_data("", status=404)
    clock = FakeClock()
    client = client_for(httpserver, clock)
    with pytest.raises(RepresentNotFoundError):
        client.postcode("K1A0B1")
    assert client.requests_sent == 1


def test_malformed_json_is_a_response_error(httpserver: HTTPServer) -> None:
    httpserver.expect_request(POSTCODE).respond_with_data(
        "<html>oops", content_type="application/json"
    )
    with pytest.raises(RepresentResponseError, match="not JSON"):
        client_for(httpserver, FakeClock()).postcode("K1A0B1")


def test_house_of_commons_follows_every_page(httpserver: HTTPServer) -> None:
    path = "/representatives/house-of-commons/"
    httpserver.expect_request(path, query_string="limit=2").respond_with_json(
        {
            "objects": [{"name": "A"}, {"name": "B"}],
            "meta": {"next": f"{path}?limit=2&offset=2", "total_count": 3},
        }
    )
    httpserver.expect_request(path, query_string="limit=2&offset=2").respond_with_json(
        {"objects": [{"name": "C"}], "meta": {"next": None, "total_count": 3}}
    )
    found = client_for(httpserver, FakeClock()).house_of_commons(page_size=2)
    assert [item["name"] for item in found] == ["A", "B", "C"]


def test_house_of_commons_short_of_the_announced_total_is_an_error(
    httpserver: HTTPServer,
) -> None:
    httpserver.expect_request("/representatives/house-of-commons/").respond_with_json(
        {"objects": [{"name": "A"}], "meta": {"next": None, "total_count": 343}}
    )
    with pytest.raises(RepresentResponseError, match="announced 343"):
        client_for(httpserver, FakeClock()).house_of_commons()


def test_rate_limiter_allows_sixty_a_minute_without_real_sleeping() -> None:
    clock = FakeClock()
    limiter = RateLimiter(rate_per_minute=60, clock=clock, sleep=clock.sleep)
    for _ in range(61):
        limiter.acquire()
    # The first request goes at once, then one a second: 61 requests take 60 s.
    assert clock.now == pytest.approx(60.0)
    assert limiter.estimated_seconds(120) == pytest.approx(120.0)
    assert limiter.estimated_seconds(0) == 0.0


def test_rate_limiter_with_a_burst_saves_up_tokens() -> None:
    clock = FakeClock()
    limiter = RateLimiter(rate_per_minute=60, burst=5, clock=clock, sleep=clock.sleep)
    for _ in range(5):
        assert limiter.acquire() == 0.0
    assert limiter.acquire() == pytest.approx(1.0)


def test_client_requests_go_through_the_limiter(httpserver: HTTPServer) -> None:
    httpserver.expect_request(POSTCODE).respond_with_json({"code": "K1A0B1"})
    clock = FakeClock()
    client = client_for(httpserver, clock)
    for _ in range(3):
        client.postcode("K1A0B1")
    assert clock.sleeps == [pytest.approx(1.0), pytest.approx(1.0)]


@pytest.mark.parametrize(
    "url",
    [
        "represent.opennorth.ca",
        "ftp://represent.example",
        "http://",
        "https:///path",
        "javascript:alert(1)",
        "http://[::1",
    ],
)
def test_base_url_must_be_http_with_a_host(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(UsageError, match=r"--represent-url '.*' is not an http\(s\) URL"):
        resolve_base_url(url)
    monkeypatch.setenv("MPWRITE_REPRESENT_URL", url)
    with pytest.raises(UsageError, match=r"MPWRITE_REPRESENT_URL '.*' is not an http\(s\) URL"):
        resolve_base_url()


def test_a_bad_represent_url_is_a_usage_error_on_the_command_line() -> None:
    from typer.testing import CliRunner

    from mpwrite.cli.root import app

    result = CliRunner().invoke(app, ["lookup", "K1A 0B1", "--represent-url", "not a url"])
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: --represent-url 'not a url' is not an http(s) URL; "
        "give one like https://represent.opennorth.ca\n"
    )
