"""``mpwrite bulk`` on the command line: inputs, exit codes, progress, summaries, defaults."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from mpwrite.cli.root import app
from mpwrite.geo import represent
from tests.helpers import REPOSITORY, TESTS, represent_fixture, without_stale_data_warning

runner = CliRunner()
EXAMPLE = REPOSITORY / "examples" / "supporters.csv"
FIXTURES = TESTS / "fixtures" / "bulk"


def test_example_csv_walkthrough_numbers(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["bulk", str(EXAMPLE), "--out", str(tmp_path), "--date", "2026-03-02", "--json"]
    )
    assert result.exit_code == 1, result.stderr
    summary = json.loads(result.stdout)
    assert summary["rows"] == 8
    assert summary["statuses"]["written"] == 2
    assert summary["statuses"]["duplicate"] == 1
    assert summary["statuses"]["invalid"] == 1
    assert summary["statuses"]["needs-review"] == 4
    assert summary["top_mps"][0]["letters"] == 1
    assert summary["needs_review"].endswith("needs-review.csv")
    assert "needs-review.csv" in result.stderr


def test_stdin_input_french_headers_cp1252_semicolons(tmp_path: Path) -> None:
    data = "Prénom;Nom;Code postal;Circonscription;Langue\r\nHélène;Côté;K1P 5G4;35079;français\r\n"
    result = runner.invoke(
        app,
        ["bulk", "-", "--out", str(tmp_path), "--json", "--date", "2026-03-02"],
        input=data.encode("cp1252"),
    )
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["input"] == {"encoding": "cp1252", "delimiter": ";"}
    letter = next((tmp_path / "letters").iterdir())
    assert letter.name.startswith("helene-cote-")
    assert "Hélène Côté" in letter.read_text(encoding="utf-8")
    assert "Madame, Monsieur," in letter.read_text(encoding="utf-8")


def test_utf8_bom_tab_file_with_quoted_newlines_and_ragged_rows(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "bulk",
            str(FIXTURES / "excel-bom-tabs.tsv"),
            "--out",
            str(tmp_path),
            "--json",
            "--approximate",
            "accept",
            "--date",
            "2026-03-02",
        ],
    )
    summary = json.loads(result.stdout)
    assert summary["input"]["delimiter"] == "\t"
    assert summary["statuses"]["written"] == 2
    assert summary["statuses"]["blank"] == 1
    assert summary["statuses"]["invalid"] == 1
    assert result.exit_code == 1
    letters = sorted((tmp_path / "letters").iterdir())
    assert "second line of the note" in "".join(p.read_text(encoding="utf-8") for p in letters)


def test_missing_columns_is_a_usage_error_naming_them(tmp_path: Path) -> None:
    source = tmp_path / "s.csv"
    source.write_text("Email,Town\nx@example.org,Ottawa\n", encoding="utf-8")
    result = runner.invoke(app, ["bulk", str(source), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: the input has no name")
    assert "'Email', 'Town'" in result.stderr and "Traceback" not in result.stderr


def test_all_written_exits_0_and_dry_run_needs_no_out(tmp_path: Path) -> None:
    source = tmp_path / "s.csv"
    source.write_text("Name,Riding\nA B,Ottawa Centre\n", encoding="utf-8")
    done = runner.invoke(app, ["bulk", str(source), "--out", str(tmp_path / "o"), "--quiet"])
    assert done.exit_code == 0 and done.stdout == ""
    assert without_stale_data_warning(done.stderr) == ""
    dry = runner.invoke(app, ["bulk", str(source), "--dry-run", "--json"])
    assert dry.exit_code == 0 and json.loads(dry.stdout)["statuses"]["ready"] == 1
    assert json.loads(dry.stdout)["report"] is None


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    source = tmp_path / "s.csv"
    source.write_text("Name,Riding\nA B,Ottawa Centre\n", encoding="utf-8")
    for extra in (
        ["--approximate", "maybe"],
        ["--group-by", "party"],
        ["--format", "doc"],
        ["--date", "tomorrow"],
        ["--demand", "nope"],
    ):
        result = runner.invoke(app, ["bulk", str(source), "--out", str(tmp_path / "o"), *extra])
        assert result.exit_code == 2, (extra, result.stderr)
        assert result.stderr.startswith("Error: ")
    missing = runner.invoke(app, ["bulk", str(tmp_path / "nope.csv"), "--dry-run"])
    assert missing.exit_code == 2 and "cannot read" in missing.stderr


def test_online_gives_exact_ridings_without_review(
    tmp_path: Path, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    answer = represent_fixture("postcode_single.json")
    httpserver.expect_request("/postcodes/K1A0B1/").respond_with_json(answer)
    monkeypatch.setenv("MPWRITE_REPRESENT_URL", httpserver.url_for("/"))
    monkeypatch.setattr(represent, "_sleep", lambda seconds: None)
    source = tmp_path / "s.csv"
    source.write_text("Name,Postal code\nA B,K1A 0B1\n", encoding="utf-8")
    offline = runner.invoke(app, ["bulk", str(source), "--dry-run", "--json"])
    assert json.loads(offline.stdout)["statuses"]["needs-review"] == 1
    online = runner.invoke(app, ["bulk", str(source), "--dry-run", "--json", "--online"])
    summary = json.loads(online.stdout)
    assert online.exit_code == 0, online.stderr
    assert summary["statuses"]["ready"] == 1
    assert summary["top_mps"][0]["riding_code"] == "35079"


def test_represent_url_option_implies_online(
    tmp_path: Path, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    answer = represent_fixture("postcode_single.json")
    httpserver.expect_request("/postcodes/K1A0B1/").respond_with_json(answer)
    monkeypatch.setattr(represent, "_sleep", lambda seconds: None)
    source = tmp_path / "s.csv"
    source.write_text("Name,Postal code\nA B,K1A 0B1\n", encoding="utf-8")
    result = runner.invoke(
        app,
        ["bulk", str(source), "--dry-run", "--json", "--represent-url", httpserver.url_for("/")],
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["statuses"]["ready"] == 1


def test_online_failure_is_reported_not_silent(
    tmp_path: Path, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    httpserver.expect_request("/postcodes/K1A0B1/").respond_with_data("down", status=503)
    httpserver.expect_request("/postcodes/K1A0B2/").respond_with_data("down", status=503)
    monkeypatch.setattr(represent, "_sleep", lambda seconds: None)
    source = tmp_path / "s.csv"
    source.write_text("Name,Postal code\nA B,K1A 0B1\nC D,K1A 0B2\n", encoding="utf-8")
    result = runner.invoke(
        app,
        ["bulk", str(source), "--out", str(tmp_path / "out"), "--json",
         "--represent-url", httpserver.url_for("/")],
    )
    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    assert summary["statuses"]["needs-review"] == 2
    [warning] = summary["warnings"]
    assert "unavailable" in warning["message"] and warning["rows"] == 2
    assert "K1A" not in warning["message"]
    stderr = without_stale_data_warning(result.stderr)
    assert stderr.count("Warning:") == 1 and "(2 rows)" in stderr
    report = (tmp_path / "out" / "report.csv").read_text(encoding="utf-8-sig")
    assert report.count("Represent gave no exact answer") == 2


def bulk_with_rows_to_review(tmp_path: Path, text: str) -> tuple[str, str]:
    """``mpwrite bulk`` on ``text``, which leaves rows to review: both CSVs it writes."""
    source = tmp_path / "s.csv"
    source.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["bulk", str(source), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    report = (tmp_path / "out" / "report.csv").read_text(encoding="utf-8-sig")
    review = (tmp_path / "out" / "needs-review.csv").read_text(encoding="utf-8-sig")
    return report, review


def test_ambiguous_riding_lists_its_candidates(tmp_path: Path) -> None:
    _, review = bulk_with_rows_to_review(tmp_path, "Name,Riding\nA B,ottawa\n")
    assert "35079 Ottawa Centre" in review and "Ottawa South" in review


def test_extra_cells_of_a_ragged_row_are_kept_for_review(tmp_path: Path) -> None:
    report, review = bulk_with_rows_to_review(
        tmp_path, "Name,Postal code\nA B,K1A 0B1,12 Main St,Ottawa\n"
    )
    assert "12 Main St | Ottawa" in review
    assert "Main St" not in report  # the report holds nothing the supporter typed


def test_a_letter_that_cannot_be_composed_goes_to_review(tmp_path: Path) -> None:
    # The e-mail is only checked when the letter is composed, on the writer
    # thread: the row must still come back as invalid, in order, and reviewable.
    text, review = bulk_with_rows_to_review(
        tmp_path,
        "Name,Riding,E-mail\nA B,35079,a@example.org\nC D,35079,not an address\nE F,35079,\n",
    )
    report = text.splitlines()
    assert [line.split(",")[:2] for line in report[1:]] == [
        ["2", "written"],
        ["3", "invalid"],
        ["4", "written"],
    ]
    assert "the e-mail is not one plain address" in report[2]
    assert "C D,35079,not an address" in review


def test_progress_on_a_pipe_is_plain_lines_then_the_summary_tables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mpwrite.cli.commands import bulk as bulk_command

    monkeypatch.setattr(bulk_command, "PLAIN_PROGRESS_INTERVAL", 0.0)  # a line every row
    result = runner.invoke(
        app, ["bulk", str(EXAMPLE), "--out", str(tmp_path), "--date", "2026-03-02"]
    )
    assert result.exit_code == 1
    assert result.stdout == ""  # progress and summary are not data
    lines = [line for line in result.stderr.splitlines() if line.startswith("bulk: ")]
    assert len(lines) == 8
    assert re.fullmatch(r"bulk: 8 rows \([\d,]+ rows/s, 100% of the input\).*", lines[-1])
    for title in ("Rows", "Letters per province", "Letters per party", "MPs with the most"):
        assert title in result.stderr
    assert re.search(r"read\s+│\s+8 ", result.stderr)
    assert re.search(r"35079 Ottawa Centre\s+│\s+Yasir Naqvi", result.stderr)


def test_progress_on_a_terminal_is_a_bar_with_count_rate_and_eta(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io

    from mpwrite.bulk.outcomes import RowOutcome
    from mpwrite.bulk.run import BulkProgress
    from mpwrite.cli.commands import bulk as bulk_command

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    with bulk_command._ProgressReporter(quiet=False) as progress:
        assert progress is not None
        for rows in (1, 200, 400):
            progress(BulkProgress(rows, rows * 50, 40_000, RowOutcome(rows, "written"), 90.0))
    drawn = terminal.getvalue()
    assert "400 rows" in drawn and "rows/s" in drawn and "about 2 min left" in drawn


def test_demand_lang_and_campaign_options_are_defaults_rows_can_override(
    tmp_path: Path,
) -> None:
    from tests.helpers import make_campaign

    source = tmp_path / "s.csv"
    source.write_text(
        "Name,Riding,Language,Demand\nAna Lima,35079,,\nSam Roy,35079,en,\nLi Chen,35079,,2\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        ["bulk", str(source), "--out", str(out), "--demand", "root-causes", "--lang", "fr"],
    )
    assert result.exit_code == 0, result.stderr
    letters = {
        path.name.split("-")[0]: path.read_text(encoding="utf-8") for path in out.glob("letters/*")
    }
    assert "Objet\u00a0: Agir sur les causes profondes" in letters["ana"]  # both defaults
    assert "Re: Please act on the root causes" in letters["sam"]  # its own language
    assert "Objet\u00a0: Mieux protéger les victimes" in letters["li"]  # its own demand
    campaign = make_campaign(tmp_path, "Custom body for {{ riding.name }}.")
    custom = runner.invoke(
        app, ["bulk", str(source), "--out", str(tmp_path / "custom"), "--campaign", str(campaign)]
    )
    assert custom.exit_code == 1, custom.stderr  # Li Chen's demand 2 is not in it
    written = [path.read_text(encoding="utf-8") for path in (tmp_path / "custom").glob("letters/*")]
    assert len(written) == 2 and all("Custom body for Ottawa Centre." in text for text in written)
