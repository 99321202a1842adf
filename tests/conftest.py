"""Shared test set-up."""

from __future__ import annotations

from pathlib import Path

import pytest


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
