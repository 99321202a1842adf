"""Options that several commands share, declared once so they read the same everywhere."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Annotated

import typer

from mpwrite.errors import UsageError
from mpwrite.i18n import N_, _

Online = Annotated[
    bool,
    typer.Option(
        "--online", help=N_("Ask Represent (online) for the exact riding of a postal code.")
    ),
]
CampaignFolder = Annotated[
    Path | None,
    typer.Option("--campaign", help=N_("A campaign folder (default: the bundled campaign).")),
]
YourRiding = Annotated[
    str | None, typer.Option("--riding", "-r", help=N_("Your riding's name or 5-digit code."))
]
ChosenDemand = Annotated[
    str | None,
    typer.Option("--demand", "-d", help=N_("Demand number or id (see: mpwrite demands).")),
]
AcceptLikely = Annotated[
    bool,
    typer.Option(
        "--accept-likely", help=N_("Use the likely riding of a postal code without confirming.")
    ),
]
MessagesLanguage = Annotated[
    str | None,
    typer.Option(
        "--lang",
        "-l",
        help=N_("Language of the answer: en or fr (default: $MPWRITE_LANG or the locale)."),
    ),
]
RepresentUrl = Annotated[
    str | None,
    typer.Option(
        "--represent-url",
        help=N_("Represent's base URL (implies --online; default $MPWRITE_REPRESENT_URL)."),
    ),
]


def parse_date(text: str | None) -> datetime.date | None:
    """--date as a date, or a usage error naming the expected form."""
    if text is None:
        return None
    try:
        return datetime.date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            _("--date {text!r} is not a date; use YYYY-MM-DD").format(text=text)
        ) from None


def speak(lang: str | None) -> None:
    """Answer in the language of ``--lang`` (en, fr, English, français…), if given."""
    if lang is not None:
        from mpwrite.choices import parse_language
        from mpwrite.i18n import use_language

        use_language(parse_language(lang))
