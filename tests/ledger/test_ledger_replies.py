"""MPs' replies: added by hand, imported from saved e-mails, given a stance."""

from __future__ import annotations

import datetime as dt
import email.policy
import mailbox
from email.message import EmailMessage
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mpwrite.errors import LedgerInputError, MailFolderError
from mpwrite.ledger.mail import read_mail_folder
from mpwrite.ledger.replies import (
    NewReply,
    add_replies,
    list_replies,
    parse_stance,
    set_stance,
)
from mpwrite.ledger.store import Ledger

MPS = {
    "yasir.naqvi@parl.gc.ca": "35079",
    "Gabriel.Ste-Marie@parl.gc.ca": "24029",
}


def message(
    sender: str,
    subject: str,
    body: str,
    *,
    date: str = "Mon, 23 Nov 2026 10:15:00 -0500",
    message_id: str | None = None,
    cte: str | None = None,
) -> EmailMessage:
    written = EmailMessage(policy=email.policy.default)
    written["From"] = sender
    written["To"] = "organizer@example.org"
    written["Subject"] = subject
    written["Date"] = date
    if message_id:
        written["Message-ID"] = message_id
    if cte:
        written.set_content(body, cte=cte)
    else:
        written.set_content(body)
    return written


@pytest.fixture
def mail_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "replies"
    folder.mkdir()
    english = message(
        "Yasir Naqvi <Yasir.Naqvi@parl.gc.ca>",
        "Re: Housing",
        "Thank you for writing about housing.\nI support the bill.\n",
        message_id="<reply-1@parl.gc.ca>",
    )
    (folder / "01-naqvi.eml").write_bytes(english.as_bytes())
    french = message(
        "Gabriel Ste-Marie <gabriel.ste-marie@parl.gc.ca>",
        "Réponse : le logement abordable à Montréal",
        "Merci de votre lettre. Le député étudie la question du logement avec sérieux.\n",
        date="Tue, 24 Nov 2026 09:00:00 -0500",
        cte="quoted-printable",
    )
    (folder / "02-ste-marie.eml").write_bytes(french.as_bytes())
    gmail = message(
        "yasir.naqvi@parl.gc.ca",
        "Re: Logement",
        "Nous avons bien reçu votre lettre.\n\n"
        "On Mon, Nov 2, 2026 at 9:00 AM Ada Lovelace <ada@example.org>\nwrote:\n\n"
        "> Dear Mr. Naqvi,\n> Ada Lovelace lives at 12 Elm Street.\n",
        date="Wed, 25 Nov 2026 16:30:00 +0000",
        message_id="<reply-3@parl.gc.ca>",
    )
    (folder / "03-gmail.eml").write_bytes(gmail.as_bytes())
    stranger = message("Someone <someone@example.com>", "Re: Housing", "Who are you?\n")
    (folder / "04-unknown.eml").write_bytes(stranger.as_bytes())
    (folder / "05-broken.eml").write_bytes(b"\x00\x01 this is not an e-mail \xff\xfe\n")
    (folder / "notes.txt").write_text("not mail")
    return folder


def test_a_folder_of_replies_is_read_and_matched_to_mps(mail_folder: Path) -> None:
    found = read_mail_folder(mail_folder, MPS)
    replies = {reply.source: reply for reply in found.replies}
    assert sorted(replies) == ["01-naqvi.eml", "02-ste-marie.eml", "03-gmail.eml"]
    assert replies["01-naqvi.eml"].riding_code == "35079"
    assert replies["01-naqvi.eml"].received_on == dt.date(2026, 11, 23)
    assert replies["01-naqvi.eml"].message_id == "<reply-1@parl.gc.ca>"
    french = replies["02-ste-marie.eml"]
    assert french.riding_code == "24029"
    assert french.subject == "Réponse : le logement abordable à Montréal"
    assert french.message_id.startswith("sha256:")  # none in the file: its bytes name it
    assert all(reply.excerpt == "" for reply in found.replies)  # none unless asked
    assert found.unknown == [("04-unknown.eml", "someone@example.com")]
    assert [name for name, _reason in found.malformed] == ["05-broken.eml"]
    assert found.skipped == ["notes.txt"]


def test_an_excerpt_keeps_only_what_the_mp_wrote(mail_folder: Path) -> None:
    found = read_mail_folder(mail_folder, MPS, keep_excerpt=True)
    excerpts = {reply.source: reply.excerpt for reply in found.replies}
    assert excerpts["01-naqvi.eml"] == "Thank you for writing about housing. I support the bill."
    assert excerpts["02-ste-marie.eml"].startswith("Merci de votre lettre. Le député étudie")
    # The quoted letter (a supporter's name and address) and the attribution are dropped.
    assert excerpts["03-gmail.eml"] == "Nous avons bien reçu votre lettre."


def test_a_long_reply_gives_at_most_200_characters(tmp_path: Path) -> None:
    long = message("yasir.naqvi@parl.gc.ca", "Re", "Word " * 200)
    (tmp_path / "long.eml").write_bytes(long.as_bytes())
    [reply] = read_mail_folder(tmp_path, MPS, keep_excerpt=True).replies
    assert len(reply.excerpt) == 200 and reply.excerpt.endswith("…")


def test_messages_in_an_mbox_are_read_one_by_one(tmp_path: Path) -> None:
    box = mailbox.mbox(tmp_path / "Inbox.mbox")
    box.add(message("yasir.naqvi@parl.gc.ca", "Re: one", "First.\n", message_id="<a@x>"))
    box.add(message("nobody@example.com", "Re: two", "Second.\n"))
    box.add(message("gabriel.ste-marie@parl.gc.ca", "Re: three", "Third.\n", date="not a date"))
    box.flush()
    box.close()
    found = read_mail_folder(tmp_path, MPS)
    assert [(reply.source, reply.riding_code) for reply in found.replies] == [
        ("Inbox.mbox #1", "35079")
    ]
    assert found.unknown == [("Inbox.mbox #2", "nobody@example.com")]
    assert found.malformed == [("Inbox.mbox #3", "no readable date (Date:)")]


def test_links_and_sub_folders_in_the_folder_are_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside.eml"
    outside.write_bytes(message("yasir.naqvi@parl.gc.ca", "Re", "Hi\n").as_bytes())
    folder = tmp_path / "replies"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "inner.eml").write_bytes(outside.read_bytes())
    (folder / "link.eml").symlink_to(outside)
    found = read_mail_folder(folder, MPS)
    assert (found.replies, found.malformed, found.skipped) == ([], [], [])


def test_a_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(MailFolderError, match="does not exist"):
        read_mail_folder(tmp_path / "nowhere", MPS)
    (tmp_path / "file.eml").write_text("x")
    with pytest.raises(MailFolderError, match="is not a folder"):
        read_mail_folder(tmp_path / "file.eml", MPS)


def test_imported_replies_are_unread_kept_once_and_given_a_stance(
    ledger: Ledger, mail_folder: Path
) -> None:
    found = read_mail_folder(mail_folder, MPS)
    new = [
        NewReply(
            "housing",
            reply.riding_code,
            reply.received_on,
            subject=reply.subject,
            sender=reply.sender,
            message_id=reply.message_id,
        )
        for reply in found.replies
    ]
    assert len(add_replies(ledger, new)) == 3
    assert add_replies(ledger, new) == []  # the same folder again adds nothing
    unread = list_replies(ledger, unread_only=True)
    assert [reply.stance for reply in unread] == ["unread"] * 3
    set_stance(ledger, unread[0].id, "supports", note="will vote yes")
    assert len(list_replies(ledger, unread_only=True)) == 2
    first = list_replies(ledger)[0]
    assert (first.stance, first.note, first.excerpt) == ("supports", "will vote yes", "")
    with pytest.raises(LedgerInputError, match="no reply 999"):
        set_stance(ledger, 999, "opposes")


def test_a_reply_added_by_hand(ledger: Ledger) -> None:
    reply = NewReply("housing", "48001", dt.date(2026, 11, 30), "noncommittal", note="letter")
    [reply_id] = add_replies(ledger, [reply])
    [kept] = list_replies(ledger, "housing")
    assert (kept.id, kept.stance, kept.note, kept.riding_code) == (
        reply_id,
        "noncommittal",
        "letter",
        "48001",
    )
    assert list_replies(ledger, "other") == []


def test_stances_are_checked() -> None:
    assert parse_stance("Form_Reply") == "form-reply"
    with pytest.raises(LedgerInputError, match="use one of supports, opposes"):
        parse_stance("maybe")
    with pytest.raises(LedgerInputError):
        parse_stance("unread")
    assert parse_stance("unread", allow_unread=True) == "unread"


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    raw=st.one_of(
        st.binary(max_size=600),
        st.builds(
            lambda sender, date, body: (
                f"From: {sender}\r\nDate: {date}\r\nSubject: Re\r\n\r\n{body}"
            ).encode("utf-8", "surrogateescape"),
            st.text(max_size=60),
            st.text(max_size=40),
            st.text(max_size=200),
        ),
    )
)
def test_whatever_a_file_holds_it_is_a_reply_or_reported(tmp_path: Path, raw: bytes) -> None:
    folder = tmp_path / "fuzz"
    folder.mkdir(exist_ok=True)
    (folder / "message.eml").write_bytes(raw)
    (folder / "inbox.mbox").write_bytes(b"From x\n" + raw)
    found = read_mail_folder(folder, MPS, keep_excerpt=True)
    sources = [reply.source for reply in found.replies]
    sources += [name for name, _detail in (*found.unknown, *found.malformed)]
    assert sources.count("message.eml") == 1  # a reply, an unknown sender or unreadable
    assert all(len(reply.excerpt) <= 200 for reply in found.replies)
