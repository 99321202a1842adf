"""File and folder names that every file system accepts, stable from run to run.

Names are built only from ASCII letters, digits and hyphens, so none can hold a
path separator, ``..``, a character Windows rejects (``\\ / : * ? " < > |``), a
control character or NUL; they are length-limited, and never a name Windows
reserves (CON, NUL, COM1, ...). A letter's name ends in a short hash of who
wrote it, so two supporters with the same name still get two files and the same
supporter gets the same file on every run.
"""

from __future__ import annotations

import re
import unicodedata

MAX_SLUG_LENGTH = 40
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"} | {f"com{n}" for n in range(10)} | {f"lpt{n}" for n in range(10)}
)


def slugify(text: str, fallback: str = "letter") -> str:
    """``text`` as lowercase ASCII words joined by hyphens; ``fallback`` when nothing is left."""
    folded = text.casefold().replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")
    # Accents go; any other character (dashes such as "—" included) separates words.
    bare = (
        folded
        if folded.isascii()
        else "".join(
            c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c)
        )
    )
    slug = _NOT_SLUG.sub("-", bare).strip("-")
    if len(slug) > MAX_SLUG_LENGTH:
        slug = slug[:MAX_SLUG_LENGTH].rstrip("-")
    if not slug:
        slug = fallback
    if slug in WINDOWS_RESERVED:
        slug = f"{slug}-"
    return slug


def letter_file_name(name: str, identity: str, extension: str) -> str:
    """``<slug-of-name>-<identity>.<ext>``: readable, unique per supporter, stable."""
    return f"{slugify(name)}-{identity}.{extension.lstrip('.')}"


def riding_folder_name(code: str, name: str) -> str:
    """``<code>-<slug-of-riding-name>``, e.g. ``35075-ottawa-centre``."""
    return f"{slugify(code, 'riding')}-{slugify(name, 'riding')}"
