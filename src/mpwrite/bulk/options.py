"""What the organizer asked of a bulk run: its options, and where its letters go."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mpwrite.geo.ridings import Riding
from mpwrite.output.filenames import riding_folder_name

if TYPE_CHECKING:
    from mpwrite.bulk.ledger_log import LedgerSettings

APPROXIMATE_CHOICES = ("review", "accept")
#: The folder for letters when they are not grouped per MP.
FLAT_FOLDER = "letters"


@dataclass(frozen=True)
class BulkOptions:
    """What the organizer asked for; the CLI's options, validated."""

    out_dir: Path | None
    fmt: str = "txt"
    group_by_mp: bool = False
    approximate: str = "review"
    dry_run: bool = False
    force: bool = False
    lang: str = "en"
    demand: str | None = None
    campaign: str | Path | None = None
    encoding: str | None = None
    date: datetime.date | None = None
    online: bool = False
    represent_url: str | None = None
    #: PDF only: paper size, a #10 envelope page after each letter, a labels.pdf sheet.
    paper: str = "letter"
    envelope: bool = False
    labels: bool = False
    #: Rows whose note is empty go to needs-review.csv instead of getting a letter.
    require_own_words: bool = False
    ledger: LedgerSettings | None = None  # with --log: where the letters are logged


def letter_folder_name(options: BulkOptions, riding: Riding) -> str:
    """The folder in --out for a riding's letters: its own with --group-by mp."""
    return riding_folder_name(riding.code, riding.name_en) if options.group_by_mp else FLAT_FOLDER
