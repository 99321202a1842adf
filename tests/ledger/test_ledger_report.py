"""The campaign report on a ledger built here: JSON numbers, CSV rows, the HTML page."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import pytest

from mpwrite.ledger.record import Entry, Supporter, log_entries, supporter_entries
from mpwrite.ledger.replies import NewReply, add_replies
from mpwrite.ledger.report import report_from_ledger
from mpwrite.ledger.report_csv import mps_csv, split_name, supporters_csv
from mpwrite.ledger.report_html import render_html
from mpwrite.ledger.store import Ledger

TODAY = dt.date(2026, 12, 3)


@pytest.fixture
def filled(ledger: Ledger, make_entry: Callable[..., Entry]) -> Ledger:
    """Ottawa Centre: 6 e-mails, 1 call, no reply (overdue). Joliette: 2 printed letters,
    a meeting, two replies. Banff: 1 e-mail, one unread reply. Another campaign: 1."""
    entries = [make_entry("35079", str(n), logged_on=dt.date(2026, 11, 2 + n)) for n in range(6)]
    entries.append(make_entry("35079", "c", channel="call", logged_on=dt.date(2026, 11, 3)))
    entries += [
        make_entry("24029", "p1", channel="print", language="fr", logged_on=dt.date(2026, 11, 4)),
        make_entry("24029", "p2", channel="print", language="fr", logged_on=dt.date(2026, 11, 18)),
        make_entry("24029", "m", channel="meeting", logged_on=dt.date(2026, 11, 19)),
        make_entry("48001", "b", logged_on=dt.date(2026, 11, 20)),
        make_entry("48001", "x", campaign="transit", logged_on=dt.date(2026, 11, 20)),
    ]
    log_entries(ledger, entries)
    add_replies(
        ledger,
        [
            NewReply("housing", "24029", dt.date(2026, 11, 10), "form-reply"),
            NewReply("housing", "24029", dt.date(2026, 11, 25), "supports"),
            NewReply("housing", "48001", dt.date(2026, 11, 27)),
        ],
    )
    return ledger


def test_the_json_report_counts_per_mp_province_party_and_week(filled: Ledger) -> None:
    report = report_from_ledger(filled, "housing", today=TODAY, overdue_letters=5)
    assert json.loads(json.dumps(report)) == report  # plain JSON, nothing lost
    assert report["format"] == 1 and report["campaign"] == "housing"
    assert report["totals"] == {
        "letters": 9,
        "emails": 7,
        "printed": 2,
        "calls": 1,
        "meetings": 1,
        "entries": 11,
        "mps_written_to": 3,
        "replies": 3,
        "mps_replied": 2,
        "response_rate": 0.667,
    }
    assert report["stances"] == {
        "supports": 1,
        "opposes": 0,
        "noncommittal": 0,
        "form-reply": 1,
        "unread": 1,
    }
    by_riding = {mp["riding_code"]: mp for mp in report["mps"]}
    assert [mp["riding_code"] for mp in report["mps"]] == ["35079", "24029", "48001"]
    joliette = by_riding["24029"]
    assert (joliette["letters"], joliette["meetings"], joliette["replies"]) == (2, 1, 2)
    assert joliette["stances"] == {"supports": 1, "form-reply": 1}
    assert joliette["last_stance"] == "supports"
    assert joliette["last_reply_on"] == "2026-11-25"
    assert by_riding["48001"]["last_stance"] == "unread"
    assert by_riding["35079"]["last_stance"] is None
    assert by_riding["35079"]["first_letter_on"] == "2026-11-02"
    assert [(row["province"], row["letters"], row["replies"]) for row in report["provinces"]] == [
        ("ON", 6, 0),
        ("QC", 2, 2),
        ("AB", 1, 1),
    ]
    assert [(row["party"], row["letters"], row["mps_written_to"]) for row in report["parties"]] == [
        ("Liberal", 6, 1),
        ("Bloc Québécois", 2, 1),
        ("Conservative", 1, 1),
    ]
    # Every week from the first to the last, empty ones included, Monday first.
    assert [(week["week"], week["starts_on"], week["letters"]) for week in report["weeks"]] == [
        ("2026-W45", "2026-11-02", 7),
        ("2026-W46", "2026-11-09", 0),
        ("2026-W47", "2026-11-16", 2),
    ]
    assert report["overdue"]["mps"] == [
        {
            "riding_code": "35079",
            "riding_name": "Ottawa Centre",
            "mp_name": "Yasir Naqvi",
            "party": "Liberal",
            "letters": 6,
            "first_letter_on": "2026-11-02",
            "days_waiting": 31,
        }
    ]


def test_overdue_depends_on_days_and_letters(filled: Ledger) -> None:
    later = report_from_ledger(filled, "housing", today=TODAY, overdue_days=40)
    assert later["overdue"]["mps"] == []
    few = report_from_ledger(filled, "housing", today=TODAY, overdue_letters=7)
    assert few["overdue"] == {"days": 21, "min_letters": 7, "mps": []}


def test_a_report_over_every_campaign_and_an_empty_one(filled: Ledger, ledger: Ledger) -> None:
    everything = report_from_ledger(filled, today=TODAY)
    assert everything["campaign"] is None and everything["totals"]["entries"] == 12
    empty = report_from_ledger(filled, "nothing", today=TODAY)
    assert empty["totals"]["response_rate"] is None
    assert (empty["mps"], empty["weeks"], empty["overdue"]["mps"]) == ([], [], [])
    assert "Nothing logged yet." in render_html(empty)


def test_the_csv_report_has_one_row_per_mp(filled: Ledger) -> None:
    data = mps_csv(report_from_ledger(filled, "housing", today=TODAY))
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [
        ["riding_code", "mp_name", "party", "letters", "replies", "last_stance"],
        ["35079", "Yasir Naqvi", "Liberal", "6", "0", ""],
        ["24029", "Gabriel Ste-Marie", "Bloc Québécois", "2", "2", "supports"],
        ["48001", "Blake Richards", "Conservative", "1", "1", "unread"],
    ]


def test_the_crm_export_is_safe_against_formulas(
    ledger: Ledger, make_entry: Callable[..., Entry]
) -> None:
    supporters = [
        Supporter("Marie-Ève de la Tour", "marie@example.org"),
        Supporter('=HYPERLINK("http://evil.example","x")', "-2+3@example.org"),
        Supporter("Cher", "cher@example.org"),
    ]
    log_entries(
        ledger,
        [make_entry("24029", str(n), supporter=s) for n, s in enumerate(supporters)],
        keep_supporters=True,
    )
    data = supporters_csv(supporter_entries(ledger))
    assert not data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    assert rows[0] == ["email", "first_name", "last_name", "riding", "mp", "demand", "date"]
    assert rows[1] == [
        "marie@example.org",
        "Marie-Ève de la",
        "Tour",
        "Joliette—Manawan",
        "Gabriel Ste-Marie",
        "build",
        "2026-11-02",
    ]
    assert rows[2][:2] == ["'-2+3@example.org", '\'=HYPERLINK("http://evil.example","x")']
    assert rows[3][1:3] == ["Cher", ""]
    assert split_name("  ") == ("", "")


class _Page(HTMLParser):
    """What the tests look at in the HTML report."""

    def __init__(self) -> None:
        super().__init__()
        self.charts: dict[str, list[tuple[str, int]]] = {}
        self.tags: list[str] = []
        self.totals: dict[str, str] = {}
        self._chart: str | None = None
        self._cell: list[str] | None = None
        self._row: list[str] = []
        self._in_totals = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found: dict[str, Any] = dict(attrs)
        self.tags.append(tag)
        if tag == "svg":
            self._chart = found["data-chart"]
            self.charts[found["data-chart"]] = []
        elif tag == "rect" and self._chart:
            self.charts[self._chart].append((found["data-label"], int(found["data-value"])))
        elif tag == "table" and found.get("id") == "totals":
            self._in_totals = True
        elif tag in ("th", "td") and self._in_totals:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self._chart = None
        elif tag in ("th", "td") and self._cell is not None:
            self._row.append("".join(self._cell))
            self._cell = None
        elif tag == "tr" and self._in_totals:
            self.totals[self._row[0]] = self._row[1]
            self._row = []
        elif tag == "table":
            self._in_totals = False

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def test_the_html_report_is_one_page_with_svg_charts_and_totals(filled: Ledger) -> None:
    html = render_html(report_from_ledger(filled, "housing", today=TODAY))
    page = _Page()
    page.feed(html)
    assert page.charts == {
        "provinces": [("ON", 6), ("QC", 2), ("AB", 1)],
        "parties": [("Liberal", 6), ("Bloc Québécois", 2), ("Conservative", 1)],
        "stances": [
            ("supports", 1),
            ("opposes", 0),
            ("noncommittal", 0),
            ("form reply", 1),
            ("unread", 1),
        ],
        "weeks": [("2026-11-02", 7), ("2026-11-09", 0), ("2026-11-16", 2)],
    }
    assert page.totals["Letters"] == "9"
    assert page.totals["Meeting requests"] == "1"
    assert page.totals["Response rate"] == "67%"
    # Self-contained: nothing to run, nothing fetched, prints on Letter paper.
    assert "script" not in page.tags and "link" not in page.tags and "img" not in page.tags
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html
    assert "@page { size: letter" in html
    assert "Yasir Naqvi (Ottawa Centre): 6 letters, waiting 31 days" in html


def test_the_html_report_escapes_what_the_ledger_holds(
    ledger: Ledger, make_entry: Callable[..., Entry]
) -> None:
    log_entries(ledger, [make_entry("35079", "1", mp_name="<script>alert(1)</script>")])
    html = render_html(report_from_ledger(ledger, today=TODAY))
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_the_html_report_in_french(filled: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    from mpwrite import i18n

    i18n.use_language("fr")
    html = render_html(report_from_ledger(filled, "housing", today=TODAY))
    assert '<html lang="fr">' in html
    assert "Lettres par province" in html
