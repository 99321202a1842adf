"""A small client for Open North's Represent API (https://represent.opennorth.ca).

Represent allows 60 requests a minute per address and answers 503 (sometimes
429) past that, so every request first takes a token from a client-side
limiter, and failures that may pass (no connection, timeout, 429, 5xx) are
retried with exponential backoff. ``requests`` is imported only when the first
request is made: an offline ``mpwrite lookup`` never loads it.

The bounds every request keeps to are in :mod:`mpwrite.geo.represent_limits`.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from mpwrite import __version__
from mpwrite.errors import (
    RepresentError,
    RepresentNotFoundError,
    RepresentResponseError,
    RepresentUnavailableError,
    UsageError,
)
from mpwrite.geo.represent_limits import (
    FAILURE_BUDGET_FACTOR,
    MAX_BODY_BYTES,
    MAX_REDIRECTS,
    MAX_RETRY_AFTER,
    Retryable,
    read_body,
    resolve_deadline,
    retry_after_seconds,
    site,
    within,
)
from mpwrite.i18n import _

if TYPE_CHECKING:
    import requests

DEFAULT_BASE_URL = "https://represent.opennorth.ca"
BASE_URL_ENVIRONMENT_VARIABLE = "MPWRITE_REPRESENT_URL"
USER_AGENT = f"mpwrite/{__version__} (letters to Canadian MPs; Python)"

#: Represent's documented free limit.
REQUESTS_PER_MINUTE = 60
#: Seconds to wait for a connection and for each read.
DEFAULT_TIMEOUT = 10.0
#: Retries after the first attempt; with a 1 s base the waits are 1, 2, 4 s.
DEFAULT_RETRIES = 3
DEFAULT_BACKOFF = 1.0

Clock = Callable[[], float]
Sleep = Callable[[float], None]


def _sleep(seconds: float) -> None:
    # Looked up at call time so tests can replace it without real waiting.
    time.sleep(seconds)


def resolve_base_url(base_url: str | None = None) -> str:
    """The base URL: the argument, else ``MPWRITE_REPRESENT_URL``, else Represent's own."""
    from urllib.parse import urlsplit

    from_environment = os.environ.get(BASE_URL_ENVIRONMENT_VARIABLE)
    chosen = base_url or from_environment or DEFAULT_BASE_URL
    given_as = "--represent-url" if base_url else BASE_URL_ENVIRONMENT_VARIABLE
    try:
        parts = urlsplit(chosen.strip())
        usable = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        usable = False
    if not usable:
        raise UsageError(
            _("{given_as} {url!r} is not an http(s) URL; give one like {example}").format(
                given_as=given_as, url=chosen, example=DEFAULT_BASE_URL
            )
        )
    return chosen.strip().rstrip("/")


class RateLimiter:
    """A token bucket: ``rate_per_minute`` tokens a minute, at most ``burst`` saved up.

    The default burst of one spaces requests a second apart, so no window of
    sixty seconds ever holds more than sixty requests, which is what the
    server counts.
    """

    def __init__(
        self,
        rate_per_minute: float = REQUESTS_PER_MINUTE,
        burst: float = 1.0,
        clock: Clock = time.monotonic,
        sleep: Sleep | None = None,
    ) -> None:
        self.rate_per_second = rate_per_minute / 60.0
        self.burst = burst
        self._clock = clock
        self._sleep = sleep or _sleep
        self._tokens = burst
        self._updated = clock()

    def _refill(self) -> None:
        now = self._clock()
        elapsed = max(0.0, now - self._updated)
        self._tokens = min(self.burst, self._tokens + elapsed * self.rate_per_second)
        self._updated = now

    def acquire(self) -> float:
        """Take a token, sleeping until it is due; returns the seconds slept.

        The token is reserved before sleeping (the bucket may go below zero),
        so the wait is computed once and never depends on the sleep being exact.
        """
        self._refill()
        self._tokens -= 1.0
        if self._tokens >= 0.0:
            return 0.0
        delay = -self._tokens / self.rate_per_second
        self._sleep(delay)
        return delay

    def estimated_seconds(self, requests_left: int) -> float:
        """How long ``requests_left`` more requests take at least (for a progress ETA)."""
        if requests_left <= 0:
            return 0.0
        self._refill()
        owed = max(0.0, requests_left - self._tokens)
        return owed / self.rate_per_second


class RepresentClient:
    """Represent's postcode and representative look-ups, politely."""

    def __init__(
        self,
        base_url: str | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        retries: int = DEFAULT_RETRIES,
        backoff: float = DEFAULT_BACKOFF,
        limiter: RateLimiter | None = None,
        sleep: Sleep | None = None,
        deadline: float | None = None,
        max_body_bytes: int | None = None,
        clock: Clock = time.monotonic,
    ) -> None:
        self.base_url = resolve_base_url(base_url)
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        #: Seconds one look-up may take in all (``MPWRITE_REPRESENT_DEADLINE``).
        self.deadline = resolve_deadline(deadline)
        self.max_body_bytes = MAX_BODY_BYTES if max_body_bytes is None else max_body_bytes
        self._clock = clock
        self._sleep = sleep or _sleep
        self.limiter = limiter or RateLimiter(sleep=self._sleep)
        self._session: requests.Session | None = None
        #: Requests actually sent, retries included (for tests and progress).
        self.requests_sent = 0
        #: Seconds spent on look-ups that failed since the last answer (waits included).
        self.seconds_lost = 0.0
        self._retry_after: float | None = None

    def _get_session(self) -> requests.Session:
        if self._session is None:
            import requests

            session = requests.Session()
            session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
            self._session = session
        return self._session

    def close(self) -> None:
        """Release the connection pool."""
        if self._session is not None:
            self._session.close()
            self._session = None

    def get_json(self, path: str, params: dict[str, str] | None = None) -> Any:
        """GET ``path`` (relative to the base URL) and decode its JSON, retrying what may pass.

        The whole look-up ends within :attr:`deadline` seconds. The time that
        failures in a row ("not found" is an answer, not a failure) have cost is
        counted; past twice the deadline the client stops asking.
        """
        budget = self.deadline * FAILURE_BUDGET_FACTOR
        if self.seconds_lost >= budget:
            raise RepresentUnavailableError(
                _(
                    "Represent ({url}) is not being asked any more: failed look-ups "
                    "have already cost {lost} s (the limit is {limit} s)"
                ).format(url=self.base_url, lost=f"{self.seconds_lost:.0f}", limit=f"{budget:g}")
            )
        url = self._same_site(
            path if path.startswith(("http://", "https://")) else f"{self.base_url}{path}"
        )
        started = self._clock()
        try:
            answer = self._get_json(url, params, started + self.deadline)
        except RepresentNotFoundError:
            self.seconds_lost = 0.0
            raise
        except RepresentError:
            self.seconds_lost += self._clock() - started
            raise
        self.seconds_lost = 0.0
        return answer

    def _get_json(self, url: str, params: dict[str, str] | None, deadline: float) -> Any:
        problem = _("no answer")
        attempts = 0
        for attempt in range(self.retries + 1):
            if attempt:
                delay = self._retry_delay(attempt)
                if self._clock() + delay >= deadline:
                    problem += _("; no time left to retry within {seconds} s").format(
                        seconds=f"{self.deadline:g}"
                    )
                    break
                self._sleep(delay)
            self.limiter.acquire()
            self.requests_sent += 1
            attempts += 1
            try:
                return within(
                    deadline - self._clock(),
                    lambda: self._attempt(url, params, deadline),
                    _("no complete answer within {seconds} s").format(seconds=f"{self.deadline:g}"),
                )
            except Retryable as failure:
                problem = str(failure)
            if self._retry_after is not None and self._retry_after > MAX_RETRY_AFTER:
                problem += _(", asked to wait {seconds} s").format(seconds=f"{self._retry_after:g}")
                self._retry_after = None
                break
        raise RepresentUnavailableError(
            (
                _("Represent ({url}) is unavailable: {problem} after {count} attempt")
                if attempts == 1
                else _("Represent ({url}) is unavailable: {problem} after {count} attempts")
            ).format(url=self.base_url, problem=problem, count=attempts)
        )

    def _attempt(self, url: str, params: dict[str, str] | None, deadline: float) -> Any:
        """One request (same-host redirects followed), its body read within the limits."""
        import requests

        session = self._get_session()
        for _redirect in range(MAX_REDIRECTS + 1):
            left = deadline - self._clock()
            if left <= 0:
                raise Retryable(
                    _("no answer within {seconds} s").format(seconds=f"{self.deadline:g}")
                )
            try:
                response = session.get(
                    url,
                    params=params,
                    timeout=(min(self.timeout, left), min(self.timeout, left)),
                    stream=True,
                    allow_redirects=False,
                )
            except requests.Timeout:
                raise Retryable(
                    _("no answer within {seconds} s").format(seconds=f"{min(self.timeout, left):g}")
                ) from None
            except requests.RequestException as error:
                raise Retryable(
                    _("could not connect ({error})").format(error=type(error).__name__)
                ) from None
            with response:
                status = response.status_code
                if status in (301, 302, 303, 307, 308):
                    from urllib.parse import urljoin

                    url = self._same_site(urljoin(url, response.headers.get("Location", "")))
                    params = None  # the new location carries its own query
                    continue
                if status == 404:
                    raise RepresentNotFoundError(
                        _("{url} is unknown to Represent (HTTP 404)").format(url=url)
                    )
                if status == 429 or status >= 500:
                    self._retry_after = retry_after_seconds(response.headers.get("Retry-After"))
                    raise Retryable(f"HTTP {status}")
                if status >= 400 or status < 200:
                    raise RepresentResponseError(
                        _("Represent refused {url} (HTTP {status})").format(url=url, status=status)
                    )
                body = read_body(
                    response,
                    url,
                    max_bytes=self.max_body_bytes,
                    stalled_after=self.timeout,
                    out_of_time=lambda: self._clock() > deadline,
                )
            try:
                return json.loads(body)
            except (ValueError, RecursionError):
                raise RepresentResponseError(
                    _(
                        "Represent answered {url} with something that is not JSON (or nested "
                        "too deeply to read)"
                    ).format(url=url)
                ) from None
        raise RepresentResponseError(
            _("Represent redirected {url} more than {count} times").format(
                url=url, count=MAX_REDIRECTS
            )
        )

    def _same_site(self, url: str) -> str:
        """``url`` when it is on the base URL's host and port, else RepresentResponseError."""
        target = site(url)
        if target is None or target != site(self.base_url):
            shown = target[0] if target else url[:80]
            raise RepresentResponseError(
                _("Represent sent a link to another host ({host}); it was not followed").format(
                    host=shown
                )
            )
        return url

    def _retry_delay(self, attempt: int) -> float:
        delay: float = self.backoff * 2.0 ** (attempt - 1)
        if self._retry_after is not None:
            delay = max(delay, self._retry_after)
            self._retry_after = None
        return delay

    def postcode(self, compact_code: str) -> dict[str, Any]:
        """The ``/postcodes/{CODE}/`` answer (code upper case, no space)."""
        answer = self.get_json(f"/postcodes/{compact_code.upper()}/")
        if not isinstance(answer, dict):
            raise RepresentResponseError(_("Represent's postcode answer is not a JSON object"))
        return answer

    def house_of_commons(self, page_size: int = 1000) -> list[dict[str, Any]]:
        """Every representative of the House of Commons, following ``meta.next``."""
        found: list[dict[str, Any]] = []
        path: str | None = f"/representatives/house-of-commons/?limit={page_size}"
        expected_total: int | None = None
        pages = 0
        while path:
            pages += 1
            if pages > 100:
                raise RepresentResponseError(_("Represent's MP list does not end (over 100 pages)"))
            answer = self.get_json(path)
            if not isinstance(answer, dict) or not isinstance(answer.get("objects"), list):
                raise RepresentResponseError(_("Represent's MP list has no 'objects' list"))
            meta = answer.get("meta") or {}
            if not isinstance(meta, dict):
                raise RepresentResponseError(_("Represent's MP list has a malformed 'meta'"))
            total = meta.get("total_count")
            if isinstance(total, int):
                expected_total = total
            found.extend(item for item in answer["objects"] if isinstance(item, dict))
            next_path = meta.get("next")
            path = next_path if isinstance(next_path, str) and next_path else None
        if expected_total is not None and len(found) != expected_total:
            raise RepresentResponseError(
                _("Represent announced {expected} MPs but sent {count}; try again later").format(
                    expected=expected_total, count=len(found)
                )
            )
        return found
