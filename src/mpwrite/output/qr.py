"""QR codes a supporter scans with their phone to send the letter themselves.

A ``mailto:`` link carrying the whole letter when it fits in a QR code small
enough to scan off a laptop screen; otherwise one carrying the demand's short
version (its ``short`` text in the manifest, between the greeting and the
sender); failing that, a ``mailto:`` link with only the MP's address and the
subject. In both last cases the whole letter is printed or saved as well.
The payload is plain data (:class:`QrPayload`) so it can be checked without
decoding an image; :func:`render_text` draws it for a terminal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from mpwrite.errors import QrCodeError
from mpwrite.i18n import _

if TYPE_CHECKING:
    from mpwrite.letter.compose import Letter

#: Largest payload put in one code. 1,500 bytes at error level L is version 28
#: (129 modules, 137 terminal columns with the quiet zone): about the densest
#: code a phone still reads off a maximised laptop terminal.
MAX_QR_BYTES = 1500

PayloadKind = Literal["letter", "short", "address"]

_QUIET_ZONE = 4
_ANSI_DARK_ON_LIGHT = "\x1b[30;107m"
_ANSI_RESET = "\x1b[0m"


@dataclass(frozen=True, slots=True)
class QrPayload:
    """The text a QR code encodes and whether it carries the whole letter."""

    kind: PayloadKind
    text: str

    @property
    def carries_letter(self) -> bool:
        """True when scanning the code gives the supporter the whole letter."""
        return self.kind == "letter"


def address_mailto(email: str, subject: str) -> str:
    """A ``mailto:`` link with only the recipient and the subject."""
    from mpwrite.output.formats import mailto

    return mailto(email, subject)


def choose_payload(full_mailto: str, email: str, subject: str) -> QrPayload:
    """The whole-letter link when it fits in :data:`MAX_QR_BYTES`, else address + subject."""
    if len(full_mailto.encode("utf-8")) <= MAX_QR_BYTES:
        return QrPayload("letter", full_mailto)
    return QrPayload("address", address_mailto(email, subject))


def letter_payload(letter: Letter) -> QrPayload:
    """The QR payload for one letter: whole, else its short version, else address and subject."""
    from mpwrite.output.formats import mailto, mailto_url

    payload = choose_payload(mailto_url(letter), letter.to_email, letter.subject)
    short = short_letter_text(letter)
    if payload.carries_letter or short is None:
        return payload
    link = mailto(letter.to_email, letter.subject, short)
    if len(link.encode("utf-8")) <= MAX_QR_BYTES:
        return QrPayload("short", link)
    return payload


def short_letter_text(letter: Letter) -> str | None:
    """The demand's short version as an e-mail, signed with the sender's postal address.

    None when the demand has no short version. The e-mail comes from the
    supporter's own address, so theirs is left out of the signature.
    """
    short = letter.demand.facts.short
    if short is None:
        return None
    from mpwrite.letter.address import closing

    sign_off = closing(letter.salutation, letter.lang)
    sender = [line for line in letter.sender_lines if line != letter.supporter.email]
    return "\n\n".join([letter.salutation, short[letter.lang], sign_off, "\n".join(sender)])


def qr_matrix(text: str) -> list[list[bool]]:
    """The modules of a QR code for ``text`` (True = dark), without quiet zone."""
    import segno

    try:
        code = segno.make(text, error="L", micro=False, boost_error=False)
    except segno.DataOverflowError:
        raise QrCodeError(
            _(
                "text of {size} bytes is too long for a QR code; print or save the letter instead"
            ).format(size=len(text.encode("utf-8")))
        ) from None
    return [[bool(module) for module in row] for row in code.matrix]


def render_text(text: str, *, ansi: bool = True) -> str:
    """A QR code for ``text`` drawn with half blocks, two module rows per line.

    With ``ansi`` the code sets black-on-white colours itself, so it scans on
    dark and light terminal themes alike; without, it assumes dark text on a
    light background.
    """
    matrix = qr_matrix(text)
    width = len(matrix) + 2 * _QUIET_ZONE
    blank = [False] * width
    rows = [blank] * _QUIET_ZONE
    rows += [[False] * _QUIET_ZONE + row + [False] * _QUIET_ZONE for row in matrix]
    rows += [blank] * _QUIET_ZONE
    if len(rows) % 2:
        rows.append(blank)
    glyphs = {(True, True): "█", (True, False): "▀", (False, True): "▄", (False, False): " "}
    lines = []
    for top, bottom in zip(rows[::2], rows[1::2], strict=True):
        line = "".join(glyphs[pair] for pair in zip(top, bottom, strict=True))
        lines.append(f"{_ANSI_DARK_ON_LIGHT}{line}{_ANSI_RESET}" if ansi else line)
    return "\n".join(lines)
