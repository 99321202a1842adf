"""Shared test set-up."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

# Hypothesis checks properties, not speed (benchmarks/ does that): a shared,
# loaded machine must not fail an example for taking over 200 ms.
settings.register_profile("mpwrite", deadline=None)
settings.load_profile("mpwrite")


@pytest.fixture(autouse=True)
def isolated_mpwrite_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Every test gets its own empty MPWRITE_HOME: no test reads or writes the real
    user's store or downloaded data, and no test sees Represent's real address."""
    home = tmp_path_factory.mktemp("mpwrite-home")
    monkeypatch.setenv("MPWRITE_HOME", str(home))
    monkeypatch.delenv("MPWRITE_REPRESENT_URL", raising=False)
    monkeypatch.delenv("MPWRITE_CACHE_MAX_AGE_DAYS", raising=False)
    return home


@pytest.fixture(autouse=True)
def english_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages in English whatever the machine's locale, and no language carried
    over from a test that chose French (the choice is made once per process)."""
    from mpwrite import i18n

    monkeypatch.setenv("MPWRITE_LANG", "en")
    monkeypatch.setattr(i18n, "_language", None)
    monkeypatch.setattr(i18n, "_catalogue", None)


@pytest.fixture
def no_real_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Represent's retries and rate limit sleep through nothing: tests never wait for real."""
    from mpwrite.geo import represent

    monkeypatch.setattr(represent, "_sleep", lambda seconds: None)


def pytest_addoption(parser: pytest.Parser) -> None:
    """``pytest --update-golden`` rewrites the golden letters instead of comparing."""
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="regenerate tests/golden/* from the current templates and renderers",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """Whether this run regenerates golden files."""
    return bool(request.config.getoption("--update-golden"))
