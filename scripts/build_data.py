#!/usr/bin/env python3
"""Build mpwrite's bundled data files from the raw public source snapshots.

Usage: python scripts/build_data.py [--sources DIR] [--out DIR] [--forms-of-address CSV]
                                   [--fsa-corrections CSV]

Defaults: sources = <repo>/../shared/data/sources, out = <repo>/data, where <repo> is
the parent of this scripts/ folder. Standard library only.

Writes, deterministically (sorted rows, "\\n" line endings, UTF-8 without BOM, no
timestamps), so that a rerun produces byte-identical files:

    ridings.csv    343 federal electoral districts with their current MP (or vacancy)
    fsa.csv        forward sortation areas in use, with a *likely* riding
    provinces.csv  the 13 provinces and territories
    metadata.json  counts, as-of dates and provenance of every source
(data/README.md is written by hand; it explains the same provenance for humans.)

MP merge, per riding (the 2023 Representation Order code is the key):

* Holder: the openparliament 2026 list is the freshest. A seat absent from it is vacant
  (all mp_* fields empty, vacant=yes).
* "Same person": a Represent (2026-01-22) or ourcommons (2025-07) record for the SAME
  seat is the same person as the openparliament holder when the lower-cased e-mails are
  equal, or when a surname token of one normalised name (accents, case and punctuation
  removed) occurs in the other. A by-election winner is therefore never given the
  previous member's spelling, honorific or name split. An ourcommons record may also be
  linked through a Represent record already judged the same person.
* Name spelling: ourcommons if the same person, else Represent if the same person,
  else openparliament as given. NAME_OVERRIDES lists the reviewed exceptions.
* First/last split: Represent firstName/lastName when the same person and they fit the
  chosen name; compound surnames that Represent splits wrongly are fixed by
  COMPOUND_SURNAMES; otherwise the last word (plus any lower-case particle such as
  "van" or "de" before it) is the last name and the rest the first name.
* Honorific: "Hon." when ourcommons marks the same person "The Honourable",
  "Right Hon." for "The Right Honourable" (the Prime Minister); else empty. The
  curated scripts/forms_of_address.csv (roles, and honorifics the House list lacks,
  each row sourced and dated) then applies to the person it names.
* Party: openparliament's label, normalised to Liberal, Conservative, Bloc Québécois,
  NDP, Green or Independent (floor crossings are therefore reflected).
* E-mail: openparliament, lower-cased (Represent's if openparliament has none).
* Phone: openparliament hill phone as 613-992-4133, empty when unknown.

FSA table: a likely riding must be in the FSA's province (a riding code's first two
digits are the province's SGC code). The build fails on one that is not, unless the
curated scripts/fsa_corrections.csv (each row sourced and dated) corrects that FSA.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SOURCES = REPO.parent / "shared" / "data" / "sources"
DEFAULT_OUT = REPO / "data"
#: Reviewed roles and honorific corrections, kept in the repository (not a snapshot).
DEFAULT_FORMS_OF_ADDRESS = REPO / "scripts" / "forms_of_address.csv"
DEFAULT_FSA_CORRECTIONS = REPO / "scripts" / "fsa_corrections.csv"

SCHEMA_VERSION = 1

# The files' columns are the ones mpwrite reads: one definition for writer and reader.
sys.path.insert(0, str(REPO / "src"))
from mpwrite.geo.ridings import (  # noqa: E402
    FSA_COLUMNS,
    PROVINCE_COLUMNS,
)
from mpwrite.geo.ridings import (  # noqa: E402
    RIDINGS_COLUMNS as RIDING_COLUMNS,
)

EXPECTED_RIDINGS = 343
PROVINCE_CODES = ("NL", "PE", "NS", "NB", "QC", "ON", "MB", "SK", "AB", "BC", "YT", "NT", "NU")

# Reported renames not (yet) in the Representation Order file: extra aliases by code.
EXTRA_ALIASES = {
    "10002": ("Cape Spear—Mount Pearl—Paradise",),  # reported statute rename; unverified
}

PARTIES = {
    "liberal": "Liberal",
    "liberal party of canada": "Liberal",
    "conservative": "Conservative",
    "conservative party of canada": "Conservative",
    "bloc": "Bloc Québécois",
    "bloc quebecois": "Bloc Québécois",
    "ndp": "NDP",
    "new democratic party": "NDP",
    "green": "Green",
    "green party": "Green",
    "green party of canada": "Green",
    "independent": "Independent",
    "ind.": "Independent",
}

HONOURABLE = {"The Honourable": "Hon.", "The Right Honourable": "Right Hon."}

# Reviewed exceptions to "spelling from ourcommons". Each applies only while the
# openparliament holder of the seat still has the given e-mail (so a later by-election
# winner can never inherit it). Value: (first name, last name, reason).
NAME_OVERRIDES = {
    ("12010", "jessica.fancy@parl.gc.ca"): (
        "Jessica",
        "Fancy-Landry",
        "the House's own 45th-Parliament photo file is Fancy-LandryJessica_Lib.jpg and the "
        "freshest list (openparliament 2026) spells Fancy-Landry; the July 2025 tile name "
        "'Jessica Fancy' (copied by Represent) is the older short form",
    ),
}

# Two-word surnames that Represent splits after the first word (e.g. firstName
# "Michelle Rempel", lastName "Garner").
COMPOUND_SURNAMES = (
    "Al Soud",
    "Metlege Diab",
    "Petitpas Taylor",
    "Rempel Garner",
    "Tesser Derksen",
)

SURNAME_PARTICLES = {"van", "von", "de", "der", "den", "da", "di", "du", "del", "la", "le"}

DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"


def log(message: str) -> None:
    print(message, file=sys.stderr)


# --------------------------------------------------------------------------- helpers


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def riding_key(name: str) -> str:
    """Normalise a riding name for matching (dashes, apostrophes, œ, spacing, case)."""
    text = unicodedata.normalize("NFC", name)
    for dash in DASHES:
        text = text.replace(dash, "-")
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    text = text.replace("œ", "oe").replace("Œ", "OE")
    text = re.sub(r"\s*-\s*", "-", text)
    text = " ".join(text.split())
    return text.casefold()


def cosmetic_key(name: str) -> str:
    """Like the name itself, but ignoring stray spaces around dashes."""
    return " ".join(re.sub(rf"\s*([{DASHES}-])\s*", r"\1", name).split())


def person_tokens(name: str) -> list[str]:
    text = strip_accents(name).casefold()
    return [t for t in re.split(r"[^a-z0-9]+", text) if len(t) > 1]


def same_name(a: str, b: str) -> bool:
    ta, tb = person_tokens(a), person_tokens(b)
    if not ta or not tb:
        return False
    return bool(set(ta[1:]) & set(tb)) or bool(set(tb[1:]) & set(ta))


def same_person(a_name: str, a_email: str, b_name: str, b_email: str) -> bool:
    if a_email and b_email and a_email.casefold() == b_email.casefold():
        return True
    return same_name(a_name, b_name)


def normalise_party(label: str) -> str:
    key = strip_accents(label).strip().casefold()
    if key not in PARTIES:
        raise SystemExit(f"unknown party label {label!r}; add it to PARTIES")
    return PARTIES[key]


def normalise_phone(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) != 10:
        if phone.strip():
            log(f"warning: phone {phone!r} not understood; left empty")
        return ""
    return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"


def split_name(full: str, rep: dict[str, str] | None) -> tuple[str, str]:
    for surname in COMPOUND_SURNAMES:
        if full.endswith(" " + surname):
            return full[: -len(surname) - 1].strip(), surname
    if rep is not None:
        first, last = rep["firstName"].strip(), rep["lastName"].strip()
        if f"{first} {last}" == full:
            return first, last
        if last and full.endswith(" " + last):
            return full[: -len(last) - 1].strip(), last
        # Same words but different accents or case: split at the same word position.
        words = full.split()
        rep_words = f"{first} {last}".split()
        if len(words) == len(rep_words) and person_tokens(full) == person_tokens(
            " ".join(rep_words)
        ):
            n_first = len(first.split())
            return " ".join(words[:n_first]), " ".join(words[n_first:])
    words = full.split()
    if len(words) < 2:
        return "", full
    start = len(words) - 1
    while start > 1 and words[start - 1].casefold() in SURNAME_PARTICLES:
        start -= 1
    return " ".join(words[:start]), " ".join(words[start:])


def csv_text(columns: tuple[str, ...], rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def read_json(path: Path) -> Any:
    with open(path, encoding="utf-8-sig") as handle:
        return json.load(handle)


# --------------------------------------------------------------------------- ridings


def load_ridings(sources: Path) -> dict[str, dict[str, str]]:
    rows = read_csv(sources / "ridings_2023_representation_order.csv")
    ridings: dict[str, dict[str, str]] = {}
    for row in rows:
        code = row["fed_num"].strip()
        if not re.fullmatch(r"\d{5}", code) or code in ridings:
            raise SystemExit(f"bad or duplicate FED code {code!r}")
        ridings[code] = row
    if len(ridings) != EXPECTED_RIDINGS:
        raise SystemExit(f"expected {EXPECTED_RIDINGS} ridings, found {len(ridings)}")
    return ridings


def riding_index(ridings: dict[str, dict[str, str]]) -> dict[str, str]:
    index: dict[str, str] = {}
    for code, row in ridings.items():
        for name in (row["name_en"], row["name_fr"], row["ocd_name_en"], row["ocd_name_fr"]):
            key = riding_key(name)
            if index.get(key, code) != code:
                raise SystemExit(f"riding name {name!r} is ambiguous")
            index[key] = code
    return index


def by_seat(records: list[dict], field: str, index: dict[str, str], label: str) -> dict[str, dict]:
    seats: dict[str, dict] = {}
    for record in records:
        code = index.get(riding_key(record[field]))
        if code is None:
            raise SystemExit(f"{label}: riding {record[field]!r} not in the 2023 order")
        if code in seats:
            raise SystemExit(f"{label}: two members for {code}")
        seats[code] = record
    return seats


def build_ridings(sources: Path) -> tuple[list[dict[str, str]], dict[str, object]]:
    ridings = load_ridings(sources)
    index = riding_index(ridings)

    op_rows = read_csv(sources / "mps_openparliament_2026.csv")
    op: dict[str, dict[str, str]] = {}
    for row in op_rows:
        code = row["fed_num"].strip()
        if code not in ridings or code in op:
            raise SystemExit(f"openparliament: bad or duplicate seat {code}")
        op[code] = row
    represent = by_seat(
        read_json(sources / "mps_represent_2026-01-22.json"), "ridingName", index, "Represent"
    )
    commons = by_seat(
        read_json(sources / "mps_ourcommons_tiles_2025-07.json"),
        "constituency",
        index,
        "ourcommons",
    )

    report: dict[str, list[str]] = {
        "spelling": [],
        "new_holder": [],
        "party_change": [],
        "no_phone": [],
        "split_fixed": [],
        "email_differs": [],
        "no_commons_record": [],
    }
    out: list[dict[str, str]] = []
    for code in sorted(ridings):
        src = ridings[code]
        aliases = set()
        candidates = [src["ocd_name_en"], src["ocd_name_fr"], *EXTRA_ALIASES.get(code, ())]
        for other in (represent.get(code), commons.get(code)):
            if other:
                candidates.append(other.get("ridingName") or other.get("constituency") or "")
        if code in op:
            candidates.append(op[code]["riding_name_en"])
        official = {cosmetic_key(src["name_en"]), cosmetic_key(src["name_fr"])}
        for alias in candidates:
            alias = alias.strip()
            if alias and cosmetic_key(alias) not in official:
                aliases.add(alias)
        if any("|" in a for a in aliases):
            raise SystemExit(f"{code}: alias contains '|'")
        row = {
            "code": code,
            "name_en": src["name_en"],
            "name_fr": src["name_fr"],
            "province": src["prov_abbr"],
            "aliases": "|".join(sorted(aliases)),
        }
        holder = op.get(code)
        if holder is None:
            row.update({c: "" for c in RIDING_COLUMNS if c.startswith("mp_")})
            row["vacant"] = "yes"
            out.append(row)
            continue

        op_name = " ".join(holder["name"].split())
        op_email = holder["email"].strip().lower()
        rep = represent.get(code)
        rep_same = rep is not None and same_person(op_name, op_email, rep["name"], rep["email"])
        com = commons.get(code)
        com_same = com is not None and (
            same_name(op_name, com["name"]) or (rep_same and same_name(rep["name"], com["name"]))
        )
        seat = f"{code} {src['name_en']}"
        if com is None:
            report["no_commons_record"].append(f"{seat}: {op_name}")
        elif not com_same:
            report["new_holder"].append(f"{seat}: {com['name']} (2025-07) -> {op_name}")

        override = NAME_OVERRIDES.get((code, op_email))
        if override:
            first, last, reason = override
            full = f"{first} {last}"
            if com_same and com["name"] != full:
                report["spelling"].append(
                    f"{seat}: kept {full!r} over ourcommons {com['name']!r} (override: {reason})"
                )
        else:
            if com_same:
                full, origin = " ".join(com["name"].split()), "ourcommons"
            elif rep_same:
                full, origin = " ".join(rep["name"].split()), "Represent"
            else:
                full, origin = op_name, "openparliament"
            if full != op_name:
                report["spelling"].append(f"{seat}: {op_name!r} -> {full!r} ({origin})")
            first, last = split_name(full, rep if rep_same else None)
            if (
                rep_same
                and (first, last) != (rep["firstName"], rep["lastName"])
                and f"{rep['firstName']} {rep['lastName']}" == full
            ):
                report["split_fixed"].append(
                    f"{seat}: {rep['firstName']!r}/{rep['lastName']!r} -> {first!r}/{last!r}"
                )

        party = normalise_party(holder["party"])
        if com_same and normalise_party(com["party"]) != party:
            report["party_change"].append(
                f"{seat}: {full} {normalise_party(com['party'])} -> {party}"
            )
        email = op_email or (rep["email"].strip().lower() if rep_same else "")
        if rep_same and rep["email"].strip().lower() != email:
            report["email_differs"].append(
                f"{seat}: Represent {rep['email'].lower()} / used {email}"
            )
        phone = normalise_phone(holder["hill_phone"])
        if not phone:
            report["no_phone"].append(f"{seat}: {full}")
        row.update(
            {
                "mp_first_name": first,
                "mp_last_name": last,
                "mp_honorific": HONOURABLE.get(com["honourable"].strip(), "") if com_same else "",
                "mp_party": party,
                "mp_email": email,
                "mp_phone": phone,
                "vacant": "no",
            }
        )
        out.append(row)

    counts = Counter(r["province"] for r in out)
    if set(counts) - set(PROVINCE_CODES):
        raise SystemExit(f"unexpected province codes {sorted(set(counts) - set(PROVINCE_CODES))}")
    return out, {"report": report, "province_counts": counts}


def crosscheck(sources: Path, rows: list[dict[str, str]]) -> list[str]:
    """Compare the merge with the side-by-side cross-check file; return problems."""
    problems: list[str] = []
    path = sources / "mps_crosscheck_2025-2026.csv"
    if not path.exists():
        return ["cross-check file missing"]
    check = {r["fed_num"].strip(): r for r in read_csv(path)}
    built = {r["code"]: r for r in rows}
    if set(check) != set(built):
        problems.append("cross-check covers a different set of seats")
    for code, row in sorted(built.items()):
        c = check.get(code)
        if c is None:
            continue
        has_op = bool(c["openparliament_2026_name"].strip())
        if has_op == (row["vacant"] == "yes"):
            problems.append(f"{code}: vacancy disagrees with cross-check")
        if has_op:
            if c["openparliament_2026_email"].strip().lower() != row["mp_email"]:
                problems.append(f"{code}: e-mail disagrees with cross-check")
            if normalise_party(c["openparliament_2026_party"]) != row["mp_party"]:
                problems.append(f"{code}: party disagrees with cross-check")
    return problems


# --------------------------------------------------------------------------- FSAs


def build_fsas(
    sources: Path, riding_codes: set[str], sgc_by_code: dict[str, str]
) -> tuple[list[dict[str, str]], list[str]]:
    notes: list[str] = []
    listed: dict[str, dict] = {}
    retired: set[str] = set()
    for entry in read_json(sources / "fsa_list_2021.json"):
        fsa = entry["fsa"].strip().upper()
        if not re.fullmatch(r"[A-Z]\d[A-Z]", fsa):
            raise SystemExit(f"bad FSA {fsa!r} in fsa_list_2021.json")
        if entry.get("retired") is True:
            retired.add(fsa)
            continue
        if fsa in listed:
            raise SystemExit(f"duplicate FSA {fsa} in fsa_list_2021.json")
        listed[fsa] = entry
    sampled = read_json(sources / "fsa_sampled_riding_represent_2026-01.json")

    rows: list[dict[str, str]] = []
    for fsa in sorted(set(listed) | {k.strip().upper() for k in sampled}):
        if fsa in retired:
            notes.append(f"{fsa}: marked retired in the FSA list; left out")
            continue
        entry = listed.get(fsa)
        sample = sampled.get(fsa)
        province = entry["province"] if entry else sample["province"]
        riding = ""
        if sample:
            riding = sample["ridingId"].strip()
            if riding not in riding_codes:
                notes.append(f"{fsa}: sampled riding {riding} unknown; dropped")
                riding = ""
            if entry and sample["province"] != entry["province"]:
                notes.append(
                    f"{fsa}: sampled province {sample['province']} != list {entry['province']};"
                    " kept the list's"
                )
        kind = (entry or {}).get("type", "") or ""
        if kind not in ("urban", "rural"):
            kind = ""
        rows.append(
            {
                "fsa": fsa,
                "province": province,
                "place": " ".join(((entry or {}).get("name") or "").split()),
                "kind": kind,
                "likely_riding": riding,
            }
        )
        if entry is None:
            notes.append(f"{fsa}: only in the sampled table (no place name or kind)")
    return rows, notes


#: The curated file's columns: one corrected likely riding per FSA (empty: none).
FSA_CORRECTION_COLUMNS = ("fsa", "likely_riding", "source", "as_of", "note")


def apply_fsa_corrections(
    path: Path, fsas: list[dict[str, str]], sgc_by_code: dict[str, str]
) -> list[dict[str, str]]:
    """Apply the curated corrections, then refuse any likely riding outside its FSA's province.

    A riding code's first two digits are its province's SGC code. A sample that
    lands across a provincial border would send letters to another province's
    MP, so the build stops until a sourced row in ``path`` corrects it.
    """
    rows = read_csv(path)
    by_fsa = {row["fsa"]: row for row in fsas}
    problems = []
    for number, row in enumerate(rows, 2):
        where = f"{path.name} line {number}"
        if tuple(row) != FSA_CORRECTION_COLUMNS:
            raise SystemExit(
                f"{where}: columns {list(row)}, expected {list(FSA_CORRECTION_COLUMNS)}"
            )
        if row["fsa"] not in by_fsa:
            problems.append(f"{where}: FSA {row['fsa']} is not in the FSA table")
            continue
        if not row["source"].strip() or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["as_of"]):
            problems.append(f"{where}: every row needs a source and an as_of date (YYYY-MM-DD)")
        area = by_fsa[row["fsa"]]
        if area["likely_riding"] != row["likely_riding"]:
            log(
                f"likely riding {row['fsa']}: {area['likely_riding'] or '(none)'} -> "
                f"{row['likely_riding'] or '(none)'} ({path.name})"
            )
            area["likely_riding"] = row["likely_riding"]
    for area in fsas:
        riding = area["likely_riding"]
        if riding and riding[:2] != sgc_by_code.get(area["province"]):
            problems.append(
                f"{area['fsa']} ({area['province']}): likely riding {riding} is in another "
                f"province; add a sourced row to {path.name}"
            )
    if problems:
        raise SystemExit("\n".join(problems))
    return sorted(rows, key=lambda r: r["fsa"])


# --------------------------------------------------------------------------- provinces


def build_provinces(sources: Path) -> list[dict[str, str]]:
    names_fr = {r["id"]: r["name_fr"] for r in read_csv(sources / "provinces_name_fr.csv")}
    rows = []
    for r in read_csv(sources / "provinces.csv"):
        code = r["id"].rsplit(":", 1)[-1].upper()
        rows.append(
            {
                "code": code,
                "sgc": r["sgc"].strip(),
                "name_en": r["name"],
                "name_fr": names_fr[r["id"]],
                "abbr_en": r["abbreviation"],
                "abbr_fr": r["abbreviation_fr"],
            }
        )
    rows.sort(key=lambda r: int(r["sgc"]))
    if sorted(r["code"] for r in rows) != sorted(PROVINCE_CODES):
        raise SystemExit("provinces.csv does not list the 13 provinces and territories")
    return rows


# --------------------------------------------------------------------------- metadata

SOURCES_META = [
    {
        "id": "ridings_2023",
        "file": "ridings_2023_representation_order.csv",
        "title": "Federal electoral districts, 2023 Representation Order (with Open Civic Data "
        "names)",
        "publisher": "Elections Canada (FED_CA_2023_EN attribute table); Open Civic Data "
        "(ocd-division-ids)",
        "as_of": "2024-12-01",
        "as_of_note": "approximate: the Elections Canada table is dated 2024-12 (no day); the "
        "order has been in force since the general election of 2025-04-28",
        "licence": "Open Government Licence \u2013 Canada (Elections Canada); "
        "CC0 (Open Civic Data)",
        "used_for": "riding codes, English and French names, provinces, aliases",
    },
    {
        "id": "openparliament_2026",
        "file": "mps_openparliament_2026.csv",
        "title": "Sitting MPs (politicians listing)",
        "publisher": "openparliament.ca",
        "as_of": "2026-01-22",
        "as_of_note": "approximate: the listing is dated only '2026'. It already reflects "
        "by-elections, floor crossings and vacancies missing from Represent's 2026-01-22 "
        "dump, so that date is used as a lower bound; the exact date is unknown",
        "licence": "not stated in the snapshot (public facts only: names, parties, contact "
        "details)",
        "used_for": "current seat holder, vacancies, party, e-mail, Hill phone",
    },
    {
        "id": "represent_2026-01-22",
        "file": "mps_represent_2026-01-22.json",
        "title": "House of Commons representatives (Represent API dump)",
        "publisher": "Open North (Represent)",
        "as_of": "2026-01-22",
        "licence": "MIT (public repository dump)",
        "used_for": "accented name spelling and first/last-name split for the same person; "
        "e-mail fallback",
    },
    {
        "id": "ourcommons_2025-07",
        "file": "mps_ourcommons_tiles_2025-07.json",
        "title": "House of Commons member list (tiles)",
        "publisher": "House of Commons of Canada (ourcommons.ca)",
        "as_of": "2025-07-01",
        "as_of_note": "approximate: the snapshot is dated 2025-07 (no day)",
        "licence": "not stated in the snapshot (public facts only: names, honorifics)",
        "used_for": "authoritative name spelling and the 'Hon.' honorific for the same person",
    },
    {
        "id": "crosscheck_2025-2026",
        "file": "mps_crosscheck_2025-2026.csv",
        "title": "MP sources side by side, one row per riding",
        "publisher": "mpwrite source snapshots (derived from the MP sources above)",
        "as_of": "2026-01-22",
        "as_of_note": "approximate: a convenience view combining the 2025-07, 2026-01-22 and "
        "2026 MP lists",
        "licence": "derived from the sources above",
        "used_for": "build-time cross-check only (nothing copied)",
    },
    {
        "id": "election_2025",
        "file": "election_2025_seat_results.csv",
        "title": "Winning party per riding, 2025 general election",
        "publisher": "School of Cities seat results table",
        "as_of": "2025-04-28",
        "as_of_note": "election day; the file itself is undated",
        "licence": "not stated in the snapshot",
        "used_for": "cross-check only (nothing copied)",
    },
    {
        "id": "fsa_sampled_2026-01",
        "file": "fsa_sampled_riding_represent_2026-01.json",
        "title": "One sampled riding per FSA (Represent API, one postal code per FSA)",
        "publisher": "built from Open North Represent API answers",
        "as_of": "2026-01-01",
        "as_of_note": "approximate: dated 2026-01 (no day)",
        "licence": "not stated in the snapshot (derived from Represent API answers)",
        "used_for": "fsa.csv likely_riding (a guess for the whole FSA, never exact)",
    },
    {
        "id": "fsa_list_2021",
        "file": "fsa_list_2021.json",
        "title": "Canadian forward sortation areas with place names",
        "publisher": "public FSA lists (scraped, 2021)",
        "as_of": "2021-01-01",
        "as_of_note": "approximate: scraped in 2021 (no month or day)",
        "licence": "CC0",
        "used_for": "fsa.csv: which FSAs are in use, province, place name, urban/rural",
    },
    {
        "id": "provinces",
        "file": "provinces.csv, provinces_name_fr.csv",
        "title": "Provinces and territories (Open Civic Data)",
        "publisher": "Open Civic Data (ocd-division-ids)",
        "as_of": None,
        "as_of_note": "undated static reference list",
        "licence": "CC0",
        "used_for": "provinces.csv",
    },
]


def build_metadata(ridings: list[dict[str, str]], fsas: list[dict[str, str]]) -> dict[str, object]:
    vacancies = sum(r["vacant"] == "yes" for r in ridings)
    return {
        "schema_version": SCHEMA_VERSION,
        "mp_data_as_of": "2026-01-22",
        "mp_data_as_of_note": "latest exact date among the MP sources (Represent, 2026-01-22); "
        "the freshest list (openparliament, '2026', undated) is at least as recent, so the "
        "MP data may describe a somewhat later day",
        "ridings_as_of": "2024-12-01",
        "ridings_as_of_note": "2023 Representation Order as published by Elections Canada in "
        "2024-12 (day approximate); in force since 2025-04-28",
        "fsa_as_of": "2026-01-01",
        "fsa_as_of_note": "likely ridings sampled 2026-01 (day approximate); FSA places and "
        "kinds from a 2021 list",
        "counts": {
            "ridings": len(ridings),
            "mps": len(ridings) - vacancies,
            "vacancies": vacancies,
            "fsas": len(fsas),
            "fsas_with_likely_riding": sum(bool(f["likely_riding"]) for f in fsas),
        },
        "sources": SOURCES_META,
    }


# --------------------------------------------------------------------------- forms of address

#: The curated file's columns, as metadata.json's "forms_of_address" carries them.
FORMS_OF_ADDRESS_COLUMNS = (
    "code",
    "name",
    "role",
    "honorific",
    "privy_councillor",
    "title_en",
    "title_fr",
    "salutation_en",
    "salutation_fr",
    "source",
    "as_of",
    "note",
)
ROLES = ("", "prime_minister", "speaker")


def apply_forms_of_address(path: Path, ridings: list[dict[str, str]]) -> list[dict[str, str]]:
    """Check each curated row against the seat's holder and apply its honorific.

    A row names the person it is about: when the seat has changed hands, the
    build stops rather than give the role or honorific to someone else.
    """
    rows = read_csv(path)
    by_code = {r["code"]: r for r in ridings}
    problems = []
    for number, row in enumerate(rows, 2):
        where = f"{path.name} line {number}"
        if tuple(row) != FORMS_OF_ADDRESS_COLUMNS:
            raise SystemExit(
                f"{where}: columns {list(row)}, expected {list(FORMS_OF_ADDRESS_COLUMNS)}"
            )
        seat = by_code.get(row["code"])
        holder = f"{seat['mp_first_name']} {seat['mp_last_name']}" if seat else ""
        if seat is None or seat["vacant"] == "yes" or not same_name(holder, row["name"]):
            problems.append(
                f"{where}: {row['name']} does not hold seat {row['code']} ({holder or 'none'})"
            )
        if row["role"] not in ROLES or row["privy_councillor"] not in ("yes", "no", "unknown"):
            problems.append(
                f"{where}: role must be one of {ROLES}, privy_councillor yes/no/unknown"
            )
        if row["honorific"] not in ("", *HONOURABLE.values()):
            problems.append(
                f"{where}: honorific must be empty or one of {list(HONOURABLE.values())}"
            )
        if not row["source"].strip() or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["as_of"]):
            problems.append(f"{where}: every row needs a source and an as_of date (YYYY-MM-DD)")
        if row["role"] and not all(
            row[f] for f in ("title_en", "title_fr", "salutation_en", "salutation_fr")
        ):
            problems.append(f"{where}: a role needs its titles and salutations in both languages")
    if problems:
        raise SystemExit("\n".join(problems))
    for row in rows:
        seat = by_code[row["code"]]
        if seat["mp_honorific"] != row["honorific"]:
            log(
                f"honorific {row['code']} {row['name']}: {seat['mp_honorific'] or '(none)'} -> "
                f"{row['honorific'] or '(none)'} ({path.name})"
            )
            seat["mp_honorific"] = row["honorific"]
    return sorted(rows, key=lambda r: r["code"])


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", type=Path, default=DEFAULT_SOURCES)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--forms-of-address", type=Path, default=DEFAULT_FORMS_OF_ADDRESS)
    parser.add_argument("--fsa-corrections", type=Path, default=DEFAULT_FSA_CORRECTIONS)
    args = parser.parse_args(argv)
    sources: Path = args.sources
    out: Path = args.out
    if not sources.is_dir():
        parser.error(f"sources folder not found: {sources}")

    provinces = build_provinces(sources)
    ridings, info = build_ridings(sources)
    fsas, fsa_notes = build_fsas(
        sources, {r["code"] for r in ridings}, {p["code"]: p["sgc"] for p in provinces}
    )
    sgc_by_code = {p["code"]: p["sgc"] for p in provinces}
    fsa_corrections = apply_fsa_corrections(args.fsa_corrections, fsas, sgc_by_code)
    forms_of_address = apply_forms_of_address(args.forms_of_address, ridings)
    metadata = build_metadata(ridings, fsas)
    metadata["forms_of_address"] = forms_of_address
    metadata["sources"] = [
        *SOURCES_META,
        {
            "id": "forms_of_address",
            "file": "scripts/forms_of_address.csv (in the repository)",
            "title": "Curated roles and honorific corrections (Prime Minister, Speaker)",
            "publisher": "mpwrite maintainers, each row citing its own source",
            "as_of": max(row["as_of"] for row in forms_of_address),
            "licence": "public facts",
            "used_for": "roles, titles and salutations; honorifics missing from the House list",
        },
        {
            "id": "fsa_corrections",
            "file": "scripts/fsa_corrections.csv (in the repository)",
            "title": "Curated likely-riding corrections (samples across a provincial border)",
            "publisher": "mpwrite maintainers, each row citing its own source",
            "as_of": max(row["as_of"] for row in fsa_corrections),
            "licence": "public facts",
            "used_for": "fsa.csv likely_riding, where the sample is in another province",
        },
    ]
    problems = crosscheck(sources, ridings)

    write_text(out / "provinces.csv", csv_text(PROVINCE_COLUMNS, provinces))
    write_text(out / "ridings.csv", csv_text(RIDING_COLUMNS, ridings))
    write_text(out / "fsa.csv", csv_text(FSA_COLUMNS, fsas))
    write_text(
        out / "metadata.json",
        json.dumps(metadata, indent=2, ensure_ascii=False, sort_keys=True) + "\n",
    )

    counts = metadata["counts"]
    report = info["report"]
    prov = info["province_counts"]
    log(
        f"ridings: {counts['ridings']} ("
        + ", ".join(f"{p} {prov[p]}" for p in PROVINCE_CODES)
        + ")"
    )
    log(
        f"MPs: {counts['mps']}; vacancies: {counts['vacancies']}: "
        + ", ".join(f"{r['code']} {r['name_en']}" for r in ridings if r["vacant"] == "yes")
    )
    labels = {
        "new_holder": "seats with a new holder since the July 2025 House list",
        "no_commons_record": "seats with no July 2025 House record (no honorific source)",
        "party_change": "party changes for the same person (floor crossings)",
        "spelling": "names spelled from another source than openparliament",
        "split_fixed": "Represent first/last splits corrected (compound surnames)",
        "email_differs": "e-mails differing from Represent (openparliament used)",
        "no_phone": "MPs without a phone number",
    }
    for key, label in labels.items():
        log(f"{label}: {len(report[key])}")
        for line in report[key]:
            log(f"  {line}")
    log(f"FSAs: {counts['fsas']}, with a likely riding: {counts['fsas_with_likely_riding']}")
    for note in fsa_notes:
        log(f"  {note}")
    if problems:
        log(f"cross-check with mps_crosscheck_2025-2026.csv: {len(problems)} problem(s)")
        for problem in problems:
            log(f"  {problem}")
        return 1
    log("cross-check with mps_crosscheck_2025-2026.csv: vacancies, parties, e-mails agree")
    log(f"wrote {out}/ridings.csv, fsa.csv, provinces.csv, metadata.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
