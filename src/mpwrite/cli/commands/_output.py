"""Small helpers shared by commands: JSON on stdout, notes on stderr."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from mpwrite.campaign.folder import Campaign
    from mpwrite.geo.ridings import RidingData


def emit_json(value: Any) -> None:
    """Print a value as the stable, indented JSON that ``--json`` promises."""
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2))


def note(message: str) -> None:
    """A line for the person at the terminal, never for a pipe: stderr."""
    typer.echo(message, err=True)


def note_stale_demands(campaign: Campaign, langs: tuple[str, ...] = ("en",)) -> None:
    """Warn once, on stderr, when some demand's facts were checked over a year ago."""
    import datetime

    from mpwrite.campaign.facts import stale_warning

    today = datetime.date.today()
    warnings = [stale_warning(campaign, today, lang) for lang in langs]
    if warnings[0]:
        note(" / ".join(warnings))


def warn_if_stale(data: RidingData | str | None) -> None:
    """One warning on stderr when the MP data (or data dated so) is more than six months old."""
    from mpwrite.geo.provenance import mp_data_as_of, stale_data_warning

    as_of = data if data is None or isinstance(data, str) else mp_data_as_of(data)
    warning = stale_data_warning(as_of)
    if warning:
        note(warning)
