"""What an event session counts: letters by demand, by riding and by way of delivery.

The tally never holds a supporter's name or address, only which demand, which
riding and how the letter left the table; the end-of-session summary prints it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mpwrite.i18n import N_, _

if TYPE_CHECKING:
    from mpwrite.campaign.folder import Campaign


#: How a letter left the table, as the summary names it.
WAY_NAMES = {
    "print": N_("printed / imprimées"),
    "save": N_("saved / enregistrées"),
    "qr": N_("QR code / code QR"),
}


@dataclass(frozen=True, slots=True)
class Delivered:
    """What the tally keeps of one supporter's letter: no names, no addresses."""

    demand_id: str
    riding_code: str
    ways: tuple[str, ...]
    own_words: bool = False
    #: False for a supporter who only called: a call, not a letter.
    letter: bool = True


@dataclass
class Tally:
    """Letters made in a session, counted by demand and by riding."""

    by_demand: Counter[str] = field(default_factory=Counter)
    by_riding: Counter[str] = field(default_factory=Counter)
    by_way: Counter[str] = field(default_factory=Counter)
    abandoned: int = 0
    #: Letters with some of the supporter's own words in them.
    with_own_words: int = 0
    #: Supporters shown the call script (with or without a letter).
    calls: int = 0

    @property
    def letters(self) -> int:
        """How many supporters left with a letter."""
        return sum(self.by_demand.values())

    def record(self, delivered: Delivered) -> None:
        """Count one letter, or one call."""
        self.calls += "call" in delivered.ways
        if not delivered.letter:
            return
        self.by_demand[delivered.demand_id] += 1
        self.by_riding[delivered.riding_code] += 1
        self.by_way.update(way for way in delivered.ways if way != "call")
        self.with_own_words += delivered.own_words

    def summary(self, campaign: Campaign, riding_names: dict[str, str], lang: str = "en") -> str:
        """The end-of-session report: counts by demand and by riding, no names."""
        total = _("Letters this session / Lettres de la séance : {count}")
        lines = [total.format(count=self.letters)]
        if self.letters:
            own = _("With their own words / Avec leurs propres mots : {count}")
            lines.append(own.format(count=self.with_own_words))
        if self.calls:
            lines.append(_("Calls / Appels : {count}").format(count=self.calls))
        if self.abandoned:
            lines.append(_("Abandoned / Abandonnées : {count}").format(count=self.abandoned))
        if self.by_way:
            ways = ", ".join(
                f"{_(WAY_NAMES.get(way, way))} {count}"
                for way, count in sorted(self.by_way.items())
            )
            kept = _("Printed, saved, QR / Imprimées, enregistrées, QR : {ways}")
            lines.append(kept.format(ways=ways))
        if self.by_demand:
            lines.append(_("By demand / Par demande :"))
            titles = {d.id: f"{d.number}. {d.title[lang]}" for d in campaign.demands}
            for demand_id, count in sorted(self.by_demand.items(), key=_by_count):
                lines.append(f"  {count:>4}  {titles.get(demand_id, demand_id)}")
        if self.by_riding:
            lines.append(_("By riding / Par circonscription :"))
            for code, count in sorted(self.by_riding.items(), key=_by_count):
                lines.append(f"  {count:>4}  {riding_names.get(code, code)} ({code})")
        return "\n".join(lines)


def _by_count(item: tuple[str, int]) -> tuple[int, str]:
    return (-item[1], item[0])


# --- the loop ------------------------------------------------------------------
