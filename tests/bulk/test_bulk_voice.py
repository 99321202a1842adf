"""How personal a bulk batch is: own words, identical letters per MP, the asks column."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mpwrite.cli.root import app
from mpwrite.letter import likeness as identikit
from mpwrite.letter.likeness import Body, Identikit, shingles, similarity
from tests.helpers import bulk, read_asks_from_manifests, report_rows, write_asks_campaign

HEADER = "Name,Postal code,Riding,Demand,Note\n"
LONG_NOTE = (
    "My cousin came here on a promise of work at a greenhouse and spent two years paying "
    "off a debt that only grew while her passport sat in a drawer at the office of the man "
    "who hired her, and nobody she spoke to believed her until a nurse at the clinic saw "
    "her hands and called a community group that found her a lawyer and a room of her own."
)


def test_report_says_which_letters_have_own_words(tmp_path: Path) -> None:
    text = HEADER + (
        "Ann One,K1A 0A6,35080,3,\n"
        "Bob Two,K1A 0A6,35080,3,I see it at work.\n"
        "Cy Three,K1A 0A6,35080,3,  \n"  # blank: no own words
    )
    summary = bulk(tmp_path, text)
    rows = report_rows(tmp_path / "out")
    assert [row["own_words"] for row in rows] == ["no", "yes", "no"]
    assert summary.without_own_words == 2
    assert summary.as_dict()["letters_without_own_words"] == 2


def test_identical_and_near_identical_letters_are_grouped_per_mp(tmp_path: Path) -> None:
    text = HEADER + (
        "Ann One,K1A 0A6,35080,3,\n"  # 2: the demand's text alone
        "Bob Two,K1A 0A6,35080,3,\n"  # 3: identical to row 2
        "Cy Three,K1A 0A6,35079,3,\n"  # 4: the same text, another MP: not grouped
        "Di Four,K1A 0A6,35080,3,I see it at work.\n"  # 5: a short note: near-identical
        f"Ed Five,K1A 0A6,35080,1,{LONG_NOTE}\n"  # 6: another demand: its own
        "Flo Six,K1A 0A6,35080,1,\n"  # 7: demand 1 alone: not like row 6's long note
        "Gus Seven,K1A 0A6,35080,1,\n"  # 8: identical to row 7
    )
    summary = bulk(tmp_path, text, dry_run=True, out=None)
    similar = summary.as_dict()["similar_letters"]
    assert isinstance(similar, dict)
    assert similar["method"]["threshold"] == 0.5  # type: ignore[index]
    assert similar["capped"] is False
    assert similar["letters_in_groups"] == 5
    [mp] = similar["by_mp"]
    assert (mp["riding_code"], mp["mp"]) == ("35080", "David J. McGuinty")
    assert mp["groups"] == [
        {"letters": 3, "identical": False, "rows": [2, 3, 5]},
        {"letters": 2, "identical": True, "rows": [7, 8]},
    ]


def test_require_own_words_sends_rows_without_a_note_to_review(tmp_path: Path) -> None:
    text = HEADER + "Ann One,K1A 0A6,35080,3,\nBob Two,K1A 0A6,35080,3,I see it at work.\n"
    summary = bulk(tmp_path, text, require_own_words=True)
    rows = report_rows(tmp_path / "out")
    assert [row["status"] for row in rows] == ["needs-review", "written"]
    assert rows[0]["reason"].startswith("no own words in the note column (--require-own-words)")
    review = (tmp_path / "out" / "needs-review.csv").read_text(encoding="utf-8-sig")
    assert "Ann One" in review and "Bob Two" not in review
    assert summary.exit_code == 1 and summary.without_own_words == 0


def test_asks_column_chooses_asks_and_flags_bad_numbers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read_asks_from_manifests(monkeypatch)
    campaign = write_asks_campaign(tmp_path / "campaign")
    text = (
        "Name,Postal code,Riding,Asks\n"
        'Ann One,K1A 0A6,35080,"1, 3"\n'
        "Bob Two,K1A 0A6,35080,2 3\n"
        "Cy Three,K1A 0A6,35080,\n"
        "Di Four,K1A 0A6,35080,4\n"
        "Ed Five,K1A 0A6,35080,one\n"
    )
    summary = bulk(tmp_path, text, campaign=campaign)
    rows = report_rows(tmp_path / "out")
    assert [row["status"] for row in rows] == [
        "written",
        "written",
        "written",
        "needs-review",
        "needs-review",
    ]
    assert rows[3]["reason"] == (
        "asks column: no ask 4 of demand workers; choose numbers from 1 to 3"
    )
    assert rows[4]["reason"].startswith("asks column: not ask numbers; give the numbers")
    assert "one" not in rows[4]["reason"]  # nothing typed is echoed in the report
    letters = {row["row"]: (tmp_path / "out" / row["output_file"]).read_text() for row in rows[:3]}
    assert "permits" in letters["2"] and "legal aid" not in letters["2"] and "farms" in letters["2"]
    assert "permits" not in letters["3"] and "legal aid" in letters["3"] and "farms" in letters["3"]
    assert all(ask in letters["4"] for ask in ("permits", "legal aid", "farms"))
    assert summary.statuses["needs-review"] == 2


def test_cli_summary_and_json(tmp_path: Path) -> None:
    source = tmp_path / "supporters.csv"
    source.write_text(
        HEADER + "Ann One,K1A 0A6,35080,3,\nBob Two,K1A 0A6,35080,3,\n", encoding="utf-8"
    )
    runner = CliRunner()
    table = runner.invoke(app, ["bulk", str(source), "--dry-run"])
    assert "Letters without the supporter's own words: 2 of 2" in table.stderr
    assert "Letters that read alike" in table.stderr and "35080 Ottawa South" in table.stderr
    as_json = runner.invoke(app, ["bulk", str(source), "--dry-run", "--json"])
    data = json.loads(as_json.stdout)
    assert data["letters_without_own_words"] == 2
    assert data["similar_letters"]["by_mp"][0]["groups"] == [
        {"letters": 2, "identical": True, "rows": [2, 3]}
    ]


# --- the method ----------------------------------------------------------------------


def test_shingles_and_similarity() -> None:
    first = shingles(["The quick brown fox jumps."])
    assert len(first) == 3  # the quick brown / quick brown fox / brown fox jumps
    assert shingles(["THE quick, brown fox jumps!"]) == first  # case and punctuation ignored
    assert similarity(first, shingles(["The quick brown fox sleeps."])) == pytest.approx(2 / 4)
    assert shingles(["Two words"]) == shingles(["two, words"])  # one shingle


def body(words: str, note: str = "", variant: str = "a") -> Body:
    return Body(variant, shingles([words]), (note,) if note else ())


def test_near_identical_is_half_the_shingles_or_more() -> None:
    text = " ".join(f"w{n}" for n in range(22))  # 20 shingles
    found = Identikit()
    found.add("mp", 2, body(text))
    found.add("mp", 3, body(text, " ".join(f"x{n}" for n in range(22))))  # 20/40: 0.5
    found.add("mp", 4, body(text, " ".join(f"y{n}" for n in range(23))))  # 20/41: below
    found.add("mp", 5, body("something else entirely, with words of its own", variant="b"))
    found.add("other", 6, body(text))
    [group] = found.groups()["mp"]
    assert (group.rows, group.bodies, group.identical) == ([2, 3], 2, False)
    assert "other" not in found.groups()


def test_work_is_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(identikit, "MOST_COMPARISONS", 1000)
    found = Identikit()
    for row in range(5000):
        own = " ".join(f"r{row}w{n}" for n in range(30))  # every note different
        found.add("mp", row, body("a short shared opening line", own))
    assert found.comparisons <= 1000 and found.capped
    assert found.groups() == {}


def test_past_the_caps_identical_bodies_still_group_and_memory_stays_bounded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(identikit, "MOST_GROUPS_PER_MP", 2)
    monkeypatch.setattr(identikit, "MOST_BODIES", 5)
    found = Identikit()
    own = [" ".join(f"n{note}w{n}" for n in range(40)) for note in range(6)]
    for row, note in enumerate((0, 1, 2, 2, 3, 4, 5, 5), 2):
        found.add("mp", row, body("a short shared opening line", own[note]))
    # Notes 0 and 1 lead groups; 2 is alone past the cap until its twin comes;
    # 5 comes after five different bodies: not counted.
    [group] = found.groups()["mp"]
    assert (group.rows, group.identical) == ([4, 5], True)
    assert found.bodies == 5 and found.capped
