"""Rendering a composed letter as txt, md, html or eml (and a mailto: link).

Every renderer works from the neutral markup's blocks (:func:`parse_blocks`),
so no format needs to know which text came from the supporter: Markdown
escapes every special character and HTML escapes everything.
"""

from __future__ import annotations

import datetime
import html
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from mpwrite.errors import InvalidEmailError, UsageError
from mpwrite.geo.parliament import HOUSE_OF_COMMONS_ADDRESS, NO_POSTAGE_NOTE
from mpwrite.i18n import _
from mpwrite.letter.compose import Letter
from mpwrite.letter.markup import (
    BLOCK_SEPARATOR,
    Block,
    BulletList,
    Paragraph,
    block_of,
    parse_blocks,
)
from mpwrite.output.wrapping import fill

FORMATS = ("txt", "md", "html", "eml")
WRAP_WIDTH = 72


def file_extension(fmt: str) -> str:
    """The usual file extension for a format, with its dot."""
    _check_format(fmt)
    return f".{fmt}"


@dataclass(frozen=True)
class PageSetup:
    """How a printable format lays out its pages; formats without pages ignore it."""

    paper: str = "letter"
    #: A #10 envelope page after each letter.
    envelope: bool = False


def render(letter: Letter, fmt: str, page: PageSetup | None = None) -> bytes:
    """The letter in format ``fmt``, as the bytes to write or print."""
    _check_format(fmt)
    return _RENDERERS[fmt](letter, page or PageSetup())


def _check_format(fmt: str) -> None:
    if fmt not in _RENDERERS:
        raise UsageError(
            _("unknown format {format!r}; use one of {choices}").format(
                format=fmt, choices=", ".join(_RENDERERS)
            )
        )


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


# Characters CommonMark gives a meaning to anywhere in a line.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~#&!])")
# Characters that only mean something at the start of a line.
_MARKDOWN_LINE_START = re.compile(r"^(\s*)([-+=]|\d+[.)])")


def escape_markdown(text: str) -> str:
    """Text that Markdown shows literally: no emphasis, links, HTML or list markers."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return _MARKDOWN_LINE_START.sub(
        lambda m: m.group(1) + re.sub(r"([-+=.)])", r"\\\1", m.group(2)), escaped
    )


def render_markdown(letter: Letter) -> str:
    """Markdown: hard line breaks in address blocks, ``- `` lists, text escaped."""
    chunks = []
    for block in parse_blocks(letter.text):
        if isinstance(block, BulletList):
            chunks.append("\n".join(f"- {escape_markdown(item)}" for item in block.items))
        else:
            # A backslash at the end of a line is CommonMark's visible hard break
            # (trailing double spaces get stripped by editors).
            chunks.append("\\\n".join(escape_markdown(line) for line in block.lines))
    return "\n\n".join(chunks) + "\n"


_PRINT_CSS = """\
@page { size: letter; margin: 1.6cm 2cm 1.5cm; }
body { font-family: Georgia, "Times New Roman", serif; font-size: 12pt; line-height: 1.45;
  max-width: 40em; margin: 2em auto; padding: 0 1em; color: #000; background: #fff; }
p, ul { margin: 0 0 1em; }
ul { padding-left: 1.5em; }
li { margin-bottom: 0.4em; }
.sign-off { break-inside: avoid; page-break-inside: avoid; }
.signature { margin-top: 3em; }
.mailing { border: 1px dashed #888; padding: 0.75em 1em; margin-top: 3em;
  font-family: system-ui, sans-serif; font-size: 10pt; }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 11.5pt; line-height: 1.3;
    font-family: "Times New Roman", Times, "Liberation Serif", serif; }
  .letter.long { font-size: 11pt; }
  .letter.longer { font-size: 10.5pt; }
  .letter.longest { font-size: 10pt; }
  p, ul { margin-bottom: 0.75em; }
  li { margin-bottom: 0.2em; }
  .mailing { display: none; }
}
"""
#: Words past which the printed letter is set smaller (.long, .longer, .longest),
#: to stay on one page when it can.
_LONG_LETTER_WORDS = (380, 440, 500)


def render_html(letter: Letter) -> str:
    """A complete, print-ready HTML page; every piece of text is escaped."""
    e = html.escape
    blocks = parse_blocks(letter.text)
    body = [_html_block(block) for block in blocks]
    if len(blocks) >= 3 and blocks[-1] == Paragraph((letter.supporter.name,)):
        # The last paragraph, the closing and the name print on one page, with
        # space to sign above the name.
        body[-1] = body[-1].replace("<p>", '<p class="signature">', 1)
        body[-3:] = ['<div class="sign-off">\n' + "\n".join(body[-3:]) + "\n</div>"]
    envelope = "<br>\n".join(e(line) for line in letter.recipient_lines)
    heading = {"en": "How to send this letter", "fr": "Comment envoyer cette lettre"}
    by_email = {"en": "Or e-mail it to", "fr": "Ou envoyez-la par courriel à"}
    address = e(letter.to_email)
    link = f'<a href="{e(mailto(letter.to_email, letter.subject))}">{address}</a>'
    mailing = (
        '<aside class="mailing">\n'
        f"<p><strong>{e(heading[letter.lang])}</strong></p>\n"
        f"<p>{envelope}</p>\n"
        "<p>"
        + " ".join(
            part
            for part in (
                # Only the House of Commons takes mail without a stamp.
                e(NO_POSTAGE_NOTE[letter.lang]) if _to_the_house(letter) else "",
                f"{e(by_email[letter.lang])} {link}." if letter.to_email else "",
            )
            if part
        )
        + "</p>\n"
        "</aside>"
    )
    words = len(letter.text.split())
    length = sum(words > limit for limit in _LONG_LETTER_WORDS)
    main = ("letter", "letter long", "letter longer", "letter longest")
    return (
        "<!doctype html>\n"
        f'<html lang="{e(letter.lang)}-CA">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{e(letter.subject)}</title>\n"
        f"<style>\n{_PRINT_CSS}</style>\n"
        "</head>\n"
        "<body>\n"
        f'<main class="{main[length]}">\n' + "\n".join(body) + "\n</main>\n" + mailing + "\n"
        "</body>\n"
        "</html>\n"
    )


def _to_the_house(letter: Letter) -> bool:
    lines = HOUSE_OF_COMMONS_ADDRESS[letter.lang]
    return letter.recipient_lines[-len(lines) :] == lines


def _html_block(block: Block) -> str:
    e = html.escape
    if isinstance(block, BulletList):
        items = "\n".join(f"  <li>{e(item)}</li>" for item in block.items)
        return f"<ul>\n{items}\n</ul>"
    return "<p>" + "<br>\n".join(e(line) for line in block.lines) + "</p>"


def letter_datetime(date: datetime.date) -> datetime.datetime:
    """A fixed time on the letter's date, so the same letter gives the same draft."""
    return datetime.datetime.combine(date, datetime.time(12, 0), tzinfo=datetime.UTC)


def render_eml(letter: Letter) -> bytes:
    """An RFC 5322 draft that mail clients open ready to send (``X-Unsent: 1``)."""
    import email.errors
    from email.headerregistry import Address
    from email.message import EmailMessage
    from email.policy import SMTP
    from email.utils import format_datetime

    from mpwrite.output.flowed import flowed_text

    message = EmailMessage(policy=SMTP)
    try:
        message["To"] = Address(display_name=letter.mp.full_name, addr_spec=letter.to_email)
        if letter.supporter.email:
            message["From"] = Address(
                display_name=letter.supporter.name, addr_spec=letter.supporter.email
            )
        message["Subject"] = letter.subject
        message["Date"] = format_datetime(letter_datetime(letter.date))
        message["X-Unsent"] = "1"
        text = flowed_text(letter.text)
        # 8bit keeps the draft readable as a file; quoted-printable only when a
        # line is too long for SMTP (an unbreakable word the supporter typed).
        too_long = any(len(line.encode("utf-8")) > 900 for line in text.splitlines())
        message.set_content(
            text,
            charset="utf-8",
            cte="quoted-printable" if too_long else "8bit",
            params={"format": "flowed"},  # reflows on phones (RFC 3676)
        )
        # After set_content, which replaces every Content-* header.
        message["Content-Language"] = f"{letter.lang}-CA"
        return message.as_bytes()
    except (ValueError, email.errors.MessageError) as error:
        # HeaderDefect is a ValueError; HeaderParseError a MessageError.
        raise InvalidEmailError(
            _(
                "cannot make an e-mail draft from {address!r} ({reason}); "
                "check the addresses or choose another --format"
            ).format(address=letter.supporter.email or letter.to_email, reason=error)
        ) from None


def mailto_url(letter: Letter) -> str:
    """A ``mailto:`` link opening a new e-mail with the subject and text filled in."""
    return mailto(letter.to_email, letter.subject, render_text(letter))


def mailto(email: str, subject: str, body: str | None = None) -> str:
    """A ``mailto:`` link to ``email`` with ``subject``, and ``body`` (lines as CRLF) if given."""
    link = f"mailto:{quote(email, safe='@')}?subject={quote(subject, safe='')}"
    if body is None:
        return link
    crlf_lines = body.replace("\n", "\r\n")  # RFC 6068: line breaks are CRLF
    return f"{link}&body={quote(crlf_lines, safe='')}"


Renderer = Callable[[Letter, PageSetup], bytes]

_RENDERERS: dict[str, Renderer] = {
    "txt": lambda letter, _page: render_text(letter).encode("utf-8"),
    "md": lambda letter, _page: render_markdown(letter).encode("utf-8"),
    "html": lambda letter, _page: render_html(letter).encode("utf-8"),
    "eml": lambda letter, _page: render_eml(letter),
}


def register_format(fmt: str, renderer: Renderer) -> None:
    """Add a format, such as "pdf" with a lazily imported renderer."""
    _RENDERERS[fmt] = renderer


def _render_pdf(letter: Letter, page: PageSetup) -> bytes:
    from mpwrite.output.pdf import render_pdf  # fpdf2 loads only when a PDF is made

    return render_pdf([letter], page.paper, page.envelope)


register_format("pdf", _render_pdf)
