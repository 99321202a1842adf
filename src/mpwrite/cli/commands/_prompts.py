"""Interactive questions shared by ``draft`` and ``event``: small, one job each.

Each function takes a Rich console writing to stderr (stdout stays for the
letter) and reads answers with Rich prompts. Rich is imported lazily.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from mpwrite.errors import AmbiguousRidingError, MalformedPostalCodeError, MpwriteError
from mpwrite.geo.lookup import LookupResult, Resolver
from mpwrite.geo.matching import classify, describe, ridings_to_pick
from mpwrite.geo.postal import parse_postal_code
from mpwrite.geo.ridings import Riding
from mpwrite.i18n import _, language

if TYPE_CHECKING:
    # Campaigns and letters pull in tomllib and the letter machinery; every
    # command module is imported at start-up, so they load only when used.
    from rich.console import Console

    from mpwrite.campaign.folder import Campaign, Demand
    from mpwrite.letter.compose import Supporter

T = TypeVar("T")

#: Set to 1 (or 0) to force prompting on (or off), whatever stdin is.
INTERACTIVE_ENV = "MPWRITE_INTERACTIVE"


def is_interactive() -> bool:
    """Whether to ask questions: stdin is a terminal, unless MPWRITE_INTERACTIVE says."""
    forced = os.environ.get(INTERACTIVE_ENV)
    if forced is not None:
        return forced.strip() == "1"
    return sys.stdin.isatty()


def make_console() -> Console:
    """A console for questions and tables, on stderr."""
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def ask_text(console: Console, question: str, *, required: bool = True, default: str = "") -> str:
    """One line of text; asks again while a required answer is empty."""
    from mpwrite.cli.commands._rich_prompts import Prompt

    while True:
        answer = Prompt.ask(question, console=console, default=default, show_default=bool(default))
        answer = (answer or "").strip()
        if answer or not required:
            return answer
        console.print(f"[yellow]{_('This one is needed.')}[/yellow]")


def retry(console: Console, attempt: Callable[[], T]) -> T:
    """Run ``attempt`` until it stops raising an mpwrite error, showing each error."""
    while True:
        try:
            return attempt()
        except MpwriteError as error:
            console.print(f"[red]{error}[/red]")


def ask_postal_code_or_riding(console: Console, resolver: Resolver) -> LookupResult:
    """Ask for a postal code (or a riding name) until one resolves."""

    def attempt() -> LookupResult:
        answer = ask_text(console, _("Your postal code (or the name of your riding)"))
        try:
            code = parse_postal_code(answer)
        except MalformedPostalCodeError:
            return by_riding_or_pick(console, resolver, answer)
        return resolver.by_postal_code(code)

    return retry(console, attempt)


def by_riding_or_pick(console: Console, resolver: Resolver, text: str) -> LookupResult:
    """The riding ``text`` names; when it names several, a numbered list to pick from."""
    from rich.prompt import IntPrompt

    try:
        return resolver.by_riding(text)
    except AmbiguousRidingError as error:
        candidates = ridings_to_pick(resolver, error)
        if not candidates:
            raise
    console.print(_("Several ridings match {text!r}:").format(text=text))
    for number, riding in enumerate(candidates, 1):
        console.print(f"  {number}. {describe(riding)}")
    choices = [str(n) for n in range(1, len(candidates) + 1)]
    chosen = IntPrompt.ask(_("Which one is yours?"), console=console, choices=choices)
    return resolver.by_riding(candidates[chosen - 1].code)


def ask_riding_name(console: Console, resolver: Resolver) -> Riding:
    """Ask for a riding by name or code until exactly one matches; show it and its MP."""

    def attempt() -> Riding:
        name = ask_text(console, _("Your riding's name"))
        return by_riding_or_pick(console, resolver, name).best.riding

    riding = retry(console, attempt)
    # The supporter must see whom the letter goes to before answering more questions.
    console.print(_("Your MP: {riding}").format(riding=describe(riding, language())))
    return riding


def describe_riding(riding: Riding, lang: str = "en") -> str:
    """ "Ottawa Centre (ON): Yasir Naqvi" for showing what was found."""
    return describe(riding, lang)


def confirm_match(console: Console, resolver: Resolver, result: LookupResult) -> Riding:
    """The supporter's riding: shown, and confirmed when the match is only likely."""
    from mpwrite.cli.commands._rich_prompts import Confirm, IntPrompt

    for warning in result.warnings:
        console.print(f"[yellow]{_('Warning: {warning}').format(warning=warning)}[/yellow]")
    found = classify(result)
    if found.exact:
        console.print(_("Your MP: {riding}").format(riding=describe(found.riding, language())))
        return found.riding
    if found.likely:
        console.print(
            _("Likely riding: {riding} (postal areas can span several ridings)").format(
                riding=describe(found.riding, language())
            )
        )
        question = _("Is {riding} your riding?").format(riding=found.riding.name(language()))
        if Confirm.ask(question, console=console):
            return found.riding
        return ask_riding_name(console, resolver)
    console.print(_("Your postal code may be in one of these ridings:"))
    for number, riding in enumerate(found.ridings, 1):
        console.print(f"  {number}. {describe(riding, language())}")
    choices = [str(n) for n in range(1, len(found.ridings) + 1)]
    chosen = IntPrompt.ask(_("Which one is yours?"), console=console, choices=choices)
    return found.ridings[chosen - 1]


def demand_table(console: Console, campaign: Campaign, lang: str = "en") -> None:
    """Show the campaign's demands as a numbered table."""
    from rich.table import Table

    table = Table(title=campaign.title[lang], show_lines=False)
    table.add_column("#", justify="right")
    table.add_column(_("Demand"))
    table.add_column(_("What it asks"))
    for demand in campaign.demands:
        table.add_row(str(demand.number), demand.title[lang], demand.summary[lang])
    console.print(table)


def choose_demand(console: Console, campaign: Campaign, lang: str = "en") -> Demand:
    """Show the demands and ask for one by number (the campaign's default on Enter)."""
    demand_table(console, campaign, lang)
    default = campaign.demand(campaign.default_demand)
    return retry(
        console,
        lambda: campaign.demand(
            ask_text(console, _("Which demand? (number)"), default=str(default.number))
        ),
    )


def choose_language(console: Console) -> str:
    """English or French, typed as a code or a name in any case (FR, français, English)."""
    from mpwrite.choices import language_code

    while True:
        question = _("Language of the letter / Langue de la lettre") + " (en/fr)"
        answer = ask_text(console, question, default=language())
        code = language_code(answer)
        if code is not None:
            return code
        console.print("[red]en (English) / fr (français)[/red]")


def ask_supporter(console: Console, known: Supporter) -> Supporter:
    """Ask for whatever of name, address, city, postal code and e-mail is missing."""
    from mpwrite.letter.compose import Supporter
    from mpwrite.letter.supporter_text import validate_email

    name = known.name or ask_text(console, _("Your name (as you sign the letter)"))
    address = known.address or ask_text(
        console, _("Your street address (shows the office you are a constituent)"), required=False
    )
    city = known.city or ask_text(console, _("Your city or town"), required=False)
    postal_code = known.postal_code or retry(
        console,
        lambda: _optional_postal_code(ask_text(console, _("Your postal code"), required=False)),
    )
    email = known.email or retry(
        console,
        lambda: validate_email(
            ask_text(console, _("Your e-mail address (optional, for a reply)"), required=False)
        ),
    )
    return Supporter(name, address, city, postal_code, email)


def _optional_postal_code(answer: str) -> str:
    return parse_postal_code(answer).code if answer else ""


def ask_own_words(console: Console, lang: str = "en") -> str:
    """The supporter's own paragraphs: one per guiding question answered, in ``lang``."""
    from rich.prompt import Prompt

    from mpwrite.letter.own_words import GUIDING_QUESTIONS, INTRODUCTION, note_from_answers

    class Question(Prompt):
        prompt_suffix = " "  # the question ends with its own "?"

    console.print(INTRODUCTION[lang], markup=False)
    answers = [
        Question.ask(question, console=console, default="", show_default=False)
        for question in GUIDING_QUESTIONS[lang]
    ]
    return note_from_answers(answer or "" for answer in answers)


_PICK_ASKS = {
    "en": ("This demand asks for:", "Which asks go in your letter? (numbers, Enter for all)"),
    "fr": (
        "Cette demande comporte\u00a0:",
        "Lesquelles mettre dans votre lettre\u202f? (numéros, Entrée pour toutes)",
    ),
}


def choose_asks(console: Console, demand: Demand, lang: str = "en") -> tuple[int, ...]:
    """The asks the supporter keeps, by number; () keeps all (also when there is no choice)."""
    from mpwrite.letter import asks

    listed = asks.demand_asks(demand, lang)
    if len(listed) < 2:
        return ()
    heading, question = _PICK_ASKS[lang]
    console.print(heading, markup=False)
    for number, ask in enumerate(listed, 1):
        console.print(f"  {number}. {ask}", markup=False)

    def attempt() -> tuple[int, ...]:
        numbers = asks.parse_ask_numbers(ask_text(console, question, required=False))
        asks.choose_asks(listed, numbers, demand.id)
        return numbers

    return retry(console, attempt)


def choose_salutation(console: Console, recipient: str = "mp") -> str:
    """The French greeting, chosen by the supporter: the data records no gender."""
    from mpwrite.cli.commands._rich_prompts import Prompt
    from mpwrite.letter.address import NEUTRAL_PRESET, SALUTATION_PRESETS

    presets = list(SALUTATION_PRESETS)
    for number, preset in enumerate(presets, 1):
        console.print(f"  {number}. {SALUTATION_PRESETS[preset][recipient]}")
    chosen = Prompt.ask(
        _("Formule d’appel / Greeting"),
        console=console,
        choices=[str(n) for n in range(1, len(presets) + 1)],
        default=str(presets.index(NEUTRAL_PRESET) + 1),
    )
    return presets[int(chosen) - 1]


def offer_minister(console: Console, message: str) -> bool:
    """Whether the supporter of a vacant seat writes to the minister instead."""
    from mpwrite.cli.commands._rich_prompts import Confirm

    console.print(message)
    return Confirm.ask(_("Write to the minister instead? / Écrire au ministre ?"), console=console)
