"""A small client for Open North's Represent API (https://represent.opennorth.ca).

Represent allows 60 requests a minute per address and answers 503 (sometimes
429) past that, so every request first takes a token from a client-side
limiter, and failures that may pass (no connection, timeout, 429, 5xx) are
retried with exponential backoff. ``requests`` is imported only when the first
request is made: an offline ``mpwrite lookup`` never loads it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from mpwrite import __version__
from mpwrite.errors import (
    RepresentNotFoundError,
    RepresentResponseError,
    RepresentUnavailableError,
    UsageError,
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
#: A server's Retry-After is obeyed up to this many seconds, so one bad header
#: cannot stall a run for hours.
MAX_RETRY_AFTER = 60.0

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
            f"{given_as} {chosen!r} is not an http(s) URL; give one like {DEFAULT_BASE_URL}"
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

    def wait_time(self) -> float:
        """Seconds until a token is free (0 when one is free now)."""
        self._refill()
        if self._tokens >= 1.0:
            return 0.0
        return (1.0 - self._tokens) / self.rate_per_second

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
    ) -> None:
        self.base_url = resolve_base_url(base_url)
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self._sleep = sleep or _sleep
        self.limiter = limiter or RateLimiter(sleep=self._sleep)
        self._session: requests.Session | None = None
        #: Requests actually sent, retries included (for tests and progress).
        self.requests_sent = 0
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
        """GET ``path`` (relative to the base URL) and decode its JSON, retrying what may pass."""
        import requests

        url = path if path.startswith(("http://", "https://")) else f"{self.base_url}{path}"
        session = self._get_session()
        problem = "no answer"
        for attempt in range(self.retries + 1):
            if attempt:
                self._sleep(self._retry_delay(attempt))
            self.limiter.acquire()
            self.requests_sent += 1
            try:
                response = session.get(url, params=params, timeout=self.timeout)
            except requests.Timeout:
                problem = f"no answer within {self.timeout:g} s"
                continue
            except requests.RequestException as error:
                problem = f"could not connect ({type(error).__name__})"
                continue
            status = response.status_code
            if status == 404:
                raise RepresentNotFoundError(
                    _("{url} is unknown to Represent (HTTP 404)").format(url=url)
                )
            if status == 429 or status >= 500:
                problem = f"HTTP {status}"
                self._retry_after = _retry_after_seconds(response.headers.get("Retry-After"))
                continue
            if status >= 400:
                raise RepresentResponseError(f"Represent refused {url} (HTTP {status})")
            try:
                return response.json()
            except ValueError:
                raise RepresentResponseError(
                    f"Represent answered {url} with something that is not JSON"
                ) from None
        raise RepresentUnavailableError(
            (
                _("Represent ({url}) is unavailable: {problem} after {count} attempts")
                if self.retries
                else _("Represent ({url}) is unavailable: {problem} after {count} attempt")
            ).format(url=self.base_url, problem=problem, count=self.retries + 1)
        )

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
            raise RepresentResponseError("Represent's postcode answer is not a JSON object")
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
                raise RepresentResponseError("Represent's MP list does not end (over 100 pages)")
            answer = self.get_json(path)
            if not isinstance(answer, dict) or not isinstance(answer.get("objects"), list):
                raise RepresentResponseError("Represent's MP list has no 'objects' list")
            meta = answer.get("meta") or {}
            if not isinstance(meta, dict):
                raise RepresentResponseError("Represent's MP list has a malformed 'meta'")
            total = meta.get("total_count")
            if isinstance(total, int):
                expected_total = total
            found.extend(item for item in answer["objects"] if isinstance(item, dict))
            next_path = meta.get("next")
            path = next_path if isinstance(next_path, str) and next_path else None
        if expected_total is not None and len(found) != expected_total:
            raise RepresentResponseError(
                f"Represent announced {expected_total} MPs but sent {len(found)}; try again later"
            )
        return found


def _retry_after_seconds(header: str | None) -> float | None:
    if not header:
        return None
    try:
        seconds = float(header)
    except ValueError:
        return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)
