"""Helpers shared by test modules."""

from __future__ import annotations


def without_stale_data_warning(stderr: str) -> str:
    """stderr without the warning that the bundled MP data is old (it depends on the day)."""
    return "".join(
        line
        for line in stderr.splitlines(keepends=True)
        if not line.startswith("Warning: the MP data is ")
    )
