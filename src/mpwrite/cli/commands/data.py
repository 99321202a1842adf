"""``mpwrite data …``: what data is in use, keeping the MPs current, importing postal codes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from mpwrite.cli.commands._output import emit_json, note, warn_if_stale
from mpwrite.geo.provenance import describe_data

app = typer.Typer(help="Show and manage the riding and MP data.", no_args_is_help=True)


@app.command("info")
def info(
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Show which data is active, its sources, dates and counts."""
    from mpwrite.geo.mpdata import active_info, load_active
    from mpwrite.geo.ridings import load_bundled
    from mpwrite.geo.store import PostcodeStore
    from mpwrite.letter.address import curated_rows

    data, origin = load_active()
    summary = describe_data(data, origin=origin)
    active = active_info(data, origin)
    bundled_as_of = str(load_bundled().metadata.get("mp_data_as_of", "unknown"))
    from mpwrite.errors import StoreError

    store = PostcodeStore.if_exists()
    store_problem = None
    try:
        store_summary = store.summary() if store else None
    except StoreError as error:
        # The store is a cache: a damaged one is worth a warning, not the whole answer.
        store_summary, store_problem = None, str(error)
    if store:
        store.close()
    if as_json:
        document: dict[str, Any] = summary.as_dict()
        document["active"] = {
            "origin": active.origin,
            "path": str(active.path) if active.path else None,
            "downloaded_at": active.downloaded_at,
            "source_url": active.source_url,
            "bundled_mp_data_as_of": bundled_as_of,
        }
        document["store"] = (
            {
                "path": str(store_summary.path),
                "postal_codes": store_summary.total,
                "by_origin": store_summary.by_origin,
                "oldest": store_summary.oldest.isoformat() if store_summary.oldest else None,
                "newest": store_summary.newest.isoformat() if store_summary.newest else None,
            }
            if store_summary
            else None
        )
        document["forms_of_address"] = curated_rows()
        emit_json(document)
    else:
        counts = summary.counts
        if active.origin == "downloaded":
            in_use = (
                f"downloaded from Represent at {active.downloaded_at} ({active.path}); "
                f"bundled MPs as of {bundled_as_of} (back to them: mpwrite data reset)"
            )
        else:
            in_use = "bundled"
        lines = [
            f"Data in use:   {in_use}",
            f"MPs as of:     {summary.mp_data_as_of.isoformat()} ({summary.age_days} days ago)",
            f"Ridings:       {counts['ridings']} (2023 Representation Order)",
            f"MPs:           {counts['mps']} sitting, {counts['vacancies']} vacant seats",
            f"Postal areas:  {counts['fsas']} FSAs, {counts['fsas_with_likely_riding']} "
            f"with a likely riding",
        ]
        if store_summary:
            origins = ", ".join(f"{n} {kind}" for kind, n in store_summary.by_origin.items())
            lines.append(
                f"Postal codes:  {store_summary.total} in the local store"
                f"{f' ({origins})' if origins else ''}: {store_summary.path}"
            )
        elif store_problem:
            lines.append("Postal codes:  the local store cannot be read (see the warning)")
        else:
            lines.append(
                "Postal codes:  no local store yet "
                "(mpwrite lookup --online or mpwrite data import-postcodes)"
            )
        lines += ["", "Sources:"]
        for source in summary.sources:
            # A key present with null is as unknown as a missing one.
            lines.append(
                f"- {source.get('title') or source.get('id') or '?'} "
                f"({source.get('publisher') or 'unknown publisher'}), as of "
                f"{source.get('as_of') or 'unknown'}; licence: {source.get('licence') or 'unknown'}"
            )
        lines += ["", "Forms of address (curated, scripts/forms_of_address.csv):"]
        for row in curated_rows():
            what = ", ".join(
                part
                for part in (row.get("title_en"), row.get("honorific") or "no honorific")
                if part
            )
            lines.append(
                f"- {row.get('name')} ({row.get('code')}): {what}; as of "
                f"{row.get('as_of') or 'unknown'}; source: {row.get('source') or 'unknown'}"
            )
        typer.echo("\n".join(lines))
    if store_problem:
        note(f"Warning: {store_problem}")
    warn_if_stale(data)


@app.command("update")
def update(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only show what changed; save nothing.")
    ] = False,
    represent_url: Annotated[
        str | None,
        typer.Option(
            "--represent-url", help="Represent's base URL (default $MPWRITE_REPRESENT_URL)."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the changes as JSON.")] = False,
    accept_vacancies: Annotated[
        bool,
        typer.Option(
            "--accept-vacancies",
            help="Save even though the download empties more than 3 seats "
            "(only after checking them on ourcommons.ca).",
        ),
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Save even though more than a quarter of the e-mails are not at parl.gc.ca "
            "(only after checking them on ourcommons.ca).",
        ),
    ] = False,
) -> None:
    """Download the current MPs from Represent, show the changes and save them."""
    from mpwrite.geo.mpdata import (
        MAX_NEW_VACANCIES,
        fetch_update,
        load_active,
        refuse_if_partial,
        refuse_if_wholesale,
        save_update,
    )
    from mpwrite.geo.represent import RepresentClient

    active, origin = load_active()
    client = RepresentClient(represent_url)
    note(f"Downloading the MP list from {client.base_url} …")
    try:
        downloaded = fetch_update(client, active)
    finally:
        client.close()
    for name in downloaded.unmatched:
        note(f"Warning: no riding is named {name!r}; that MP was left out")
    if not dry_run:
        # Before any output: a refused download must not look like a list of changes.
        refuse_if_partial(downloaded, accept_vacancies=accept_vacancies)
        refuse_if_wholesale(downloaded, force=force)
    if as_json:
        emit_json(
            {
                "dry_run": dry_run,
                "mps": len(downloaded.ridings) - downloaded.vacancies,
                "vacancies": downloaded.vacancies,
                "unmatched": list(downloaded.unmatched),
                "changes": [
                    {
                        "kind": change.kind,
                        "code": change.code,
                        "riding": change.riding,
                        "before": change.before,
                        "after": change.after,
                    }
                    for change in downloaded.changes
                ],
            }
        )
    elif downloaded.changes:
        typer.echo("\n".join(change.describe() for change in downloaded.changes))
    else:
        typer.echo(f"No changes against the {origin} data.")
    summary = (
        f"{len(downloaded.ridings) - downloaded.vacancies} MPs, {downloaded.vacancies} vacant "
        f"seats, {len(downloaded.changes)} change{'s' if len(downloaded.changes) != 1 else ''}"
    )
    if dry_run:
        if downloaded.looks_partial and not accept_vacancies:
            note(
                f"Warning: {downloaded.vacancies_opened} seats would become vacant (more than "
                f"{MAX_NEW_VACANCIES} looks like a partial download); a real update is refused "
                f"unless you check them on ourcommons.ca and pass --accept-vacancies."
            )
        if downloaded.looks_wholesale and not force:
            note(
                f"Warning: {downloaded.off_parliament_emails} e-mails are not at parl.gc.ca "
                f"(more than a quarter); a real update is refused unless you check them on "
                f"ourcommons.ca and pass --force."
            )
        note(f"{summary}; nothing saved (--dry-run).")
        return
    path = save_update(downloaded, accept_vacancies=accept_vacancies, force=force)
    note(f"{summary}; saved to {path}. It now takes precedence over the bundled data.")


@app.command("reset")
def reset() -> None:
    """Go back to the bundled MP data (removes the downloaded list)."""
    from mpwrite.geo.mpdata import reset_downloaded

    if reset_downloaded():
        note("Removed the downloaded MP data; the bundled data is in use again.")
    else:
        note("No downloaded MP data; the bundled data is already in use.")


@app.command("import-postcodes")
def import_postcodes(
    file: Annotated[
        Path,
        typer.Argument(
            help="CSV with a postal_code column and a fed_code or riding column.",
            dir_okay=False,
        ),
    ],
) -> None:
    """Load your organisation's own postal code → riding table into the local store."""
    from mpwrite.geo.mpdata import load_active
    from mpwrite.geo.postcode_import import import_postcodes as run_import
    from mpwrite.geo.store import PostcodeStore

    data, _origin = load_active()
    with PostcodeStore() as store:
        report = run_import(file, data, store)
    for problem in report.problems:
        note(f"Row {problem.row}: {problem.reason}")
    bad = len(report.problems)
    typer.echo(
        f"Imported {report.postal_codes_imported} postal code"
        f"{'s' if report.postal_codes_imported != 1 else ''} from {report.rows_read} row"
        f"{'s' if report.rows_read != 1 else ''}; {bad} row{'s' if bad != 1 else ''} skipped."
    )
    if report.postal_codes_imported == 0:
        raise typer.Exit(1)
