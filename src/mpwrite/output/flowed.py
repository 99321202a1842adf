"""A letter's text as ``format=flowed`` (RFC 3676), so e-mail drafts reflow on phones.

Paragraphs are wrapped at 72 columns as in the plain-text letter, but each line
a paragraph continues past ends with a space (a soft break, which a reader's
mail client joins up to fit its screen); address lines, list items and the ends
of paragraphs keep hard breaks. Clients without flowed support show the same
72-column text.
"""

from __future__ import annotations

from mpwrite.letter.markup import BulletList, parse_blocks
from mpwrite.output.wrapping import fill

WIDTH = 72


def flowed_text(text: str) -> str:
    """The letter's neutral text as format=flowed plain text (DelSp=no)."""
    chunks = []
    for block in parse_blocks(text):
        if isinstance(block, BulletList):
            # No hanging indent: joined up, it would leave runs of spaces mid-sentence.
            pieces = [fill(item, WIDTH, initial_indent="- ") for item in block.items]
        else:
            pieces = [fill(line, WIDTH) for line in block.lines]
        chunks.append("\n".join(_soft_broken(piece) for piece in pieces))
    return "\n\n".join(chunks) + "\n"


def _soft_broken(wrapped: str) -> str:
    """One paragraph's wrapped lines, joined by soft breaks; the last ends hard."""
    return " \n".join(_space_stuffed(line.rstrip(" ")) for line in wrapped.split("\n"))


def _space_stuffed(line: str) -> str:
    """RFC 3676 section 4.4: a line that starts with a space, ">" or "From " gets one
    more space, which a reader removes, so it is neither quoted nor mangled."""
    return f" {line}" if line.startswith((" ", ">", "From ")) else line
