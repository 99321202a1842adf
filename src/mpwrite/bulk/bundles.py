"""The combined file per MP of a ``--group-by mp`` run: every letter of a folder, ready to print.

Text formats are the letters' files one after another. A PDF bundle is laid out
as one document from the letters themselves (composed again from the run's
jobs, by the worker processes that wrote them when the run has some): one
embedded font for the whole bundle makes it a fraction of the size of the
letters' files put together (benchmarks/README.md). Letters of an earlier run in
the same folder, whose supporters this run knows nothing of, are added after
them from their files.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from mpwrite.bulk.files import is_regular_file, read_letter, write_streamed
from mpwrite.errors import PdfRenderError, UsageError

if TYPE_CHECKING:
    from mpwrite.bulk.letters import LetterJob
    from mpwrite.letter.compose import Letter
    from mpwrite.output.formats import PageSetup

COMBINABLE_FORMATS = ("txt", "md", "html", "pdf")
COMBINED_STEM = "_all-letters"

#: By folder, the run's letters a bundle gathers: by file name, the job that
#: made the letter (kept for PDF bundles only; None otherwise).
BundledLetters = dict[str, dict[str, "LetterJob | None"]]


#: A PDF bundle to write: its file, the jobs of the run's letters in it (in
#: order), and the files of an earlier run's letters to add after them.
PdfBundle = tuple[Path, list["LetterJob"], list[Path]]


def combine_per_mp(
    out_dir: Path,
    letters: BundledLetters,
    fmt: str,
    earlier: Mapping[str, list[str]] | None = None,
    *,
    write_pdf_bundles: Callable[[list[PdfBundle]], None] | None = None,
) -> int:
    """One printable file per riding folder gathering its letters; returns how many.

    ``letters``: by folder name in ``out_dir``, the letters the run wrote or
    verified; ``earlier``: those the report of an earlier run in ``out_dir``
    named, added to the folders the run wrote in (the needs-review round trip
    completes the bundles). Only those are gathered, never whatever else a
    folder holds (an organizer's notes, a planted link), and an earlier letter
    only while it is a regular file. PDF bundles are written by
    ``write_pdf_bundles`` (with :func:`write_pdf_bundle`, wherever the run's
    letters are composed).
    """
    if fmt not in COMBINABLE_FORMATS:
        return 0
    pdf_bundles: list[PdfBundle] = []
    for folder_name in sorted(letters):
        ours = letters[folder_name]
        if not ours:
            continue
        folder = out_dir / folder_name
        before = sorted(
            name
            for name in (earlier or {}).get(folder_name, ())
            if name not in ours and is_regular_file(folder / name)
        )
        target = folder / f"{COMBINED_STEM}.{fmt}"
        if fmt == "pdf":
            jobs = [job for _, job in sorted(ours.items()) if job is not None]
            pdf_bundles.append((target, jobs, [folder / name for name in before]))
        else:
            paths = [folder / name for name in sorted({*ours, *before})]
            write_streamed(target, _combined_chunks(paths, fmt))
    if pdf_bundles:
        assert write_pdf_bundles is not None
        write_pdf_bundles(pdf_bundles)
    return len([folder for folder in letters.values() if folder])


def write_pdf_bundle(
    bundle: PdfBundle, compose: Callable[[LetterJob], Letter], page: PageSetup
) -> None:
    """One MP's bundle: the run's letters laid out as one document, then the earlier ones."""
    from mpwrite.output.pdf import render_pdf

    target, jobs, earlier = bundle
    pdf = render_pdf([_composed(compose, job) for job in jobs], page.paper, page.envelope)
    if earlier:
        pdf = _with_earlier_pdfs(pdf, earlier)
    write_streamed(target, iter([pdf]))


def _composed(compose: Callable[[LetterJob], Letter], job: LetterJob) -> Letter:
    """The job's letter again; it composed a moment ago, so failing now is the system's fault."""
    try:
        return compose(job)
    except UsageError as error:
        raise PdfRenderError(
            f"a letter to {job.folder_name} could not be laid out again for the MP's "
            f"combined PDF ({error}); run the same command again"
        ) from None


def _with_earlier_pdfs(pdf: bytes, earlier: list[Path]) -> bytes:
    """``pdf`` followed by every page of each of the ``earlier`` letters' files."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PyPdfError

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    for path in earlier:
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


_PAGE_BREAK = {
    "txt": "\f\n",
    "md": '\n<div style="page-break-after: always; break-after: page"></div>\n\n',
}


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
