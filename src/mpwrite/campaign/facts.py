"""What a demand's letter relies on: its asks, its sources, when it was checked.

A letter that asks for something already done lets an office dismiss it, so
each demand in a manifest may say when its content was last checked against
its sources (``checked``) and list those sources. Its asks are listed one by
one so a letter can carry a supporter's choice of them, and its ``short`` text
is the letter cut down to fit a QR code.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mpwrite.i18n import _

if TYPE_CHECKING:
    from mpwrite.campaign.folder import Campaign, Demand, _ManifestReader

#: Longest ``short`` text, in characters: with a greeting and a signature it
#: still fits one QR code.
MAX_SHORT_CHARS = 900
#: A demand checked longer ago than this may ask for what is already done.
STALE_AFTER_MONTHS = 12
#: What a ``[[demands.sources]]`` table holds; each is a string or an en/fr table.
SOURCE_KEYS = ("title", "url")
SOURCE_LANGUAGES = ("en", "fr")


@dataclass(frozen=True)
class Source:
    """Where a demand's facts come from: a title and a page, in English and French."""

    title: str
    url: str
    #: The French title and page where the manifest gives them; the English ones serve otherwise.
    title_fr: str = ""
    url_fr: str = ""

    def in_language(self, lang: str) -> Source:
        """The source as a reader of ``lang`` sees it: in French, its French title and page."""
        if lang != "fr":
            return self
        return Source(self.title_fr or self.title, self.url_fr or self.url)


@dataclass(frozen=True)
class DemandFacts:
    """The optional manifest fields of one demand; empty when a manifest gives none."""

    asks: tuple[dict[str, str], ...] = ()
    checked: datetime.date | None = None
    sources: tuple[Source, ...] = ()
    short: dict[str, str] | None = None

    def sources_in(self, lang: str) -> tuple[Source, ...]:
        """The sources as a reader of ``lang`` sees them (see :meth:`Source.in_language`)."""
        return tuple(source.in_language(lang) for source in self.sources)


def read_demand_facts(
    reader: _ManifestReader, raw: dict[str, Any], demand_id: str, line: int | None
) -> DemandFacts:
    """The asks, date, sources and short text of one ``[[demands]]`` table."""
    where = _("demand {id}: ").format(id=demand_id)
    asks: list[dict[str, str]] = []
    raw_asks = raw.get("asks", [])
    if not isinstance(raw_asks, list):
        reader.problem(
            _("{where}asks must be a list of [[demands.asks]] tables").format(where=where), line
        )
        raw_asks = []
    for index, ask in enumerate(raw_asks, 1):
        if not isinstance(ask, dict):
            reader.problem(
                _("{where}ask {index} must be a table with en and fr strings").format(
                    where=where, index=index
                ),
                line,
            )
            continue
        asks.append(
            {
                lang: reader.string(
                    ask, lang, _("{where}ask {index}: ").format(where=where, index=index), line
                )
                for lang in ("en", "fr")
            }
        )
    checked = raw.get("checked")
    if checked is not None and (
        not isinstance(checked, datetime.date) or isinstance(checked, datetime.datetime)
    ):
        reader.problem(
            _("{where}checked must be a date like 2026-11-30 (no quotes)").format(where=where),
            line,
        )
        checked = None
    sources: list[Source] = []
    raw_sources = raw.get("sources", [])
    if not isinstance(raw_sources, list):
        reader.problem(
            _("{where}sources must be a list of [[demands.sources]] tables").format(where=where),
            line,
        )
        raw_sources = []
    for index, source in enumerate(raw_sources, 1):
        if not isinstance(source, dict):
            reader.problem(
                _("{where}source {index} must be a table with title and url").format(
                    where=where, index=index
                ),
                line,
            )
            continue
        named = _("{where}source {index}: ").format(where=where, index=index)
        sources.append(_read_source(reader, source, named, line))
    short = reader.translated(raw, "short", where, line) if "short" in raw else None
    for lang, text in (short or {}).items():
        if len(text.strip()) > MAX_SHORT_CHARS:
            reader.problem(
                _(
                    "{where}short.{lang} has {count} characters; "
                    "keep it to {most} so it fits a QR code"
                ).format(where=where, lang=lang, count=len(text.strip()), most=MAX_SHORT_CHARS),
                line,
            )
    return DemandFacts(tuple(asks), checked, tuple(sources), short)


def _read_source(
    reader: _ManifestReader, source: dict[str, Any], named: str, line: int | None
) -> Source:
    for key in source:
        # A guess at how to give a French title must not be silently ignored.
        if key not in SOURCE_KEYS and key.lower().startswith(("title", "url", "titre")):
            reader.problem(
                _(
                    "{named}unknown key {key!r}; give a title or url per language as "
                    "a table, like {example}"
                ).format(named=named, key=key, example='title = { en = "…", fr = "…" }'),
                line,
            )
    title, title_fr = _per_language(reader, source, "title", named, line)
    url, url_fr = _per_language(reader, source, "url", named, line)
    if any(not address.startswith("https://") for address in (url, url_fr) if address):
        reader.problem(_("{named}url must start with https://").format(named=named), line)
    return Source(title, url, title_fr, url_fr)


def _per_language(
    reader: _ManifestReader, table: dict[str, Any], key: str, named: str, line: int | None
) -> tuple[str, str]:
    """``key`` as (English, French): one string serves both languages (French is then "")."""
    value = table.get(key)
    if isinstance(value, str) and value.strip():
        return value, ""
    if not isinstance(value, dict):
        reader.problem(
            _("{named}{key} must be a non-empty string, or a table with en and fr strings").format(
                named=named, key=key
            ),
            line,
        )
        return key, ""
    for extra in sorted(value.keys() - set(SOURCE_LANGUAGES)):
        reader.problem(
            _("{named}{key} has {extra!r}; give only en and fr").format(
                named=named, key=key, extra=extra
            ),
            line,
        )
    texts = []
    for lang in SOURCE_LANGUAGES:
        if lang not in value:
            reader.problem(
                _(
                    "{named}{key} has no {lang}; give both en and fr, "
                    "or one string for both languages"
                ).format(named=named, key=key, lang=lang),
                line,
            )
            texts.append("")
        else:
            texts.append(reader.string(value, lang, f"{named}{key}.", line))
    english, french = texts
    return english or french or key, french


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` earlier (the month's last day when it has no such day)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    for candidate in range(day.day, 0, -1):
        try:
            return datetime.date(year, month + 1, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has a first day")


def stale_demands(campaign: Campaign, today: datetime.date) -> list[Demand]:
    """The demands last checked more than :data:`STALE_AFTER_MONTHS` before ``today``."""
    limit = months_before(today, STALE_AFTER_MONTHS)
    return [
        demand
        for demand in campaign.demands
        if demand.facts.checked is not None and demand.facts.checked < limit
    ]


def stale_warning(campaign: Campaign, today: datetime.date, lang: str = "en") -> str:
    """One line naming the stale demands and what to do, or "" when none is stale."""
    stale = stale_demands(campaign, today)
    if not stale:
        return ""
    listed = ", ".join(f"{d.id} ({d.facts.checked})" for d in stale)
    if lang == "fr":
        return (
            f"Attention\u00a0: contenu vérifié il y a plus de {STALE_AFTER_MONTHS}\u00a0mois "
            f"pour {listed}\u00a0; revoyez ses faits et ses sources (mpwrite demands --json) "
            "avant d’envoyer"
        )
    return (
        f"Warning: the content of {listed} was last checked more than "
        f"{STALE_AFTER_MONTHS} months ago; review its facts against its sources "
        "(mpwrite demands --json) before sending"
    )
