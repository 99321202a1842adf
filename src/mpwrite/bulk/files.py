"""Letter files of a bulk run: written atomically, compared on re-runs, combined per MP.

Kept apart from the row logic (bulk_rows) and the run (bulk): this module is
only about bytes on disk.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

from mpwrite.errors import PdfRenderError, UnwritablePathError

COMBINABLE_FORMATS = ("txt", "md", "html", "pdf")
COMBINED_STEM = "_all-letters"


# A symlink planted where a letter goes must not redirect the write.
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


#: What :meth:`LetterFiles.put` did with a letter.
NEW = "new"
SAME = "same"
KEPT = "kept"
REPLACED = "replaced"


class LetterFiles:
    """Puts one process's letters on disk, each whole or not at all.

    Where Linux allows, a new letter is written to an unnamed file in its
    folder (``O_TMPFILE``) and then given its name, which fails when the name
    is taken. It needs no look for a letter already there, no temporary name,
    and leaves nothing behind if the process is killed. Elsewhere (another
    system, a file system without unnamed files, no ``/proc``) a temporary
    file beside the letter is renamed (:func:`write_letter`).

    A re-run finds its letters already there: after finding one, the next
    letter is compared first, so a re-run writes nothing it then throws away.
    """

    def __init__(self) -> None:
        self._found_last = False
        self._unnamed = hasattr(os, "O_TMPFILE")
        # /proc/self/fd, through which an unnamed file gets its name. Opened in
        # the process that writes (a worker makes its own LetterFiles; none is forked).
        self._proc_fd: int | None = None

    def put(self, path: str, content: bytes, *, replace: bool) -> str:
        """NEW, SAME (already there), KEPT (a different letter is there), or REPLACED."""
        if not self._found_last:
            created = self._create(path, content)
            if created:
                return NEW
        existing = compare_existing(path, content)
        self._found_last = existing is not None
        if existing is True:
            return SAME
        if existing is False and not replace:
            return KEPT
        write_letter(path, content)
        return NEW if existing is None else REPLACED

    def _create(self, path: str, content: bytes) -> bool | None:
        """True once written; False when something is at ``path``; None: use another way."""
        if not self._unnamed:
            return None
        try:
            if self._proc_fd is None:
                self._proc_fd = os.open("/proc/self/fd", os.O_RDONLY | os.O_DIRECTORY)
            folder = self._proc_fd
            descriptor = os.open(os.path.dirname(path), os.O_TMPFILE | os.O_WRONLY, 0o600)
        except OSError:
            self._unnamed = False
            return None
        named = False
        try:
            _write_all(descriptor, content)
            os.link(str(descriptor), path, src_dir_fd=folder)  # linkat, following the link
            named = True
        except FileExistsError:
            return False
        except OSError:
            # write_letter, the other way, reports what is wrong (a full disk, say).
            self._unnamed = False
            return None
        finally:
            try:
                os.close(descriptor)
            except OSError as error:
                # Some file systems report a failed write only now: take the
                # name back, so no letter that may be incomplete stays.
                if named:
                    with contextlib.suppress(OSError):
                        os.unlink(path)
                    raise UnwritablePathError(
                        f"cannot write {path}: {error.strerror or error}; check the --out folder"
                    ) from None
        return True

    def close(self) -> None:
        """Release what the writing kept open."""
        if self._proc_fd is not None:
            os.close(self._proc_fd)
            self._proc_fd = None


def _write_all(descriptor: int, content: bytes) -> None:
    written = 0
    while written < len(content):  # os.write may write less than asked
        written += os.write(descriptor, content[written:])


def write_letter(path: str, content: bytes) -> None:
    """Write one letter atomically: a temporary file beside it, then a rename.

    Unlike :func:`mpwrite.files.write_atomic`, no fsync per letter: on a
    hundred thousand letters it costs more than everything else together, and
    what it guards against (a power cut, not Ctrl-C) a re-run repairs, since
    a re-run rewrites any letter whose content is not exactly right. Paths are
    plain strings: bulk builds a hundred thousand of them.
    """
    folder, name = os.path.split(path)
    temporary = os.path.join(folder, f".{name}.{os.getpid()}.tmp")
    try:
        # Owner-only, like write_atomic: letters hold personal addresses.
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _NOFOLLOW, 0o600)
        try:
            _write_all(descriptor, content)
        finally:
            os.close(descriptor)
        os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise UnwritablePathError(
            f"cannot write {path}: {error.strerror or error}; check the --out folder"
        ) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


_TEMPORARY_LETTER = re.compile(r"\..+\.(\d+)\.tmp")


def remove_stale_temporaries(folder: Path) -> int:
    """Delete temporary letters that killed runs left in ``folder``; return how many.

    A letter's temporary file is named after the process writing it
    (:func:`write_letter`); one whose process is gone will never be renamed.
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


_PAGE_BREAK = {
    "txt": "\f\n",
    "md": '\n<div style="page-break-after: always; break-after: page"></div>\n\n',
}


def combine_per_mp(
    out_dir: Path,
    letters: Mapping[str, list[str]],
    fmt: str,
    earlier: Mapping[str, list[str]] | None = None,
) -> int:
    """One printable file per riding folder gathering its letters; returns how many.

    ``letters``: by folder name in ``out_dir``, the names of the letters the run
    wrote or verified; ``earlier``: those the report of an earlier run in
    ``out_dir`` named, added to the folders the run wrote in (the needs-review
    round trip completes the bundles). Only those are gathered, never whatever
    else a folder holds (an organizer's notes, a planted link), and each only
    while it is a regular file (an earlier letter that is not is left out).
    """
    if fmt not in COMBINABLE_FORMATS:
        return 0
    written = 0
    for folder_name in sorted(letters):
        names = set(letters[folder_name])
        if not names:
            continue
        folder = out_dir / folder_name
        before = {
            name
            for name in (earlier or {}).get(folder_name, ())
            if name not in names and _is_regular(folder / name)
        }
        paths = [folder / name for name in sorted(names | before)]
        target = folder / f"{COMBINED_STEM}.{fmt}"
        if fmt == "pdf":
            write_streamed(target, iter([_combined_pdf(paths)]))
        else:
            write_streamed(target, _combined_chunks(paths, fmt))
        written += 1
    return written


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


def _is_regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _not_a_letter(path: Path, why: str) -> UnwritablePathError:
    return UnwritablePathError(
        f"cannot add {path} to the MP's combined file ({why}); run the same command "
        f"again to write it anew"
    )


def _combined_pdf(letters: list[Path]) -> bytes:
    """The letters' PDFs one after another, every page of each, in one document."""
    import io

    from pypdf import PdfWriter
    from pypdf.errors import PyPdfError

    writer = PdfWriter()
    for path in letters:
        try:
            writer.append(io.BytesIO(read_letter(path)))
        except (PyPdfError, OSError, ValueError) as error:
            raise PdfRenderError(
                f"cannot add {path} to the MP's combined PDF ({error}); delete or "
                f"replace that file and run again"
            ) from None
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _combined_chunks(letters: list[Path], fmt: str) -> Iterator[bytes]:
    if fmt == "html":
        yield from _combined_html(letters)
        return
    separator = _PAGE_BREAK[fmt].encode()
    for position, path in enumerate(letters):
        if position:
            yield separator
        yield read_letter(path)


def _combined_html(letters: list[Path]) -> Iterator[bytes]:
    """One HTML document, each letter's body in a section that starts a new page."""
    for position, path in enumerate(letters):
        page = read_letter(path).decode("utf-8", errors="replace")
        head, _, rest = page.partition("<body>")
        body, _, _ = rest.partition("</body>")
        if position == 0:
            yield (
                head.replace(
                    "</style>", ".page { break-after: page; page-break-after: always; }\n</style>"
                )
                + "<body>\n"
            ).encode()
        yield f'<section class="page">\n{body.strip()}\n</section>\n'.encode()
    yield b"</body>\n</html>\n"


def write_streamed(path: Path, chunks: Iterator[bytes]) -> None:
    """Write a possibly large file from pieces, atomically."""
    try:
        descriptor, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
        )
    except OSError as error:
        raise _unwritable(path, error) from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise _unwritable(path, error) from None
        raise


def _unwritable(path: Path, error: OSError) -> UnwritablePathError:
    return UnwritablePathError(
        f"cannot write {path}: {error.strerror or error}; check the --out folder and free space"
    )
