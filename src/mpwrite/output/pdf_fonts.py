"""The bundled DejaVu Sans, parsed once per process and lent to each PDF made.

fpdf2's ``add_font`` reads the whole font (character map, every glyph's
width, the glyph table) for each document, and writing the file cuts that
font down to the characters used: together most of a letter's cost. Here the
font is read once per process, and each document gets a light copy sharing
the parsed tables, with its own record of the characters used. Once per
process the font is also cut down to the characters letters use (Latin
scripts, punctuation, currency): a document that uses only those is cut down
from that small font, many times quicker; any other from the full font. The
same letter therefore makes the same bytes whichever letters a process made
before it.

fpdf2 is imported only when a PDF is made, never at start-up.
"""

from __future__ import annotations

import copy
import io
import threading
from typing import Any

from mpwrite.errors import PdfRenderError
from mpwrite.i18n import _

FONT_FAMILY = "DejaVuSans"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}

#: Measured words, by style: campaign text repeats from letter to letter.
_WORD_CACHE_LIMIT = 50_000

_lock = threading.Lock()
#: The font's parsed master (fpdf2's), its whole file and the small font.
_parsed: dict[str, tuple[Any, bytes, bytes]] | None = None
_widths: dict[str, dict[int, float]] = {}
_word_widths: dict[tuple[str, str], float] = {}


def new_document(unit: str = "mm") -> Any:
    """An empty fpdf2 document with the bundled fonts, without parsing them again."""
    try:
        from fpdf import FPDF
    except ImportError:
        raise PdfRenderError(
            _("PDF output needs the fpdf2 library; reinstall mpwrite (pip install mpwrite)")
        ) from None

    parsed = _parse_once()
    pdf = FPDF(unit=unit, format="letter")
    for style, (master, data, _small) in parsed.items():
        font = _copy_of(master)
        font.i = len(pdf.fonts) + 1
        font.ttfont = _opened(data)
        pdf.fonts[f"{FONT_FAMILY.lower()}{style}"] = font
    return pdf


def document_bytes(pdf: Any) -> bytes:
    """The finished document, each font cut down from the small font when it can be."""
    parsed = _parse_once()
    for style, (_master, _data, small) in parsed.items():
        font = pdf.fonts.get(f"{FONT_FAMILY.lower()}{style}")
        if font is not None and _only_common(font):
            font.ttfont = _opened(small)
    return bytes(pdf.output())


def _only_common(font: Any) -> bool:
    for glyph, _value in font.subset.items():
        if glyph is not None and not all(code in COMMON_CHARACTERS for code in glyph.unicode):
            return False
    return True


def _opened(data: bytes) -> Any:
    from fontTools import ttLib  # type: ignore[import-untyped]

    return ttLib.TTFont(io.BytesIO(data), recalcTimestamp=False, lazy=True)


def text_width(text: str, style: str = "") -> float:
    """``text``'s width in thousandths of an em, as fpdf2 measures it (no kerning)."""
    key = (text, style)
    width = _word_widths.get(key)
    if width is None:
        widths = _widths_of(style)
        missing = widths.get(-1, 0.0)
        width = float(sum(widths.get(ord(character), missing) for character in text))
        if len(_word_widths) >= _WORD_CACHE_LIMIT:
            _word_widths.clear()
        _word_widths[key] = width
    return width


def forget_used_characters() -> None:
    """Let go of the finished documents fpdf2's character lookup cache still holds."""
    from fpdf.fonts import SubsetMap

    cache_clear = getattr(SubsetMap.pick, "cache_clear", None)
    if cache_clear is not None:
        cache_clear()


def _widths_of(style: str) -> dict[int, float]:
    widths = _widths.get(style)
    if widths is None:
        master, _, _ = _parse_once()[style]
        widths = {code: float(width) for code, width in master.cw.items()}
        widths[-1] = float(master.desc.missing_width)
        _widths[style] = widths
    return widths


def _parse_once() -> dict[str, tuple[Any, bytes, bytes]]:
    global _parsed
    with _lock:
        if _parsed is None:
            _parsed = _parse()
        return _parsed


def _parse() -> dict[str, tuple[Any, bytes, bytes]]:
    from fpdf import FPDF

    from mpwrite.resources import fonts_dir

    parsed = {}
    holder = FPDF(unit="mm")
    try:
        for style, name in FONT_FILES.items():
            resource = fonts_dir().joinpath(name)
            data = resource.read_bytes()
            # A path fpdf2 can open: the package's own file when there is one.
            from importlib.resources import as_file

            with as_file(resource) as path:
                holder.add_font(FONT_FAMILY, style, path)
            master = holder.fonts[f"{FONT_FAMILY.lower()}{style}"]
            parsed[style] = (master, data, _small_font(data))
    except (OSError, RuntimeError) as error:
        raise PdfRenderError(
            _("the bundled font could not be loaded ({reason}); reinstall mpwrite").format(
                reason=error
            )
        ) from None
    return parsed


#: What letters are written in: Latin scripts, punctuation, currency signs.
COMMON_CHARACTERS = frozenset(
    [0x00, *range(0x20, 0x7F), *range(0xA0, 0x250), *range(0x2000, 0x2070), *range(0x20A0, 0x20C0)]
)


def _small_font(data: bytes) -> bytes:
    """The font cut down to :data:`COMMON_CHARACTERS`, keeping glyph names (fpdf2 needs them)."""
    from fontTools import subset

    font = _opened(data)
    options = subset.Options(notdef_outline=True, recommended_glyphs=True, glyph_names=True)
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    # fpdf2 drops these from every embedded font anyway.
    options.drop_tables += ["FFTM", "GDEF", "GPOS", "GSUB", "MATH", "hdmx", "meta"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=COMMON_CHARACTERS)
    subsetter.subset(font)
    output = io.BytesIO()
    font.save(output)
    return output.getvalue()


def _copy_of(master: Any) -> Any:
    """A font for one document: the master's parsed tables, a subset of its own."""
    from fpdf.fonts import SubsetMap

    font = copy.copy(master)
    # A fresh descriptor: writing the file numbers it as one of the document's objects.
    font.desc = copy.copy(master.desc)
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    font.subset = SubsetMap(font)
    return font
