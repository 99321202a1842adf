"""Letter-writing campaigns: a folder with a TOML manifest and Jinja2 templates.

A campaign folder holds ``manifest.toml`` (identity and demands, in English and
French) and, per language, one body template per demand (``en/<id>.j2``,
``fr/<id>.j2``) plus an optional ``<lang>/_layout.j2``. A campaign without its
own layout uses the bundled campaign's layout for that language, so a new
campaign needs only its manifest and bodies.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from mpwrite.campaign.contact import Contact, read_contact
from mpwrite.campaign.facts import DemandFacts, read_demand_facts
from mpwrite.campaign.resources import Resource, read_resources
from mpwrite.errors import CampaignError, UnknownDemandError
from mpwrite.i18n import _
from mpwrite.resources import templates_dir

DEFAULT_CAMPAIGN_ID = "ccr-anti-trafficking"
MANIFEST_NAME = "manifest.toml"
LAYOUT_NAME = "_layout.j2"
CAMPAIGN_LANGUAGES = ("en", "fr")
_TRANSLATED_FIELDS = ("title", "summary", "subject")
#: Largest manifest read, in bytes (a real one is a few KB).
MAX_MANIFEST_FILE = 1_000_000
#: Largest template read, in bytes (a real one is a few KB): compiling costs
#: time in proportion, some of it outside the limits of the rendering process.
MAX_TEMPLATE_FILE = 50_000


@dataclass(frozen=True)
class Demand:
    """One demand of a campaign, with its texts in each language."""

    id: str
    number: int
    title: dict[str, str]
    summary: dict[str, str]
    subject: dict[str, str]
    #: The minister responsible, by role, per language ("Minister of Justice"), or empty.
    minister: dict[str, str] = field(default_factory=dict)
    #: Asks, date checked, sources, short text (campaign_facts).
    facts: DemandFacts = field(default_factory=DemandFacts, compare=False)

    def template_name(self, lang: str) -> str:
        """The body template's name inside the campaign folder."""
        return f"{lang}/{self.id}.j2"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a campaign folder, located as precisely as known."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Campaign:
    """A campaign: identity, demands, and the folder its templates live in."""

    id: str
    title: dict[str, str]
    organisation: dict[str, str]
    demands: tuple[Demand, ...]
    default_demand: str
    root: Traversable
    #: How file names are shown in messages ("templates/letters/x" or the user's path).
    label: str = ""
    problems: tuple[Problem, ...] = field(default=(), compare=False)
    #: Shipped with mpwrite, so its templates are trusted (see mpwrite.campaign.render_worker).
    bundled: bool = field(default=False, compare=False)
    #: Help to point supporters to (``[[resources]]`` in the manifest).
    resources: tuple[Resource, ...] = field(default=(), compare=False)
    #: Who to reach about the campaign (the manifest's [contact]), if it says.
    contact: Contact | None = field(default=None, compare=False)

    def demand(self, key: str) -> Demand:
        """The demand with this number ("3") or id ("permanent-status")."""
        wanted = key.strip()
        for demand in self.demands:
            if wanted == demand.id or wanted == str(demand.number):
                return demand
        choices = ", ".join(f"{d.number} ({d.id})" for d in self.demands)
        raise UnknownDemandError(
            _(
                "no demand {wanted!r} in campaign {campaign}; choose one of {choices} "
                "(list them with: mpwrite demands)"
            ).format(wanted=wanted, campaign=self.id, choices=choices)
        )

    def file_label(self, name: str) -> str:
        """A template's name as messages show it."""
        return f"{self.label}/{name}" if self.label else name


def bundled_campaign_root(campaign_id: str = DEFAULT_CAMPAIGN_ID) -> Traversable:
    """The folder of a campaign shipped with mpwrite."""
    return templates_dir().joinpath(campaign_id)


def load_campaign(path: str | Path | None = None) -> Campaign:
    """The campaign in folder ``path``, or the bundled default when None.

    Raises CampaignError naming the manifest line when the manifest is broken.
    """
    campaign = read_campaign(path)
    if campaign.problems:
        first = campaign.problems[0]
        more = len(campaign.problems) - 1
        if more:
            extra = (
                _(" (and 1 more problem)") if more == 1 else _(" (and {count} more problems)")
            ).format(count=more)
        else:
            extra = ""
        raise CampaignError(
            _("{problem}{extra}; check the folder with: mpwrite templates check {label}").format(
                problem=first, extra=extra, label=campaign.label
            )
        )
    return campaign


def read_campaign(path: str | Path | None = None) -> Campaign:
    """The campaign in ``path`` with every manifest problem collected, not raised.

    ``templates check`` uses this to report all problems at once; everything
    else goes through :func:`load_campaign`.
    """
    root: Traversable
    if path is None:
        root = bundled_campaign_root()
        label = f"templates/letters/{DEFAULT_CAMPAIGN_ID}"
    else:
        folder = Path(path)
        if not folder.is_dir():
            raise CampaignError(
                _("no campaign folder at {folder}; give a folder holding {manifest}").format(
                    folder=folder, manifest=MANIFEST_NAME
                )
            )
        root, label = folder, str(folder)
    manifest_label = f"{label}/{MANIFEST_NAME}"
    manifest = root.joinpath(MANIFEST_NAME)
    if not manifest.is_file():
        raise CampaignError(
            _("{file} is missing; a campaign folder needs a manifest").format(file=manifest_label)
        )
    try:
        text = read_campaign_file(root, (MANIFEST_NAME,), manifest_label, MAX_MANIFEST_FILE)
    except ValueError as error:
        raise CampaignError(str(error)) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line, message = _toml_error_position(str(error))
        raise CampaignError(
            _("{problem}; fix the TOML syntax").format(
                problem=Problem(manifest_label, line, message)
            )
        ) from None
    except RecursionError:
        raise CampaignError(
            _(
                "{file}: arrays or tables nested too deeply to read; "
                "a manifest needs only a few levels"
            ).format(file=manifest_label)
        ) from None
    campaign = _build_campaign(data, text, root, label)
    return replace(campaign, bundled=True) if path is None else campaign


def read_campaign_file(
    root: Traversable, parts: tuple[str, ...], label: str, largest: int = MAX_TEMPLATE_FILE
) -> str:
    """The text of file ``root/parts…``, refused unless it truly lies inside ``root``.

    A campaign folder comes from someone else: a symbolic link in it (to a file
    or to a folder) could otherwise put any file the user can read into a
    letter. Raises ValueError with a one-line message starting with ``label``.
    """
    resource = root
    for part in parts:
        resource = resource.joinpath(part)
    if isinstance(root, Path) and isinstance(resource, Path):
        inside = root.resolve()
        target = resource.resolve()
        if not target.is_relative_to(inside) or target == inside:
            raise ValueError(
                _(
                    "{file} leads outside the campaign folder (a symbolic link?); "
                    "put the file itself in the folder"
                ).format(file=label)
            )
        if not target.is_file():
            raise ValueError(
                _("{file} is not a regular file; put the file itself in the folder").format(
                    file=label
                )
            )
    try:
        with resource.open("rb") as file:
            data = file.read(largest + 1)
        if len(data) > largest:
            raise ValueError(
                _(
                    "{file} is larger than {largest} bytes; "
                    "a campaign file should be a few thousand"
                ).format(file=label, largest=f"{largest:,}")
            )
        return data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(
            _("{file}: cannot read it as UTF-8 text ({error})").format(file=label, error=error)
        ) from None


def _toml_error_position(message: str) -> tuple[int | None, str]:
    found = re.search(r"\s*\(at line (\d+), column \d+\)", message)
    if not found:
        return None, message
    return int(found.group(1)), message[: found.start()] + message[found.end() :]


class _ManifestReader:
    """Reads manifest values leniently, recording a Problem for each defect."""

    def __init__(self, text: str, file: str) -> None:
        self.lines = text.splitlines()
        self.file = file
        self.problems: list[Problem] = []
        self._matches: dict[str, list[int]] = {}

    def line_of(self, pattern: str, occurrence: int = 0) -> int | None:
        # Each pattern's lines are found once: a manifest with thousands of
        # demands asks for each demand's line, and must not cost quadratic time.
        matches = self._matches.get(pattern)
        if matches is None:
            compiled = re.compile(pattern)
            matches = [n for n, line in enumerate(self.lines, 1) if compiled.match(line.strip())]
            self._matches[pattern] = matches
        return matches[occurrence] if occurrence < len(matches) else None

    def problem(self, message: str, line: int | None) -> None:
        self.problems.append(Problem(self.file, line, message))

    def string(self, table: dict[str, Any], key: str, where: str, line: int | None) -> str:
        value = table.get(key)
        if not isinstance(value, str) or not value.strip():
            self.problem(
                _("{where}{key} must be a non-empty string").format(where=where, key=key), line
            )
            return key
        return value

    def translated(
        self, table: dict[str, Any], key: str, where: str, line: int | None
    ) -> dict[str, str]:
        value = table.get(key)
        if not isinstance(value, dict):
            self.problem(
                _("{where}{key} must be a table with en and fr strings").format(
                    where=where, key=key
                ),
                line,
            )
            return {lang: key for lang in CAMPAIGN_LANGUAGES}
        return {
            lang: self.string(value, lang, f"{where}{key}.", line) for lang in CAMPAIGN_LANGUAGES
        }


def _build_campaign(data: dict[str, Any], text: str, root: Traversable, label: str) -> Campaign:
    reader = _ManifestReader(text, f"{label}/{MANIFEST_NAME}")
    campaign_id = reader.string(data, "id", "", reader.line_of(r"id\s*="))
    title = reader.translated(data, "title", "", reader.line_of(r"\[title\]"))
    organisation = reader.translated(data, "organisation", "", reader.line_of(r"\[organisation\]"))
    raw_demands = data.get("demands")
    demands: list[Demand] = []
    if not isinstance(raw_demands, list) or not raw_demands:
        reader.problem(_("needs at least one [[demands]] table"), None)
        raw_demands = []
    for index, raw in enumerate(raw_demands):
        line = reader.line_of(r"\[\[demands\]\]", index)
        if not isinstance(raw, dict):
            reader.problem(_("demands[{index}] must be a table").format(index=index), line)
            continue
        demand_id = reader.string(raw, "id", f"demands[{index}].", line)
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", demand_id):
            reader.problem(
                _("demand id {id!r} must be lower-case letters, digits and dashes").format(
                    id=demand_id
                ),
                line,
            )
        number = raw.get("number")
        if not isinstance(number, int) or isinstance(number, bool) or number < 1:
            reader.problem(
                _("demand {id}: number must be a positive integer").format(id=demand_id), line
            )
            number = index + 1
        texts = {
            name: reader.translated(raw, name, _("demand {id}: ").format(id=demand_id), line)
            for name in _TRANSLATED_FIELDS
        }
        minister = (
            reader.translated(raw, "minister", _("demand {id}: ").format(id=demand_id), line)
            if "minister" in raw
            else {}
        )
        demands.append(
            Demand(
                demand_id,
                number,
                texts["title"],
                texts["summary"],
                texts["subject"],
                minister,
                facts=read_demand_facts(reader, raw, demand_id, line),
            )
        )
    _check_unique(reader, demands)
    default = data.get("default_demand")
    if default is None and demands:
        default = demands[0].id
    if not isinstance(default, str) or default not in {d.id for d in demands}:
        reader.problem(
            _("default_demand {default!r} is not the id of a demand").format(default=default),
            reader.line_of(r"default_demand\s*="),
        )
        default = demands[0].id if demands else ""
    contact = read_contact(reader, data)
    return Campaign(
        id=campaign_id,
        title=title,
        organisation=organisation,
        demands=tuple(sorted(demands, key=lambda d: d.number)),
        default_demand=default,
        root=root,
        label=label,
        resources=read_resources(reader, data.get("resources")),
        problems=tuple(reader.problems),
        contact=contact,
    )


def _check_unique(reader: _ManifestReader, demands: list[Demand]) -> None:
    for attribute in ("id", "number"):
        seen: set[object] = set()
        for index, demand in enumerate(demands):
            value = getattr(demand, attribute)
            if value in seen:
                reader.problem(
                    _("demand {attribute} {value!r} is used twice; each must be unique").format(
                        attribute=attribute, value=value
                    ),
                    reader.line_of(r"\[\[demands\]\]", index),
                )
            seen.add(value)
