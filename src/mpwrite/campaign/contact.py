"""Who to reach about a campaign: the manifest's optional ``[contact]`` table.

An MP's office that meets supporters wants to know who is behind the asks;
the one-page brief left after a meeting names them. The table holds a
``name`` (one string, or a table with en and fr strings), and an ``email``,
a ``website`` or both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mpwrite.i18n import _

if TYPE_CHECKING:
    from mpwrite.campaign.folder import _ManifestReader

CONTACT_KEYS = ("name", "email", "website")
_EMAIL = re.compile(r"[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[A-Za-z]{2,}")


@dataclass(frozen=True)
class Contact:
    """The campaign's contact, as the brief prints it."""

    name: dict[str, str]
    email: str = ""
    website: str = ""

    def lines(self, lang: str) -> tuple[str, ...]:
        """Name, e-mail and website, skipping what the manifest leaves out."""
        return tuple(line for line in (self.name[lang], self.email, self.website) if line)


def read_contact(reader: _ManifestReader, data: dict[str, Any]) -> Contact | None:
    """The ``[contact]`` table, or None when the manifest has none; problems go to ``reader``."""
    raw = data.get("contact")
    if raw is None:
        return None
    line = reader.line_of(r"\[contact(\.name)?\]")
    if not isinstance(raw, dict):
        reader.problem(_("contact must be a [contact] table with name, email and website"), line)
        return None
    for key in raw:
        if key not in CONTACT_KEYS:
            reader.problem(
                _("contact: unknown key {key!r}; use {keys}").format(
                    key=key, keys=", ".join(CONTACT_KEYS)
                ),
                line,
            )
    name_value = raw.get("name")
    if isinstance(name_value, str):
        name = {lang: reader.string(raw, "name", "contact.", line) for lang in ("en", "fr")}
    else:
        name = reader.translated(raw, "name", "contact.", line)
    email = _optional(reader, raw, "email", line)
    if email and not _EMAIL.fullmatch(email):
        reader.problem(
            _("contact.email {email!r} is not one e-mail address").format(email=email), line
        )
    website = _optional(reader, raw, "website", line)
    if website and not website.startswith("https://"):
        reader.problem(_("contact.website must start with https://"), line)
    if not email and not website:
        reader.problem(_("contact needs an email or a website (or both)"), line)
    return Contact(name, email, website)


def _optional(reader: _ManifestReader, raw: dict[str, Any], key: str, line: int | None) -> str:
    if key not in raw:
        return ""
    return reader.string(raw, key, "contact.", line).strip()
