"""The campaign ledger: what was sent to which MP, what came back, and reports.

One SQLite file per campaign (or one a team shares), written only when a
command is asked to ``--log``. It never holds a supporter's address or note,
and their name and e-mail only when the organizer asks for them.
"""
