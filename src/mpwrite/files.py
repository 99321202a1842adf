"""Writing output files atomically: all or nothing, never half a letter."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path
from typing import BinaryIO

from mpwrite.errors import OutputExistsError, UnwritablePathError
from mpwrite.i18n import _


def write_atomic(path: Path, data: bytes, *, force: bool = False) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder.

    The temporary file is renamed over ``path`` only once fully written and
    flushed, so an interrupted run leaves either the old file or the new one.
    Raises OutputExistsError when ``path`` exists and ``force`` is false, and
    UnwritablePathError when the folder cannot be written or ``path`` is
    anything but a regular file (even with ``force``: renaming over a device,
    FIFO or symbolic link would replace it, not write into it). The file is
    created readable by its owner only: letters hold personal addresses.
    """
    path = Path(path)
    if path.is_dir():
        raise UnwritablePathError(
            _("{path} is a folder; give a file name for the output").format(path=path)
        )
    _refuse_special(path)
    if path.exists() and not force:
        raise OutputExistsError(
            _("{path} already exists; pass --force to overwrite it").format(path=path)
        )
    folder = path.parent
    if not folder.is_dir():
        raise UnwritablePathError(
            _("cannot write {path}: the folder {folder} does not exist").format(
                path=path, folder=folder
            )
        )
    try:
        replace_file(path, data)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise UnwritablePathError(
            _("cannot write {path}: {reason}; choose another --output path").format(
                path=path, reason=reason
            )
        ) from None


def replace_file(path: Path, data: bytes) -> None:
    """Put ``data`` at ``path`` (owner-only) through a flushed temporary file; OSError on failure.

    No temporary file is left behind, whatever fails.
    """
    with AtomicFile(path) as handle:
        handle.write(data)


class AtomicFile:
    """A file written under a temporary name beside ``path``, then renamed over it.

    As a context manager it yields the open file (binary): leaving the block
    normally puts the file in place (:meth:`commit`), an exception removes it
    (:meth:`discard`), so a reader never sees half a file and nothing is left
    behind. The temporary file is created owner-only and exclusively (never
    through a symbolic link), and renaming replaces whatever entry ``path``
    was without writing into it. OSError when any of it fails.

    ``sync``: flush the file to the disk before the rename (off where a re-run
    repairs what a power cut could leave, as for bulk's letters). ``buffering``
    as for :func:`open`; 0 gives a raw file whose ``write`` says how much it wrote.
    The temporary name ends with the writing process's id (``.<pid>.tmp``), so
    one whose process is gone can be recognised and removed.
    """

    def __init__(self, path: Path | str, *, sync: bool = True, buffering: int = -1) -> None:
        self.path = Path(path)
        self._sync = sync
        descriptor, self.temporary = tempfile.mkstemp(
            dir=self.path.parent, prefix=f".{self.path.name}.", suffix=f".{os.getpid()}.tmp"
        )
        try:
            self.file: BinaryIO = os.fdopen(descriptor, "wb", buffering=buffering)
        except BaseException:
            os.close(descriptor)
            os.unlink(self.temporary)
            raise
        self._open = True

    def commit(self) -> None:
        """Flush the file and put it at ``path``; on failure, discard it and raise."""
        try:
            self.file.flush()
            if self._sync:
                os.fsync(self.file.fileno())
            self.file.close()
            os.replace(self.temporary, self.path)
            self._open = False
        except BaseException:
            self.discard()
            raise

    def discard(self) -> None:
        """Close and remove the temporary file (nothing changes at ``path``)."""
        if not self._open:
            return
        self._open = False
        with contextlib.suppress(OSError):
            self.file.close()
        with contextlib.suppress(OSError):
            os.unlink(self.temporary)

    def __enter__(self) -> BinaryIO:
        return self.file

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        if kind is None:
            self.commit()
        else:
            self.discard()


def _refuse_special(path: Path) -> None:
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return  # nothing there (or nothing we may look at): the write itself will say
    if stat.S_ISLNK(mode):
        raise UnwritablePathError(
            _("{path} is a symbolic link; give the path of a regular file for the output").format(
                path=path
            )
        )
    if not stat.S_ISREG(mode):
        raise UnwritablePathError(
            _(
                "{path} is not a regular file (a device, FIFO or socket); give another output path"
            ).format(path=path)
        )
