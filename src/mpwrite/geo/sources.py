"""Postal-code sources that know more than the FSA table: the local store and Represent.

:func:`build_resolver` puts them in the documented order: a riding the user
names (handled by :class:`~mpwrite.geo.lookup.Resolver`) > the local store >
Represent online (when enabled) > the bundled FSA table. Every answer from the
store or from Represent is exact; a failing source adds one warning line and
lets the next one answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from mpwrite.errors import (
    RepresentError,
    RepresentNotFoundError,
    RepresentResponseError,
    RepresentUnavailableError,
    StoreError,
)
from mpwrite.folding import normalise_name
from mpwrite.geo.lookup import Match, PostalSource, Resolver
from mpwrite.geo.postal import PostalCode
from mpwrite.geo.represent import RepresentClient
from mpwrite.geo.ridings import RidingData
from mpwrite.geo.store import ORIGIN_ONLINE, PostcodeStore, max_age_from_environment
from mpwrite.i18n import N_, _

SOURCE_CACHE = "cache"
SOURCE_ONLINE = "online"

#: Represent's federal boundary sets all have slugs starting with this.
FEDERAL_SET_PREFIX = "federal-electoral-districts"
#: The set whose codes are the 2023 Representation Order's, as mpwrite's data.
CURRENT_ORDER_MARK = "2023"
#: Older orders reuse the same five-digit numbers for different ridings.
OLD_ORDER_MARKS = ("2013", "2003")

#: After this many look-ups in a row find Represent unreachable (each already
#: retried with backoff), a run stops asking it: a bulk run with the network
#: down then takes seconds, not hours.
GIVE_UP_AFTER_FAILURES = 3

OFFLINE_FALLBACK = N_("using the offline answer instead")


def _matches(data: RidingData, codes: Iterable[str], source: str) -> tuple[Match, ...]:
    return tuple(
        Match(data.ridings[code], source, exact=True) for code in codes if code in data.ridings
    )


class StoreSource:
    """Answers from the local store (source ``cache``), exact.

    With ``skip_older_than`` set (when online look-ups are enabled) old answers
    are passed over so that the online source refreshes them.
    """

    def __init__(
        self,
        data: RidingData,
        store: PostcodeStore,
        skip_older_than: dt.timedelta | None = None,
    ) -> None:
        self.data = data
        self.store = store
        self.skip_older_than = skip_older_than

    def resolve(self, code: PostalCode, warnings: list[str]) -> tuple[Match, ...] | None:
        """The stored ridings of ``code``, if stored (and fresh enough)."""
        try:
            answer = self.store.get(code.code)
        except StoreError as error:
            warnings.append(f"{error}; {_(OFFLINE_FALLBACK)}")
            return None
        if answer is None:
            return None
        if self.skip_older_than is not None and answer.older_than(self.skip_older_than):
            return None
        return _matches(self.data, answer.fed_codes, SOURCE_CACHE) or None


class OnlineSource:
    """Exact ridings from Represent's ``/postcodes/`` (source ``online``), cached in the store."""

    def __init__(
        self,
        data: RidingData,
        client: RepresentClient,
        store: PostcodeStore | None = None,
    ) -> None:
        self.data = data
        self.client = client
        self.store = store
        self._unavailable_in_a_row = 0

    @property
    def gave_up(self) -> bool:
        """Whether Represent failed so often in a row that this run stopped asking it."""
        return self._unavailable_in_a_row >= GIVE_UP_AFTER_FAILURES

    def resolve(self, code: PostalCode, warnings: list[str]) -> tuple[Match, ...] | None:
        """Ask Represent; on any failure one warning line and None (the FSA table answers)."""
        if self.gave_up:
            warnings.append(
                _("Represent is not being asked any more in this run; ") + _(OFFLINE_FALLBACK)
            )
            return None
        try:
            answer = self.client.postcode(code.compact)
            fed_codes = federal_codes(answer, self.data)
        except RepresentNotFoundError:
            self._unavailable_in_a_row = 0
            warnings.append(
                _("Represent does not know the postal code {code}; ").format(code=code)
                + _(OFFLINE_FALLBACK)
            )
            return None
        except RepresentUnavailableError as error:
            self._unavailable_in_a_row += 1
            warnings.append(f"{error}; {_(OFFLINE_FALLBACK)}")
            return None
        except RepresentError as error:
            warnings.append(f"{error}; {_(OFFLINE_FALLBACK)}")
            return None
        self._unavailable_in_a_row = 0
        if not fed_codes:
            warnings.append(
                _("Represent's answer for {code} names no current federal riding; ").format(
                    code=code
                )
                + _(OFFLINE_FALLBACK)
            )
            return None
        if self.store is not None:
            try:
                self.store.put(code.code, fed_codes, ORIGIN_ONLINE)
            except StoreError as error:
                warnings.append(_("the answer could not be cached: {reason}").format(reason=error))
        return _matches(self.data, fed_codes, SOURCE_ONLINE)


def _set_slug(boundary: dict[str, Any]) -> str:
    """The boundary set's slug, from ``related.boundary_set_url`` or the boundary's ``url``."""
    related = boundary.get("related")
    set_url = related.get("boundary_set_url") if isinstance(related, dict) else None
    if isinstance(set_url, str) and "/boundary-sets/" in set_url:
        return set_url.split("/boundary-sets/", 1)[1].strip("/").split("/")[0]
    url = boundary.get("url")
    if isinstance(url, str) and "/boundaries/" in url:
        return url.split("/boundaries/", 1)[1].strip("/").split("/")[0]
    return ""


def _is_federal(boundary: dict[str, Any]) -> bool:
    slug = _set_slug(boundary)
    if slug:
        return slug.startswith(FEDERAL_SET_PREFIX)
    name = str(boundary.get("boundary_set_name", "")).casefold()
    return name.startswith("federal electoral district")


def _order_of(boundary: dict[str, Any]) -> str:
    """``current``, ``old`` or ``unknown`` (a set named without a year)."""
    label = f"{_set_slug(boundary)} {boundary.get('boundary_set_name', '')}"
    if CURRENT_ORDER_MARK in label:
        return "current"
    if any(mark in label for mark in OLD_ORDER_MARKS):
        return "old"
    return "unknown"


def federal_codes(answer: dict[str, Any], data: RidingData) -> tuple[str, ...]:
    """The FED codes of the 2023 order in a ``/postcodes/`` answer, concordance first.

    Both lists are read: a concordance may name several ridings and some codes
    have only a centroid. Boundaries of a set named without a year are taken
    only when their code and name agree with mpwrite's data, since the 2013
    order reused the same numbers for other ridings.
    """
    boundaries: list[dict[str, Any]] = []
    for key in ("boundaries_concordance", "boundaries_centroid"):
        listed = answer.get(key, [])
        if not isinstance(listed, list):
            raise RepresentResponseError(_("Represent's {key} is not a list").format(key=key))
        boundaries.extend(item for item in listed if isinstance(item, dict))
    federal = [boundary for boundary in boundaries if _is_federal(boundary)]
    current = [boundary for boundary in federal if _order_of(boundary) == "current"]
    if not current:
        current = [
            boundary
            for boundary in federal
            if _order_of(boundary) == "unknown" and _names_agree(boundary, data)
        ]
    codes: list[str] = []
    for boundary in current:
        code = str(boundary.get("external_id", "")).strip()
        if code in data.ridings and code not in codes:
            codes.append(code)
    return tuple(codes)


def _names_agree(boundary: dict[str, Any], data: RidingData) -> bool:
    riding = data.ridings.get(str(boundary.get("external_id", "")).strip())
    if riding is None:
        return False
    name = normalise_name(str(boundary.get("name", "")))
    return name in {normalise_name(n) for n in (riding.name_en, riding.name_fr, *riding.aliases)}


def build_resolver(
    data: RidingData,
    *,
    online: bool = False,
    represent_url: str | None = None,
    store: PostcodeStore | None = None,
    client: RepresentClient | None = None,
    max_age: dt.timedelta | None = None,
) -> Resolver:
    """A resolver in the documented order: store > online (if enabled) > store (stale) > FSA.

    Offline, the store is consulted only when its file exists (so a plain
    look-up never creates it nor imports sqlite3). Online, the store is created
    when needed and every answer is cached in it; answers older than
    ``max_age`` (default ``MPWRITE_CACHE_MAX_AGE_DAYS``, a year) are refreshed,
    and are still used if Represent then fails.
    """
    sources: list[PostalSource] = []
    if not online:
        store = store or PostcodeStore.if_exists()
        if store is not None:
            sources.append(StoreSource(data, store))
        return Resolver(data, sources)
    store = store or PostcodeStore()
    age = max_age if max_age is not None else max_age_from_environment()
    client = client or RepresentClient(represent_url)
    sources.append(StoreSource(data, store, skip_older_than=age))
    sources.append(OnlineSource(data, client, store))
    sources.append(StoreSource(data, store))
    return Resolver(data, sources)


def online_source_of(resolver: Resolver) -> OnlineSource | None:
    """The resolver's online source, if it has one."""
    return next((s for s in resolver.sources if isinstance(s, OnlineSource)), None)


#: Seconds the event waits for Represent before answering from the bundled table.
EVENT_ONLINE_TIMEOUT = 4.0


def build_event_resolver(data: RidingData, *, online: bool = False) -> Resolver:
    """The event's resolver. Offline: the local store (read only), then the bundled table.

    Online, Represent comes first, is given :data:`EVENT_ONLINE_TIMEOUT` and no
    retry (a supporter is waiting), and its answers are not cached in the local
    store: a supporter's postal code must not stay on the laptop.
    """
    sources: list[PostalSource] = []
    store = PostcodeStore.if_exists()
    if online:
        client = RepresentClient(
            timeout=EVENT_ONLINE_TIMEOUT, retries=0, deadline=EVENT_ONLINE_TIMEOUT
        )
        sources.append(OnlineSource(data, client, store=None))
    if store is not None:
        sources.append(StoreSource(data, store))
    return Resolver(data, sources)
