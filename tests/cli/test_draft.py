"""``mpwrite draft`` and ``mpwrite demands`` through the CLI, interactive and not."""

from __future__ import annotations

import email
import email.policy
import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mpwrite.cli.commands import _draft_letter
from mpwrite.cli.root import app
from mpwrite.geo.lookup import Match, Resolver
from mpwrite.geo.ridings import load_bundled
from tests.helpers import REPOSITORY, TESTS, represent_fixture, without_stale_data_warning


@pytest.fixture(autouse=True)
def keep_every_ask(monkeypatch: pytest.MonkeyPatch) -> None:
    """These scripts predate the asks pick-list (tests/letter/test_voice.py drives it): keep all."""
    monkeypatch.setattr("mpwrite.cli.commands._prompts.choose_asks", lambda *args: ())


GOLDEN = TESTS / "golden"
runner = CliRunner()
INTERACTIVE = {"MPWRITE_INTERACTIVE": "1"}
BATCH = {"MPWRITE_INTERACTIVE": "0"}
NOTE = (
    "I volunteer at a drop-in centre & see *exactly* this every week.\n\n"
    "- Please <b>act</b> before the next budget."
)
# The same letter as the goldens in test_letters.py.
GOLDEN_OPTIONS = [
    "draft",
    "--riding",
    "Ottawa South",
    "--postal-code",
    "k1s3v8",
    "--name",
    "Alex Martin",
    "--address",
    "123 Bank Street, Apt. 4",
    "--city",
    "Ottawa",
    "--email",
    "alex.martin@example.org",
    "--note",
    NOTE,
    "--date",
    "2026-11-28",
]


def invoke(args: list[str], input: str | None = None, env: dict[str, str] | None = None):
    return runner.invoke(app, args, input=input, env=env or BATCH)


@pytest.mark.parametrize("fmt", ["txt", "md", "html", "eml"])
def test_draft_matches_golden(fmt: str) -> None:
    result = invoke([*GOLDEN_OPTIONS, "--demand", "3", "--lang", "fr", "--format", fmt])
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes == (GOLDEN / f"permanent-status.fr.{fmt}").read_bytes()
    assert "david.mcguinty@parl.gc.ca" in result.stderr
    assert "Pour l’envoyer\u00a0: par courriel à david.mcguinty@parl.gc.ca" in result.stderr
    assert "Chambre des communes" in result.stderr
    assert "Aucun timbre" in result.stderr
    assert "No postage" not in result.stderr


def test_default_demand_and_language() -> None:
    result = invoke([*GOLDEN_OPTIONS])
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes == (GOLDEN / "all.en.txt").read_bytes()


def test_missing_note_gives_a_tip_not_an_error() -> None:
    result = invoke(["draft", "--riding", "35080", "--name", "Alex"])
    assert result.exit_code == 0
    assert "To send it: e-mail david.mcguinty@parl.gc.ca" in result.stderr
    assert "No postage" in result.stderr
    assert "--note" in result.stderr


@pytest.mark.parametrize(
    "args,message",
    [
        (["draft", "--riding", "35080"], "--name is required when not running interactively"),
        (["draft", "--name", "Alex"], "--postal-code or --riding is required"),
        (["draft", "--riding", "35080", "--name", "A", "--demand", "9"], "no demand '9'"),
        (["draft", "--riding", "35080", "--name", "A", "--lang", "de"], "unknown language 'de'"),
        (["draft", "--riding", "35080", "--name", "A", "--format", "doc"], "unknown format"),
        (["draft", "--riding", "35080", "--name", "A", "--date", "28/11/2026"], "YYYY-MM-DD"),
        (["draft", "--postal-code", "K1A 0A", "--name", "A"], "postal code"),
        (
            ["draft", "--riding", "35080", "--name", "A", "--note", "x", "--note-file", "f"],
            "not both",
        ),
        (
            ["draft", "-r", "35079", "--name", "Jane", "--email", "not an email", "-f", "eml"],
            "'not an email' is not an e-mail address; give one like name@example.org",
        ),
        (
            ["draft", "-r", "35079", "--name", "Jane", "--email", "a@b.c, evil@x.com", "-f", "eml"],
            "'a@b.c, evil@x.com' is not an e-mail address",
        ),
        (
            ["draft", "--postal-code", "K1A 0A6", "--name", "A"],
            "postal codes starting K1A only give a likely riding (Ottawa Centre); confirm with "
            '--riding "Ottawa Centre" or pass --accept-likely',
        ),
    ],
)
def test_usage_errors(args: list[str], message: str) -> None:
    result = invoke(args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: ")
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_likely_riding_accepted_or_confirmed() -> None:
    accepted = invoke(["draft", "-p", "K1A 0A6", "--name", "A", "--accept-likely"])
    assert accepted.exit_code == 0, accepted.stderr
    assert "Yasir Naqvi, M.P." in accepted.stdout
    assert "likely riding Ottawa Centre" in accepted.stderr
    confirmed = invoke(["draft", "-p", "K1A 0A6", "--riding", "Ottawa South", "--name", "A"])
    assert confirmed.exit_code == 0
    assert "McGuinty" in confirmed.stdout
    assert "Ottawa (Ontario) K1A 0A6" not in confirmed.stdout  # English letter
    assert "Ottawa, Ontario K1A 0A6" in confirmed.stdout


def test_vacant_seat_is_an_error() -> None:
    result = invoke(["draft", "--riding", "Scarborough North", "--name", "A"])
    assert result.exit_code == 1
    assert "vacant" in result.stderr and result.stdout == ""


def test_unreadable_note_file(tmp_path: Path) -> None:
    result = invoke(["draft", "-r", "35080", "--name", "A", "--note-file", str(tmp_path / "no")])
    assert result.exit_code == 1
    assert "cannot read --note-file" in result.stderr
    (tmp_path / "latin1.txt").write_bytes(b"caf\xe9")
    result = invoke(
        ["draft", "-r", "35080", "--name", "A", "--note-file", str(tmp_path / "latin1.txt")]
    )
    assert result.exit_code == 1 and "UTF-8" in result.stderr


def test_note_file_paragraphs(tmp_path: Path) -> None:
    note_file = tmp_path / "note.txt"
    note_file.write_text("First  thought\nwrapped.\n\nSecond thought.\n", encoding="utf-8")
    result = invoke(["draft", "-r", "35080", "--name", "A", "--note-file", str(note_file)])
    assert "First thought wrapped.\n\nSecond thought." in result.stdout


def test_output_file_written_atomically_and_not_overwritten(tmp_path: Path) -> None:
    target = tmp_path / "letter.eml"
    args = ["draft", "-r", "35080", "--name", "A", "-f", "eml", "-o", str(target)]
    first = invoke(args)
    assert first.exit_code == 0, first.stderr
    assert first.stdout == ""
    assert f"Wrote {target}" in first.stderr
    message = email.message_from_bytes(target.read_bytes(), policy=email.policy.default)
    assert message["X-Unsent"] == "1"
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    again = invoke(args)
    assert again.exit_code == 1
    assert "already exists; pass --force" in again.stderr
    forced = invoke([*args, "--force", "--lang", "fr"])
    assert forced.exit_code == 0
    assert b"Content-Language: fr-CA" in target.read_bytes()
    assert sorted(os.listdir(tmp_path)) == ["letter.eml"]


def test_unwritable_output(tmp_path: Path) -> None:
    result = invoke(["draft", "-r", "35080", "--name", "A", "-o", str(tmp_path / "no" / "x")])
    assert result.exit_code == 1
    assert without_stale_data_warning(result.stderr).startswith("Error: cannot write")


def test_mailto() -> None:
    result = invoke(["draft", "-r", "35080", "--name", "A", "--demand", "1", "--mailto"])
    assert result.exit_code == 0
    assert result.stdout.startswith("mailto:david.mcguinty@parl.gc.ca?subject=Please%20act")
    assert result.stdout.count("\n") == 1


def test_hostile_custom_campaign_through_the_cli(tmp_path: Path) -> None:
    campaign = tmp_path / "evil"
    (campaign / "en").mkdir(parents=True)
    (campaign / "fr").mkdir()
    manifest = (
        REPOSITORY / "templates/letters/ccr-anti-trafficking" / "manifest.toml"
    ).read_text(encoding="utf-8")
    (campaign / "manifest.toml").write_text(manifest, encoding="utf-8")
    (campaign / "en" / "all.j2").write_text(
        "Dear friend,\n{{ cycler.__init__.__globals__.os.system('touch pwned') }}",
        encoding="utf-8",
    )
    result = invoke(["draft", "-r", "35080", "--name", "A", "--campaign", str(campaign)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {campaign}/en/all.j2:2: ")
    assert "Traceback" not in result.stderr
    assert not Path("pwned").exists()


# --- demands -------------------------------------------------------------------


def test_demands_lists_number_id_title_summary() -> None:
    result = invoke(["demands"])
    assert result.exit_code == 0
    assert "3. Permanent status for trafficked persons  [permanent-status]" in result.stdout
    french = invoke(["demands", "--lang", "fr", "--json"])
    data = json.loads(french.stdout)
    assert data["default_demand"] == "all"
    assert [d["number"] for d in data["demands"]] == [1, 2, 3, 4, 5, 6]
    first = data["demands"][0]
    assert {key: first[key] for key in ("number", "id", "title", "subject")} == {
        "number": 1,
        "id": "root-causes",
        "title": "S’attaquer aux causes profondes de la traite",
        "subject": "Agir sur les causes profondes de la traite de personnes",
    }
    assert set(first) == {
        *("number", "id", "title", "summary", "subject"),
        *("asks", "minister", "short", "checked", "sources"),
    }
    assert invoke(["demands", "--lang", "xx"]).exit_code == 2


# --- interactive ---------------------------------------------------------------


def test_interactive_confirms_a_likely_match() -> None:
    answers = [
        "K1A 0A6",  # postal code
        "y",  # Ottawa Centre is my riding
        "Alex Martin",
        "123 Bank Street",
        "Ottawa",
        "alex@example.org",
        "fr",  # asked before the demands, so their table is in French
        "3",  # demand
        "Je connais des personnes touchées.",  # why it matters
        "",  # the two other guiding questions, skipped
        "",
        "2",  # greeting: Monsieur le Député
    ]
    result = invoke(["draft", "--date", "2026-11-28"], "\n".join(answers) + "\n", INTERACTIVE)
    assert result.exit_code == 0, result.stderr
    assert "Is Ottawa Centre your riding?" in result.stderr
    assert result.stderr.index("Langue de la lettre") < result.stderr.index("Un accès réel")
    assert "Un accès réel à la justice" in result.stderr  # the demand table, in French
    assert "Real access to justice" not in result.stderr
    assert "accordent plus de poids" in result.stderr  # the own-words questions, in French
    letter = result.stdout
    assert "Yasir Naqvi\nCirconscription\u00a0: Ottawa-Centre" in letter
    assert "Alex Martin\n123 Bank Street\nOttawa (Ontario) K1A 0A6\nalex@example.org" in letter
    assert "Objet\u00a0: Une protection permanente" in letter
    assert "\n\nJe connais des personnes touchées.\n\n" in letter
    assert "\nMonsieur le Député,\n" in letter


def test_interactive_rejects_a_likely_match_and_names_the_riding() -> None:
    answers = [
        *("K1A 0A6", "n", "Nowhere Town", "Ottawa South", "Alex", "", "", "", "", "", ""),
        *("", ""),  # the other two guiding questions
    ]
    result = invoke(["draft"], "\n".join(answers) + "\n", INTERACTIVE)
    assert result.exit_code == 0, result.stderr
    assert "no riding matches 'Nowhere Town'" in result.stderr
    # The riding typed by name is shown with its MP before the questions go on.
    shown = "Your MP: Ottawa South (ON): Hon. David J. McGuinty"
    assert shown in result.stderr
    assert result.stderr.index(shown) < result.stderr.index("Your name")
    assert "The Honourable David J. McGuinty, P.C., M.P." in result.stdout
    assert "Alex\nOntario K1A 0A6\n\n" in result.stdout  # the postal code typed first is kept
    assert "Services for everyone at risk" in result.stderr  # the demand table
    assert "Re: Protection and justice for trafficked persons: three changes" in result.stdout


def test_interactive_asks_again_after_bad_answers() -> None:
    answers = [
        "ZZZ",  # neither a postal code nor a riding
        "35080",  # a riding code: exact, nothing to confirm
        "",  # name is required: asked again
        "Alex",
        "",
        "",
        "K1A",  # not a postal code: asked again
        "K1V 0A1",
        "alex at home",  # not an e-mail address: asked again
        "",
        "en",
        "9",  # no such demand
        "1",
        "",
        "",
        "",
    ]
    result = invoke(["draft"], "\n".join(answers) + "\n", INTERACTIVE)
    assert result.exit_code == 0, result.stderr
    assert "no riding matches 'ZZZ'" in result.stderr
    assert "This one is needed" in result.stderr
    assert "no demand '9'" in result.stderr
    assert "'alex at home' is not an e-mail address" in result.stderr
    assert "Alex\nOntario K1V 0A1\n\n" in result.stdout
    assert "Re: Please act on the root causes" in result.stdout


def test_interactive_chooses_among_several_ridings(monkeypatch: pytest.MonkeyPatch) -> None:
    data = load_bundled()

    class TwoRidings:
        def resolve(self, code, warnings):
            return (
                Match(data.get("35079"), "test", exact=False),
                Match(data.get("35080"), "test", exact=False),
            )

    monkeypatch.setattr(
        _draft_letter, "resolver_for", lambda request: Resolver(data, [TwoRidings()])
    )
    answers = ["K1S 3V8", "2", "", "", "", "en", "", "", ""]
    result = invoke(
        ["draft", "--name", "Alex", "--demand", "1"], "\n".join(answers) + "\n", INTERACTIVE
    )
    assert result.exit_code == 0, result.stderr
    assert "1. Ottawa Centre" in result.stderr and "2. Ottawa South" in result.stderr
    assert "McGuinty" in result.stdout
    batch = invoke(["draft", "-p", "K1S 3V8", "--name", "A"])
    assert batch.exit_code == 2
    assert "may be in several ridings (Ottawa Centre; Ottawa South)" in batch.stderr


def test_interactive_stops_at_a_vacant_seat() -> None:
    result = invoke(["draft"], "Scarborough North\n", INTERACTIVE)
    assert result.exit_code == 1
    assert "vacant" in result.stderr


def test_online_lookup_makes_a_postal_code_exact(httpserver, monkeypatch) -> None:
    from mpwrite.geo import represent

    monkeypatch.setattr(represent, "_sleep", lambda seconds: None)
    answer = represent_fixture("postcode_single.json")
    httpserver.expect_request("/postcodes/K1A0B1/").respond_with_json(answer)
    args = ["draft", "-p", "K1A 0B1", "--name", "A", "--date", "2026-11-28"]
    refused = invoke(args)
    assert refused.exit_code == 2
    assert "--accept-likely" in refused.stderr
    online = invoke([*args, "--online", "--represent-url", httpserver.url_for("/")])
    assert online.exit_code == 0, online.stderr
    assert "Yasir Naqvi, M.P." in online.stdout


def test_online_failure_falls_back_to_the_likely_answer(httpserver, monkeypatch) -> None:
    from mpwrite.geo import represent

    monkeypatch.setattr(represent, "_sleep", lambda seconds: None)
    httpserver.expect_request("/postcodes/K1A0B1/").respond_with_data("busy", status=503)
    result = invoke(
        [
            "draft",
            "-p",
            "K1A 0B1",
            "--name",
            "A",
            "--accept-likely",
            "--online",
            "--represent-url",
            httpserver.url_for("/"),
        ]
    )
    assert result.exit_code == 0
    assert without_stale_data_warning(result.stderr).count("Warning:") == 1
    assert "Traceback" not in result.stderr
    assert "Yasir Naqvi, M.P." in result.stdout


def test_sender_province_is_the_supporters_and_a_disagreeing_postal_code_is_flagged() -> None:
    args = ["draft", "-r", "35080", "--name", "X", "--city", "Gatineau", "-p", "J8X 1A1"]
    result = invoke([*args, "--lang", "fr"])
    assert result.exit_code == 0, result.stderr
    assert "Gatineau (Québec) J8X 1A1" in result.stdout
    # --lang fr also puts the messages in French.
    warnings = [
        line
        for line in without_stale_data_warning(result.stderr).splitlines()
        if line.startswith("Avertissement")
    ]
    assert len(warnings) == 1
    assert "J8X 1A1" in warnings[0] and "Ottawa South" in warnings[0]
    agreeing = invoke(["draft", "-r", "Ottawa Centre", "--name", "X", "-p", "K1A 0A6"])
    assert agreeing.exit_code == 0
    assert "Warning" not in without_stale_data_warning(agreeing.stderr)
