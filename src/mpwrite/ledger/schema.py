"""The ledger's tables, as the list of steps that built them, oldest first.

A new ledger runs every step; an older one runs the steps it is missing, so
both end with the same tables. A step is never changed once released: a
change to the tables is a new step at the end.
"""

from __future__ import annotations

#: Written in every ledger, so that another SQLite file is never taken for one.
APPLICATION = "mpwrite-ledger"

#: One tuple of statements per schema version: MIGRATIONS[0] makes version 1.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        "CREATE TABLE ledger_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        """CREATE TABLE entries (
            id              INTEGER PRIMARY KEY,
            entry_key       TEXT NOT NULL UNIQUE,
            campaign        TEXT NOT NULL,
            demand          TEXT NOT NULL,
            language        TEXT NOT NULL,
            riding_code     TEXT NOT NULL,
            riding_name     TEXT NOT NULL,
            mp_name         TEXT NOT NULL,
            mp_party        TEXT NOT NULL,
            province        TEXT NOT NULL,
            channel         TEXT NOT NULL CHECK (channel IN ('email', 'print', 'call', 'meeting')),
            logged_on       TEXT NOT NULL,
            source          TEXT NOT NULL,
            supporter_name  TEXT,
            supporter_email TEXT
        )""",
        "CREATE INDEX entries_riding ON entries (campaign, riding_code)",
        """CREATE TABLE replies (
            id          INTEGER PRIMARY KEY,
            campaign    TEXT NOT NULL,
            riding_code TEXT NOT NULL,
            received_on TEXT NOT NULL,
            stance      TEXT NOT NULL,
            note        TEXT NOT NULL DEFAULT ''
        )""",
    ),
    # Version 2: replies imported from e-mail keep where they came from, and
    # importing the same message twice keeps it once.
    (
        "ALTER TABLE replies ADD COLUMN subject TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE replies ADD COLUMN sender TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE replies ADD COLUMN excerpt TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE replies ADD COLUMN message_id TEXT",
        "CREATE UNIQUE INDEX replies_message ON replies (message_id)",
    ),
)

#: The schema version this mpwrite writes; a ledger with a higher one is refused.
SCHEMA_VERSION = len(MIGRATIONS)
