"""The ledger from the command line: --log on draft, bulk and event; replies; report; ledger."""

from __future__ import annotations

import csv
import email.policy
import io
import json
import sqlite3
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from mpwrite.cli.root import app

runner = CliRunner()
OTTAWA_CENTRE = "35079"  # Yasir Naqvi
OAKVILLE_EAST = "35075"  # Anita Anand
CAMPAIGN = "ccr-anti-trafficking"  # the bundled campaign's id


def invoke(*args: str, input: str | None = None) -> Any:
    return runner.invoke(app, list(args), input=input)


def report_json(*args: str) -> dict[str, Any]:
    result = invoke("report", "--json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def ledger_of(home: Path) -> Path:
    return home / "ledgers" / f"{CAMPAIGN}.sqlite3"


def draft(*extra: str) -> Any:
    return invoke(
        "draft", "--riding", OTTAWA_CENTRE, "--name", "Ada Lovelace", "--email",
        "ada@example.org", "--date", "2026-11-02", *extra,
    )  # fmt: skip


def test_draft_logs_only_when_asked_and_counts_a_redraft_once(isolated_mpwrite_home: Path) -> None:
    assert draft().exit_code == 0
    assert not ledger_of(isolated_mpwrite_home).exists()  # nothing without --log

    for _attempt in range(2):
        result = draft("--log", "--mailto")
        assert result.exit_code == 0, result.stderr
        assert result.stdout.startswith("mailto:yasir.naqvi@parl.gc.ca")
        assert "Logged in the ledger" in result.stderr
    assert draft("--log", "--format", "md").exit_code == 0
    report = report_json()
    assert report["campaign"] == CAMPAIGN
    assert (report["totals"]["emails"], report["totals"]["printed"]) == (1, 1)
    [mp] = report["mps"]
    assert (mp["riding_code"], mp["mp_name"], mp["province"]) == (
        OTTAWA_CENTRE,
        "Yasir Naqvi",
        "ON",
    )
    # Without --log-supporters the ledger names nobody.
    assert b"ada@example.org" not in ledger_of(isolated_mpwrite_home).read_bytes()
    result = invoke("ledger", "export", "--supporters", "x.csv")
    assert result.exit_code == 1 and "--log-supporters" in result.stderr


def test_draft_with_log_supporters_into_a_named_ledger_then_export_and_forget(
    tmp_path: Path,
) -> None:
    shared = tmp_path / "team.sqlite3"
    result = draft("--log-supporters", "--ledger", str(shared), "--format", "eml")
    assert result.exit_code == 0, result.stderr
    out = tmp_path / "crm.csv"
    result = invoke("ledger", "export", "--supporters", str(out), "--ledger", str(shared))
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows == [
        {
            "email": "ada@example.org",
            "first_name": "Ada",
            "last_name": "Lovelace",
            "riding": "Ottawa Centre",
            "mp": "Yasir Naqvi",
            "demand": rows[0]["demand"],
            "date": rows[0]["date"],
        }
    ]
    again = invoke("ledger", "export", "--supporters", str(out), "--ledger", str(shared))
    assert again.exit_code == 1 and "--force" in again.stderr

    result = invoke("ledger", "forget", "--before", "2999-01-01", "--ledger", str(shared))
    assert (
        result.exit_code == 0 and "forgotten: 1 letters logged before 2999-01-01" in result.stderr
    )
    assert report_json("--ledger", str(shared))["totals"]["letters"] == 1  # still counted
    bad = invoke("ledger", "forget", "--before", "yesterday", "--ledger", str(shared))
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.stderr


def test_bulk_logs_each_letter_once_however_often_it_runs(tmp_path: Path) -> None:
    supporters = tmp_path / "supporters.csv"
    supporters.write_text(
        "name,email,riding\n"
        f"Ada Lovelace,ada@example.org,{OTTAWA_CENTRE}\n"
        f"Grace Hopper,grace@example.org,{OAKVILLE_EAST}\n"
        f"Alan Turing,,{OTTAWA_CENTRE}\n"
        "Nobody,,Atlantis\n",
        encoding="utf-8",
    )
    out = tmp_path / "letters"
    first = invoke("bulk", str(supporters), "--out", str(out), "--log", "-q")
    assert first.exit_code == 1  # Atlantis needs review
    assert "Logged 3 letters in the ledger" in first.stderr
    second = invoke("bulk", str(supporters), "--out", str(out), "--log", "-q")
    assert "Logged 0 letters" in second.stderr and "3 more were logged already." in second.stderr
    report = report_json()
    assert report["totals"]["letters"] == 3
    assert [(mp["riding_code"], mp["letters"]) for mp in report["mps"]] == [
        (OTTAWA_CENTRE, 2),
        (OAKVILLE_EAST, 1),
    ]
    dry = invoke("bulk", str(supporters), "--dry-run", "--log", "-q")
    assert "Nothing was logged: a dry run" in dry.stderr


def test_bulk_stops_before_writing_when_the_ledger_is_damaged(tmp_path: Path) -> None:
    supporters = tmp_path / "supporters.csv"
    supporters.write_text(f"name,riding\nAda,{OTTAWA_CENTRE}\n", encoding="utf-8")
    damaged = tmp_path / "ledger.sqlite3"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    before = damaged.read_bytes()
    out = tmp_path / "letters"
    result = invoke("bulk", str(supporters), "--out", str(out), "--ledger", str(damaged))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: the ledger") and "left as it is" in result.stderr
    assert "Traceback" not in result.stderr
    assert damaged.read_bytes() == before
    assert not out.exists()


def test_event_logs_each_letter_with_the_session(
    tmp_path: Path, isolated_mpwrite_home: Path
) -> None:
    saved = tmp_path / "saved"
    saved.mkdir()
    supporter = ["H3B 1A1", "y", "en", "Bea D", "5 Main", "Montreal", "My words.", "", "", "1", ""]
    script = [*supporter, "s", "n", *supporter, "s", "quitter"]
    result = invoke(
        "event", "--save-dir", str(saved), "--log-supporters", input="\n".join(script) + "\n"
    )
    assert result.exit_code == 0, result.stderr
    assert "The letters are logged in the ledger" in result.stderr
    connection = sqlite3.connect(ledger_of(isolated_mpwrite_home))
    rows = connection.execute("SELECT source, channel, supporter_name FROM entries").fetchall()
    connection.close()
    assert len(rows) == 2 and len({source for source, _c, _n in rows}) == 1
    assert rows[0][0].startswith("event-") and {row[1:] for row in rows} == {("print", "Bea D")}


def mail(sender: str, subject: str, message_id: str) -> bytes:
    written = EmailMessage(policy=email.policy.default)
    written["From"] = sender
    written["Subject"] = subject
    written["Date"] = "Mon, 23 Nov 2026 10:15:00 -0500"
    written["Message-ID"] = message_id
    written.set_content("Merci de votre lettre.\n\n> Dear MP\n")
    return written.as_bytes()


def test_replies_import_list_set_and_the_report(tmp_path: Path) -> None:
    assert draft("--log").exit_code == 0
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "a.eml").write_bytes(mail("Yasir Naqvi <yasir.naqvi@parl.gc.ca>", "Re: ok", "<1@x>"))
    (folder / "b.eml").write_bytes(mail("spam@example.com", "Offer", "<2@x>"))
    (folder / "c.eml").write_bytes(b"garbage\x00")

    result = invoke("replies", "import", str(folder), "--keep-excerpt")
    assert result.exit_code == 1, result.stderr  # someone must look at b and c
    assert "Replies imported: 1 (already in the ledger: 0)" in result.stderr
    assert "spam@example.com in b.eml" in result.stderr and "Not read: c.eml" in result.stderr
    again = invoke("replies", "import", str(folder))
    assert "Replies imported: 0 (already in the ledger: 1)" in again.stderr

    listed = invoke("replies", "list", "--unread", "--json")
    assert listed.exit_code == 0, listed.stderr
    [reply] = json.loads(listed.stdout)
    assert (reply["riding_code"], reply["mp_name"], reply["stance"]) == (
        OTTAWA_CENTRE,
        "Yasir Naqvi",
        "unread",
    )
    assert reply["excerpt"] == "Merci de votre lettre."
    assert invoke("replies", "set", str(reply["id"]), "--stance", "supports").exit_code == 0
    assert invoke("replies", "list", "--unread").stdout == ""

    added = invoke("replies", "add", "--riding", "Oakville East", "--stance", "opposes",
                   "--date", "2026-11-25", "--note", "by phone")  # fmt: skip
    assert added.exit_code == 0, added.stderr
    assert "from Anita Anand (Oakville East): opposes" in added.stderr
    assert invoke("replies", "list").stdout.splitlines() == [
        f"  1  2026-11-23  {OTTAWA_CENTRE}  supports      Yasir Naqvi: Re: ok",
        f"  2  2026-11-25  {OAKVILLE_EAST}  opposes       ?: by phone",
    ]
    report = report_json()
    assert report["stances"]["supports"] == 1 and report["stances"]["opposes"] == 1
    assert report["totals"]["response_rate"] == 1.0


def test_replies_reject_a_bad_stance_and_an_unknown_riding() -> None:
    assert draft("--log").exit_code == 0
    result = invoke("replies", "add", "--riding", OTTAWA_CENTRE, "--stance", "maybe")
    assert result.exit_code == 2 and "use one of supports" in result.stderr
    result = invoke("replies", "add", "--riding", "Atlantis", "--stance", "supports")
    assert result.exit_code == 1 and result.stderr.startswith("Error: ")
    assert "Traceback" not in result.stderr


def test_report_as_text_html_and_csv(tmp_path: Path) -> None:
    assert draft("--log").exit_code == 0
    text = invoke("report")
    assert text.exit_code == 0
    assert text.stdout.splitlines()[0] == (
        "Letters 1 (e-mail 0, print 1), calls 0, meeting requests 0, MPs written to 1"
    )
    page, sheet = tmp_path / "report.html", tmp_path / "mps.csv"
    result = invoke("report", "--html", str(page), "--csv", str(sheet))
    assert result.exit_code == 0 and result.stdout == ""
    assert "<svg" in page.read_text(encoding="utf-8")
    assert (
        sheet.read_text(encoding="utf-8-sig")
        .splitlines()[1]
        .startswith(f"{OTTAWA_CENTRE},Yasir Naqvi,")
    )
    result = invoke("report", "--html", str(page))
    assert result.exit_code == 1 and "--force" in result.stderr
    assert invoke("report", "--html", str(page), "--force").exit_code == 0
    assert invoke("report", "--overdue", "-1").exit_code == 2


def test_report_without_a_ledger_says_how_to_make_one(tmp_path: Path) -> None:
    result = invoke("report")
    assert result.exit_code == 1
    assert result.stderr == "Error: there is no ledger yet; log letters with --log, or give " \
        "--ledger FILE\n"  # fmt: skip
    result = invoke("report", "--campaign", "../etc")
    assert result.exit_code == 2 and "cannot name a ledger file" in result.stderr
    result = invoke("report", "--ledger", str(tmp_path / "none.sqlite3"))
    assert result.exit_code == 1 and "log letters with --log first" in result.stderr


@pytest.mark.parametrize("command", [["report"], ["replies", "list"], ["ledger", "forget",
                         "--before", "2026-01-01"]])  # fmt: skip
def test_a_ledger_from_a_newer_mpwrite_is_refused_by_every_command(
    tmp_path: Path, command: list[str]
) -> None:
    newer = tmp_path / "newer.sqlite3"
    assert draft("--ledger", str(newer)).exit_code == 0
    connection = sqlite3.connect(newer)
    connection.execute("UPDATE ledger_meta SET value = '7' WHERE key = 'schema_version'")
    connection.commit()
    connection.close()
    result = invoke(*command, "--ledger", str(newer))
    assert result.exit_code == 1
    assert "written by a newer mpwrite" in result.stderr and "Traceback" not in result.stderr


def test_replies_import_asks_each_stance_on_a_terminal(tmp_path: Path) -> None:
    assert draft("--log").exit_code == 0
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "a.eml").write_bytes(mail("yasir.naqvi@parl.gc.ca", "Re: trafficking", "<1@x>"))
    (folder / "b.eml").write_bytes(mail("yasir.naqvi@parl.gc.ca", "Re: again", "<2@x>"))
    result = runner.invoke(
        app,
        ["replies", "import", str(folder)],
        input="maybe\nform_reply\n\n",
        env={"MPWRITE_INTERACTIVE": "1"},
    )
    assert result.exit_code == 0, result.stderr
    assert "Re: trafficking" in result.stderr and "'maybe' is not a stance" in result.stderr
    stances = [line.split()[3] for line in invoke("replies", "list").stdout.splitlines()]
    assert stances == ["form-reply", "unread"]


def test_replies_import_with_one_stance_for_all_asks_nothing(tmp_path: Path) -> None:
    assert draft("--log").exit_code == 0
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "a.eml").write_bytes(mail("yasir.naqvi@parl.gc.ca", "Re: form", "<1@x>"))
    result = runner.invoke(
        app,
        ["replies", "import", str(folder), "--stance", "form-reply"],
        env={"MPWRITE_INTERACTIVE": "1"},
    )
    assert result.exit_code == 0, result.stderr
    assert invoke("replies", "list").stdout.split()[3] == "form-reply"


def test_bulk_keeps_supporters_only_with_log_supporters(
    tmp_path: Path, isolated_mpwrite_home: Path
) -> None:
    supporters = tmp_path / "supporters.csv"
    supporters.write_text(f"name,email,riding\nAda,ada@example.org,{OTTAWA_CENTRE}\n")
    assert invoke("bulk", str(supporters), "--out", str(tmp_path / "a"), "--log").exit_code == 0
    assert b"ada@example.org" not in ledger_of(isolated_mpwrite_home).read_bytes()
    out = tmp_path / "b"
    assert invoke("bulk", str(supporters), "--out", str(out), "--log-supporters").exit_code == 0
    crm = tmp_path / "crm.csv"
    assert invoke("ledger", "export", "--supporters", str(crm)).exit_code == 0
    assert crm.read_text(encoding="utf-8").splitlines()[1].startswith("ada@example.org,Ada,,")


def test_a_ledger_failing_mid_run_leaves_the_letters_and_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mpwrite.bulk import ledger_log
    from mpwrite.errors import LedgerError

    def fail(*args: object, **kwargs: object) -> int:
        raise LedgerError("the disk is full")

    monkeypatch.setattr(ledger_log, "log_entries", fail)
    supporters = tmp_path / "supporters.csv"
    supporters.write_text(f"name,riding\nAda,{OTTAWA_CENTRE}\n", encoding="utf-8")
    out = tmp_path / "letters"
    result = invoke("bulk", str(supporters), "--out", str(out), "--log", "-q")
    assert result.exit_code == 1
    assert "Error: the disk is full (the letters themselves were written)" in result.stderr
    assert len(list(out.rglob("*.txt"))) == 1


class _Screen:
    def __init__(self) -> None:
        self.said: list[tuple[str, str]] = []

    def ask(self, prompt: str) -> str:
        raise EOFError

    def say(self, text: str, style: str = "") -> None:
        self.said.append((text, style))

    def clear(self) -> None:
        pass


def test_an_event_ledger_that_fails_is_shown_and_the_session_goes_on(tmp_path: Path) -> None:
    from mpwrite.campaign.folder import load_campaign
    from mpwrite.cli.commands._ledger import event_logger
    from mpwrite.geo.mpdata import load_active
    from mpwrite.letter.compose import Supporter, compose_letter

    campaign = load_campaign(None)
    riding = load_active()[0].ridings[OTTAWA_CENTRE]
    letter = compose_letter(
        campaign=campaign,
        demand=campaign.demand(campaign.default_demand),
        lang="en",
        riding=riding,
        supporter=Supporter(name="Bea", address="", city="", postal_code=""),
    )
    screen = _Screen()
    path = tmp_path / "event.sqlite3"
    hook, _call_hook, logged_in = event_logger(
        campaign, screen, log_supporters=False, ledger=path
    )
    assert logged_in == path
    hook(letter, ("qr",))
    path.write_bytes(b"not a ledger any more")
    hook(letter, ("print",))  # no exception: the volunteer sees why
    assert screen.said and "left as it is" in screen.said[0][0]
    assert screen.said[0][1] == "error"


def test_draft_reports_a_ledger_it_cannot_use_after_the_letter(tmp_path: Path) -> None:
    damaged = tmp_path / "ledger.sqlite3"
    damaged.write_text("riding,letters\n", encoding="utf-8")
    result = draft("--ledger", str(damaged), "--mailto")
    assert result.exit_code == 1
    assert result.stdout.startswith("mailto:yasir.naqvi@parl.gc.ca")  # the letter stands
    assert result.stderr.startswith("Error: the ledger") and "left as it is" in result.stderr
    assert damaged.read_text(encoding="utf-8") == "riding,letters\n"


def test_several_campaigns_in_mpwrite_home_need_campaign(isolated_mpwrite_home: Path) -> None:
    from mpwrite.ledger.store import Ledger, default_ledger_path

    for campaign in ("housing", "transit"):
        Ledger.open(default_ledger_path(campaign)).close()
    result = invoke("report")
    assert result.exit_code == 2
    assert "several campaigns (housing, transit); choose one with --campaign ID" in result.stderr
    assert invoke("report", "--campaign", "transit").exit_code == 0


def test_event_with_log_alone_keeps_no_name(tmp_path: Path, isolated_mpwrite_home: Path) -> None:
    saved = tmp_path / "saved"
    saved.mkdir()
    script = ["H3B 1A1", "y", "en", "Zelda Quux", "", "", "", "", "", "1", "", "s", "quitter"]
    result = invoke("event", "--save-dir", str(saved), "--log", input="\n".join(script) + "\n")
    assert result.exit_code == 0, result.stderr
    ledger = ledger_of(isolated_mpwrite_home)
    assert report_json()["totals"]["printed"] == 1
    for path in (ledger, Path(f"{ledger}-wal")):
        if path.exists():
            assert b"Zelda" not in path.read_bytes()


def test_a_meeting_request_is_logged_as_a_meeting_and_a_brief_is_not_logged() -> None:
    meeting = ["--kind", "meeting", "--attendees", "Ada Lovelace"]
    meeting += ["--when", "Monday 12 January, 10:00", "--when", "Friday 16 January, 14:00"]
    assert draft(*meeting, "--log", "--mailto").exit_code == 0
    assert draft(*meeting, "--log", "--mailto").exit_code == 0  # the same request: once
    totals = report_json()["totals"]
    assert (totals["meetings"], totals["letters"]) == (1, 0)
    brief = invoke("draft", "--kind", "brief", "--demand", "1", "--format", "md", "--log")
    assert brief.exit_code == 2 and "nothing to log" in brief.stderr
