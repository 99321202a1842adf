"""Letter files of a bulk run: written atomically, compared on re-runs, read back for bundles.

Kept apart from the row logic (bulk_rows) and the run (bulk): this module is
only about bytes on disk.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path

from mpwrite.errors import UnwritablePathError
from mpwrite.files import AtomicFile

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


#: What :func:`put_letter` did with a letter.
NEW = "new"
SAME = "same"
KEPT = "kept"
REPLACED = "replaced"


def put_letter(path: str, content: bytes, *, replace: bool) -> str:
    """Put one letter on disk, whole or not at all, unless the same is there already.

    NEW, SAME (already there), KEPT (a different letter is there, and
    ``replace`` is false), or REPLACED. Whatever is at ``path`` (a link, a
    FIFO) is compared without following or blocking, and replaced, never
    written into.
    """
    existing = compare_existing(path, content)
    if existing is True:
        return SAME
    if existing is False and not replace:
        return KEPT
    write_letter(path, content)
    return NEW if existing is None else REPLACED


def write_letter(path: str, content: bytes) -> None:
    """Write one letter atomically (:class:`mpwrite.files.AtomicFile`).

    Unlike :func:`mpwrite.files.write_atomic`, no fsync per letter: on a
    hundred thousand letters it costs more than everything else together, and
    what it guards against (a power cut, not Ctrl-C) a re-run repairs, since
    a re-run rewrites any letter whose content is not exactly right. Paths are
    plain strings: bulk builds a hundred thousand of them.
    """
    try:
        with AtomicFile(path, sync=False) as handle:
            handle.write(content)
    except OSError as error:
        raise UnwritablePathError(
            f"cannot write {path}: {error.strerror or error}; check the --out folder"
        ) from None


_TEMPORARY_LETTER = re.compile(r"\..+\.(\d+)\.tmp")


def remove_stale_temporaries(folder: Path) -> int:
    """Delete temporary letters that killed runs left in ``folder``; return how many.

    A temporary file's name ends with the id of the process writing it
    (:class:`mpwrite.files.AtomicFile`); one whose process is gone will never
    be renamed.
    Only on POSIX, where asking whether a process exists is harmless.
    """
    if os.name != "posix":
        return 0
    removed = 0
    with os.scandir(folder) as entries:
        for entry in entries:
            found = _TEMPORARY_LETTER.fullmatch(entry.name)
            if found is None or _process_exists(int(found.group(1))):
                continue
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
                removed += 1
    return removed


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # someone else's process, or not a pid at all: leave the file
    return True


def compare_existing(path: str, content: bytes) -> bool | None:
    """None when nothing is at ``path``; else whether it holds exactly ``content``.

    The size is compared first: a changed letter rarely keeps its length, and
    reading it back is the expensive part of a re-run. Anything but a regular
    file (a folder, say) holds no letter.
    """
    try:
        # Non-blocking, so that a FIFO planted where a letter goes cannot hang the run.
        descriptor = os.open(path, os.O_RDONLY | _NONBLOCK)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise _unreadable(path, error) from None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode) or status.st_size != len(content):
            return False
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            return handle.read() == content
    except OSError as error:
        raise _unreadable(path, error) from None
    finally:
        os.close(descriptor)


def _unreadable(path: str, error: OSError) -> UnwritablePathError:
    return UnwritablePathError(
        f"cannot read {path} to compare it: {error.strerror or error}; check the --out folder"
    )


#: A letter larger than this is not one bulk wrote (the largest PDFs are a few hundred kB).
MOST_LETTER_BYTES = 16 * 1024 * 1024


def read_letter(path: Path) -> bytes:
    """A letter's bytes, if ``path`` is still a regular file (no link, FIFO or device)."""
    try:
        descriptor = os.open(path, os.O_RDONLY | _NOFOLLOW | _NONBLOCK)
    except OSError as error:
        raise _not_a_letter(path, error.strerror or str(error)) from None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode) or status.st_size > MOST_LETTER_BYTES:
            raise _not_a_letter(path, "no longer the letter this run wrote")
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            return handle.read(MOST_LETTER_BYTES + 1)
    except OSError as error:
        raise _not_a_letter(path, error.strerror or str(error)) from None
    finally:
        os.close(descriptor)


def is_regular_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _not_a_letter(path: Path, why: str) -> UnwritablePathError:
    return UnwritablePathError(
        f"cannot add {path} to the MP's combined file ({why}); run the same command "
        f"again to write it anew"
    )


def write_streamed(path: Path, chunks: Iterator[bytes]) -> None:
    """Write a possibly large file from pieces, atomically."""
    try:
        with AtomicFile(path) as handle:
            for chunk in chunks:
                handle.write(chunk)
    except OSError as error:
        raise _unwritable(path, error) from None


def _unwritable(path: Path, error: OSError) -> UnwritablePathError:
    return UnwritablePathError(
        f"cannot write {path}: {error.strerror or error}; check the --out folder and free space"
    )
