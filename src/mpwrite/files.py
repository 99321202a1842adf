"""Writing output files atomically: all or nothing, never half a letter."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

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
    temporary = None
    try:
        descriptor, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
        )
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
        temporary = None
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


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
