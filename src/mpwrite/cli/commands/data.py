"""``mpwrite data …``: what data is in use, keeping the MPs current, importing postal codes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from mpwrite.cli.commands._output import emit_json, note, warn_if_stale
from mpwrite.geo.provenance import describe_data
from mpwrite.i18n import N_, _

app = typer.Typer(help=N_("Show and manage the riding and MP data."), no_args_is_help=True)


@app.command("info", help=N_("Show which data is active, its sources, dates and counts."))
def info(
    as_json: Annotated[bool, typer.Option("--json", help=N_("Print the summary as JSON."))] = False,
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
        unknown = _("unknown")
        if active.origin == "downloaded":
            in_use = _(
                "downloaded from Represent at {downloaded_at} ({path}); "
                "bundled MPs as of {as_of} (back to them: mpwrite data reset)"
            ).format(downloaded_at=active.downloaded_at, path=active.path, as_of=bundled_as_of)
        else:
            in_use = _("bundled")
        lines = [
            _("Data in use:   {in_use}").format(in_use=in_use),
            _("MPs as of:     {date} ({days} days ago)").format(
                date=summary.mp_data_as_of.isoformat(), days=summary.age_days
            ),
            _("Ridings:       {count} (2023 Representation Order)").format(count=counts["ridings"]),
            _("MPs:           {mps} sitting, {vacancies} vacant seats").format(
                mps=counts["mps"], vacancies=counts["vacancies"]
            ),
            _("Postal areas:  {fsas} FSAs, {likely} with a likely riding").format(
                fsas=counts["fsas"], likely=counts["fsas_with_likely_riding"]
            ),
        ]
        if store_summary:
            origins = ", ".join(f"{n} {kind}" for kind, n in store_summary.by_origin.items())
            lines.append(
                _("Postal codes:  {total} in the local store{origins}: {path}").format(
                    total=store_summary.total,
                    origins=f" ({origins})" if origins else "",
                    path=store_summary.path,
                )
            )
        elif store_problem:
            lines.append(_("Postal codes:  the local store cannot be read (see the warning)"))
        else:
            lines.append(
                _(
                    "Postal codes:  no local store yet "
                    "(mpwrite lookup --online or mpwrite data import-postcodes)"
                )
            )
        lines += ["", _("Sources:")]
        for source in summary.sources:
            # A key present with null is as unknown as a missing one.
            lines.append(
                _("- {title} ({publisher}), as of {as_of}; licence: {licence}").format(
                    title=source.get("title") or source.get("id") or "?",
                    publisher=source.get("publisher") or _("unknown publisher"),
                    as_of=source.get("as_of") or unknown,
                    licence=source.get("licence") or unknown,
                )
            )
        lines += ["", _("Forms of address (curated, scripts/forms_of_address.csv):")]
        for row in curated_rows():
            what = ", ".join(
                part
                for part in (row.get("title_en"), row.get("honorific") or _("no honorific"))
                if part
            )
            lines.append(
                _("- {name} ({code}): {what}; as of {as_of}; source: {source}").format(
                    name=row.get("name"),
                    code=row.get("code"),
                    what=what,
                    as_of=row.get("as_of") or unknown,
                    source=row.get("source") or unknown,
                )
            )
        typer.echo("\n".join(lines))
    if store_problem:
        note(_("Warning: {warning}").format(warning=store_problem))
    warn_if_stale(data)


@app.command(
    "update", help=N_("Download the current MPs from Represent, show the changes and save them.")
)
def update(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help=N_("Only show what changed; save nothing."))
    ] = False,
    represent_url: Annotated[
        str | None,
        typer.Option(
            "--represent-url", help=N_("Represent's base URL (default $MPWRITE_REPRESENT_URL).")
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help=N_("Print the changes as JSON."))] = False,
    accept_vacancies: Annotated[
        bool,
        typer.Option(
            "--accept-vacancies",
            help=N_(
                "Save even though the download empties more than 3 seats "
                "(only after checking them on ourcommons.ca)."
            ),
        ),
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help=N_(
                "Save even though more than a quarter of the e-mails are not at parl.gc.ca "
                "(only after checking them on ourcommons.ca)."
            ),
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
    note(_("Downloading the MP list from {url} …").format(url=client.base_url))
    try:
        downloaded = fetch_update(client, active)
    finally:
        client.close()
    for name in downloaded.unmatched:
        note(_("Warning: no riding is named {name!r}; that MP was left out").format(name=name))
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
        typer.echo(
            _("No changes against the downloaded data.")
            if origin == "downloaded"
            else _("No changes against the bundled data.")
        )
    changes = len(downloaded.changes)
    summary = (
        _("{mps} MPs, {vacancies} vacant seats, {count} change")
        if changes == 1
        else _("{mps} MPs, {vacancies} vacant seats, {count} changes")
    ).format(
        mps=len(downloaded.ridings) - downloaded.vacancies,
        vacancies=downloaded.vacancies,
        count=changes,
    )
    if dry_run:
        if downloaded.looks_partial and not accept_vacancies:
            note(
                _(
                    "Warning: {count} seats would become vacant (more than {most} looks like a "
                    "partial download); a real update is refused unless you check them on "
                    "ourcommons.ca and pass --accept-vacancies."
                ).format(count=downloaded.vacancies_opened, most=MAX_NEW_VACANCIES)
            )
        if downloaded.looks_wholesale and not force:
            note(
                _(
                    "Warning: {count} e-mails are not at parl.gc.ca (more than a quarter); a real "
                    "update is refused unless you check them on ourcommons.ca and pass --force."
                ).format(count=downloaded.off_parliament_emails)
            )
        note(_("{summary}; nothing saved (--dry-run).").format(summary=summary))
        return
    path = save_update(downloaded, accept_vacancies=accept_vacancies, force=force)
    note(
        _("{summary}; saved to {path}. It now takes precedence over the bundled data.").format(
            summary=summary, path=path
        )
    )


@app.command("reset", help=N_("Go back to the bundled MP data (removes the downloaded list)."))
def reset() -> None:
    """Go back to the bundled MP data (removes the downloaded list)."""
    from mpwrite.geo.mpdata import reset_downloaded

    if reset_downloaded():
        note(_("Removed the downloaded MP data; the bundled data is in use again."))
    else:
        note(_("No downloaded MP data; the bundled data is already in use."))


@app.command(
    "import-postcodes",
    help=N_("Load your organisation's own postal code → riding table into the local store."),
)
def import_postcodes(
    file: Annotated[
        Path,
        typer.Argument(
            help=N_("CSV with a postal_code column and a fed_code or riding column."),
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
        note(_("Row {row}: {reason}").format(row=problem.row, reason=problem.reason))
    imported, read, bad = report.postal_codes_imported, report.rows_read, len(report.problems)
    typer.echo(
        " ".join(
            (
                (
                    _("Imported 1 postal code")
                    if imported == 1
                    else _("Imported {count} postal codes")
                ).format(count=imported),
                (_("from 1 row;") if read == 1 else _("from {count} rows;")).format(count=read),
                (_("1 row skipped.") if bad == 1 else _("{count} rows skipped.")).format(count=bad),
            )
        )
    )
    if report.postal_codes_imported == 0:
        raise typer.Exit(1)
