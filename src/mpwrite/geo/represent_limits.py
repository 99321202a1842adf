"""The bounds the Represent client keeps to, whatever the server does.

A server may be slow, broken or hostile. One look-up (all its attempts,
waits and reading) ends within a deadline, enforced by running each attempt
in a helper thread so that even a trickle of headers cannot hold it; an
answer larger than :data:`MAX_BODY_BYTES` once decompressed is refused while
it is read; a Retry-After longer than :data:`MAX_RETRY_AFTER` ends the
look-up instead of stalling it; redirects and links to another host are
refused; and once failures in a row have cost a client
:data:`FAILURE_BUDGET_FACTOR` deadlines it stops asking.
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from mpwrite.errors import RepresentResponseError, UsageError
from mpwrite.i18n import _

if TYPE_CHECKING:
    import requests

DEADLINE_ENVIRONMENT_VARIABLE = "MPWRITE_REPRESENT_DEADLINE"
#: A server's Retry-After is obeyed up to this many seconds; asked to wait
#: longer, the look-up gives up at once rather than stall a run.
MAX_RETRY_AFTER = 10.0
#: Seconds one look-up may take in all: attempts, waits and reading the answer.
DEFAULT_DEADLINE = 30.0
#: The range MPWRITE_REPRESENT_DEADLINE accepts.
DEADLINE_RANGE = (1.0, 600.0)
#: Once failed look-ups in a row have cost a client this many deadlines, it stops asking.
FAILURE_BUDGET_FACTOR = 2.0
#: The largest answer accepted, counted after decompression (the whole MP list
#: is well under 2 MB).
MAX_BODY_BYTES = 16 * 1024 * 1024
#: Redirects followed within one host before the answer counts as broken.
MAX_REDIRECTS = 3
_READ_SIZE = 64 * 1024


class Retryable(Exception):
    """An attempt failed in a way that may pass; ``str()`` says how, for the user."""


def resolve_deadline(deadline: float | None = None) -> float:
    """Seconds per look-up: the argument, else ``MPWRITE_REPRESENT_DEADLINE``, else 30."""
    if deadline is not None:
        return deadline
    raw = os.environ.get(DEADLINE_ENVIRONMENT_VARIABLE, "").strip()
    if not raw:
        return DEFAULT_DEADLINE
    low, high = DEADLINE_RANGE
    try:
        seconds = float(raw)
    except ValueError:
        seconds = math.nan
    if not low <= seconds <= high:
        shown = raw if len(raw) <= 40 else raw[:40] + "…"
        raise UsageError(
            _(
                "{variable}={value!r} is not a number of seconds from {low} to {high}; "
                "fix or unset it"
            ).format(
                variable=DEADLINE_ENVIRONMENT_VARIABLE,
                value=shown,
                low=f"{low:g}",
                high=f"{high:g}",
            )
        )
    return seconds


def site(url: str) -> tuple[str, int] | None:
    """A URL's host and port (default port filled in), or None when it has none."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname or port is None:
        return None
    return parts.hostname.lower(), port


def retry_after_seconds(header: str | None) -> float | None:
    """Retry-After in seconds (not capped: the caller gives up past its limit)."""
    if not header:
        return None
    try:
        seconds = float(header)
    except ValueError:
        return None
    if math.isnan(seconds):
        return None
    return max(seconds, 0.0)


def read_body(
    response: requests.Response,
    url: str,
    *,
    max_bytes: int,
    stalled_after: float,
    out_of_time: Callable[[], bool],
) -> bytes:
    """The decompressed body, refused past ``max_bytes`` or the deadline as it arrives."""
    too_large = RepresentResponseError(
        _("Represent's answer to {url} is larger than {size} bytes; refused").format(
            url=url, size=f"{max_bytes:,}"
        )
    )
    declared = response.headers.get("Content-Length", "")
    encoded = response.headers.get("Content-Encoding", "identity").strip().lower()
    if declared.isdigit() and encoded == "identity" and int(declared) > max_bytes:
        raise too_large
    body = bytearray()
    # urllib3 2's read1 returns what one read brings, decompressed and at most
    # _READ_SIZE bytes, so a trickle or a compressed bomb is seen early; urllib3
    # 1's read(amount) is the closest it has.
    read = getattr(response.raw, "read1", None) or response.raw.read
    try:
        while True:
            if out_of_time():
                raise Retryable(_("the answer took too long"))
            piece = read(_READ_SIZE, decode_content=True)
            if not piece:
                return bytes(body)
            body += piece
            if len(body) > max_bytes:
                raise too_large
    except (Retryable, RepresentResponseError):
        raise
    except Exception as error:  # urllib3's and the socket's errors alike
        if "timed out" in str(error).lower() or "timeout" in type(error).__name__.lower():
            raise Retryable(
                _("the answer stalled for {seconds} s").format(seconds=f"{stalled_after:g}")
            ) from None
        raise Retryable(
            _("the answer broke off ({error})").format(error=type(error).__name__)
        ) from None


def within(seconds: float, work: Callable[[], Any], late: str) -> Any:
    """``work()``'s result, or Retryable(``late``) when it has not finished in ``seconds``.

    The work runs in a daemon thread: a socket read cannot be given a total
    time limit, so a server that trickles its headers would otherwise hold
    the caller. An abandoned request ends with its socket's own timeout.
    """
    outcome: list[tuple[bool, Any]] = []

    def run() -> None:
        try:
            outcome.append((True, work()))
        except BaseException as error:  # handed to the caller's thread as is
            outcome.append((False, error))

    worker = threading.Thread(target=run, name="represent-request", daemon=True)
    worker.start()
    worker.join(max(seconds, 0.0))
    if not outcome:
        raise Retryable(late)
    succeeded, value = outcome[0]
    if succeeded:
        return value
    raise value
