"""``lookup --json`` always prints a JSON document, also when there is no answer."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from mpwrite.cli.root import app
from mpwrite.errors import MalformedPostalCodeError, MpwriteError, UnknownRidingError, error_code

runner = CliRunner()
SHAPE = {"postal_code", "fsa", "place", "exact", "matches", "warnings", "error"}


@pytest.mark.parametrize(
    ("args", "exit_code", "code", "postal_code"),
    [
        (["Z1A 0A6"], 2, "malformed_postal_code", None),
        (["K1A"], 2, "malformed_postal_code", None),
        ([], 2, "usage", None),
        (["K9Z 1A1"], 1, "unknown_postal_area", "K9Z 1A1"),
        (["--riding", "Atlantis"], 1, "unknown_riding", None),
        (["--riding", "Otawa Centre"], 1, "unknown_riding", None),
        (["--riding", "99999"], 1, "unknown_riding", None),
        (["--riding", "Rosemont"], 1, "ambiguous_riding", None),
    ],
)
def test_no_answer_is_still_a_json_document(
    args: list[str], exit_code: int, code: str, postal_code: str | None
) -> None:
    result = runner.invoke(app, ["lookup", *args, "--json"])
    assert result.exit_code == exit_code
    answer = json.loads(result.stdout)
    assert set(answer) == SHAPE
    assert answer["matches"] == []
    assert answer["exact"] is False
    assert answer["postal_code"] == postal_code
    assert answer["error"]["code"] == code
    # The same message as the one line on stderr.
    assert result.stderr == f"Error: {answer['error']['message']}\n"


def test_an_answer_has_no_error_key() -> None:
    answer = json.loads(runner.invoke(app, ["lookup", "K1A 0A6", "--json"]).stdout)
    assert "error" not in answer


def test_error_codes_are_snake_case_kinds() -> None:
    assert error_code(UnknownRidingError("x")) == "unknown_riding"
    assert error_code(MalformedPostalCodeError("x")) == "malformed_postal_code"
    assert error_code(MpwriteError("x")) == "mpwrite"
