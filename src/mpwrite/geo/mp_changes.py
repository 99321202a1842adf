"""What a download of MPs changes against the data in use, riding by riding.

``mpwrite data update`` shows these lines before saving (and ``--json`` lists
them: docs/reference.md), so an organizer sees who left, who arrived and which
e-mail, phone or office changed before letters go out.
"""

from __future__ import annotations

from dataclasses import dataclass

from mpwrite.folding import normalise_name
from mpwrite.geo.ridings import MP, Riding


@dataclass(frozen=True, slots=True)
class Change:
    """One difference between the active MP data and a download."""

    kind: str
    code: str
    riding: str
    before: str
    after: str

    def describe(self) -> str:
        """One line for the terminal."""
        where = f"{self.riding} ({self.code})"
        if self.kind == "new MP":
            return f"{where}: new MP {self.after} (was {self.before})"
        if self.kind == "vacancy filled":
            return f"{where}: vacancy filled by {self.after}"
        if self.kind == "vacancy opened":
            return f"{where}: now vacant (was {self.before})"
        if self.kind == "offices":
            return f"{where}: constituency offices {self.before} -> {self.after or '(none)'}"
        return f"{where}: {self.kind} {self.before or '(none)'} -> {self.after or '(none)'}"


def diff_ridings(old: dict[str, Riding], new: dict[str, Riding]) -> list[Change]:
    """What changed, riding by riding: MPs, vacancies, party, e-mail, phone, offices."""
    changes: list[Change] = []
    for code, after in new.items():
        before = old.get(code)
        if before is None:
            continue
        was, now = before.mp, after.mp
        name = after.name_en
        if was is None and now is None:
            continue
        if was is None and now is not None:
            changes.append(Change("vacancy filled", code, name, "", now.full_name))
        elif was is not None and now is None:
            changes.append(Change("vacancy opened", code, name, was.full_name, ""))
        elif was is not None and now is not None:
            if normalise_name(was.full_name) != normalise_name(now.full_name):
                changes.append(Change("new MP", code, name, was.full_name, now.full_name))
                continue
            for kind, old_value, new_value in (
                ("party", was.party, now.party),
                ("e-mail", was.email, now.email),
                ("phone", was.phone, now.phone),
            ):
                if old_value != new_value:
                    changes.append(Change(kind, code, name, old_value, new_value))
            # Data without offices (the bundled data) has nothing to compare with.
            if was.offices and _offices_text(was) != _offices_text(now):
                changes.append(
                    Change("offices", code, name, _offices_text(was), _offices_text(now))
                )
    return changes


def _offices_text(mp: MP) -> str:
    """The MP's constituency offices, as data: "address, tel" each, " | " between."""
    return " | ".join(
        ", ".join(part for part in (office.postal_address, office.tel) if part)
        for office in mp.offices
        if office.in_the_riding
    )
