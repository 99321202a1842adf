"""Rendering a composed letter as txt, md, html or eml (and a mailto: link).

Every renderer works from the neutral markup's blocks (:func:`parse_blocks`),
so no format needs to know which text came from the supporter: Markdown
escapes every special character and HTML escapes everything.
"""

from __future__ import annotations

import datetime
import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from mpwrite.errors import InvalidEmailError, UsageError
from mpwrite.geo.parliament import HOUSE_OF_COMMONS_ADDRESS, NO_POSTAGE_NOTE
from mpwrite.i18n import _
from mpwrite.letter.compose import Letter
from mpwrite.letter.markup import (
    Block,
    BulletList,
    Paragraph,
    parse_blocks,
)
from mpwrite.output.text import render_text

FORMATS = ("txt", "md", "html", "eml")


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
        + "".join(
            f'<p class="resources">{e(resource.line(letter.lang))}</p>\n'
            for resource in letter.campaign.resources
        )
        + "</aside>"
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
