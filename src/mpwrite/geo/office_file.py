"""The constituency offices saved by ``mpwrite data update``, beside the downloaded MPs.

A file of its own (``offices.json``) because ridings.csv has one row per seat
and a fixed set of columns, while an MP has any number of offices. Its
checksum is in the download's metadata, like the ridings', so a damaged or
edited file is refused rather than shown; every field is cleaned and bounded
again when read.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from mpwrite.errors import DataError
from mpwrite.geo.offices import MOST_OFFICES
from mpwrite.geo.represent_mps import clean_office
from mpwrite.geo.ridings import Riding

#: Largest offices file read, in bytes (343 MPs' offices take about 150 KB).
MAX_OFFICES_FILE = 2_000_000


def sha256(raw: bytes) -> str:
    """The hex SHA-256 of ``raw``."""
    import hashlib  # only when downloaded data is saved or checked: costs start-up

    return hashlib.sha256(raw).hexdigest()


def offices_document(ridings: dict[str, Riding], source_url: str, as_of: dt.date) -> bytes:
    """The download's constituency offices, with where and when they come from."""
    document = {
        "schema_version": 1,
        "source_url": source_url,
        "mp_data_as_of": as_of.isoformat(),
        "offices": {
            code: [
                {
                    "kind": office.kind,
                    "postal_address": office.postal_address,
                    "tel": office.tel,
                    "fax": office.fax,
                }
                for office in riding.mp.offices
            ]
            for code, riding in ridings.items()
            if riding.mp is not None and riding.mp.offices
        },
    }
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def read_offices(path: Path, metadata: dict[str, Any], damaged: str) -> dict[str, Any]:
    """The saved offices by riding code; DataError(``damaged``) when damaged or missing."""
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_OFFICES_FILE + 1)
        if len(raw) > MAX_OFFICES_FILE or metadata.get("offices_sha256") != sha256(raw):
            raise DataError(damaged)
        document = json.loads(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        raise DataError(damaged) from None
    offices = document.get("offices") if isinstance(document, dict) else None
    if not isinstance(offices, dict):
        raise DataError(damaged)
    return offices


def with_offices(ridings: dict[str, Riding], saved: dict[str, Any]) -> dict[str, Riding]:
    """The ridings with each MP's saved offices, cleaned and bounded again as they are read."""
    found = dict(ridings)
    for code, listed in saved.items():
        riding = found.get(code)
        if riding is None or riding.mp is None or not isinstance(listed, list):
            continue
        offices = []
        for item in listed[:MOST_OFFICES]:
            if isinstance(item, dict):
                office = clean_office(
                    item.get("kind"), item.get("postal_address"), item.get("tel"), item.get("fax")
                )
                if office is not None and office.in_the_riding:
                    offices.append(office)
        found[code] = replace(riding, mp=replace(riding.mp, offices=tuple(offices)))
    return found
