"""Plain-text letters: the neutral markup wrapped at 72 columns.

Bulk renders the same campaign paragraphs for thousands of letters: it lends
a :class:`RenderMemory` to the thread that renders them
(:func:`remembered_rendering`), and each piece is wrapped once per run. Nothing
else does, so a draft or an event keeps nothing of a supporter after its letter.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from mpwrite.letter.compose import Letter
from mpwrite.letter.markup import BLOCK_SEPARATOR, Block, BulletList, block_of, parse_blocks
from mpwrite.output.wrapping import fill

WRAP_WIDTH = 72


def render_text(letter: Letter) -> str:
    """Plain text wrapped at 72 columns; list items hang-indented."""
    memory: RenderMemory | None = getattr(_lent_memory, "current", None)
    chunks: list[str]
    if memory is None:
        chunks = [_text_block(block) for block in parse_blocks(letter.text)]
    else:
        # The same chunks as parse_blocks, each rendered once per run.
        around = _around_body(letter)
        if around is None:
            chunks = memory.get_all(_chunks(letter.text.strip()), _text_chunk)
        else:
            # The body, most of the letter, is the same in many letters: as one piece.
            head, tail = around
            chunks = memory.get_all(_chunks(head), _text_chunk)
            chunks.append(memory.get(letter.body, _text_of_chunks))
            chunks += memory.get_all(_chunks(tail), _text_chunk)
    return "\n\n".join(chunks) + "\n"


def _chunks(text: str) -> list[str]:
    # Those block_of makes a block of.
    return [chunk for chunk in BLOCK_SEPARATOR.split(text) if chunk and not chunk.isspace()]


def _around_body(letter: Letter) -> tuple[str, str] | None:
    """The letter's text before and after its body, when the body is whole blocks.

    Then the letter's chunks are the before's, the body's and the after's: the
    body starts and ends with a character that is not a space, and exactly one
    blank line (which no block keeps) stands between it and the text around.
    """
    body, start, text = letter.body, letter.body_at, letter.text
    if not body or start < 0 or not text.startswith(body, start):
        return None
    if body[0].isspace() or body[-1].isspace():
        return None
    end = start + len(body)
    head, tail = text[:start], text[end:]
    if head and not (head.endswith("\n\n") and (start == 2 or not head[-3].isspace())):
        return None
    if tail and not (tail.startswith("\n\n") and (len(tail) == 2 or not tail[2].isspace())):
        return None
    return head[:-2].lstrip(), tail[2:].rstrip()


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


def _text_of_chunks(text: str) -> str:
    # For a text of one chunk, the same as _text_chunk: both can share a memory.
    return "\n\n".join(_text_chunk(chunk) for chunk in _chunks(text))


def _text_block(block: Block) -> str:
    # Long words (URLs, e-mail addresses) stay whole rather than being split.
    if isinstance(block, BulletList):
        return "\n".join(
            fill(item, WRAP_WIDTH, initial_indent="- ", subsequent_indent="  ")
            for item in block.items
        )
    return "\n".join(fill(line, WRAP_WIDTH) for line in block.lines)


class RenderMemory:
    """Pieces of letters already rendered, for a run that renders many alike.

    Bulk renders the same campaign paragraphs for thousands of letters. Two
    generations bound the memory: when the newer fills, it becomes the older
    and the oldest is forgotten, so pieces in steady use survive.
    """

    def __init__(self, limit: int = 4096) -> None:
        self._limit = limit
        self._newer: dict[str, str] = {}
        self._older: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self._newer) + len(self._older)

    def get(self, text: str, make: Callable[[str], str]) -> str:
        """``make(text)``: remembered, or made now and remembered.

        ``text`` alone is the key: a memory serves one format, and every
        ``make`` used with it must give the same piece for the same text.
        """
        piece = self._newer.get(text)
        if piece is None:
            piece = self._older.get(text)
            if piece is None:
                piece = make(text)
            if len(self._newer) >= self._limit:
                self._older, self._newer = self._newer, {}
            self._newer[text] = piece
        return piece

    def get_all(self, texts: list[str], make: Callable[[str], str]) -> list[str]:
        """``[self.get(text, make) for text in texts]``, in one call (a letter's pieces)."""
        newer, older = self._newer, self._older
        pieces = []
        for text in texts:
            piece = newer.get(text)
            if piece is None:
                piece = older.get(text)
                if piece is None:
                    piece = make(text)
                if len(newer) >= self._limit:
                    older, newer = newer, {}
                    self._older, self._newer = older, newer
                newer[text] = piece
            pieces.append(piece)
        return pieces


# Bulk lends a memory to the thread that renders its letters. Nothing else
# does, so a draft or an event keeps nothing of a supporter after its letter.
_lent_memory = threading.local()


def remembered_rendering(memory: RenderMemory) -> _Lent:
    """Within the block, this thread reuses pieces of letters already in ``memory``."""
    return _Lent(memory)


class _Lent:
    """The block of :func:`remembered_rendering`: a class, as bulk enters one per letter."""

    __slots__ = ("_memory",)

    def __init__(self, memory: RenderMemory) -> None:
        self._memory = memory

    def __enter__(self) -> None:
        _lent_memory.current = self._memory

    def __exit__(self, *exc: object) -> None:
        _lent_memory.current = None
