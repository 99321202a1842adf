"""Where the bundled data and letter templates live.

In an installed wheel they sit inside the package (``mpwrite/data`` and
``mpwrite/templates/letters``, put there by hatch's force-include). In a source
checkout or an editable install they are the repository's top-level ``data/`` and
``templates/letters/`` folders. Everything that reads them goes through here.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from mpwrite.errors import DataError
from mpwrite.i18n import _

_REPOSITORY_ROOT = Path(__file__).resolve().parents[2]


def _locate(packaged: str, in_repository: str) -> Traversable:
    inside_package = files("mpwrite").joinpath(packaged)
    if inside_package.is_dir():
        return inside_package
    checkout = _REPOSITORY_ROOT / in_repository
    if checkout.is_dir():
        return checkout
    raise DataError(
        _("mpwrite's bundled {folder}/ folder is missing; reinstall mpwrite").format(
            folder=in_repository
        )
    )


@cache
def data_dir() -> Traversable:
    """The folder holding ridings.csv, fsa.csv, provinces.csv and metadata.json."""
    return _locate("data", "data")


@cache
def templates_dir() -> Traversable:
    """The folder holding one sub-folder per bundled campaign."""
    return _locate("templates/letters", "templates/letters")


@cache
def fonts_dir() -> Traversable:
    """The folder holding the DejaVu Sans fonts (and their licence) used for PDFs."""
    fonts = files("mpwrite").joinpath("fonts")
    if not fonts.is_dir():
        raise DataError(
            _("mpwrite's bundled {folder}/ folder is missing; reinstall mpwrite").format(
                folder="fonts"
            )
        )
    return fonts


def data_file(name: str) -> Traversable:
    """One bundled data file, by name."""
    return data_dir().joinpath(name)


def read_data_text(name: str) -> str:
    """The text of one bundled data file; a clear error when it is missing."""
    try:
        return data_file(name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(
            _("bundled data file {name} is missing; reinstall mpwrite").format(name=name)
        ) from None
