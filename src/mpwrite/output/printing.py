"""Send a PDF to the system printer with CUPS' ``lp``.

The PDF goes to ``lp`` on its standard input, so it never touches the disk
here. The job title is a neutral ``mpwrite letter``: CUPS keeps job titles in
its history, and a supporter's name must not end up there.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass

from mpwrite.errors import PrinterUnavailableError, PrintFailedError
from mpwrite.i18n import N_, _

JOB_TITLE = "mpwrite letter"
_TIMEOUT_SECONDS = 60
_NO_PRINTER_HINT = N_(
    "set one up in the system's printer settings (check with 'lpstat -p -d'), "
    "name one with --printer NAME, or use --save-dir DIR and print later"
)


@dataclass(frozen=True, slots=True)
class PrintJob:
    """What ``lp`` said about a job it accepted."""

    printer: str | None
    message: str


def default_printer() -> str | None:
    """The system's default printer as ``lpstat -d`` reports it, or None."""
    lpstat = shutil.which("lpstat")
    if lpstat is None:
        return None
    try:
        answer = subprocess.run(
            [lpstat, "-d"], capture_output=True, text=True, timeout=_TIMEOUT_SECONDS, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    # "system default destination: NAME" (English locale); anything else means none.
    for line in answer.stdout.splitlines():
        label, colon, name = line.rpartition(":")
        if colon and "default" in label and name.strip():
            return name.strip()
    return None


def print_pdf(pdf: bytes, printer: str | None = None, copies: int = 1) -> PrintJob:
    """Print ``pdf`` on ``printer`` (or the default printer); raise when nothing can print."""
    lp = shutil.which("lp")
    if lp is None:
        raise PrinterUnavailableError(
            _("no 'lp' command: this computer has no printing system (CUPS); ")
            + _(_NO_PRINTER_HINT)
        )
    if printer is None and shutil.which("lpstat") is not None and default_printer() is None:
        raise PrinterUnavailableError(
            _("no default printer is configured; ") + _(_NO_PRINTER_HINT)
        )
    command = [lp, "-t", JOB_TITLE, "-n", str(copies)]
    if printer is not None:
        command += ["-d", printer]
    try:
        # No file argument: lp reads the document from standard input.
        answer = subprocess.run(
            command, input=pdf, capture_output=True, timeout=_TIMEOUT_SECONDS, check=False
        )
    except subprocess.TimeoutExpired:
        raise PrintFailedError(
            _("'lp' did not answer within {seconds} s; check the printer and try again").format(
                seconds=_TIMEOUT_SECONDS
            )
        ) from None
    except OSError as error:
        raise PrintFailedError(
            _("could not run 'lp' ({reason}); check CUPS").format(reason=error.strerror)
        ) from None
    stderr = answer.stderr.decode("utf-8", "replace").strip()
    stdout = answer.stdout.decode("utf-8", "replace").strip()
    if answer.returncode != 0:
        reason = (
            stderr.splitlines()[0]
            if stderr
            else _("exit status {status}").format(status=answer.returncode)
        )
        if "no default destination" in stderr.lower() or "does not exist" in stderr.lower():
            raise PrinterUnavailableError(f"{reason}; " + _(_NO_PRINTER_HINT))
        raise PrintFailedError(
            _("printing failed: {reason}; check the printer and try again").format(reason=reason)
        )
    return PrintJob(printer, stdout.splitlines()[0] if stdout else "sent to the printer")
