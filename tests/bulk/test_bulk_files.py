"""Bulk letters on disk: written whole, never over something else, compared on re-runs."""

from __future__ import annotations

import errno
import os
import stat
import sys
from pathlib import Path
from typing import Any

import pytest

from mpwrite.bulk import files as bulk_files
from mpwrite.bulk.files import KEPT, NEW, REPLACED, SAME, LetterFiles
from mpwrite.errors import UnwritablePathError

LETTER = b"Dear Jane Doe,\n\nPlease act.\n"
LINUX = sys.platform.startswith("linux")


@pytest.fixture
def files() -> Any:
    writer = LetterFiles()
    yield writer
    writer.close()


def test_a_new_letter_is_written_whole_for_its_owner_only(tmp_path: Path, files: Any) -> None:
    path = tmp_path / "ana-lima-0a1b2c.txt"
    assert files.put(str(path), LETTER, replace=False) == NEW
    assert path.read_bytes() == LETTER
    assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_new_letters_need_no_temporary_file_on_linux(
    tmp_path: Path, files: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not LINUX:
        pytest.skip("unnamed files (O_TMPFILE) are Linux's")
    monkeypatch.setattr(bulk_files, "write_letter", None)  # the other way would fail now
    for n in range(3):
        assert files.put(str(tmp_path / f"{n}.txt"), LETTER, replace=False) == NEW
    assert sorted(p.name for p in tmp_path.iterdir()) == ["0.txt", "1.txt", "2.txt"]


def test_a_letter_already_there_is_kept_compared_or_replaced(tmp_path: Path, files: Any) -> None:
    path = tmp_path / "letter.txt"
    path.write_bytes(LETTER)
    assert files.put(str(path), LETTER, replace=False) == SAME
    assert files.put(str(path), b"other", replace=False) == KEPT
    assert path.read_bytes() == LETTER
    assert files.put(str(path), b"other", replace=True) == REPLACED
    assert path.read_bytes() == b"other"
    assert [p.name for p in tmp_path.iterdir()] == ["letter.txt"]


def test_after_finding_a_letter_the_next_is_compared_before_writing(
    tmp_path: Path, files: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "old.txt").write_bytes(LETTER)
    created: list[str] = []
    real = files._create

    def recording(path: str, content: bytes) -> bool | None:
        created.append(os.path.basename(path))
        return real(path, content)  # type: ignore[no-any-return]

    monkeypatch.setattr(files, "_create", recording)
    assert files.put(str(tmp_path / "old.txt"), LETTER, replace=False) == SAME
    assert files.put(str(tmp_path / "new.txt"), LETTER, replace=False) == NEW
    assert files.put(str(tmp_path / "next.txt"), LETTER, replace=False) == NEW
    # A re-run's letters are there: none is written first and thrown away.
    assert created == ["old.txt", "next.txt"]
    assert (tmp_path / "new.txt").read_bytes() == LETTER


@pytest.mark.parametrize(
    "failing",
    ["unnamed files", "naming", "no /proc"],
)
def test_where_unnamed_files_fail_letters_go_through_a_temporary_file(
    tmp_path: Path, files: Any, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    real_open, real_link = os.open, os.link

    def open_(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if failing == "unnamed files" and flags & getattr(os, "O_TMPFILE", 0) == getattr(
            os, "O_TMPFILE", -1
        ):
            raise OSError(errno.EOPNOTSUPP, "Operation not supported")
        if failing == "no /proc" and str(path).startswith("/proc"):
            raise FileNotFoundError(errno.ENOENT, "No such file or directory")
        return real_open(path, flags, *args, **kwargs)

    def link(*args: Any, **kwargs: Any) -> None:
        if failing == "naming":
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        real_link(*args, **kwargs)

    monkeypatch.setattr(os, "open", open_)
    monkeypatch.setattr(os, "link", link)
    for n in range(2):
        assert files.put(str(tmp_path / f"{n}.txt"), LETTER, replace=False) == NEW
    assert sorted(p.name for p in tmp_path.iterdir()) == ["0.txt", "1.txt"]
    assert (tmp_path / "1.txt").read_bytes() == LETTER
    assert files._unnamed is False


def test_a_full_disk_is_an_error_naming_the_letter(
    tmp_path: Path, files: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(descriptor: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    path = tmp_path / "letter.txt"
    with pytest.raises(UnwritablePathError, match=r"cannot write .*letter\.txt: No space left"):
        files.put(str(path), LETTER, replace=False)
    assert list(tmp_path.iterdir()) == []


def test_short_writes_still_write_the_whole_letter(
    tmp_path: Path, files: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_write = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: real_write(fd, bytes(data[:5])))
    path = tmp_path / "letter.txt"
    assert files.put(str(path), LETTER, replace=False) == NEW
    assert path.read_bytes() == LETTER


def test_a_symlink_where_a_letter_goes_is_replaced_never_followed(
    tmp_path: Path, files: Any
) -> None:
    target = tmp_path / "elsewhere.txt"
    target.write_bytes(b"precious")
    path = tmp_path / "letter.txt"
    path.symlink_to(target)
    assert files.put(str(path), LETTER, replace=False) == KEPT
    assert files.put(str(path), LETTER, replace=True) == REPLACED
    assert target.read_bytes() == b"precious"
    assert not path.is_symlink() and path.read_bytes() == LETTER


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_fifo_where_a_letter_goes_does_not_hang_the_run(tmp_path: Path, files: Any) -> None:
    path = tmp_path / "letter.txt"
    os.mkfifo(path)
    assert files.put(str(path), LETTER, replace=False) == KEPT


def test_a_letter_whose_writing_fails_on_closing_is_taken_back(
    tmp_path: Path, files: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not LINUX:
        pytest.skip("unnamed files (O_TMPFILE) are Linux's")
    # Network and FUSE file systems may report a failed write only on close.
    real_link, real_close = os.link, os.close
    linked: list[int] = []

    def link(source: str, *args: Any, **kwargs: Any) -> None:
        real_link(source, *args, **kwargs)
        linked.append(int(source))

    def close(descriptor: int) -> None:
        real_close(descriptor)
        if descriptor in linked:
            raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "link", link)
    monkeypatch.setattr(os, "close", close)
    path = tmp_path / "letter.txt"
    with pytest.raises(UnwritablePathError, match=r"cannot write .*letter\.txt: Input/output"):
        files.put(str(path), LETTER, replace=False)
    assert list(tmp_path.iterdir()) == []
