"""``mpwrite event``: a letter-writing table, one supporter after another."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mpwrite.cli.commands import _prompts
from mpwrite.cli.commands._ledger import LedgerFile, Log, LogSupporters, event_logger, wants_log
from mpwrite.cli.commands._options import CampaignFolder
from mpwrite.cli.commands._output import note
from mpwrite.errors import UsageError
from mpwrite.i18n import N_, _, language, use_language

if TYPE_CHECKING:
    from rich.console import Console

    from mpwrite.event.screen import Style

#: Erase the terminal's scrollback too (xterm, VTE, iTerm2, Windows Terminal, kitty).
CLEAR_SCROLLBACK = "\x1b[3J"

_STYLES = {"title": "bold reverse", "error": "bold red", "ok": "bold green", "dim": "dim", "": ""}


class RichScreen:
    """The event loop's screen: large prompts on stderr, answers from stdin."""

    def __init__(self, console: Console) -> None:
        self.console = console

    def ask(self, prompt: str) -> str:
        """One line of input; EOFError at end of input, KeyboardInterrupt on Ctrl-C."""
        self.console.print(f"\n[bold cyan]▶ {_escape(prompt)}[/bold cyan]")
        return self.console.input("[bold]> [/bold]")

    def say(self, text: str, style: Style = "") -> None:
        """Show text; QR codes unwrapped, with their own colours; a call sheet large."""
        if style == "call":
            self.console.print(_call_panel(text))
            return
        if style == "qr":
            from rich.text import Text

            width = len(text.split("\n", 1)[0].encode("ascii", "ignore")) or 0
            if self.console.is_terminal and self.console.width < width:
                self.console.print(
                    _(
                        "Widen the window or zoom out so the whole code shows. / "
                        "Agrandissez la fenêtre pour voir tout le code."
                    ),
                    style="bold yellow",
                )
            self.console.print(Text.from_ansi(text), soft_wrap=True)
            return
        if style == "item":
            text = hanging_indent(text, self.console.width)
        else:
            text = wrapped(text, self.console.width)
        self.console.print(text, style=_STYLES.get(style, ""), markup=False, soft_wrap=True)

    def clear(self) -> None:
        """Clear the screen and its scrollback, and forget typed lines."""
        if self.console.is_terminal:
            self.console.clear()
            self.console.file.write(CLEAR_SCROLLBACK)
            self.console.file.flush()
        readline = sys.modules.get("readline")
        if readline is not None:
            # input() keeps a history when readline is loaded: supporters' answers.
            readline.clear_history()


def _call_panel(text: str) -> object:
    """A call sheet to read from across the table: bold, boxed, a blank line between lines."""
    from rich.panel import Panel
    from rich.text import Text

    spaced = "\n\n".join(line for line in text.splitlines() if line.strip())
    return Panel(Text(spaced, style="bold"), padding=(1, 4), border_style="bold cyan")


def hanging_indent(text: str, width: int) -> str:
    """A numbered item (``  3. …``) wrapped between words, later lines aligned after ``3. ``."""
    import re
    import textwrap

    number = re.match(r"\s*\d+\.\s+", text)
    return textwrap.fill(
        text,
        width=width,
        subsequent_indent=" " * (number.end() if number else 0),
        break_long_words=False,
        break_on_hyphens=False,
    )


def wrapped(text: str, width: int) -> str:
    """Each line wrapped between words. Not Rich's wrapping, nor the terminal's: the
    terminal breaks mid-word, and Rich breaks at the no-break space French puts
    before ":"; textwrap does neither."""
    import textwrap

    return "\n".join(
        textwrap.fill(line, width=width, break_long_words=False, break_on_hyphens=False)
        if len(line) > width
        else line
        for line in text.split("\n")
    )


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def event(
    campaign_path: CampaignFolder = None,
    demand: Annotated[
        str | None,
        typer.Option(
            "--demand", "-d", help=N_("Ask every supporter for this demand (number or id).")
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang", "-l", help=N_("Letter language for everyone: en or fr (default: ask).")
        ),
    ] = None,
    printer: Annotated[
        str | None,
        typer.Option(
            "--printer", help=N_("Print on this printer (default: the system's default).")
        ),
    ] = None,
    save_dir: Annotated[
        Path | None,
        typer.Option("--save-dir", help=N_("Folder where 'save' puts letters (as PDF).")),
    ] = None,
    online: Annotated[
        bool,
        typer.Option(
            "--online", help=N_("Ask Represent for the exact riding; offline if no answer.")
        ),
    ] = False,
    paper: Annotated[str, typer.Option("--paper", help=N_("Paper size: letter or a4."))] = "letter",
    envelope: Annotated[
        bool,
        typer.Option("--envelope", help=N_("Add a #10 envelope page after each printed letter.")),
    ] = False,
    offer_call: Annotated[
        bool,
        typer.Option(
            "--offer-call",
            help=N_(
                "Let each supporter choose a letter, a phone call to their MP (numbers and "
                "script on screen) or both."
            ),
        ),
    ] = False,
    log: Log = False,
    log_supporters: LogSupporters = False,
    ledger: LedgerFile = None,
) -> None:
    """Run a letter-writing table: one supporter after another, nothing kept."""
    use_language(lang)
    from mpwrite.campaign.folder import load_campaign
    from mpwrite.choices import parse_language
    from mpwrite.event.output import save_folder_reminder
    from mpwrite.event.screen import EventSettings
    from mpwrite.event.session import run_event
    from mpwrite.geo.mpdata import load_active
    from mpwrite.geo.provenance import mp_data_as_of, stale_data_warning
    from mpwrite.geo.sources import build_event_resolver
    from mpwrite.output.pdf import check_paper

    lang = parse_language(lang) if lang is not None else None
    use_language(lang)
    if save_dir is not None and not save_dir.is_dir():
        raise UsageError(
            _("--save-dir {folder} is not a folder; create it first").format(folder=save_dir)
        )
    campaign = load_campaign(campaign_path)
    if offer_call:
        from mpwrite.letter.call import call_template_name, has_call_template

        missing = [name for name in ("en", "fr") if not has_call_template(campaign, name)]
        if missing:
            raise UsageError(
                _(
                    "--offer-call needs the campaign's call script in English and French "
                    "({name} is missing); add it or run the event without --offer-call"
                ).format(name=campaign.file_label(call_template_name(missing[0])))
            )
    data, _origin = load_active()
    settings = EventSettings(
        campaign=campaign,
        resolver=build_event_resolver(data, online=online),
        lang=lang,
        demand=campaign.demand(demand) if demand is not None else None,
        printer=printer,
        save_dir=save_dir,
        paper=check_paper(paper),
        envelope=envelope,
        opening_notice=stale_data_warning(mp_data_as_of(data)) or "",
        offer_call=offer_call,
    )
    console = _prompts.make_console()
    screen = RichScreen(console)
    logged_in = None
    if wants_log(log, log_supporters, ledger):
        settings.on_letter, settings.on_call, logged_in = event_logger(
            campaign, screen, log_supporters=log_supporters, ledger=ledger
        )
    tally = run_event(settings, screen)
    names = {code: riding.name(lang or language()) for code, riding in data.ridings.items()}
    typer.echo(tally.summary(campaign, names, lang or language()))
    reminder = save_folder_reminder(save_dir, lang)
    if reminder:
        note(reminder)
    if logged_in is not None:
        note(_("The letters are logged in the ledger {path}.").format(path=logged_in))
