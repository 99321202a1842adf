"""Printing through a fake ``lp`` (and ``lpstat``) put first on PATH."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mpwrite.errors import PrinterUnavailableError, PrintFailedError
from mpwrite.output.printing import JOB_TITLE, default_printer, print_pdf

FAKE_LP = """#!/bin/sh
printf '%s\\n' "$@" > "{record}/args"
cat > "{record}/stdin"
echo "request id is {printer}-7 (1 file(s))"
"""
FAILING_LP = """#!/bin/sh
cat > /dev/null
echo "lp: The printer or class does not exist." >&2
exit 1
"""


def install(folder: Path, name: str, script: str) -> None:
    path = folder / name
    path.write_text(script, encoding="utf-8")
    path.chmod(0o755)


@pytest.fixture
def fake_bin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty folder that is the whole PATH: only the fakes put there exist."""
    folder = tmp_path / "bin"
    folder.mkdir()
    # /bin for sh and cat only through the scripts' absolute shebang.
    monkeypatch.setenv("PATH", str(folder))
    return folder


def fake_lp(fake_bin: Path, record: Path, printer: str = "Office") -> None:
    record.mkdir(exist_ok=True)
    install(fake_bin, "lp", FAKE_LP.format(record=record, printer=printer))
    install(fake_bin, "cat", '#!/bin/sh\nexec /bin/cat "$@"\n')


def test_pdf_goes_to_lp_on_stdin_with_a_neutral_title(fake_bin: Path, tmp_path: Path) -> None:
    record = tmp_path / "record"
    fake_lp(fake_bin, record)
    job = print_pdf(b"%PDF-1.4 fake", printer="Office")
    assert job.message == "request id is Office-7 (1 file(s))"
    assert (record / "stdin").read_bytes() == b"%PDF-1.4 fake"
    args = (record / "args").read_text(encoding="utf-8").splitlines()
    assert args == ["-t", JOB_TITLE, "-n", "1", "-d", "Office"]


def test_without_printer_uses_the_default_reported_by_lpstat(
    fake_bin: Path, tmp_path: Path
) -> None:
    record = tmp_path / "record"
    fake_lp(fake_bin, record)
    install(fake_bin, "lpstat", "#!/bin/sh\necho 'system default destination: Hall'\n")
    assert default_printer() == "Hall"
    print_pdf(b"%PDF")
    assert "-d" not in (record / "args").read_text(encoding="utf-8").splitlines()


def test_no_default_printer_gives_a_clear_message(fake_bin: Path, tmp_path: Path) -> None:
    fake_lp(fake_bin, tmp_path / "record")
    install(fake_bin, "lpstat", "#!/bin/sh\necho 'no system default destination'\n")
    with pytest.raises(PrinterUnavailableError, match=r"no default printer.*--printer NAME"):
        print_pdf(b"%PDF")
    assert not (tmp_path / "record" / "stdin").exists()


def test_no_lp_at_all_gives_a_clear_message(fake_bin: Path) -> None:
    with pytest.raises(PrinterUnavailableError, match=r"no 'lp' command.*--save-dir"):
        print_pdf(b"%PDF", printer="Office")


def test_unknown_printer_is_reported_with_lps_reason(fake_bin: Path) -> None:
    install(fake_bin, "lp", FAILING_LP)
    install(fake_bin, "cat", '#!/bin/sh\nexec /bin/cat "$@"\n')
    with pytest.raises(PrinterUnavailableError, match="does not exist"):
        print_pdf(b"%PDF", printer="Nowhere")


def test_other_lp_failures_are_print_failures(fake_bin: Path) -> None:
    install(fake_bin, "lp", "#!/bin/sh\nexec 0<&-\necho 'lp: paper jam' >&2\nexit 3\n")
    with pytest.raises(PrintFailedError, match="paper jam"):
        print_pdf(b"%PDF", printer="Office")


def test_printing_writes_no_file(
    fake_bin: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setenv("TMPDIR", str(temporary))
    fake_lp(fake_bin, tmp_path / "record")
    print_pdf(b"%PDF secret", printer="Office")
    assert os.listdir(temporary) == []
