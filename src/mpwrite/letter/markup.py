"""The neutral letter markup: its blocks, and tidying rendered text into its exact shape.

* blocks are separated by one blank line;
* inside a paragraph, each newline is a hard line break (address blocks);
* a block whose every line starts with ``- `` is a bullet list;
* nothing else.

Every output format (txt, md, html, eml, pdf) is rendered from these blocks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Paragraph:
    """A block of text; each line is a hard line break."""

    lines: tuple[str, ...]


@dataclass(frozen=True)
class BulletList:
    """A block of list items, one line each."""

    items: tuple[str, ...]


Block = Paragraph | BulletList


def normalise_markup(text: str) -> str:
    """Rendered template text tidied into the neutral markup's exact shape."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    tidy = "\n".join(lines).strip("\n")
    return re.sub(r"\n{3,}", "\n\n", tidy)


def normalise_around(text: str, part: str) -> tuple[str, int]:
    """``normalise_markup(text)``, without going over ``part`` again when it fills whole lines.

    ``part`` must be ``normalise_markup``'s output (a letter's body, most of the letter).
    Where it stands on lines of its own, normalising works line by line and
    runs of newlines cannot cross it (it neither starts nor ends with one), so
    the text before and after it can be normalised alone and the part kept
    as it is. Anywhere else, the whole text is normalised.

    Also returns where ``part`` starts in the result when it was kept so, else -1.
    """
    unified = text.replace("\r\n", "\n") if "\r" in text else text
    start = _find(unified, part) if part else -1
    end = start + len(part)
    if (
        start < 0
        or (start > 0 and unified[start - 1] != "\n")
        or (end < len(unified) and unified[end] != "\n")
    ):
        return normalise_markup(text), -1
    before = _collapse_blank_lines(_strip_line_ends(unified[:start])).lstrip("\n")
    after = _collapse_blank_lines(_strip_line_ends(unified[end:])).rstrip("\n")
    return before + part + after, len(before)


def _find(text: str, part: str) -> int:
    """``text.find(part)``, quicker for a long ``part``: look for its start, then compare."""
    start = text.find(part[:64])
    if start < 0 or text.startswith(part, start):
        return start
    return text.find(part, start + 1)


def _strip_line_ends(text: str) -> str:
    # Split and rstrip: linear, and quicker than any regular expression tried
    # (a class of "all whitespace but newline" is slow to test per character).
    return "\n".join([line.rstrip() for line in text.split("\n")])


def _collapse_blank_lines(text: str) -> str:
    return _BLANK_LINES.sub("\n\n", text) if "\n\n\n" in text else text


_BLANK_LINES = re.compile(r"\n{3,}")


#: Blocks of the markup are separated by a line that is empty or only spaces.
BLOCK_SEPARATOR = re.compile(r"\n\s*\n")


def parse_blocks(text: str) -> list[Block]:
    """The blocks of a letter in the neutral markup."""
    blocks = (block_of(chunk) for chunk in BLOCK_SEPARATOR.split(text.strip()))
    return [block for block in blocks if block is not None]


def chunks_of(text: str) -> list[str]:
    """The chunks of markup between blank lines that :func:`block_of` makes blocks of."""
    return [chunk for chunk in BLOCK_SEPARATOR.split(text.strip()) if chunk and not chunk.isspace()]


def block_of(chunk: str) -> Block | None:
    """The block that one chunk of markup (between blank lines) makes; None if it is blank."""
    lines = tuple(line for line in chunk.split("\n") if line.strip())
    if not lines:
        return None
    if all(line.startswith("- ") for line in lines):
        return BulletList(tuple(line[2:].strip() for line in lines))
    return Paragraph(lines)
