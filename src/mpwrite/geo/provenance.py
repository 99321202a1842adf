"""What data mpwrite is using, where it came from, and how fresh it is."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from mpwrite.errors import DataError
from mpwrite.geo.ridings import RidingData
from mpwrite.i18n import _

#: MP data older than this is flagged: by-elections and resignations add up.
STALE_AFTER_DAYS = 183


@dataclass(frozen=True, slots=True)
class DataInfo:
    """A summary of the active riding data."""

    origin: str
    mp_data_as_of: dt.date
    age_days: int
    counts: dict[str, int]
    sources: tuple[dict[str, Any], ...]

    @property
    def stale(self) -> bool:
        """Whether the MP data is more than about six months old."""
        return self.age_days > STALE_AFTER_DAYS

    def as_dict(self) -> dict[str, Any]:
        """The documented ``mpwrite data info --json`` shape."""
        return {
            "origin": self.origin,
            "mp_data_as_of": self.mp_data_as_of.isoformat(),
            "age_days": self.age_days,
            "stale": self.stale,
            "counts": self.counts,
            "sources": list(self.sources),
        }


def mp_data_as_of(data: RidingData) -> str | None:
    """The date the MP data describes (YYYY-MM-DD), as ``--json`` outputs carry it."""
    as_of = data.metadata.get("mp_data_as_of")
    return str(as_of) if as_of else None


def stale_data_warning(as_of: str | None, today: dt.date | None = None) -> str | None:
    """The one warning to show when MP data dated ``as_of`` is more than about six months old."""
    try:
        date = dt.date.fromisoformat(str(as_of))
    except ValueError:
        return None  # undated data is reported by ``data info``, not at every letter
    age_days = ((today or dt.date.today()) - date).days
    if age_days <= STALE_AFTER_DAYS:
        return None
    return _(
        "Warning: the MP data is {days} days old (more than {months} months); MPs may have "
        "changed since. Run 'mpwrite data update' or check ourcommons.ca before sending."
    ).format(days=age_days, months=STALE_AFTER_DAYS // 30)


def describe_data(
    data: RidingData, today: dt.date | None = None, origin: str = "bundled"
) -> DataInfo:
    """Counts from the data itself, dates and sources from its metadata."""
    today = today or dt.date.today()
    try:
        as_of = dt.date.fromisoformat(data.metadata["mp_data_as_of"])
    except (KeyError, TypeError, ValueError):
        raise DataError("the riding data has no valid mp_data_as_of date; rebuild it") from None
    vacancies = sum(1 for riding in data if riding.vacant)
    counts = {
        "ridings": len(data),
        "mps": len(data) - vacancies,
        "vacancies": vacancies,
        "fsas": len(data.postal_areas),
        "fsas_with_likely_riding": sum(
            1 for area in data.postal_areas.values() if area.likely_riding
        ),
    }
    return DataInfo(
        origin=origin,
        mp_data_as_of=as_of,
        age_days=(today - as_of).days,
        counts=counts,
        sources=tuple(data.metadata.get("sources", ())),
    )
