"""Options with a fixed set of choices, read the way people type them.

``--lang FR``, ``--lang français``, ``--format PDF``, ``--province québec``
and ``--province qc`` all work: each kind of choice has one parser here, used
by every command that takes it, and a wrong value is a usage error that lists
the choices.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from mpwrite.errors import UsageError
from mpwrite.folding import normalise_name
from mpwrite.i18n import _

if TYPE_CHECKING:
    from mpwrite.geo.ridings import Province

LANGUAGES = ("en", "fr")
#: Every way of naming a language, normalised (no case, no accents): what --lang,
#: a spreadsheet's language column and an answer at the event table all accept.
LANGUAGE_NAMES = {
    **dict.fromkeys(("en", "e", "a", "an", "eng", "english", "anglais"), "en"),
    **dict.fromkeys(("fr", "f", "fra", "fre", "french", "francais"), "fr"),
}
FORMATS = ("txt", "md", "html", "eml", "pdf")
#: Other names of a format: its long name, or its file extension with a dot.
FORMAT_NAMES = {
    **{name: name for name in FORMATS},
    **{f".{name}": name for name in FORMATS},
    "text": "txt",
    "markdown": "md",
    "htm": "html",
}


def _shown(text: str, limit: int = 40) -> str:
    # Quoted, escaped and short: a pasted paragraph cannot flood the error line.
    return repr(text[:limit])[:-1] + ("…'" if len(text) > limit else "'")


def _key(text: str) -> str:
    return normalise_name(text).replace(" ", "")


def language_code(text: str) -> str | None:
    """``en`` or ``fr`` for a language's code or name in English or French, else None."""
    return LANGUAGE_NAMES.get(_key(text))


def parse_language(text: str, option: str = "--lang") -> str:
    """``en`` or ``fr`` from ``FR``, ``français``, ``English``…; else a usage error."""
    code = language_code(text)
    if code is None:
        raise UsageError(
            _("unknown language {text} for {option}; use en (English) or fr (French)").format(
                text=_shown(text), option=option
            )
        )
    return code


def parse_format(text: str, option: str = "--format") -> str:
    """A letter format (txt, md, html, eml, pdf) in any case; else a usage error."""
    name = FORMAT_NAMES.get(text.strip().casefold())
    if name is None:
        raise UsageError(
            _("unknown format {text} for {option}; use one of {formats}").format(
                text=_shown(text), option=option, formats=", ".join(FORMATS)
            )
        )
    return name


def parse_province(text: str, provinces: Mapping[str, Province], option: str = "--province") -> str:
    """A province's two-letter code from its code, name or abbreviation, English or French.

    ``qc``, ``QC``, ``Quebec``, ``québec``, ``Que.`` and ``Qc`` all give ``QC``.
    """
    key = _key(text)
    # Codes first: Nunavut's French abbreviation "Nt" is the Northwest Territories' code.
    for code in provinces:
        if key == code.casefold():
            return code
    for code, province in provinces.items():
        names = (province.name_en, province.name_fr, province.abbr_en, province.abbr_fr)
        if key and any(key == _key(name) for name in names):
            return code
    known = ", ".join(sorted(provinces))
    raise UsageError(
        _(
            "unknown province {text} for {option}; use a two-letter code ({known}) or a name "
            "such as Ontario or Québec"
        ).format(text=_shown(text), option=option, known=known)
    )
