"""Word wrapping that gives exactly :func:`textwrap.fill`'s result, faster.

Letters are wrapped line by line, a few dozen lines per letter, and bulk writes
a hundred thousand letters: textwrap's general machinery (regular-expression
chunking, whitespace munging) was most of bulk's time. Lines of letters are
almost always plain words separated by single spaces, and for those a greedy
split on spaces gives textwrap's answer (``break_long_words=False``,
``break_on_hyphens=False``); anything else goes to textwrap itself.
"""

from __future__ import annotations

import textwrap

# The characters textwrap treats as whitespace (it ignores other Unicode spaces).
_TEXTWRAP_WHITESPACE = "\t\n\x0b\x0c\r"


def fill(text: str, width: int, initial_indent: str = "", subsequent_indent: str = "") -> str:
    """``textwrap.fill(text, width, ..., break_long_words=False, break_on_hyphens=False)``."""
    if (
        not text
        or text[0] == " "
        or text[-1] == " "
        or "  " in text
        or (not text.isprintable() and not _plain_words(text))
    ):
        return textwrap.fill(
            text,
            width=width,
            initial_indent=initial_indent,
            subsequent_indent=subsequent_indent,
            break_long_words=False,
            break_on_hyphens=False,
        )
    # Greedy, as textwrap: each line takes the most words that fit; a word
    # longer than the line stands alone. Found with rfind, not word by word.
    lines: list[str] = []
    indent = initial_indent
    start, end = 0, len(text)
    while True:
        room = width - len(indent)
        if end - start <= room:
            lines.append(indent + text[start:])
            break
        cut = text.rfind(" ", start, start + room + 1)
        if cut <= start:
            cut = text.find(" ", start)
            if cut == -1:
                lines.append(indent + text[start:])
                break
        lines.append(indent + text[start:cut])
        start = cut + 1
        indent = subsequent_indent
    return "\n".join(lines)


def _plain_words(text: str) -> bool:
    """No textwrap whitespace but spaces, and no word that str.strip() would empty.

    textwrap drops a chunk that ``strip()`` empties (a lone no-break space)
    at the end of a line, so such words need textwrap itself.
    """
    return not any(c in text for c in _TEXTWRAP_WHITESPACE) and all(
        word.strip() for word in text.split(" ")
    )
