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

if TYPE_CHECKING:
    from mpwrite.event import EventScreen, EventSettings
    from mpwrite.letters import Letter


def letter_on_screen(letter: Letter) -> str:
    """The whole letter as plain text for the screen, under the address to send it to."""
    from mpwrite.formats import render_text

    rule = "—" * 40
    return (
        f"{rule}\nTo / À : {letter.recipient_name} <{letter.to_email}>\n{rule}\n\n"
        f"{render_text(letter).rstrip()}\n{rule}"
    )


def letter_pdf(settings: EventSettings, letter: Letter) -> bytes:
    """The letter as a PDF, with its envelope page when the session asks for one."""
    from mpwrite.pdf import render_pdf

    return render_pdf([letter], paper=settings.paper, envelope=settings.envelope)


def print_letter(settings: EventSettings, letter: Letter) -> None:
    """Print the letter; the PDF goes to lp on stdin, never to disk."""
    from mpwrite.printing import print_pdf

    print_pdf(letter_pdf(settings, letter), settings.printer)


def save_letter(settings: EventSettings, letter: Letter) -> Path:
    """Write the letter's PDF into the save folder under a name without the supporter's."""
    from mpwrite.errors import UsageError
    from mpwrite.fileio import write_atomic

    if settings.save_dir is None:
        raise UsageError(
            "no save folder: start the event with --save-dir DIR to save letters / "
            "aucun dossier : relancez avec --save-dir DOSSIER"
        )
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    stem = f"{stamp}-{letter.riding.code}-{letter.demand.id}-{letter.lang}"
    data = letter_pdf(settings, letter)
    for number in range(1, 1000):
        path = settings.save_dir / (f"{stem}.pdf" if number == 1 else f"{stem}-{number}.pdf")
        if not path.exists():
            write_atomic(path, data)
            return path
    raise UsageError(f"too many letters named {stem}* in {settings.save_dir}; use another folder")


def show_qr(
    settings: EventSettings, screen: EventScreen, letter: Letter, *, already_kept: bool = False
) -> None:
    """Show the letter's QR code; when it only carries the address, keep the letter too
    (unless it was already printed or saved for this supporter)."""
    from mpwrite.qr import letter_payload, render_text

    payload = letter_payload(letter)
    screen.say(render_text(payload.text), "qr")
    if payload.carries_letter:
        screen.say(
            "Scan with your phone's camera: it opens the e-mail, ready to send. / "
            "Scannez avec l’appareil photo : le courriel s’ouvre, prêt à envoyer.",
            "ok",
        )
        return
    screen.say(
        "The letter is too long for a QR code: this one opens an e-mail to your MP with the "
        "subject. / Lettre trop longue pour un code QR : celui-ci ouvre un courriel au député·e "
        "avec l’objet.",
        "ok",
    )
    # The letter itself still has to reach the MP: keep it for printing.
    if already_kept:
        return
    if settings.save_dir is not None:
        path = save_letter(settings, letter)
        screen.say(f"Letter saved for printing / Lettre enregistrée : {path.name}", "ok")
    else:
        print_letter(settings, letter)
        screen.say("Letter sent to the printer / Lettre envoyée à l’imprimante.", "ok")
