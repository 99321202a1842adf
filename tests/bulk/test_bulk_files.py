"""Bulk letters on disk: written whole, never over something else, compared on re-runs."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from mpwrite.bulk.files import KEPT, NEW, REPLACED, SAME, put_letter
from mpwrite.errors import UnwritablePathError

LETTER = b"Dear Jane Doe,\n\nPlease act.\n"


def test_a_new_letter_is_written_whole_for_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "ana-lima-0a1b2c.txt"
    assert put_letter(str(path), LETTER, replace=False) == NEW
    assert path.read_bytes() == LETTER
    assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_a_letter_already_there_is_kept_compared_or_replaced(tmp_path: Path) -> None:
    path = tmp_path / "letter.txt"
    path.write_bytes(LETTER)
    assert put_letter(str(path), LETTER, replace=False) == SAME
    assert put_letter(str(path), b"other", replace=False) == KEPT
    assert path.read_bytes() == LETTER
    assert put_letter(str(path), b"other", replace=True) == REPLACED
    assert path.read_bytes() == b"other"
    assert [p.name for p in tmp_path.iterdir()] == ["letter.txt"]


def test_a_full_disk_is_an_error_naming_the_letter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_fdopen = os.fdopen

    class FullDisk:
        def __init__(self, handle: Any) -> None:
            self._handle = handle

        def write(self, data: bytes) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

        def __getattr__(self, name: str) -> Any:
            return getattr(self._handle, name)

    monkeypatch.setattr(os, "fdopen", lambda *a, **k: FullDisk(real_fdopen(*a, **k)))
    path = tmp_path / "letter.txt"
    with pytest.raises(UnwritablePathError, match=r"cannot write .*letter\.txt: No space left"):
        put_letter(str(path), LETTER, replace=False)
    assert list(tmp_path.iterdir()) == []


def test_a_symlink_where_a_letter_goes_is_replaced_never_followed(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.txt"
    target.write_bytes(b"precious")
    path = tmp_path / "letter.txt"
    path.symlink_to(target)
    assert put_letter(str(path), LETTER, replace=False) == KEPT
    assert put_letter(str(path), LETTER, replace=True) == REPLACED
    assert target.read_bytes() == b"precious"
    assert not path.is_symlink() and path.read_bytes() == LETTER


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_fifo_where_a_letter_goes_does_not_hang_the_run(tmp_path: Path) -> None:
    path = tmp_path / "letter.txt"
    os.mkfifo(path)
    assert put_letter(str(path), LETTER, replace=False) == KEPT
