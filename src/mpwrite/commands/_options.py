"""Options that several commands share, declared once so they read the same everywhere."""

from __future__ import annotations

from typing import Annotated

import typer

Online = Annotated[
    bool,
    typer.Option(
        "--online", help="Ask Represent (online) for the exact riding of a postal code."
    ),
]
RepresentUrl = Annotated[
    str | None,
    typer.Option(
        "--represent-url",
        help="Represent's base URL (implies --online; default $MPWRITE_REPRESENT_URL).",
    ),
]
