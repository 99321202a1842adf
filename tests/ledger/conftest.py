"""Ledgers and entries made in the tests of the campaign ledger."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from mpwrite.ledger.record import Entry
from mpwrite.ledger.store import Ledger

#: Ridings the tests write to: code → (riding, MP, party, province).
RIDINGS = {
    "35079": ("Ottawa Centre", "Yasir Naqvi", "Liberal", "ON"),
    "24029": ("Joliette—Manawan", "Gabriel Ste-Marie", "Bloc Québécois", "QC"),
    "48001": ("Airdrie—Cochrane", "Blake Richards", "Conservative", "AB"),
}


@pytest.fixture
def ledger_path(tmp_path: Path) -> Path:
    return tmp_path / "campaign.sqlite3"


@pytest.fixture
def ledger(ledger_path: Path) -> Iterator[Ledger]:
    with Ledger.open(ledger_path) as opened:
        yield opened


@pytest.fixture
def make_entry() -> Callable[..., Entry]:
    """An entry for a riding of RIDINGS; ``identity`` and anything else may be given."""

    def make(riding: str = "35079", *identity: str, **fields: Any) -> Entry:
        name, mp, party, province = RIDINGS[riding]
        values: dict[str, Any] = {
            "campaign": "housing",
            "demand": "build",
            "language": "en",
            "riding_code": riding,
            "riding_name": name,
            "mp_name": mp,
            "mp_party": party,
            "province": province,
            "channel": "email",
            "source": "bulk-1",
            "identity": identity or ("row", riding),
            "logged_on": dt.date(2026, 11, 2),
        }
        values.update(fields)
        return Entry(**values)

    return make
