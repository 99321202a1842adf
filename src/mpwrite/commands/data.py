"""``mpwrite data …``: what data is in use and where it came from."""

from __future__ import annotations

from typing import Annotated

import typer

from mpwrite.commands._output import emit_json, note
from mpwrite.provenance import STALE_AFTER_DAYS, describe_data
from mpwrite.ridings import load_bundled

app = typer.Typer(help="Show and manage the riding and MP data.", no_args_is_help=True)


@app.command("info")
def info(
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Show the data's sources, dates and counts."""
    summary = describe_data(load_bundled())
    if as_json:
        emit_json(summary.as_dict())
    else:
        counts = summary.counts
        lines = [
            f"Data in use:   {summary.origin}",
            f"MPs as of:     {summary.mp_data_as_of.isoformat()} ({summary.age_days} days ago)",
            f"Ridings:       {counts['ridings']} (2023 Representation Order)",
            f"MPs:           {counts['mps']} sitting, {counts['vacancies']} vacant seats",
            f"Postal areas:  {counts['fsas']} FSAs, {counts['fsas_with_likely_riding']} "
            f"with a likely riding",
            "",
            "Sources:",
        ]
        for source in summary.sources:
            lines.append(
                f"- {source.get('title', source.get('id', '?'))} "
                f"({source.get('publisher', 'unknown publisher')}), as of "
                f"{source.get('as_of') or 'unknown'}; licence: {source.get('licence', 'unknown')}"
            )
        typer.echo("\n".join(lines))
    if summary.stale:
        note(
            f"Warning: the MP data is {summary.age_days} days old (more than "
            f"{STALE_AFTER_DAYS // 30} months); MPs may have changed since. Check "
            f"ourcommons.ca before sending."
        )
