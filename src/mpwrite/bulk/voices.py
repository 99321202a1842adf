"""The supporter's voice in a bulk row: own words, the asks kept, how alike the letters read.

:class:`Voices` checks a row's ``note`` and ``asks`` cells, and remembers the
body of each row decided for a letter until its outcome is known; a row that
ends with a letter joins the run's :class:`~mpwrite.letter.likeness.Identikit`.

The demand's text is rendered and shingled once per demand, language and asks
kept, for the first riding of the run: letters are only compared with letters
to the same MP, which share the riding's and the MP's names, so one riding's
text stands for all and bulk does not render every riding's again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mpwrite.bulk.outcomes import LETTER_STATUSES, RowOutcome
from mpwrite.errors import InvalidAskError, MpwriteError
from mpwrite.letter.asks import choose_asks, demand_asks, parse_ask_numbers
from mpwrite.letter.likeness import Body, Identikit, shingles
from mpwrite.letter.supporter_text import clean_paragraphs

if TYPE_CHECKING:
    from mpwrite.campaign.folder import Campaign, Demand
    from mpwrite.geo.ridings import Riding

NO_OWN_WORDS = (
    "no own words in the note column (--require-own-words); add a sentence or two "
    "of the supporter's own, then run this file again"
)
_NOT_NUMBERS = (
    "asks column: not ask numbers; give the numbers of the asks to keep, separated by "
    "spaces or commas (such as 1, 3), or leave it empty for all"
)
#: Demand texts (per demand, language and asks kept) whose shingles are kept.
_MOST_DEMAND_TEXTS = 4096
_UNKNOWN = frozenset({-1})


class Voices:
    """One run's checks of own words and asks, and its identikit groups."""

    def __init__(self, campaign: Campaign, *, require_own_words: bool = False) -> None:
        self.campaign = campaign
        self.require_own_words = require_own_words
        #: Letters grouped by how alike they read, per MP.
        self.identikit = Identikit()
        # Rows decided for a letter and not yet finished: their MP and body.
        self._bodies: dict[int, tuple[str, Body]] = {}
        self._shingles: dict[tuple[str, str, tuple[int, ...]], frozenset[int] | None] = {}
        self._riding: Riding | None = None
        self._last_note: tuple[str, tuple[str, ...]] = ("", ())

    def own_words(self, note: str) -> str:
        """ "yes" when the note adds words to the letter, else "no"."""
        return "yes" if self._paragraphs(note) else "no"

    def _paragraphs(self, note: str) -> tuple[str, ...]:
        # A row's note is read twice in a row (own_words, then remember): cleaned once.
        if not note:
            return ()
        if self._last_note[0] != note:
            self._last_note = (note, clean_paragraphs(note))
        return self._last_note[1]

    def check(
        self, demand: Demand, lang: str, asks_cell: str, own_words: str
    ) -> tuple[tuple[int, ...], str]:
        """The ask numbers the row keeps, and why the row needs review ("" when it does not)."""
        try:
            numbers = parse_ask_numbers(asks_cell) if asks_cell else ()
        except InvalidAskError:
            # Not echoed: report.csv holds nothing typed into the supporters' file.
            return (), _NOT_NUMBERS
        try:
            if numbers:
                choose_asks(demand_asks(demand, lang), numbers, demand.id)
        except InvalidAskError as error:
            return (), f"asks column: {error}"
        if self.require_own_words and own_words == "no":
            return numbers, NO_OWN_WORDS
        return numbers, ""

    def remember(
        self,
        row: int,
        riding: Riding,
        demand: Demand,
        lang: str,
        ask_numbers: tuple[int, ...],
        note: str,
    ) -> None:
        """The body of row ``row``'s letter, until :meth:`finish` says how the row ended."""
        key = (demand.id, lang, ask_numbers)
        found = self._shingles.get(key, _UNKNOWN)
        if found is _UNKNOWN:
            if len(self._shingles) >= _MOST_DEMAND_TEXTS:
                self._shingles.clear()
            # One riding's text stands for every riding's: letters are compared
            # only with letters to the same MP, whose names they share.
            self._riding = self._riding or riding
            found = self._shingles[key] = self._demand_shingles(
                self._riding, demand, lang, ask_numbers
            )
        variant = f"{demand.id}\x1f{lang}\x1f{ask_numbers}"
        own_words = self._paragraphs(note)
        self._bodies[row] = (riding.code, Body(variant, found, own_words))

    def _demand_shingles(
        self, riding: Riding, demand: Demand, lang: str, ask_numbers: tuple[int, ...]
    ) -> frozenset[int] | None:
        from mpwrite.letter.compose import demand_body

        try:
            text = demand_body(self.campaign, demand, lang, riding, ask_numbers)
        except MpwriteError:
            return None  # the letter itself reports the broken template
        return None if text is None else shingles(text.split("\n\n"))

    def finish(self, row: int, outcome: RowOutcome) -> None:
        """Row ``row`` ended in ``outcome``: a letter joins the identikit groups."""
        body = self._bodies.pop(row, None)
        if body is not None and outcome.status in LETTER_STATUSES:
            self.identikit.add(body[0], outcome.row, body[1])
