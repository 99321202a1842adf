"""Current MP data: which riding data is active, and ``mpwrite data update``.

The bundled data is a snapshot. ``data update`` downloads every MP from
Represent, validates the list as a whole and, only when it is complete and
sound, saves it (atomically) in the user's data directory, where it then takes
precedence over the bundled MPs. Ridings, provinces and postal areas always
come from the bundled data; only the MPs are replaced.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mpwrite.errors import (
    AmbiguousRidingError,
    DataError,
    DataUpdateError,
    UnknownRidingError,
)
from mpwrite.files import replace_file
from mpwrite.geo.mp_changes import Change, diff_ridings
from mpwrite.geo.office_file import offices_document, read_offices, with_offices
from mpwrite.geo.office_file import sha256 as _sha256
from mpwrite.geo.represent import RepresentClient
from mpwrite.geo.represent_mps import clean_text, mp_from_representative, well_formed_email
from mpwrite.geo.ridings import (
    MP,
    RIDINGS_COLUMNS,
    Riding,
    RidingData,
    load_bundled,
    parse_ridings,
)
from mpwrite.geo.store import data_home
from mpwrite.i18n import _

ORIGIN_BUNDLED = "bundled"
ORIGIN_DOWNLOADED = "downloaded"
DOWNLOADED_RIDINGS = "ridings.csv"
DOWNLOADED_METADATA = "ridings-metadata.json"
#: MPs' constituency offices from the same download, keyed by riding code.
DOWNLOADED_OFFICES = "offices.json"
#: More empty seats than this means the download is partial, not by-elections.
MAX_VACANCIES = 20
#: More seats emptied at once than this, against the data in use, looks like a
#: download that stopped early (Represent does not always send a total to check
#: against), so it is only saved when the user has checked and accepts it.
MAX_NEW_VACANCIES = 3
HOUSE_OF_COMMONS_PATH = "/representatives/house-of-commons/"
#: Every MP's e-mail is at this domain; a download where more than
#: MAX_OFF_PARLIAMENT_SHARE of them are not looks tampered with or broken.
PARLIAMENT_EMAIL_DOMAIN = "parl.gc.ca"
MAX_OFF_PARLIAMENT_SHARE = 0.25


def downloaded_dir() -> Path:
    """Where ``data update`` saves the downloaded MP list."""
    return data_home() / "data"


@dataclass(frozen=True, slots=True)
class ActiveInfo:
    """Where the active MP data came from, for ``data info``."""

    origin: str
    path: Path | None
    downloaded_at: str | None
    source_url: str | None


def load_active() -> tuple[RidingData, str]:
    """The riding data commands should use, and its origin (``bundled`` or ``downloaded``)."""
    bundled = load_bundled()
    folder = downloaded_dir()
    ridings_path = folder / DOWNLOADED_RIDINGS
    metadata_path = folder / DOWNLOADED_METADATA
    if not ridings_path.exists() and not metadata_path.exists():
        return bundled, ORIGIN_BUNDLED
    damaged = _(
        "the downloaded MP data in {folder} is damaged or incomplete; run "
        "'mpwrite data update' again or go back to the bundled data with 'mpwrite data reset'"
    ).format(folder=folder)
    try:
        raw = ridings_path.read_bytes()
        saved = json.loads(metadata_path.read_text(encoding="utf-8"))
        if not isinstance(saved, dict) or saved.get("ridings_sha256") != _sha256(raw):
            raise DataError(damaged)
        ridings = parse_ridings(raw.decode("utf-8"), str(ridings_path))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, DataError):
        raise DataError(damaged) from None
    if set(ridings) != set(bundled.ridings):
        raise DataError(damaged)
    if saved.get("offices_sha256"):
        ridings = with_offices(ridings, read_offices(folder / DOWNLOADED_OFFICES, saved, damaged))
    metadata = dict(bundled.metadata)
    metadata.update(
        mp_data_as_of=saved.get("mp_data_as_of", metadata.get("mp_data_as_of")),
        downloaded=saved,
        sources=[_represent_source(saved), *bundled.metadata.get("sources", ())],
    )
    data = RidingData(
        ridings=ridings,
        postal_areas=bundled.postal_areas,
        provinces=bundled.provinces,
        metadata=metadata,
    )
    return data, ORIGIN_DOWNLOADED


def active_info(data: RidingData, origin: str) -> ActiveInfo:
    """Where the active data came from."""
    saved = data.metadata.get("downloaded") if origin == ORIGIN_DOWNLOADED else None
    if not isinstance(saved, dict):
        return ActiveInfo(ORIGIN_BUNDLED, None, None, None)
    return ActiveInfo(
        origin=ORIGIN_DOWNLOADED,
        path=downloaded_dir() / DOWNLOADED_RIDINGS,
        downloaded_at=str(saved.get("downloaded_at", "")) or None,
        source_url=str(saved.get("source_url", "")) or None,
    )


def _represent_source(saved: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": "represent_download",
        "title": "House of Commons representatives (downloaded with mpwrite data update)",
        "publisher": "Open North (Represent)",
        "as_of": saved.get("mp_data_as_of"),
        "licence": "public facts (names, parties, contact details)",
        "used_for": "current seat holder, vacancies, party, e-mail, Hill phone, offices",
        "url": saved.get("source_url"),
    }


@dataclass(frozen=True, slots=True)
class Update:
    """A validated download, ready to show and save."""

    ridings: dict[str, Riding]
    changes: tuple[Change, ...]
    unmatched: tuple[str, ...]
    fetched_at: dt.datetime
    source_url: str

    @property
    def vacancies(self) -> int:
        """Ridings with no MP in the download."""
        return sum(1 for riding in self.ridings.values() if riding.vacant)

    @property
    def vacancies_opened(self) -> int:
        """Seats that have an MP in the data in use but none in the download."""
        return sum(1 for change in self.changes if change.kind == "vacancy opened")

    @property
    def off_parliament_emails(self) -> int:
        """MPs in the download whose e-mail is not at parl.gc.ca."""
        return sum(
            1
            for riding in self.ridings.values()
            if riding.mp is not None
            and riding.mp.email.rpartition("@")[2] != PARLIAMENT_EMAIL_DOMAIN
        )

    @property
    def looks_wholesale(self) -> bool:
        """Whether more than a quarter of the e-mails are off parl.gc.ca."""
        mps = len(self.ridings) - self.vacancies
        return mps > 0 and self.off_parliament_emails > MAX_OFF_PARLIAMENT_SHARE * mps

    @property
    def looks_partial(self) -> bool:
        """Whether it empties more seats than by-elections plausibly would."""
        return self.vacancies_opened > MAX_NEW_VACANCIES


def refuse_if_partial(update: Update, *, accept_vacancies: bool = False) -> None:
    """DataUpdateError when the download empties many seats and the user has not accepted it."""
    if update.looks_partial and not accept_vacancies:
        raise DataUpdateError(
            f"the download leaves {update.vacancies_opened} seats vacant that have an MP in the "
            f"data in use (more than {MAX_NEW_VACANCIES} at once looks like a partial "
            f"download), so nothing was saved; try again later, or check the seats with "
            f"'mpwrite data update --dry-run' and, if ourcommons.ca confirms they are vacant, "
            f"re-run with --accept-vacancies"
        )


def refuse_if_wholesale(update: Update, *, force: bool = False) -> None:
    """DataUpdateError when many e-mails leave parl.gc.ca and the user has not passed --force."""
    if update.looks_wholesale and not force:
        mps = len(update.ridings) - update.vacancies
        raise DataUpdateError(
            f"{update.off_parliament_emails} of {mps} MPs' e-mails in the download are not at "
            f"{PARLIAMENT_EMAIL_DOMAIN} (more than a quarter looks like a broken or tampered "
            f"source), so nothing was saved; check them with 'mpwrite data update --dry-run' "
            f"and on ourcommons.ca and, only if they are right, re-run with --force"
        )


def fetch_update(client: RepresentClient, active: RidingData) -> Update:
    """Download every MP and build a validated :class:`Update` (DataUpdateError if unsound)."""
    representatives = client.house_of_commons()
    return build_update(
        representatives, active, source_url=f"{client.base_url}{HOUSE_OF_COMMONS_PATH}"
    )


def build_update(
    representatives: list[dict[str, Any]],
    active: RidingData,
    *,
    source_url: str = "",
    now: dt.datetime | None = None,
) -> Update:
    """Map Represent's MPs to ridings by name, validate the whole list, diff it."""
    members: dict[str, MP] = {}
    unmatched: list[str] = []
    problems: list[str] = []
    for item in representatives:
        if str(item.get("elected_office", "MP")).upper() != "MP":
            continue
        district = clean_text(item.get("district_name"))
        try:
            riding = active.find(district) if district else None
        except (UnknownRidingError, AmbiguousRidingError):
            riding = None
        if riding is None:
            unmatched.append(district or clean_text(item.get("name")) or "?")
            continue
        mp = mp_from_representative(item, riding.mp)
        if riding.code in members:
            problems.append(f"two MPs for {riding.name_en} ({riding.code})")
            continue
        if not well_formed_email(mp.email):
            problems.append(f"{mp.full_name} ({riding.code}) has no well-formed e-mail")
        members[riding.code] = mp
    ridings = {
        code: Riding(
            code=riding.code,
            name_en=riding.name_en,
            name_fr=riding.name_fr,
            province=riding.province,
            aliases=riding.aliases,
            mp=members.get(code),
        )
        for code, riding in active.ridings.items()
    }
    vacancies = len(ridings) - len(members)
    if vacancies > MAX_VACANCIES:
        problems.insert(
            0,
            f"only {len(members)} of {len(ridings)} ridings have an MP in the download "
            f"(looks partial)",
        )
    if problems:
        shown = "; ".join(problems[:3]) + (
            f"; and {len(problems) - 3} more" if len(problems) > 3 else ""
        )
        raise DataUpdateError(
            f"the downloaded MP list is not sound, so nothing was saved: {shown}; try again later"
        )
    return Update(
        ridings=ridings,
        changes=tuple(diff_ridings(active.ridings, ridings)),
        unmatched=tuple(unmatched),
        fetched_at=now or dt.datetime.now(dt.UTC).replace(microsecond=0),
        source_url=source_url,
    )


def save_update(update: Update, *, accept_vacancies: bool = False, force: bool = False) -> Path:
    """Write the download (CSV, then metadata with its checksum), each atomically.

    Refuses (DataUpdateError) a download that looks partial unless
    ``accept_vacancies``, and one whose e-mails look wholesale unless ``force``.
    """
    refuse_if_partial(update, accept_vacancies=accept_vacancies)
    refuse_if_wholesale(update, force=force)
    folder = downloaded_dir()
    rows = io.StringIO()
    writer = csv.writer(rows, lineterminator="\n")
    writer.writerow(RIDINGS_COLUMNS)
    for riding in update.ridings.values():
        mp = riding.mp
        writer.writerow(
            [
                riding.code,
                riding.name_en,
                riding.name_fr,
                riding.province,
                "|".join(riding.aliases),
                *(
                    (mp.first_name, mp.last_name, mp.honorific, mp.party, mp.email, mp.phone)
                    if mp
                    else ("",) * 6
                ),
                "no" if mp else "yes",
            ]
        )
    raw = rows.getvalue().encode("utf-8")
    offices = offices_document(update.ridings, update.source_url, update.fetched_at.date())
    metadata = {
        "schema_version": 1,
        "origin": ORIGIN_DOWNLOADED,
        "downloaded_at": update.fetched_at.isoformat(),
        "mp_data_as_of": update.fetched_at.date().isoformat(),
        "source_url": update.source_url,
        "mps": len(update.ridings) - update.vacancies,
        "vacancies": update.vacancies,
        "unmatched_district_names": list(update.unmatched),
        "ridings_sha256": _sha256(raw),
        "offices_sha256": _sha256(offices),
    }
    try:
        folder.mkdir(parents=True, exist_ok=True)
        replace_file(folder / DOWNLOADED_RIDINGS, raw)
        replace_file(folder / DOWNLOADED_OFFICES, offices)
        replace_file(
            folder / DOWNLOADED_METADATA,
            (json.dumps(metadata, ensure_ascii=False, indent=2) + "\n").encode("utf-8"),
        )
    except OSError as error:
        raise DataUpdateError(
            f"cannot save the MP data in {folder} ({error.strerror}); set MPWRITE_HOME to a "
            f"writable folder"
        ) from None
    return folder / DOWNLOADED_RIDINGS


def reset_downloaded() -> bool:
    """Remove the downloaded MP data; True when there was some."""
    removed = False
    for name in (DOWNLOADED_METADATA, DOWNLOADED_RIDINGS, DOWNLOADED_OFFICES):
        path = downloaded_dir() / name
        try:
            path.unlink()
            removed = True
        except FileNotFoundError:
            pass
        except OSError as error:
            raise DataError(f"cannot remove {path} ({error.strerror}); remove it by hand") from None
    return removed
