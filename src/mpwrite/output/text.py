"""Plain-text letters: the neutral markup wrapped at 72 columns.

Letters to one recipient about one demand share most of their text (the body,
the recipient, the subject): its paragraphs are wrapped once and kept with the
letter's prepared body (:meth:`mpwrite.letter.prepared.PreparedBody.pieces`),
which holds nothing of a supporter. The rest of each letter (the supporter's
address, own words and name) is wrapped afresh every time.
"""

from __future__ import annotations

from mpwrite.letter.compose import Letter
from mpwrite.letter.markup import Block, BulletList, block_of, chunks_of
from mpwrite.output.wrapping import fill

WRAP_WIDTH = 72


def render_text(letter: Letter) -> str:
    """Plain text wrapped at 72 columns; list items hang-indented."""
    shared = letter.prepared.pieces("txt", _text_chunk) if letter.prepared else {}
    # No piece is empty: a missing one is the supporter's, wrapped now.
    pieces = [shared.get(chunk) or _text_chunk(chunk) for chunk in chunks_of(letter.text)]
    return "\n\n".join(pieces) + "\n"


def _text_chunk(chunk: str) -> str:
    if _wraps_to_itself(chunk):  # an address block, a greeting, a closing line
        return chunk
    block = block_of(chunk)
    assert block is not None
    return _text_block(block)


def _wraps_to_itself(chunk: str) -> bool:
    """Whether the chunk is a paragraph of short, plain lines, which wrapping leaves as they are.

    Each line fits in the width, neither starts nor ends with a space, holds no
    double space and nothing but printable characters, and is not a list item:
    fill() returns such a line unchanged, and block_of keeps every line.
    """
    for line in chunk.split("\n"):
        if (
            not line
            or len(line) > WRAP_WIDTH
            or line[0] == " "
            or line[-1] == " "
            or "  " in line
            or line.startswith("- ")
            or not line.isprintable()
        ):
            return False
    return True


def _text_block(block: Block) -> str:
    # Long words (URLs, e-mail addresses) stay whole rather than being split.
    if isinstance(block, BulletList):
        return "\n".join(
            fill(item, WRAP_WIDTH, initial_indent="- ", subsequent_indent="  ")
            for item in block.items
        )
    return "\n".join(fill(line, WRAP_WIDTH) for line in block.lines)
