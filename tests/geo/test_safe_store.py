"""A failed online look-up leaves no local store behind; a good one keeps its answer."""

from __future__ import annotations

import json

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from mpwrite.cli.root import app
from mpwrite.geo.store import default_store_path
from tests.helpers import TESTS

FIXTURES = TESTS / "fixtures" / "represent"
runner = CliRunner()


pytestmark = pytest.mark.usefixtures("no_real_waiting")


def lookup_online(server: HTTPServer) -> None:
    runner.invoke(app, ["lookup", "K1A 0B1", "--online", "--represent-url", server.url_for("/")])


def test_a_failed_online_lookup_creates_no_store(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/postcodes/K1A0B1/").respond_with_data("down", status=503)
    lookup_online(httpserver)
    assert not default_store_path().exists()
    assert not default_store_path().parent.exists() or not any(
        default_store_path().parent.iterdir()
    )


def test_a_good_online_lookup_is_kept(httpserver: HTTPServer) -> None:
    answer = json.loads((FIXTURES / "postcode_single.json").read_text(encoding="utf-8"))
    httpserver.expect_request("/postcodes/K1A0B1/").respond_with_json(answer)
    lookup_online(httpserver)
    assert default_store_path().is_file()
