"""What the event loop shares with its output: the screen it talks through and its settings.

The loop (:mod:`mpwrite.event.session`) and what it does with a finished letter
(:mod:`mpwrite.event.output`) both use these, so they live below both.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

if TYPE_CHECKING:
    from mpwrite.campaign.folder import Campaign, Demand
    from mpwrite.geo.lookup import Resolver

Style = Literal["", "title", "error", "ok", "qr", "dim"]


class EventScreen(Protocol):
    """What the loop needs from the terminal."""

    def ask(self, prompt: str) -> str:
        """One line typed by the volunteer; raises EOFError or KeyboardInterrupt."""
        ...

    def say(self, text: str, style: Style = "") -> None:
        """Show text (``style`` is a hint: title, error, ok, qr, dim)."""
        ...

    def clear(self) -> None:
        """Wipe the screen and, where the terminal allows, its scrollback."""
        ...


class SupporterCancelled(Exception):
    """The volunteer typed cancel/annuler: drop this supporter, keep the session."""


@dataclass
class EventSettings:
    """How the session runs: fixed for every supporter."""

    campaign: Campaign
    resolver: Resolver
    lang: str | None = None
    demand: Demand | None = None
    printer: str | None = None
    save_dir: Path | None = None
    paper: str = "letter"
    envelope: bool = False
    today: datetime.date | None = None
    #: A line for the first screen only (such as a warning that the MP data is old).
    opening_notice: str = ""
