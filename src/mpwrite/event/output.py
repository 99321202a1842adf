"""What ``mpwrite event`` does with a finished letter: print it, save it, or show a QR code.

Printing sends the PDF to ``lp`` on stdin and the QR code goes to the screen:
neither touches the disk. Saving writes into the volunteer's ``--save-dir``
only, under a name made of the date, riding, demand and language, never the
supporter's name.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from mpwrite.i18n import N_, _

if TYPE_CHECKING:
    from mpwrite.event.screen import EventScreen, EventSettings
    from mpwrite.letter.compose import Letter


def letter_on_screen(letter: Letter) -> str:
    """The whole letter as plain text for the screen, under the address to send it to."""
    from mpwrite.output.text import render_text

    rule = "—" * 40
    email = f" <{letter.to_email}>" if letter.to_email else ""
    return (
        f"{rule}\nTo / À : {letter.recipient_name}{email}\n{rule}\n\n"
        f"{render_text(letter).rstrip()}\n{rule}"
    )


def letter_pdf(settings: EventSettings, letter: Letter) -> bytes:
    """The letter as a PDF, with its envelope page when the session asks for one."""
    from mpwrite.output.pdf import render_pdf

    return render_pdf([letter], paper=settings.paper, envelope=settings.envelope)


def print_letter(settings: EventSettings, letter: Letter) -> None:
    """Print the letter; the PDF goes to lp on stdin, never to disk."""
    from mpwrite.output.printing import print_pdf

    print_pdf(letter_pdf(settings, letter), settings.printer)


def save_letter(settings: EventSettings, letter: Letter) -> Path:
    """Write the letter's PDF into the save folder under a name without the supporter's."""
    from mpwrite.errors import UsageError
    from mpwrite.files import write_atomic

    if settings.save_dir is None:
        raise UsageError(
            _(
                "no save folder: start the event with --save-dir DIR to save letters / "
                "aucun dossier : relancez avec --save-dir DOSSIER"
            )
        )
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    stem = f"{stamp}-{letter.riding.code}-{letter.demand.id}-{letter.lang}"
    data = letter_pdf(settings, letter)
    for number in range(1, 1000):
        path = settings.save_dir / (f"{stem}.pdf" if number == 1 else f"{stem}-{number}.pdf")
        if not path.exists():
            write_atomic(path, data)
            return path
    raise UsageError(
        _("too many letters named {stem}* in {folder}; use another folder").format(
            stem=stem, folder=settings.save_dir
        )
    )


PROMPT_SHOW_LETTER = N_(
    "Show the whole letter on screen? / Afficher toute la lettre à l’écran ? (y/n · o/n)"
)


def show_qr(
    settings: EventSettings, screen: EventScreen, letter: Letter, *, already_kept: bool = False
) -> bool:
    """Show the letter's QR code; True when the supporter leaves with the letter.

    When the code can only carry the demand's short version, or only the MP's
    address and the subject, the letter itself is kept too (saved, else
    printed) unless it already was for this supporter. A short version is a
    real letter, so it is shown even when the letter cannot be kept. With
    neither a save folder nor a working printer, the address-only code would
    leave the supporter with nothing: that is said plainly and the whole letter
    is offered on screen, to copy into the e-mail the code opens.
    """
    from mpwrite.errors import MpwriteError
    from mpwrite.output.qr import letter_payload, render_text

    payload = letter_payload(letter)
    if payload.carries_letter:
        screen.say(render_text(payload.text), "qr")
        screen.say(
            _(
                "Scan with your phone's camera: it opens the e-mail, ready to send. / "
                "Scannez avec l’appareil photo : le courriel s’ouvre, prêt à envoyer."
            ),
            "ok",
        )
        return True
    kept = ""
    if not already_kept and settings.save_dir is not None:
        saved = save_letter(settings, letter)
        kept = _("Letter saved for printing / Lettre enregistrée : {name}").format(name=saved.name)
    elif not already_kept:
        try:
            print_letter(settings, letter)
        except MpwriteError as error:
            if payload.kind == "address":
                return _offer_letter_on_screen(screen, letter, payload.text, str(error))
        else:
            kept = _("Letter sent to the printer / Lettre envoyée à l’imprimante.")
    screen.say(render_text(payload.text), "qr")
    screen.say(_(_SHORT_VERSION) if payload.kind == "short" else _(_ADDRESS_ONLY), "ok")
    if kept:
        screen.say(kept, "ok")
    return True


_SHORT_VERSION = N_(
    "The whole letter is too long for a QR code: this one opens an e-mail to your MP with a "
    "short version, ready to send; add your own words to it if you like. / Lettre trop longue "
    "pour un code QR : celui-ci ouvre un courriel à l’adresse de la personne qui vous "
    "représente avec une version courte, prête à envoyer ; ajoutez-y vos propres mots si vous "
    "le souhaitez."
)

_ADDRESS_ONLY = N_(
    "The letter is too long for a QR code: this one opens an e-mail to your MP with the "
    "subject filled in. / Lettre trop longue pour un code QR : celui-ci ouvre un courriel "
    "à l’adresse de la personne qui vous représente, avec l’objet déjà rempli."
)


def _offer_letter_on_screen(
    screen: EventScreen, letter: Letter, address_link: str, print_error: str
) -> bool:
    """No printer and no save folder: explain, and show the letter to copy if wanted."""
    from mpwrite.event.answers import is_cancel, parse_yes_no
    from mpwrite.event.screen import SupporterCancelled
    from mpwrite.output.qr import render_text

    screen.say(
        _(
            "This letter is too long for a QR code, and it can be neither printed nor saved "
            "({reason}). A QR code alone would only open an empty e-mail. / "
            "Cette lettre est trop longue pour un code QR, et elle ne peut être ni imprimée "
            "ni enregistrée : un code QR seul n’ouvrirait qu’un courriel vide."
        ).format(reason=print_error),
        "error",
    )
    while True:
        answer = screen.ask(_(PROMPT_SHOW_LETTER))
        if is_cancel(answer):
            raise SupporterCancelled()
        wanted = parse_yes_no(answer)
        if wanted is not None:
            break
    if not wanted:
        return False
    screen.say(render_text(address_link), "qr")
    screen.say(
        _(
            "Scan to open an e-mail to your MP with the subject filled in, then copy the letter "
            "below into it (or type it from the screen). / Scannez pour ouvrir un courriel à "
            "l’adresse de la personne qui vous représente, avec l’objet déjà rempli, puis "
            "recopiez-y la lettre ci-dessous."
        ),
        "ok",
    )
    screen.say(letter_on_screen(letter))
    return True


def save_folder_reminder(save_dir: Path | None, lang: str | None) -> str | None:
    """At the end of a session, a reminder to delete the letters left in the save folder.

    The PDFs carry supporters' names and addresses; said in the event's
    language, or both when it has none. None when the folder holds no PDF.
    """
    if save_dir is None or not any(save_dir.glob("*.pdf")):
        return None
    english = (
        f"Reminder: {save_dir} holds supporters' letters (names and addresses). "
        f"Delete the PDFs once they are printed or sent."
    )
    french = (
        f"Rappel\u00a0: {save_dir} contient les lettres des participants (noms et adresses). "
        f"Supprimez les PDF une fois imprimés ou envoyés."
    )
    return {"en": english, "fr": french}.get(lang or "", f"{english}\n{french}")


def preview(letter: Letter, note: str = "") -> str:
    """A short look at the letter: who it goes to, what it asks, the supporter's words."""
    from mpwrite.letter.supporter_text import clean_paragraphs

    lines = [
        "—" * 40,
        _("To / À : {recipient}").format(recipient=letter.recipient_name)
        + (f" <{letter.to_email}>" if letter.to_email else ""),
        _("Subject / Objet : {subject}").format(subject=letter.subject),
        _("From / De : {sender}").format(sender=", ".join(letter.sender_lines)),
    ]
    own_words = " ".join(clean_paragraphs(note))
    if own_words:
        lines.append(_("Own words / Vos mots : {words}").format(words=own_words))
    lines += [_("({count} words / mots)").format(count=len(letter.text.split())), "—" * 40]
    return "\n".join(lines)
