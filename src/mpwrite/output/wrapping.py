"""Word wrapping for letters: long words (URLs, e-mail addresses) stay whole."""

from __future__ import annotations

import textwrap


def fill(text: str, width: int, initial_indent: str = "", subsequent_indent: str = "") -> str:
    """``text`` wrapped at ``width`` columns, never splitting a word or at a hyphen."""
    return textwrap.fill(
        text,
        width=width,
        initial_indent=initial_indent,
        subsequent_indent=subsequent_indent,
        break_long_words=False,
        break_on_hyphens=False,
    )
