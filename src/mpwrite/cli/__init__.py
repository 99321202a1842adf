"""The ``mpwrite`` command line: parse, prompt, call the core, render."""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    # ``from mpwrite.cli import app`` without building any app on a plain import:
    # start-up builds only the command being run (see mpwrite.cli.root).
    if name in {"app", "main"}:
        from mpwrite.cli import root

        return getattr(root, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
