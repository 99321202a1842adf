"""Reading MPs' replies from a folder of saved e-mails: .eml files and mbox files.

A message counts as a reply when its sender's address is an MP's (the caller
gives the addresses, so this module knows nothing of where MPs come from).
Anyone else is reported as an unknown sender, never guessed; a file that is not
a readable e-mail is reported as malformed. Only the folder's own files are
read: no sub-folders, no symbolic links. The body is read only to make an
excerpt when one is asked for, and then only its first lines of new text.
"""

from __future__ import annotations

import datetime as dt
import email
import email.errors
import email.policy
import hashlib
import html
import mailbox
import os
import re
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from mpwrite.errors import MailFolderError
from mpwrite.i18n import _
from mpwrite.ledger.replies import EXCERPT_LIMIT

#: Suffixes of files that hold one message each.
EML_SUFFIXES = (".eml",)
#: Suffixes (or whole names) of files that hold many messages, mbox style.
MBOX_SUFFIXES = (".mbox", ".mbx")
MBOX_NAMES = ("mbox", "inbox")

# Errors the email package may raise on hostile or broken input.
_PARSE_ERRORS = (
    email.errors.MessageError,
    ValueError,
    TypeError,
    LookupError,
    AttributeError,
    UnicodeError,
)
# The line a mail program puts above the quoted message it answers.
_ATTRIBUTION = re.compile(
    r"(\bwrote|\ba écrit|\bescribió)\s*:\s*$|^-{2,}\s*(original message|message d.origine)",
    re.IGNORECASE,
)
_ATTRIBUTION_START = re.compile(r"^(on|le|el)\s", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class MailReply:
    """A message from an MP: which riding, when, about what."""

    source: str
    riding_code: str
    sender: str
    received_on: dt.date
    subject: str
    message_id: str
    excerpt: str = ""


@dataclass
class MailImport:
    """What a folder held: replies, unknown senders and files that could not be read."""

    replies: list[MailReply] = field(default_factory=list)
    #: (file, sender address) for messages from an address that is no MP's.
    unknown: list[tuple[str, str]] = field(default_factory=list)
    #: (file, reason) for files or messages that are not readable e-mails.
    malformed: list[tuple[str, str]] = field(default_factory=list)
    #: Files that are neither .eml nor mbox, left alone.
    skipped: list[str] = field(default_factory=list)


def read_mail_folder(
    folder: Path, mps: Mapping[str, str], *, keep_excerpt: bool = False
) -> MailImport:
    """The replies in ``folder``; ``mps`` maps an MP's e-mail address to their riding code."""
    by_address = {address.strip().lower(): riding for address, riding in mps.items()}
    found = MailImport()
    for path in _files(folder):
        name = path.name
        if name.lower().endswith(EML_SUFFIXES):
            try:
                raw = path.read_bytes()
            except OSError as error:
                found.malformed.append((name, str(error.strerror)))
                continue
            _take(found, name, raw, by_address, keep_excerpt)
        elif name.lower().endswith(MBOX_SUFFIXES) or name.lower() in MBOX_NAMES:
            for label, raw in _mbox_messages(path, found):
                _take(found, label, raw, by_address, keep_excerpt)
        else:
            found.skipped.append(name)
    return found


def _files(folder: Path) -> list[Path]:
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except FileNotFoundError:
        raise MailFolderError(
            _("the folder {folder} does not exist; give the folder of saved replies").format(
                folder=folder
            )
        ) from None
    except NotADirectoryError:
        raise MailFolderError(
            _("{folder} is not a folder; give the folder of saved replies (.eml, mbox)").format(
                folder=folder
            )
        ) from None
    except OSError as error:
        raise MailFolderError(
            _("cannot read the folder {folder}: {reason}").format(
                folder=folder, reason=error.strerror
            )
        ) from None
    # Regular files only, not followed through links: nothing outside the folder is read.
    return [
        Path(entry.path)
        for entry in entries
        if stat.S_ISREG(entry.stat(follow_symlinks=False).st_mode)
    ]


def _mbox_messages(path: Path, found: MailImport) -> Iterator[tuple[str, bytes]]:
    try:
        box = mailbox.mbox(path, create=False)
        keys = list(box.iterkeys())
    except (OSError, mailbox.Error) as error:
        found.malformed.append((path.name, str(error)))
        return
    try:
        for number, key in enumerate(keys, start=1):
            try:
                raw = box.get_bytes(key)
            except (OSError, mailbox.Error, KeyError) as error:
                found.malformed.append((f"{path.name} #{number}", str(error)))
                continue
            yield f"{path.name} #{number}", raw
    finally:
        box.close()


def _take(
    found: MailImport, label: str, raw: bytes, mps: Mapping[str, str], keep_excerpt: bool
) -> None:
    try:
        message = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(message, EmailMessage)  # what policy.default always builds
        sender = _sender(message)
        received = _received(message)
        subject = _SPACES.sub(" ", str(message.get("Subject", "") or "")).strip()
        message_id = str(message.get("Message-ID", "") or "").strip()
    except _PARSE_ERRORS:
        found.malformed.append((label, _("the headers cannot be read")))
        return
    if not sender:
        found.malformed.append((label, _("no sender address (From:)")))
        return
    if received is None:
        found.malformed.append((label, _("no readable date (Date:)")))
        return
    riding = mps.get(sender)
    if riding is None:
        found.unknown.append((label, sender))
        return
    if not message_id:
        message_id = "sha256:" + hashlib.sha256(raw).hexdigest()
    found.replies.append(
        MailReply(
            source=label,
            riding_code=riding,
            sender=sender,
            received_on=received,
            subject=subject,
            message_id=message_id,
            excerpt=excerpt_of(message) if keep_excerpt else "",
        )
    )


def _sender(message: EmailMessage) -> str:
    header = message.get("From")
    addresses = getattr(header, "addresses", ()) if header is not None else ()
    for address in addresses:
        spec = str(address.addr_spec).strip().lower()
        if "@" in spec:
            return spec
    return ""


def _received(message: EmailMessage) -> dt.date | None:
    header = message.get("Date")
    when = getattr(header, "datetime", None) if header is not None else None
    return when.date() if isinstance(when, dt.datetime) else None


def excerpt_of(message: EmailMessage) -> str:
    """The first words of what the sender wrote (not what they quoted), at most 200 characters."""
    try:
        body = message.get_body(preferencelist=("plain", "html"))
        text = body.get_content() if body is not None else ""
        if body is not None and body.get_content_subtype() == "html":
            text = html.unescape(_TAG.sub(" ", re.sub(r"(?i)<br\s*/?>|</p>", "\n", text)))
    except _PARSE_ERRORS:
        return ""
    if not isinstance(text, str):
        return ""
    written = " ".join(_own_lines(text.splitlines()))
    written = _SPACES.sub(" ", written).strip()
    if len(written) > EXCERPT_LIMIT:
        written = written[: EXCERPT_LIMIT - 1].rstrip() + "…"
    return written


def _own_lines(lines: list[str]) -> list[str]:
    """The lines before the quoted message, without the "On …, X wrote:" line above it."""
    own: list[str] = []
    for line in lines:
        if line.lstrip().startswith(">") or _ATTRIBUTION.search(line.strip()):
            break
        own.append(line)
    else:
        return own
    # An attribution may be wrapped over two lines: "On Mon, … Jane Doe <…>" / "wrote:".
    while own and not own[-1].strip():
        own.pop()
    if own and _ATTRIBUTION_START.match(own[-1].strip()) and not own[-1].rstrip().endswith("."):
        own.pop()
    return own
