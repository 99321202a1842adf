"""The Represent client's bounds against hostile local servers: size, time, waits, hosts."""

from __future__ import annotations

import gzip
import json
import socket
import threading
import time
from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner
from werkzeug import Request, Response

from mpwrite.cli.root import app
from mpwrite.errors import RepresentResponseError, RepresentUnavailableError, UsageError
from mpwrite.geo import represent
from mpwrite.geo.postal import parse_postal_code
from mpwrite.geo.represent import RateLimiter, RepresentClient
from mpwrite.geo.ridings import load_bundled
from mpwrite.geo.sources import build_resolver
from tests.helpers import TESTS

POSTCODE = "/postcodes/K1A0B1/"
FIXTURES = TESTS / "fixtures" / "represent"
runner = CliRunner()


def quick_client(url: str, **options: object) -> RepresentClient:
    """A real-time client with small limits, so each test ends in a second or two."""
    settings: dict[str, object] = {"deadline": 1.0, "retries": 0, "max_body_bytes": 100_000}
    settings.update(options)
    return RepresentClient(url, limiter=RateLimiter(rate_per_minute=60_000), **settings)  # type: ignore[arg-type]


def test_a_gzip_bomb_is_refused_while_it_is_read(httpserver: HTTPServer) -> None:
    bomb = gzip.compress(b" " * 50_000_000, compresslevel=9)  # 50 MB from about 50 KB
    httpserver.expect_request(POSTCODE).respond_with_data(
        bomb, headers={"Content-Encoding": "gzip"}, content_type="application/json"
    )
    started = time.monotonic()
    with pytest.raises(RepresentResponseError, match="larger than 100,000 bytes"):
        quick_client(httpserver.url_for("/"), deadline=10.0).postcode("K1A0B1")
    assert time.monotonic() - started < 5


def test_an_endless_chunked_body_is_refused(httpserver: HTTPServer) -> None:
    def endless(request: Request) -> Response:
        def chunks() -> Iterator[bytes]:
            yield b"["
            while True:
                yield b"0," * 4096

        return Response(chunks(), content_type="application/json")

    httpserver.expect_request(POSTCODE).respond_with_handler(endless)
    with pytest.raises(RepresentResponseError, match="larger than"):
        quick_client(httpserver.url_for("/"), deadline=10.0).postcode("K1A0B1")


def test_a_body_over_the_limit_is_refused_from_its_length(httpserver: HTTPServer) -> None:
    httpserver.expect_request(POSTCODE).respond_with_data(
        b"[" + b"0," * 100_000 + b"0]", content_type="application/json"
    )
    with pytest.raises(RepresentResponseError, match="larger than"):
        quick_client(httpserver.url_for("/")).postcode("K1A0B1")
    assert represent.MAX_BODY_BYTES == 16 * 1024 * 1024


@pytest.mark.slow
def test_a_trickling_body_ends_at_the_deadline(httpserver: HTTPServer) -> None:
    def trickle(request: Request) -> Response:
        def drip() -> Iterator[bytes]:
            yield b'{"code": "'
            for _ in range(100):
                time.sleep(0.2)
                yield b"K"

        return Response(drip(), content_type="application/json")

    httpserver.expect_request(POSTCODE).respond_with_handler(trickle)
    started = time.monotonic()
    with pytest.raises(RepresentUnavailableError, match=r"within 1 s|took too long"):
        quick_client(httpserver.url_for("/")).postcode("K1A0B1")
    assert time.monotonic() - started < 3


@pytest.fixture
def trickling_headers() -> Iterator[str]:
    """A server that sends a status line, then one header byte every 0.2 s, forever."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            with connection:
                connection.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
                while not stop.wait(0.2):
                    try:
                        connection.sendall(b"a")
                    except OSError:
                        break

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    thread.join(5)
    listener.close()


@pytest.mark.slow
def test_trickling_headers_end_at_the_deadline(trickling_headers: str) -> None:
    started = time.monotonic()
    with pytest.raises(RepresentUnavailableError, match="no complete answer within 1 s"):
        quick_client(trickling_headers).postcode("K1A0B1")
    assert time.monotonic() - started < 3


def test_a_long_retry_after_ends_the_look_up_at_once(httpserver: HTTPServer) -> None:
    httpserver.expect_request(POSTCODE).respond_with_data(
        "", status=503, headers={"Retry-After": "60"}
    )
    slept: list[float] = []
    client = RepresentClient(
        httpserver.url_for("/"), sleep=slept.append, limiter=RateLimiter(sleep=slept.append)
    )
    with pytest.raises(RepresentUnavailableError, match="asked to wait 60 s after 1 attempt"):
        client.postcode("K1A0B1")
    assert slept == [] and client.requests_sent == 1


def test_a_bulk_run_against_retry_after_60_takes_no_waiting(httpserver: HTTPServer) -> None:
    for letter in "ABCEGHJK":
        httpserver.expect_request(f"/postcodes/K1A0{letter}1/").respond_with_data(
            "", status=503, headers={"Retry-After": "60"}
        )
    slept: list[float] = []
    client = RepresentClient(
        httpserver.url_for("/"), sleep=slept.append, limiter=RateLimiter(sleep=slept.append)
    )
    resolver = build_resolver(load_bundled(), online=True, client=client)
    codes = [parse_postal_code(f"K1A 0{letter}1") for letter in "ABCEGHJK"]
    started = time.monotonic()
    results = [resolver.by_postal_code(code) for code in codes]
    assert len(results) == 8
    assert sum(slept) < 8 and client.requests_sent == 3
    assert time.monotonic() - started < 5


def test_deeply_nested_json_is_a_response_error(httpserver: HTTPServer) -> None:
    httpserver.expect_request(POSTCODE).respond_with_data(
        "[" * 50_000 + "]" * 50_000, content_type="application/json"
    )
    with pytest.raises(RepresentResponseError, match="not JSON"):
        quick_client(httpserver.url_for("/")).postcode("K1A0B1")


def test_a_redirect_to_another_host_is_refused(httpserver: HTTPServer) -> None:
    elsewhere = httpserver.url_for(POSTCODE).replace("localhost", "127.0.0.1")
    assert elsewhere != httpserver.url_for(POSTCODE)
    httpserver.expect_request(POSTCODE).respond_with_data(
        "", status=302, headers={"Location": elsewhere}
    )
    with pytest.raises(RepresentResponseError, match=r"another host \(127\.0\.0\.1\)"):
        quick_client(httpserver.url_for("/")).postcode("K1A0B1")


def test_a_redirect_on_the_same_host_is_followed(httpserver: HTTPServer) -> None:
    httpserver.expect_request(POSTCODE).respond_with_data(
        "", status=301, headers={"Location": "/v2/postcodes/K1A0B1/"}
    )
    httpserver.expect_request("/v2/postcodes/K1A0B1/").respond_with_json({"code": "K1A0B1"})
    assert quick_client(httpserver.url_for("/")).postcode("K1A0B1") == {"code": "K1A0B1"}


@pytest.mark.parametrize(
    "next_link", ["http://evil.example/representatives/", "@evil.example/representatives/"]
)
def test_a_next_link_to_another_host_is_refused(httpserver: HTTPServer, next_link: str) -> None:
    httpserver.expect_request("/representatives/house-of-commons/").respond_with_json(
        {"objects": [], "meta": {"next": next_link}}
    )
    with pytest.raises(RepresentResponseError, match="another host"):
        quick_client(httpserver.url_for("/").rstrip("/")).house_of_commons()


def test_failures_stop_the_client_once_they_cost_two_deadlines(httpserver: HTTPServer) -> None:
    httpserver.expect_request(POSTCODE).respond_with_data("", status=503)
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    client = RepresentClient(
        httpserver.url_for("/"),
        deadline=5.0,
        clock=lambda: now[0],
        sleep=sleep,
        limiter=RateLimiter(clock=lambda: now[0], sleep=sleep),
    )
    with pytest.raises(RepresentUnavailableError, match="no time left to retry"):
        client.postcode("K1A0B1")
    messages = []
    for _ in range(5):
        with pytest.raises(RepresentUnavailableError) as caught:
            client.postcode("K1A0B1")
        messages.append(str(caught.value))
    assert client.seconds_lost >= 10.0
    assert "not being asked any more" in messages[-1] and "(the limit is 10 s)" in messages[-1]
    sent = client.requests_sent
    with pytest.raises(RepresentUnavailableError, match="not being asked any more"):
        client.postcode("K1A0B1")
    assert client.requests_sent == sent


def test_the_deadline_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from mpwrite.geo.represent_limits import resolve_deadline

    assert resolve_deadline() == 30.0
    monkeypatch.setenv("MPWRITE_REPRESENT_DEADLINE", "5")
    assert resolve_deadline() == 5.0
    for bad in ("0", "1e999", "nan", "soon"):
        monkeypatch.setenv("MPWRITE_REPRESENT_DEADLINE", bad)
        with pytest.raises(UsageError, match="from 1 to 600"):
            resolve_deadline()
    result = runner.invoke(app, ["lookup", "K1A 0B1", "--represent-url", "http://localhost:9"])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: MPWRITE_REPRESENT_DEADLINE='soon'")


@pytest.mark.slow
def test_a_lookup_against_a_stalling_server_falls_back_within_the_deadline(
    monkeypatch: pytest.MonkeyPatch, trickling_headers: str
) -> None:
    monkeypatch.setenv("MPWRITE_REPRESENT_DEADLINE", "1")
    started = time.monotonic()
    result = runner.invoke(
        app, ["lookup", "K1A 0B1", "--json", "--represent-url", trickling_headers]
    )
    assert result.exit_code == 0, result.stderr
    assert time.monotonic() - started < 4
    answer = json.loads(result.stdout)
    assert answer["matches"][0]["source"] == "fsa"
    assert "within 1 s" in answer["warnings"][0]


def test_an_answer_resets_the_time_lost_to_failures(httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request(POSTCODE).respond_with_data("", status=503)
    httpserver.expect_oneshot_request(POSTCODE).respond_with_data("", status=503)
    httpserver.expect_request(POSTCODE).respond_with_json({"code": "K1A0B1"})
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    client = RepresentClient(
        httpserver.url_for("/"),
        retries=1,
        clock=lambda: now[0],
        sleep=sleep,
        limiter=RateLimiter(clock=lambda: now[0], sleep=sleep),
    )
    with pytest.raises(RepresentUnavailableError):
        client.postcode("K1A0B1")
    assert client.seconds_lost >= 1.0  # the backoff before the second attempt
    assert client.postcode("K1A0B1") == {"code": "K1A0B1"}
    assert client.seconds_lost == 0.0
