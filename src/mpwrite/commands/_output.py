"""Small helpers shared by commands: JSON on stdout, notes on stderr."""

from __future__ import annotations

import json
from typing import Any

import typer


def emit_json(value: Any) -> None:
    """Print a value as the stable, indented JSON that ``--json`` promises."""
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2))


def note(message: str) -> None:
    """A line for the person at the terminal, never for a pipe: stderr."""
    typer.echo(message, err=True)
