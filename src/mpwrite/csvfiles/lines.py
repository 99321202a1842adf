"""The physical lines of a supporters' CSV, each decoded on its own.

Decoding line by line is what lets one bad line stay one bad row: a line of
UTF-8 is read as UTF-8 even when another line of the file is Windows-1252
(a single pasted cp1252 byte once turned every "Zoé" of a UTF-8 file into
"ZoÃ©", and changed their letters' file names with it). Without ``--encoding``
each line is UTF-8, except for bytes in it that are not UTF-8: those are read
as Windows-1252, and the lines that hold them are counted and named. A line
with bytes that decode as neither (or, with ``--encoding``, not in that
encoding), or full of NUL bytes (UTF-16 read as UTF-8), carries a ``problem``
for its row; its undecodable bytes become lone surrogates so the CSV structure
around them still reads, and the row is never written anywhere but as
``invalid`` (with those characters replaced).

Lines end at ``\\n``, ``\\r\\n`` or a lone ``\\r``, never inside a multi-byte
character (those bytes are ASCII in every encoding read this way; UTF-16 and
UTF-32 are first transcoded to UTF-8). A line longer than :data:`LONGEST_LINE_BYTES`
is not kept: its first bytes stand for it, flagged ``too_long``.
"""

from __future__ import annotations

import codecs
import itertools
from collections.abc import Iterator
from typing import BinaryIO

from mpwrite.errors import InputEncodingError

_CHUNK = 1 << 16
#: A physical line longer than this is a broken row, not a supporter (4 bytes a
#: character of the longest record :mod:`mpwrite.csvfiles.records` accepts).
LONGEST_LINE_BYTES = 1 << 22
#: Line numbers of Windows-1252 lines kept for the warning.
NAMED_FALLBACK_LINES = 10
_UNDECODABLE = "mpwrite-undecodable"
_CP1252_BYTES = "mpwrite-cp1252-bytes"
_UTF8_BOM = codecs.BOM_UTF8
# Longest first: the UTF-32 LE mark starts with the UTF-16 LE one.
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Codecs that claim to be text but turn ASCII into something else (or nothing).
_NOT_FILE_ENCODINGS = frozenset(
    {"idna", "punycode", "undefined", "unicode-escape", "raw-unicode-escape", "utf-7"}
)
_PROBE = "Name,Postal Code;\tNote\"'\r\n"


def _mark_undecodable(error: UnicodeError) -> tuple[str, int]:
    """Bytes that do not decode become lone surrogates, which no valid text holds."""
    assert isinstance(error, UnicodeDecodeError)
    bad = error.object[error.start : error.end]
    return "".join(chr(0xDC00 + byte) for byte in bad), error.end


def _cp1252_bytes(error: UnicodeError) -> tuple[str, int]:
    """Bytes that are not UTF-8, one by one as Windows-1252 (marked where it has no character)."""
    assert isinstance(error, UnicodeDecodeError)
    text = []
    for byte in error.object[error.start : error.end]:
        try:
            text.append(bytes((byte,)).decode("cp1252"))
        except UnicodeDecodeError:
            text.append(chr(0xDC00 + byte))
    return "".join(text), error.end


codecs.register_error(_UNDECODABLE, _mark_undecodable)
codecs.register_error(_CP1252_BYTES, _cp1252_bytes)


def checked_encoding(encoding: str) -> str:
    """The codec name for ``--encoding``, or a usage error unless it names a text encoding.

    Text encodings only: rot13, base64, zlib, idna, punycode and their like are
    codecs too, but no spreadsheet saves a CSV in them.
    """
    try:
        info = codecs.lookup(encoding)
    except (LookupError, ValueError):
        info = None
    usable = info is not None and info._is_text_encoding and info.name not in _NOT_FILE_ENCODINGS
    if usable:
        assert info is not None
        try:
            usable = _PROBE.encode(info.name).decode(info.name) == _PROBE
        except (UnicodeError, LookupError):
            usable = False
    if not usable:
        kind = "unknown encoding" if info is None else "not a text encoding for a CSV file:"
        raise InputEncodingError(f"{kind} {encoding!r}; use e.g. utf-8, cp1252, latin-1 or utf-16")
    assert info is not None
    # Excel's BOM must not end up glued to the first header.
    return "utf-8-sig" if info.name == "utf-8" else info.name


class DecodedLines:
    """A byte stream as decoded lines, one string each (see the module).

    Iterating yields each line's text, line end included; what is wrong with a
    line is kept aside, by line number, in :attr:`problems` (taken out as rows
    use it) and :attr:`cut` (lines too long to keep).
    """

    def __init__(self, stream: BinaryIO, encoding: str | None) -> None:
        self._stream = stream
        self.bytes_read = 0
        head = self._read()
        wide = next((name for bom, name in _WIDE_BOMS if head.startswith(bom)), None)
        #: The encoding as told at the start: utf-8-sig (the default), a BOM's, or the given one.
        self.encoding = encoding or wide or "utf-8-sig"
        if encoding in ("utf-16", "utf-32") and wide is None:
            raise InputEncodingError(
                f"the input has no byte-order mark, so --encoding {encoding} cannot tell its "
                f"byte order; pass --encoding {encoding}-le (Windows) or {encoding}-be"
            )
        self._transcoded = encoding is not None or wide is not None
        self._fallback = not self._transcoded
        self._head = head
        #: Why a line cannot be read, by line number.
        self.problems: dict[int, str] = {}
        #: Lines longer than LONGEST_LINE_BYTES: only their start was kept.
        self.cut: set[int] = set()
        #: Lines read as Windows-1252: how many, and the first few numbers.
        self.fallback_count = 0
        self.fallback_lines: list[int] = []
        #: Whether any line with non-ASCII bytes was valid UTF-8.
        self.utf8_seen = False
        self._texts = self._decode()

    def _read(self) -> bytes:
        chunk = self._stream.read(_CHUNK)
        self.bytes_read += len(chunk)
        return chunk

    def _chunks(self) -> Iterator[bytes]:
        chunk = self._head
        self._head = b""
        while chunk:
            yield chunk
            chunk = self._read()

    def _utf8_chunks(self) -> Iterator[bytes]:
        if not self._transcoded:
            yield from self._chunks()
            return
        decoder = codecs.getincrementaldecoder(self.encoding)(_UNDECODABLE)
        try:
            for chunk in self._chunks():
                yield decoder.decode(chunk).encode("utf-8", "surrogatepass")
            yield decoder.decode(b"", final=True).encode("utf-8", "surrogatepass")
        except UnicodeError as error:  # not a bad byte (those are marked): the codec gave up
            raise InputEncodingError(
                f"the input cannot be read as {self.encoding} ({error}); save it as CSV UTF-8"
            ) from None

    def _raw_lines(self) -> Iterator[bytes]:
        """Each line's bytes with its end; a line over LONGEST_LINE_BYTES cut there."""
        pending = b""
        skipping = False
        number = 0
        for chunk in self._utf8_chunks():
            data = pending + chunk if pending else chunk
            lines = data.splitlines(keepends=True)
            # The last piece may go on in the next chunk (even a "\r" may be half a "\r\n").
            pending = lines.pop() if lines and not lines[-1].endswith(b"\n") else b""
            for line in lines:
                if skipping:
                    skipping = False
                    continue
                number += 1
                yield line
            if len(pending) > LONGEST_LINE_BYTES:
                if not skipping:
                    number += 1
                    self.cut.add(number)
                    yield pending[:LONGEST_LINE_BYTES]
                    skipping = True
                pending = pending[-1:] if pending.endswith(b"\r") else b""
        if pending and not skipping:
            yield pending

    def __iter__(self) -> Iterator[str]:
        return self._texts

    def _decode(self) -> Iterator[str]:
        lines = self._raw_lines()
        first = next(lines, None)
        if first is None:
            return
        if first.startswith(_UTF8_BOM) and not self._transcoded:
            first = first[len(_UTF8_BOM) :]
        for number, raw in enumerate(itertools.chain([first], lines), start=1):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                text = self._undecoded(raw, number)
            else:
                if not self.utf8_seen and not raw.isascii():
                    self.utf8_seen = True
            # A stray NUL is cleaned away later; NULs between the characters are UTF-16.
            if "\x00" in text and text.count("\x00") * 4 >= len(text):
                self.problems.setdefault(
                    number,
                    f"line {number} is full of NUL bytes, like UTF-16 text; save the file as "
                    f"CSV UTF-8 (or pass --encoding utf-16-le)",
                )
            yield text

    def _undecoded(self, raw: bytes, number: int) -> str:
        if number in self.cut:  # cut inside a character, perhaps: only the cut is a problem
            return raw.decode("utf-8", "replace")
        if self._fallback:
            # Only the bytes that are not UTF-8: a cp1252 word pasted into a UTF-8 line
            # leaves the line's UTF-8 accents alone.
            text = raw.decode("utf-8", _CP1252_BYTES)
            if any("\udc80" <= char <= "\udcff" for char in text):
                self.problems[number] = (
                    f"line {number} is neither UTF-8 nor Windows-1252 text; save the file "
                    f"as CSV UTF-8 (or name its encoding with --encoding)"
                )
                return text
            self.fallback_count += 1
            if len(self.fallback_lines) < NAMED_FALLBACK_LINES:
                self.fallback_lines.append(number)
            return text
        name = "UTF-8" if self.encoding == "utf-8-sig" else self.encoding
        self.problems[number] = (
            f"line {number} is not valid {name} text; save the file as CSV UTF-8 "
            f"or pass the right --encoding (e.g. --encoding cp1252)"
        )
        return raw.decode("utf-8", "surrogatepass")

    def fallback_warning(self) -> str:
        """Which lines were read as Windows-1252 in a file that is otherwise UTF-8, or ""."""
        if not self.fallback_count or not self.utf8_seen:
            return ""
        named = ", ".join(str(number) for number in self.fallback_lines)
        more = self.fallback_count - len(self.fallback_lines)
        if more:
            named += f" and {more:,} more"
        one = self.fallback_count == 1
        return (
            f"{'line' if one else 'lines'} {named} of a UTF-8 file {'holds' if one else 'hold'} "
            f"bytes that are not UTF-8, read as Windows-1252; check the accents there "
            f"(or re-save the file as CSV UTF-8)"
        )

    @property
    def detected(self) -> str:
        """The encoding to report: cp1252 when every non-ASCII line was Windows-1252."""
        if self.fallback_count and not self.utf8_seen:
            return "cp1252"
        return self.encoding
