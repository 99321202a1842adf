"""The asks a supporter keeps in their letter: parsed from what they typed, then chosen.

A demand lists its asks in order; supporters keep the ones they stand behind
by number (``--ask 2 --ask 3``, a pick-list, or a bulk ``asks`` cell such as
"1, 3"). At least one stays. The asks keep the demand's order, whatever order
the numbers came in, so letters differ only by what was chosen.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TypeVar

from mpwrite.errors import InvalidAskError
from mpwrite.i18n import _

T = TypeVar("T")

_SEPARATORS = re.compile(r"[\s,;]+")
_MOST_DIGITS = 3


def parse_ask_numbers(text: str) -> tuple[int, ...]:
    """ "1, 3" or "1 3" as (1, 3); "" as () (every ask); InvalidAskError for anything else."""
    numbers = []
    for part in _SEPARATORS.split(text.strip()):
        if not part:
            continue
        # No demand has thousands of asks; a longer run of digits is a typo.
        if not part.isdigit() or not part.isascii() or len(part) > _MOST_DIGITS:
            shown = part if len(part) <= 20 else part[:20] + "…"
            raise InvalidAskError(
                _(
                    "{text!r} is not an ask number; give numbers separated by spaces or commas"
                ).format(text=shown)
            )
        numbers.append(int(part))
    return tuple(numbers)


def choose_asks(asks: Sequence[T], numbers: Iterable[int], demand_id: str = "") -> list[T]:
    """The asks numbered ``numbers`` (1 for the first), in the demand's order; all when none.

    Raises InvalidAskError for a number outside 1..len(asks).
    """
    wanted = sorted(set(numbers))
    if not wanted:
        return list(asks)
    if not asks:
        raise InvalidAskError(
            _(
                "demand {demand} has no numbered asks to choose from; leave out the ask numbers"
            ).format(demand=demand_id)
            if demand_id
            else _("demand has no numbered asks to choose from; leave out the ask numbers")
        )
    wrong = [number for number in wanted if not 1 <= number <= len(asks)]
    if wrong:
        listed = ", ".join(str(number) for number in wrong)
        raise InvalidAskError(
            (
                _("no ask {numbers} of demand {demand}; choose numbers from 1 to {last}")
                if demand_id
                else _("no ask {numbers}; choose numbers from 1 to {last}")
            ).format(numbers=listed, demand=demand_id, last=len(asks))
        )
    return [asks[number - 1] for number in wanted]


def demand_asks(demand: object, lang: str) -> list[str]:
    """The demand's asks in ``lang``, as the manifest lists them (none when it lists none).

    The asks are the demand's ``facts.asks`` (or its ``asks``): one mapping per
    ask, from language to text.
    """
    facts = getattr(demand, "facts", None)
    listed = getattr(facts, "asks", None) or getattr(demand, "asks", None) or ()
    texts = []
    for ask in listed:
        text = ask.get(lang) if isinstance(ask, Mapping) else getattr(ask, lang, ask)
        texts.append(str(text))
    return texts
