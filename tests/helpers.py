"""Helpers shared by test modules (import from here, never from another test module)."""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pypdf import PageObject, PdfReader

from mpwrite.bulk.run import BulkOptions, BulkSummary, run_bulk
from mpwrite.campaign.folder import load_campaign
from mpwrite.geo.lookup import Resolver
from mpwrite.geo.ridings import load_bundled
from mpwrite.letter.compose import Letter, Supporter, compose_letter

#: Running heads and page numbers are set in this size; letter text never is.
PAGE_FURNITURE_SIZE = 8.5
#: The campaign's resources (a hotline) at the foot of a letter's last page.
RESOURCES_FOOT_SIZE = 8.0


@dataclass(frozen=True)
class PdfPage:
    """What a reader finds on one page: the letter's text, its sizes, and the rest."""

    text: str
    #: Type sizes (points) of the letter's own text on the page.
    sizes: frozenset[float]
    #: Running head and page number, whitespace normalised ("" when none).
    furniture: str
    #: The campaign's resources line(s) at the foot ("" when none).
    foot: str = ""


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def read_pdf(pdf: bytes) -> list[PdfPage]:
    """Each page of ``pdf``, its text split from its running head and page number by size."""
    return [_read_page(page) for page in PdfReader(io.BytesIO(pdf)).pages]


def _read_page(page: PageObject) -> PdfPage:
    letter: list[str] = []
    furniture: list[str] = []
    foot: list[str] = []
    sizes: set[float] = set()

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if not text.strip():
            return
        shown = round(size * tm[0] * cm[0], 2)
        if shown == PAGE_FURNITURE_SIZE:
            furniture.append(text)
        elif shown == RESOURCES_FOOT_SIZE:
            foot.append(text)
        else:
            letter.append(text)
            sizes.add(shown)

    page.extract_text(visitor_text=visit)
    return PdfPage(
        normalise(" ".join(letter)),
        frozenset(sizes),
        normalise(" ".join(furniture)),
        normalise(" ".join(foot)),
    )


#: A campaign with one demand of three numbered asks, and one demand without asks.
ASKS_MANIFEST = """\
schema_version = 1
id = "asks-test"
default_demand = "workers"

[title]
en = "Test campaign"
fr = "Campagne d'essai"

[organisation]
en = "Test group"
fr = "Groupe d'essai"

[[demands]]
id = "workers"
number = 1
[demands.title]
en = "Workers"
fr = "Travailleurs"
[demands.summary]
en = "Three asks for workers."
fr = "Trois demandes pour les travailleurs."
[demands.subject]
en = "Migrant workers"
fr = "Travailleurs migrants"
[[demands.asks]]
en = "end employer-tied work permits"
fr = "abolir les permis de travail liés à un employeur"
[[demands.asks]]
en = "fund legal aid for workers"
fr = "financer l'aide juridique aux travailleurs"
[[demands.asks]]
en = "inspect farms without notice"
fr = "inspecter les fermes sans préavis"

[[demands]]
id = "plain"
number = 2
[demands.title]
en = "Plain"
fr = "Simple"
[demands.summary]
en = "No asks to choose."
fr = "Rien à choisir."
[demands.subject]
en = "Plain"
fr = "Simple"
"""

ASKS_BODY = {
    "en": "As a constituent in {{ riding.name }}, I am writing about migrant workers.\n\n"
    "I ask the federal government to:\n\n"
    "{% for ask in asks %}- {{ ask }}\n{% endfor %}\n"
    "These are the changes I would like to see.\n",
    "fr": "Je vous écris au sujet des travailleurs migrants de {{ riding.name }}.\n\n"
    "Je demande au gouvernement fédéral de\u00a0:\n\n"
    "{% for ask in asks %}- {{ ask }}\n{% endfor %}\n"
    "Ce sont les changements que je souhaite.\n",
}
PLAIN_BODY = "I am writing about something plain.\n\nIt matters.\n"


def write_asks_campaign(folder: Path) -> Path:
    """The test campaign with asks, written into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "manifest.toml").write_text(ASKS_MANIFEST, encoding="utf-8")
    for lang in ("en", "fr"):
        (folder / lang).mkdir(exist_ok=True)
        (folder / lang / "workers.j2").write_text(ASKS_BODY[lang], encoding="utf-8")
        (folder / lang / "plain.j2").write_text(PLAIN_BODY, encoding="utf-8")
    return folder


def read_asks_from_manifests(monkeypatch: pytest.MonkeyPatch) -> None:
    """Give loaded demands their manifest's ``[[demands.asks]]`` if campaigns does not yet.

    The manifest format is the campaign module's; until it reads asks itself,
    tests of choosing asks attach them to each demand as read from the manifest.
    """
    from mpwrite.campaign import folder as campaigns

    if {"asks", "facts"} & campaigns.Demand.__dataclass_fields__.keys():
        return
    original = campaigns._build_campaign

    def build(data: dict[str, Any], text: str, root: Any, label: str) -> campaigns.Campaign:
        campaign = original(data, text, root, label)
        raw = {d.get("id"): d for d in data.get("demands", []) if isinstance(d, dict)}
        for demand in campaign.demands:
            asks = tuple(raw.get(demand.id, {}).get("asks", ()))
            object.__setattr__(demand, "asks", asks)
        return campaign

    monkeypatch.setattr(campaigns, "_build_campaign", build)


def without_stale_data_warning(stderr: str) -> str:
    """stderr without the warning that the bundled MP data is old (it depends on the day)."""
    return "".join(
        line
        for line in stderr.splitlines(keepends=True)
        if not line.startswith(
            ("Warning: the MP data is ", "Avertissement\u00a0: les données des ")
        )
    )


class CtrlC:
    """A scripted answer that presses Ctrl-C."""


#: An event supporter who skips the three own-words questions.
NO_OWN_WORDS = ("", "", "")


class ScriptedScreen:
    """An event screen that plays answers in order (Ctrl-C where the script says; end
    of input when it runs out). ``shown`` is the current screenful (cleared like a
    terminal, so a supporter's text does not outlive their turn), ``errors`` every
    error."""

    def __init__(self, answers: Iterable[str | CtrlC]) -> None:
        self.answers = list(answers)
        self.prompts: list[str] = []
        self.shown: list[tuple[str, str]] = []
        self.errors: list[str] = []
        self.clears = 0

    def ask(self, prompt: str) -> str:
        self.prompts.append(prompt)
        if not self.answers:
            raise EOFError
        answer = self.answers.pop(0)
        if isinstance(answer, CtrlC):
            raise KeyboardInterrupt
        return answer

    def say(self, text: str, style: str = "") -> None:
        self.shown.append((text, style))
        if style == "error":
            self.errors.append(text)

    def clear(self) -> None:
        self.clears += 1
        self.shown.clear()  # like the terminal: what was shown is gone


class PlayedScreen:
    """An event screen that plays answers in order (end of input when they run out)
    and keeps the prompts and what was shown."""

    def __init__(self, answers: list[str]) -> None:
        self.answers = answers
        self.prompts: list[str] = []
        self.shown: list[str] = []

    def ask(self, prompt: str) -> str:
        self.prompts.append(prompt)
        if not self.answers:
            raise EOFError
        return self.answers.pop(0)

    def say(self, text: str, style: str = "") -> None:
        self.shown.append(text)

    def clear(self) -> None:
        pass


# --- where things are -------------------------------------------------------

TESTS = Path(__file__).resolve().parent
REPOSITORY = TESTS.parent
FIXTURES = TESTS / "fixtures"
GOLDEN = TESTS / "golden"
BUNDLED_CAMPAIGN = REPOSITORY / "templates" / "letters" / "ccr-anti-trafficking"


def represent_fixture(name: str) -> dict[str, Any]:
    """A saved Represent API answer from tests/fixtures/represent."""
    loaded: dict[str, Any] = json.loads((FIXTURES / "represent" / name).read_text(encoding="utf-8"))
    return loaded


# --- the bundled campaign's concrete asks, per demand and language -----------

KEYWORDS = {
    "en": {
        "root-causes": [
            "Forced Labour Convention",
            "Migrant Workers Convention",
            "open work permits",
            "permanent residence on arrival",
        ],
        "protect-rights": [
            "12 months",
            "abroad",
            "Regulations",
            "criminal case",
            "open work permit for vulnerable workers",
        ],
        "permanent-status": [
            ("law", "legislation"),
            "permanent residence",
            "labour trafficking",
            "permit holder class",
            "humanitarian and compassionate",
        ],
        "access-to-justice": [
            "Palermo Protocol",
            "279.04",
            "legal aid",
            "non-punitive",
        ],
        "access-to-services": [
            "Interim Federal Health Program",
            "transfers",
            "health care",
            "childcare",
            "psychosocial",
            "remote",
            "funding",
        ],
        "all": [
            "12 months",
            "abroad",
            "permanent residence",
            "Criminal Code",
            "Palermo Protocol",
        ],
    },
    "fr": {
        "root-causes": [
            "Convention sur le travail forcé",
            "sur les travailleurs migrants",
            "permis de travail ouverts",
            "résidence permanente dès l’arrivée",
        ],
        "protect-rights": [
            "12 mois",
            "étranger",
            "Règlement",
            "poursuite criminelle",
            "permis de travail ouvert pour les travailleurs vulnérables",
        ],
        "permanent-status": [
            ("loi", "législation"),
            "résidence permanente",
            "traite à des fins de travail",
            "catégorie des titulaires de permis",
            "considérations d’ordre humanitaire",
        ],
        "access-to-justice": [
            "Protocole de Palerme",
            "279.04",
            "aide juridique",
            ("non punitive", "non-punitive"),
        ],
        "access-to-services": [
            "Programme fédéral de santé intérimaire",
            "transferts",
            "soins de santé",
            "garde d’enfants",
            "psychosocial",
            "éloignées",
            "financement",
        ],
        "all": [
            "12 mois",
            "étranger",
            "résidence permanente",
            "Code criminel",
            "Protocole de Palerme",
        ],
    },
}


# --- a one-demand custom campaign -------------------------------------------

MANIFEST = textwrap.dedent(
    """\
    id = "test-campaign"
    default_demand = "one"
    [title]
    en = "Test"
    fr = "Essai"
    [organisation]
    en = "Org"
    fr = "Org"
    [[demands]]
    id = "one"
    number = 1
    [demands.title]
    en = "One"
    fr = "Un"
    [demands.summary]
    en = "One."
    fr = "Un."
    [demands.subject]
    en = "Subject one"
    fr = "Objet un"
    """
)


def make_campaign(tmp_path: Path, body: str, layout: str | None = None) -> Path:
    folder = tmp_path / "campaign"
    for lang in ("en", "fr"):
        (folder / lang).mkdir(parents=True, exist_ok=True)
        (folder / lang / "one.j2").write_text(body, encoding="utf-8")
        if layout is not None:
            (folder / lang / "_layout.j2").write_text(layout, encoding="utf-8")
    (folder / "manifest.toml").write_text(MANIFEST, encoding="utf-8")
    return folder


def custom_letter(folder: Path, lang: str = "en") -> Letter:
    """Demand "one" of the custom campaign in FOLDER, to Ottawa Centre's MP."""
    campaign = load_campaign(folder)
    return compose_letter(
        campaign=campaign,
        demand=campaign.demand("one"),
        lang=lang,
        riding=load_bundled().get("35080"),
        supporter=Supporter(name="Alex Martin", postal_code="K1S 3V8"),
        date=datetime.date(2026, 11, 28),
    )


# --- running the bulk core --------------------------------------------------

BULK_DATE = datetime.date(2026, 3, 2)
BULK_HEADER = "Name,Postal code,Riding,Language,Demand,Note\n"


def options(out: Path | None, **changes: object) -> BulkOptions:
    values: dict[str, object] = {"out_dir": out, "date": BULK_DATE}
    values.update(changes)
    return BulkOptions(**values)  # type: ignore[arg-type]


def bulk(
    tmp_path: Path,
    text: str,
    out: Path | None = None,
    resolver: Resolver | None = None,
    **changes: object,
) -> BulkSummary:
    source = tmp_path / "supporters.csv"
    source.write_text(text, encoding="utf-8")
    return run_bulk(
        source,
        options(out if out is not None else tmp_path / "out", **changes),
        resolver=resolver or Resolver(load_bundled()),
    )


def report_rows(out: Path) -> list[dict[str, str]]:
    with (out / "report.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.rglob("*") if p.name.endswith(".tmp"))


REPRESENT_PATH = "/representatives/house-of-commons/"


def represent_house(objects: list[dict[str, Any]]) -> dict[str, Any]:
    """One page of Represent's House of Commons list holding ``objects``."""
    return {"objects": objects, "meta": {"next": None, "total_count": len(objects)}}


def represent_mps() -> dict[str, dict[str, Any]]:
    """Represent's view of the bundled MPs (no constituency offices), keyed by FED code."""
    from mpwrite.geo.ridings import load_bundled

    found = {}
    for riding in load_bundled():
        mp = riding.mp
        if mp is not None:
            found[riding.code] = {
                "name": mp.full_name,
                "first_name": mp.first_name,
                "last_name": mp.last_name,
                "district_name": riding.name_en,
                "elected_office": "MP",
                "party_name": {"Green": "Green Party"}.get(mp.party, mp.party),
                "email": mp.email,
                "offices": [{"type": "legislature", "tel": mp.phone}] if mp.phone else [],
            }
    return found


def one_title_and_url_per_source(manifest: str) -> str:
    """``manifest`` with each source's en/fr title and url tables cut to the English one,
    as manifests were written before sources could be given in French."""
    for key in ("title", "url"):
        manifest = re.sub(
            rf'\[demands\.sources\.{key}\]\nen = ("[^"\n]*")\nfr = "[^"\n]*"\n',
            rf"{key} = \1\n",
            manifest,
        )
    return manifest
