"""The --out folder of a bulk run: made when the run starts, and one run's at a time.

Two runs writing in one folder would replace each other's report and both
claim the same letters, so a run holds an exclusive lock on the folder
(``flock`` on a lock file in it) from its first file to its last; a second
run fails at once, naming the process that holds it. A run that fails before
it begins leaves nothing behind: not the folder, if it made it, nor the lock.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from mpwrite.errors import OutputFolderBusyError, UnwritablePathError, UsageError

LOCK_NAME = ".mpwrite-bulk.lock"
#: Files of the folder itself that a run writes through a temporary file
#: (``.NAME.<random>.tmp``); one left by a killed run is deleted by the next.
TEMPORARY_OF = ("report.csv", "needs-review.csv", "labels.pdf")

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


class OutputFolder:
    """``with OutputFolder(path):`` the folder exists and this run alone writes in it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._made = False
        self._lock: int | None = None
        #: Set once the run has begun writing: the folder then stays, whatever happens.
        self.started = False

    def __enter__(self) -> OutputFolder:
        if self.path.exists() and not self.path.is_dir():
            raise UsageError(f"--out {self.path} is a file; give a folder")
        self._made = not self.path.exists()
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise UsageError(
                f"cannot create --out folder {self.path} ({error.strerror or error})"
            ) from None
        try:
            self._lock = lock_folder(self.path)
            _remove_stale_temporaries(self.path)
        except BaseException:
            self._release(remove_folder=True)
            raise
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        self._release(remove_folder=not self.started)

    def _release(self, *, remove_folder: bool) -> None:
        if self._lock is not None:
            # Removed while still held: a run waiting on this file then finds
            # it gone and makes a new one (see lock_folder).
            with contextlib.suppress(OSError):
                os.unlink(self.path / LOCK_NAME)
            os.close(self._lock)
            self._lock = None
        if remove_folder and self._made:
            with contextlib.suppress(OSError):
                self.path.rmdir()  # only if still empty


def lock_folder(folder: Path) -> int | None:
    """Lock ``folder`` for this process; the lock file's descriptor (None: no locks here).

    Raises OutputFolderBusyError, naming the holder's process id, when another
    process holds it.
    """
    try:
        import fcntl
    except ImportError:  # Windows: no flock; runs there are not kept apart
        return None
    path = folder / LOCK_NAME
    while True:
        try:
            descriptor = os.open(
                path, os.O_RDWR | os.O_CREAT | _NOFOLLOW | _NONBLOCK | os.O_CLOEXEC, 0o600
            )
        except OSError as error:
            raise UnwritablePathError(
                f"cannot lock the --out folder {folder} through {path} "
                f"({error.strerror or error}); remove that file, or choose another --out folder"
            ) from None
        try:
            opened = os.fstat(descriptor)
            if not stat.S_ISREG(opened.st_mode):
                raise UnwritablePathError(
                    f"{path} is not a lock file mpwrite made; remove it and run again"
                )
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise _busy(folder, descriptor) from None
            # The holder before may have removed the file as it finished: the
            # lock counts only on the file that is still there.
            with contextlib.suppress(FileNotFoundError):
                now = os.stat(path, follow_symlinks=False)
                if (now.st_dev, now.st_ino) == (opened.st_dev, opened.st_ino):
                    os.ftruncate(descriptor, 0)
                    os.write(descriptor, f"{os.getpid()}\n".encode())
                    return descriptor
        except BaseException:
            os.close(descriptor)
            raise
        os.close(descriptor)


def _busy(folder: Path, descriptor: int) -> OutputFolderBusyError:
    try:
        holder = os.pread(descriptor, 32, 0).decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        holder = ""
    who = f" (process {holder})" if holder.isdigit() else ""
    return OutputFolderBusyError(
        f"another mpwrite bulk run{who} is writing in {folder}; wait for it to finish, "
        f"or choose another --out folder"
    )


def _remove_stale_temporaries(folder: Path) -> None:
    """Temporary reports of killed runs: no other run is here, so none is in use."""
    for name in TEMPORARY_OF:
        for leftover in folder.glob(f".{name}.*.tmp"):
            with contextlib.suppress(OSError):
                leftover.unlink()
