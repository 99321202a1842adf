"""Writing output files atomically: all or nothing, never half a letter."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from mpwrite.errors import OutputExistsError, UnwritablePathError
from mpwrite.i18n import _


def write_atomic(path: Path, data: bytes, *, force: bool = False) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder.

    The temporary file is renamed over ``path`` only once fully written and
    flushed, so an interrupted run leaves either the old file or the new one.
    Raises OutputExistsError when ``path`` exists and ``force`` is false, and
    UnwritablePathError when the folder cannot be written. The file is created
    readable by its owner only: letters hold personal addresses.
    """
    path = Path(path)
    if path.is_dir():
        raise UnwritablePathError(
            _("{path} is a folder; give a file name for the output").format(path=path)
        )
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
    temporary = None
    try:
        descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
        temporary = None
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise UnwritablePathError(
            _("cannot write {path}: {reason}; choose another --output path").format(
                path=path, reason=reason
            )
        ) from None
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
