"""The built wheel carries its data and templates and works from any directory."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from tests.helpers import REPOSITORY


def bundled_files(folder: str, prefix: str) -> set[str]:
    """The files git would ship from a repository folder, as wheel paths."""
    root = REPOSITORY / folder
    return {
        f"{prefix}/{path.relative_to(root).as_posix()}"
        for path in root.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), "."],
        cwd=REPOSITORY,
        check=True,
    )
    [built] = out.glob("mpwrite-*.whl")
    return built


@pytest.mark.slow
def test_wheel_holds_exactly_the_data_and_templates(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {name for name in names if name.startswith(("mpwrite/data/", "mpwrite/templates/"))}
    expected = bundled_files("data", "mpwrite/data") | bundled_files(
        "templates/letters", "mpwrite/templates/letters"
    )
    assert shipped == expected
    assert "mpwrite/data/ridings.csv" in shipped
    assert "mpwrite/resources.py" in names


@pytest.mark.slow
def test_wheel_ships_the_compiled_french_catalogue(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "mpwrite/locale/fr/LC_MESSAGES/mpwrite.mo" in names
    assert "mpwrite/locale/fr/LC_MESSAGES/mpwrite.po" in names


@pytest.mark.slow
def test_installed_wheel_looks_up_from_another_directory(wheel: Path, tmp_path: Path) -> None:
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    python = environment / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], check=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "MPWRITE_HOME": str(tmp_path / "home")}
    env.pop("PYTHONPATH", None)
    completed = subprocess.run(
        [str(environment / "bin" / "mpwrite"), "lookup", "K1A 0A6", "--json"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        env=env,
    )
    assert completed.returncode == 0, completed.stderr
    assert '"code": "35079"' in completed.stdout
    french = subprocess.run(
        [str(environment / "bin" / "mpwrite"), "lookup", "Z1A 0A6"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        env={**env, "MPWRITE_LANG": "fr"},
    )
    assert french.stderr.startswith("Erreur\u00a0: "), french.stderr
    located = subprocess.run(
        [str(python), "-c", "import mpwrite.resources as r; print(r.data_dir())"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert str(environment) in located.stdout
