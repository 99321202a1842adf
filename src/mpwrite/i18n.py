"""The language mpwrite talks in: English, or French from a gettext catalogue.

The language is chosen once per process: a command's ``--lang`` (through
:func:`use_language`), else ``MPWRITE_LANG``, else a French locale
(``LC_ALL``, ``LC_MESSAGES`` or ``LANG`` starting with ``fr``), else English.
Messages are marked with :func:`_` (translated now) or :func:`N_` (marked for
extraction, translated where shown) and use named placeholders, so a
translation can reorder them: ``_("… {code} …").format(code=code)``.

The French catalogue is ``locale/fr/LC_MESSAGES/mpwrite.po`` (for translators)
and its compiled ``.mo``; gettext is loaded only when French is in use, so
English start-up pays nothing.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

#: Where the catalogues live: ``locale/<lang>/LC_MESSAGES/mpwrite.mo``.
LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "mpwrite"
#: Set to en or fr to choose the language of messages whatever the locale.
LANG_ENV = "MPWRITE_LANG"


class _Catalogue(Protocol):
    def gettext(self, message: str, /) -> str: ...


_language: str | None = None
_catalogue: _Catalogue | None = None


def language_from_environment(environ: Mapping[str, str] | None = None) -> str:
    """en or fr from MPWRITE_LANG, else the first locale variable that is set."""
    environ = os.environ if environ is None else environ
    chosen = environ.get(LANG_ENV, "").strip()
    if chosen:
        return "fr" if chosen.lower().startswith("fr") else "en"
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(variable, "").strip()
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    return "en"


def language() -> str:
    """The language of messages for this process: en or fr."""
    global _language
    if _language is None:
        _language = language_from_environment()
    return _language


def use_language(lang: str | None) -> None:
    """Talk in ``lang`` (en or fr) from now on; None or anything else keeps the current one."""
    global _language, _catalogue
    if lang not in ("en", "fr"):
        return
    _language = lang
    _catalogue = None


def use_english_everywhere() -> None:
    """English here and in every process started from now on (bulk's report is data)."""
    use_language("en")
    os.environ[LANG_ENV] = "en"


def forget_language() -> None:
    """Choose the language afresh from the environment (each command run in a process)."""
    global _language, _catalogue
    _language = None
    _catalogue = None


def _(message: str) -> str:
    """``message`` in the current language."""
    if language() == "en":
        return message
    return _load().gettext(message)


def N_(message: str) -> str:
    """Mark ``message`` for translation without translating it yet."""
    return message


def _load() -> _Catalogue:
    global _catalogue
    if _catalogue is None:
        import gettext

        _catalogue = gettext.translation(
            DOMAIN, localedir=LOCALE_DIR, languages=[language()], fallback=True
        )
    return _catalogue
