"""Help a campaign points people to (a hotline), from the manifest's ``[[resources]]``.

Shown at the end of each supporter's turn at an event and at the foot of
printed letters, so each is one short line in each language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mpwrite.i18n import _

if TYPE_CHECKING:
    from mpwrite.campaign.folder import _ManifestReader as ManifestReader


@dataclass(frozen=True)
class Resource:
    """Help a campaign points people to (a hotline), shown after each supporter's turn."""

    name: dict[str, str]
    phone: str
    #: A few words on when or how to use it ("confidential, 24/7"), per language; may be empty.
    note: dict[str, str] = field(default_factory=dict)

    def line(self, lang: str) -> str:
        """One short line in ``lang``: name, number and note."""
        colon = "\u00a0:" if lang == "fr" else ":"
        note = self.note.get(lang, "")
        return f"{self.name[lang]}{colon} {self.phone}" + (f" ({note})" if note else "")


#: A manifest lists a few resources; each line stays short enough for a letter's foot.
MOST_RESOURCES = 5
LONGEST_RESOURCE_TEXT = 80
_PHONE_SHAPE = re.compile(r"\+?[0-9][0-9 ().-]{2,24}")


def read_resources(reader: ManifestReader, raw: object) -> tuple[Resource, ...]:
    """The manifest's ``[[resources]]``: a name (en/fr), a phone number, an optional note."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        reader.problem(
            _("resources must be [[resources]] tables"), reader.line_of(r"resources\s*=")
        )
        return ()
    if len(raw) > MOST_RESOURCES:
        reader.problem(
            _("{count} resources; list at most {most}").format(count=len(raw), most=MOST_RESOURCES),
            reader.line_of(r"\[\[resources\]\]", MOST_RESOURCES),
        )
    found = []
    for index, item in enumerate(raw[:MOST_RESOURCES]):
        line = reader.line_of(r"\[\[resources\]\]", index)
        where = f"resources[{index}]."
        if not isinstance(item, dict):
            reader.problem(_("resources[{index}] must be a table").format(index=index), line)
            continue
        name = reader.translated(item, "name", where, line)
        note = reader.translated(item, "note", where, line) if "note" in item else {}
        phone = reader.string(item, "phone", where, line).strip()
        if not _PHONE_SHAPE.fullmatch(phone):
            reader.problem(
                _(
                    "{where}phone {phone!r} is not a phone number (digits, spaces, dashes, "
                    "brackets, a leading +)"
                ).format(where=where, phone=phone),
                line,
            )
        for text in (*name.values(), *note.values()):
            if len(text) > LONGEST_RESOURCE_TEXT or not text.isprintable():
                reader.problem(
                    _("{where}name and note must be one line of at most {most} characters").format(
                        where=where, most=LONGEST_RESOURCE_TEXT
                    ),
                    line,
                )
                break
        found.append(Resource(name, phone, note))
    return tuple(found)
