"""The shape the design card asks for: a plain core, a thin CLI, lazy heavy imports."""

from __future__ import annotations

import ast
import json
import os
import pkgutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

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


#: Files past the line limit that are being cut down elsewhere; empty this as they shrink.
#: Nothing new goes here: split a module by purpose instead.
LONG_FILES_BEING_SPLIT = {"bulk/run.py", "bulk/rows.py", "output/formats.py"}
MOST_LINES = 400


def test_no_source_file_grows_past_the_split_point() -> None:
    too_long = {
        name: count
        for path in SRC.rglob("*.py")
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MOST_LINES
        and (name := path.relative_to(SRC).as_posix()) not in LONG_FILES_BEING_SPLIT
    }
    assert too_long == {}


# --- Layering: a module imports only its own package or a lower floor, never in a cycle.

#: Each package's floor, lowest first; "" is the base modules at the top of mpwrite
#: (errors, i18n, resources, folding, choices, files). Packages on one floor do not
#: import each other: bulk and event are side by side.
FLOORS = {
    "": 0,
    "csvfiles": 1,
    "geo": 2,
    "campaign": 3,
    "letter": 4,
    "output": 5,
    "ledger": 6,
    "bulk": 7,
    "event": 7,
    "cli": 8,
    "__main__": 9,
}

Graph = Mapping[str, set[str]]


def source_modules() -> dict[str, Path]:
    """Every module under src/mpwrite by dotted name (a package by its own name)."""
    modules = {}
    for path in SRC.rglob("*.py"):
        parts = path.relative_to(SRC.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _known(name: str, modules: set[str]) -> str | None:
    """The longest prefix of ``name`` that is a module of ours (None: not mpwrite's)."""
    parts = name.split(".")
    while parts:
        if ".".join(parts) in modules:
            return ".".join(parts)
        parts.pop()
    return None


def runtime_imports(source: str, module: str, modules: set[str], *, package: bool) -> set[str]:
    """The mpwrite modules ``module`` imports when run: at the top and inside functions,
    not under ``if TYPE_CHECKING:``."""
    found: set[str] = set()

    def visit(node: ast.AST) -> Iterator[ast.AST]:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                yield from visit(child)
            return
        yield node
        for child in ast.iter_child_nodes(node):
            yield from visit(child)

    for node in visit(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if (target := _known(alias.name, modules)) is not None:
                    found.add(target)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                if not package:
                    anchor = anchor[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                target = _known(f"{base}.{alias.name}", modules) or _known(base, modules)
                if target is not None:
                    found.add(target)
    found.discard(module)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = source_modules()
    names = set(modules)
    return {
        name: runtime_imports(
            path.read_text(encoding="utf-8"), name, names, package=path.name == "__init__.py"
        )
        for name, path in modules.items()
    }


#: The top-level modules of the base floor; any other top-level module needs a floor.
BASE_MODULES = {"errors", "i18n", "resources", "folding", "choices", "files"}


def package_of(module: str) -> str:
    """ "geo" for mpwrite.geo.lookup, "" for mpwrite itself and a base module such as
    mpwrite.errors."""
    parts = module.split(".")
    if len(parts) == 1 or (len(parts) == 2 and parts[1] in BASE_MODULES):
        return ""
    return parts[1]


def floor_violations(graph: Graph) -> list[str]:
    """Each import of a higher floor, or of a neighbouring package on the same floor."""
    wrong = []
    for module, imported in sorted(graph.items()):
        mine = package_of(module)
        for target in sorted(imported):
            theirs = package_of(target)
            if mine not in FLOORS or theirs not in FLOORS:
                wrong.append(f"{module} -> {target}: give package {mine or theirs!r} a floor")
            elif theirs != mine and FLOORS[theirs] >= FLOORS[mine]:
                wrong.append(
                    f"{module} (floor {FLOORS[mine]}) imports {target} (floor {FLOORS[theirs]})"
                )
    return wrong


def import_cycles(graph: Graph) -> list[list[str]]:
    """The strongly connected groups of two or more modules (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def connect(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in graph.get(module, ()):
            if target not in index:
                connect(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            connect(module)
    return sorted(cycles)


def test_no_module_imports_a_higher_floor_or_a_neighbour() -> None:
    graph = import_graph()
    assert "mpwrite.errors" in graph["mpwrite.geo.lookup"]
    assert floor_violations(graph) == []


def test_no_import_cycle_between_modules() -> None:
    assert import_cycles(import_graph()) == []


def test_the_checker_reads_imports_at_run_time_but_not_for_type_checking() -> None:
    modules = {
        "mpwrite",
        "mpwrite.errors",
        "mpwrite.geo",
        "mpwrite.geo.lookup",
        "mpwrite.letter",
        "mpwrite.letter.compose",
        "mpwrite.campaign",
        "mpwrite.campaign.folder",
    }
    source = (
        "from typing import TYPE_CHECKING\n"
        "import json\n"
        "from mpwrite.errors import UsageError\n"
        "from . import lookup\n"
        "if TYPE_CHECKING:\n"
        "    from mpwrite.campaign.folder import Campaign\n"
        "def later():\n"
        "    import mpwrite.letter.compose\n"
    )
    found = runtime_imports(source, "mpwrite.geo.ridings", modules, package=False)
    assert found == {"mpwrite.errors", "mpwrite.geo.lookup", "mpwrite.letter.compose"}


@pytest.mark.parametrize(
    ("graph", "wrong"),
    [
        ({"mpwrite.geo.lookup": {"mpwrite.errors"}, "mpwrite.errors": set()}, False),
        ({"mpwrite.geo.lookup": {"mpwrite.letter.compose"}, "mpwrite.letter.compose": set()}, True),
        ({"mpwrite.errors": {"mpwrite.geo.lookup"}, "mpwrite.geo.lookup": set()}, True),
        ({"mpwrite.bulk.rows": {"mpwrite.event.tally"}, "mpwrite.event.tally": set()}, True),
        ({"mpwrite.cli.root": {"mpwrite.bulk.run"}, "mpwrite.bulk.run": set()}, False),
        ({"mpwrite.mystery.x": {"mpwrite.errors"}, "mpwrite.errors": set()}, True),
        ({"mpwrite.choices": {"mpwrite.stray"}, "mpwrite.stray": set()}, True),
        ({"mpwrite.choices": {"mpwrite.folding"}, "mpwrite.folding": set()}, False),
    ],
)
def test_the_checker_finds_an_import_of_a_higher_floor(graph: Graph, wrong: bool) -> None:
    assert bool(floor_violations(graph)) is wrong


def test_the_checker_finds_a_cycle() -> None:
    graph = {
        "mpwrite.event.session": {"mpwrite.event.output", "mpwrite.errors"},
        "mpwrite.event.output": {"mpwrite.event.screen"},
        "mpwrite.event.screen": {"mpwrite.event.session"},
        "mpwrite.errors": set(),
    }
    assert import_cycles(graph) == [
        ["mpwrite.event.output", "mpwrite.event.screen", "mpwrite.event.session"]
    ]
    del graph["mpwrite.event.screen"]
    assert import_cycles(graph) == []


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
