"""The shape the design card asks for: a plain core, a thin CLI, lazy heavy imports."""

from __future__ import annotations

import json
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import mpwrite

SRC = Path(mpwrite.__file__).parent


def core_modules() -> list[str]:
    names = []
    for module in pkgutil.walk_packages([str(SRC)], prefix="mpwrite."):
        if module.name == "mpwrite.__main__" or module.name.split(".")[1] == "cli":
            continue
        names.append(module.name)
    return sorted(names)


def run_python(code: str, home: Path | None = None) -> str:
    env = dict(os.environ)
    if home is not None:
        # An empty mpwrite home: no downloaded data or postal-code store to open.
        env["MPWRITE_HOME"] = str(home)
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    return completed.stdout


def test_the_core_never_imports_typer_or_rich() -> None:
    modules = core_modules()
    assert "mpwrite.geo.postal" in modules and "mpwrite.geo.lookup" in modules
    loaded = json.loads(
        run_python(
            "import importlib, json, sys\n"
            f"for name in {modules!r}: importlib.import_module(name)\n"
            "print(json.dumps(sorted(m for m in sys.modules "
            "if m.split('.')[0] in {'typer', 'rich', 'click'})))"
        )
    )
    assert loaded == []


def test_lookup_imports_neither_jinja2_nor_requests(tmp_path: Path) -> None:
    loaded = json.loads(
        run_python(
            "import json, sys\n"
            "from mpwrite.cli.root import main\n"
            "sys.argv = ['mpwrite', 'lookup', 'K1A 0A6']\n"
            "try:\n"
            "    main()\n"
            "except SystemExit:\n"
            "    pass\n"
            "heavy = {'jinja2', 'requests', 'rich', 'sqlite3', 'fpdf', 'segno'}\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in heavy)))",
            home=tmp_path,
        ).splitlines()[-1]
    )
    assert loaded == []


def test_errors_module_gives_every_error_a_one_line_docstring() -> None:
    from mpwrite import errors

    classes = [
        value
        for value in vars(errors).values()
        if isinstance(value, type) and issubclass(value, errors.MpwriteError)
    ]
    assert len(classes) > 5
    for error_class in classes:
        doc = error_class.__doc__ or ""
        assert doc.strip() and "\n" not in doc.strip(), error_class.__name__


def test_no_source_file_grows_past_the_split_point() -> None:
    too_long = {
        str(path.relative_to(SRC)): count
        for path in SRC.rglob("*.py")
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > 450
    }
    assert too_long == {}


def test_python_dash_m_runs_the_cli() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "mpwrite", "--version"], capture_output=True, text=True
    )
    assert completed.returncode == 0
    assert completed.stdout.startswith("mpwrite ")


def test_bulk_worker_processes_can_import_the_main_module_without_running_the_cli() -> None:
    # A spawned worker re-imports ``python -m mpwrite``'s module as __mp_main__.
    completed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import runpy, sys; sys.argv = ['mpwrite', 'no-such-command'];"
            "runpy.run_module('mpwrite.__main__', run_name='__mp_main__'); print('imported')",
        ],
        capture_output=True,
        text=True,
    )
    assert (completed.returncode, completed.stdout, completed.stderr) == (0, "imported\n", "")


def test_help_lists_every_command_and_a_single_command_app_runs_alone(tmp_path: Path) -> None:
    from mpwrite.cli.root import COMMANDS, GROUPS

    env = {**os.environ, "MPWRITE_HOME": str(tmp_path)}
    listed = subprocess.run(
        [sys.executable, "-m", "mpwrite", "--help"], capture_output=True, text=True, env=env
    )
    assert listed.returncode == 0
    for name in (*COMMANDS, *GROUPS):
        assert f" {name} " in listed.stdout
    # Start-up builds only the command being run: the others' modules stay unloaded.
    loaded = run_python(
        "import json, sys\n"
        "from mpwrite.cli.root import main\n"
        "sys.argv = ['mpwrite', 'lookup', '--riding', '35079']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(json.dumps(sorted(m for m in sys.modules\n"
        "    if m.startswith('mpwrite.cli.commands.'))))",
        home=tmp_path,
    ).splitlines()[-1]
    assert json.loads(loaded) == [
        "mpwrite.cli.commands._options",
        "mpwrite.cli.commands._output",
        "mpwrite.cli.commands.lookup",
    ]
