"""`mpwrite event` on a narrow terminal: numbered lists wrap between words, hanging indent."""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console

from mpwrite import i18n
from mpwrite.campaign.folder import load_campaign
from mpwrite.cli.commands.event import RichScreen
from mpwrite.event.session import EventSettings, run_event
from mpwrite.geo.lookup import Resolver
from mpwrite.geo.ridings import load_bundled
from mpwrite.letter.asks import demand_asks

WIDTH = 40
ITEM = re.compile(r"^( *\d+\. )")


class ScriptedScreen(RichScreen):
    """The event's real screen on a 40-column console, answers from a list."""

    def __init__(self, answers: list[str]) -> None:
        super().__init__(Console(file=io.StringIO(), width=WIDTH, color_system=None))
        self.answers = list(answers)

    def ask(self, prompt: str) -> str:
        self.console.print(prompt, markup=False, soft_wrap=True)
        if not self.answers:
            raise EOFError
        return self.answers.pop(0)

    def text(self) -> str:
        file = self.console.file
        assert isinstance(file, io.StringIO)
        return file.getvalue()


def numbered_items(text: str) -> list[list[str]]:
    """Each numbered item as its lines: the ``N. `` line and the indented lines after it."""
    items: list[list[str]] = []
    lines = text.splitlines()
    for index, line in enumerate(lines):
        found = ITEM.match(line)
        if not found:
            continue
        indent = " " * len(found.group(1))
        item = [line]
        for following in lines[index + 1 :]:
            if not following.startswith(indent) or ITEM.match(following):
                break
            item.append(following)
        items.append(item)
    return items


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_demand_and_ask_lists_wrap_with_a_hanging_indent(lang: str) -> None:
    i18n.use_language(lang)
    campaign = load_campaign(None)
    settings = EventSettings(campaign=campaign, resolver=Resolver(load_bundled()), lang=lang)
    # postal code, riding confirmed, name, address, city, three own-words questions:
    # then the demand list, the ask list, a greeting, and no letter.
    yes = "o" if lang == "fr" else "y"
    screen = ScriptedScreen(["K1A 0A6", yes, "Alex", *[""] * 8, "n", "quit"])
    run_event(settings, screen)
    text = screen.text()
    items = numbered_items(text)
    demand = campaign.demand(campaign.default_demand)
    expected = [f"{d.title[lang]} — {d.summary[lang]}" for d in campaign.demands]
    expected += demand_asks(demand, lang)
    assert any(len(item) > 1 for item in items), "some item is long enough to wrap at 40"
    for item in items:
        assert all(len(line) <= WIDTH for line in item), item
    joined = [ITEM.sub("", " ".join(line.strip() for line in item)) for item in items]
    for wanted in expected:
        # No word is cut: the item reads back whole once its lines are joined by spaces.
        assert " ".join(re.split(r"[ \n]+", wanted.strip())) in joined, wanted


def test_plain_lines_wrap_between_words_and_keep_french_punctuation_attached() -> None:
    screen = ScriptedScreen([])
    line = (
        "Avertissement\u00a0: les données des député·e·s datent de 315 jours "
        "(plus de 6\u00a0mois)\u00a0; Probablement\u00a0: Ottawa Centre / Ottawa-Centre"
    )
    screen.say(line, "error")
    shown = screen.text().splitlines()
    assert len(shown) > 2 and all(len(row) <= WIDTH for row in shown)
    assert " ".join(shown) == line  # no word cut in two
    assert not any(row.startswith((":", ";", "\u00a0")) for row in shown)
