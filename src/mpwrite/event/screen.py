"""What the parts of the event loop share: the screen, the settings, how a supporter ends.

The loop (:mod:`mpwrite.event.session`), its questions about the riding
(:mod:`mpwrite.event.riding`) and what it does with a finished letter
(:mod:`mpwrite.event.output`) all use these, so they live below all three.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

from mpwrite.event.answers import is_cancel
from mpwrite.i18n import _

if TYPE_CHECKING:
    from mpwrite.campaign.folder import Campaign, Demand
    from mpwrite.event.tally import Delivered
    from mpwrite.geo.lookup import Resolver
    from mpwrite.geo.ridings import Riding
    from mpwrite.letter.compose import Letter

Style = Literal["", "title", "error", "ok", "qr", "dim", "item", "call"]


class EventScreen(Protocol):
    """What the loop needs from the terminal."""

    def ask(self, prompt: str) -> str:
        """One line typed by the volunteer; raises EOFError or KeyboardInterrupt."""
        ...

    def say(self, text: str, style: Style = "") -> None:
        """Show text (``style`` is a hint: title, error, ok, qr, dim, item of a numbered
        list, call: a call sheet to show large)."""
        ...

    def clear(self) -> None:
        """Wipe the screen and, where the terminal allows, its scrollback."""
        ...


class SupporterCancelled(Exception):
    """The volunteer typed cancel/annuler: drop this supporter, keep the session."""


class SessionEnded(Exception):
    """The session ends while a supporter is served; carries their letter, if they got one."""

    def __init__(self, delivered: Delivered | None) -> None:
        super().__init__("session ended")
        self.delivered = delivered


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
    #: Let each supporter choose a letter, a phone call to their MP, or both.
    offer_call: bool = False
    #: Told of each letter that left the table and how (print, save, qr), so that
    #: the session's owner may keep a record of it (``mpwrite event --log``).
    on_letter: Callable[[Letter, tuple[str, ...]], None] | None = None
    #: Told of each call made at the table: the demand, the language, the riding.
    on_call: Callable[[Demand, str, Riding], None] | None = None


def ask_line(screen: EventScreen, prompt: str) -> str:
    """The answer to ``prompt`` (translated here), stripped; cancel/annuler drops the supporter."""
    answer = screen.ask(_(prompt))
    if is_cancel(answer):
        raise SupporterCancelled()
    return answer.strip()
