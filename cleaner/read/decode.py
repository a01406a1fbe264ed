"""Decoding a page's bytes: plain text as UTF-8 (or what its BOM or its NUL bytes say), HTML as a browser
would (BOM, declared charset, UTF-8); bytes of either that are not UTF-8 in the legacy encoding that
:mod:`cleaner.read.guess` finds. Binary data is refused from its first bytes.

Both decoders report whether invalid bytes were replaced by U+FFFD, so that a caller can warn; a str
input is checked for the lone surrogates no encoding can write (:func:`replace_surrogates`).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from cleaner.core import compiled
from cleaner.errors import BinaryInputError
from cleaner.read.guess import GUESS_CONTEXT_BYTES, HIGH_BYTE_RE, SAMPLE_BYTES, guess_encoding
from cleaner.read.sniff import (
    SNIFF_BYTES,
    binary_kind,
    bom_encoding,
    signature_kind,
    text_binary_kind,
    utf16_without_bom,
)

# Lone surrogates: a str can hold them, no encoding can write them.
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    replaced: bool
    """True when invalid bytes were replaced by U+FFFD."""


def binary_error(kind: str) -> BinaryInputError:
    """The error for an input that is binary data of ``kind`` ("a PNG image", ...)."""
    return BinaryInputError(f"input is {kind}, not text or HTML")


def check_not_binary(text: str) -> None:
    """Raise :class:`BinaryInputError` for a str that is binary data decoded as text (a PDF read as Latin-1...)."""
    kind = text_binary_kind(text)
    if kind is not None:
        raise binary_error(kind)


def replace_surrogates(text: str) -> tuple[str, bool]:
    """``text`` with its lone surrogates replaced by U+FFFD, and whether there were any.

    A Python str may hold them (decoded with ``surrogateescape``, or cut from UTF-16 data); they are
    not text, and no encoding can write them.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE_RE.sub("\ufffd", text), True
    return text, False


def utf8_encoded(text: str) -> tuple[bytes, bool]:
    """``text`` as UTF-8 bytes, its lone surrogates replaced by U+FFFD (:func:`replace_surrogates`),
    and whether there were any: the bytes the parser reads, encoded once."""
    try:
        return text.encode("utf-8"), False
    except UnicodeEncodeError:  # rare: replaced, then encoded
        return replace_surrogates(text)[0].encode("utf-8"), True


def _utf8_or_guessed(data: bytes) -> Decoded:
    """Undeclared bytes: UTF-8 when they are, else in the encoding :func:`guess_encoding` finds."""
    try:
        return Decoded(data.decode("utf-8"), "utf-8", False)
    except UnicodeDecodeError:
        return _decode(data, guess_encoding(data))


def _decode(data: bytes, encoding: str) -> Decoded:
    # Decoding strictly first tells replaced bytes apart from a U+FFFD the page itself contains.
    try:
        return Decoded(data.decode(encoding), encoding, False)
    except UnicodeDecodeError:
        return Decoded(data.decode(encoding, errors="replace"), encoding, True)


# -- plain text ------------------------------------------------------------------------------------------


def text_encoding(head: bytes) -> tuple[str | None, int]:
    """The encoding of a plain-text input from its first bytes, and the length of its byte order mark:
    the BOM's, else BOM-less UTF-16 (told by its NUL bytes), else None: UTF-8, or the legacy encoding
    bytes that are not UTF-8 read best in, told from the input's text by
    :func:`~cleaner.read.guess.guess_encoding`.

    Raises :class:`BinaryInputError` for images, archives, PDFs and other binary data.
    """
    marked = bom_encoding(head)
    if marked is not None:
        return marked
    kind = binary_kind(head)
    if kind is not None:
        raise binary_error(kind)
    if 0 in head[:SNIFF_BYTES]:
        utf16 = utf16_without_bom(head[:SNIFF_BYTES])
        if utf16 is not None:
            return utf16, 0
    return None, 0


def decode_text(data: bytes) -> Decoded:
    """Decode a plain-text page (see :func:`text_encoding`), invalid bytes replaced."""
    encoding, skip = text_encoding(data[:SNIFF_BYTES])
    return _decode(data[skip:], encoding) if encoding is not None else _utf8_or_guessed(data)


class TextStreamDecoder:
    """:func:`decode_text` a piece at a time; invalid bytes become U+FFFD and set :attr:`replaced`.

    The encoding is told from the first bytes (a BOM, UTF-16's NUL bytes) or else from the text, as
    :func:`decode_text` tells it: ASCII reads alike in every encoding the guess chooses from, so it
    passes as it comes, and from the first byte outside ASCII the bytes the guess reads are held (at
    most :data:`~cleaner.read.guess.SAMPLE_BYTES` and a few before) until it has them."""

    def __init__(self, head: bytes) -> None:
        encoding, self.skip = text_encoding(head)
        self.replaced = False
        # While the encoding is untold: the last ASCII bytes; then, from a few before the first byte
        # outside ASCII on, the bytes the guess reads (in pieces, joined once).
        self._held = b""
        self._window: list[bytes] = []
        self._window_size = self._window_needs = 0
        self._decoder: codecs.IncrementalDecoder | None = None
        self._lenient: codecs.IncrementalDecoder | None = None
        if encoding is not None:
            self._start(encoding)

    def _start(self, encoding: str) -> None:
        self._decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
        self._lenient = codecs.getincrementaldecoder(encoding)(errors="replace")

    def decode(self, data: bytes, final: bool = False) -> str:
        if self.skip:
            cut = min(self.skip, len(data))
            data, self.skip = data[cut:], self.skip - cut
        if self._decoder is None:
            return self._untold(data, final)
        return self._decoded(data, final)

    def _untold(self, data: bytes, final: bool) -> str:
        if self._window:  # past the first byte outside ASCII: held until the guess has its bytes
            self._window.append(data)
            self._window_size += len(data)
            if self._window_size < self._window_needs and not final:
                return ""
            held = b"".join(self._window)
            self._window, self._window_size = [], 0
            self._start(guess_encoding(held))
            return self._decoded(held, final)
        held = self._held + data
        first = HIGH_BYTE_RE.search(held)
        if first is None:
            keep = len(held) - min(len(held), GUESS_CONTEXT_BYTES)  # the guess reads these too
            if final:
                self._held = b""
                self._start("utf-8")
                return self._decoded(held, final)
            self._held = held[keep:]
            return held[:keep].decode("ascii")
        start = max(0, first.start() - GUESS_CONTEXT_BYTES)
        self._held = b""
        self._window, self._window_size = [held[start:]], len(held) - start
        # A byte past the sample: the guess then knows the input goes on, as it does given the whole.
        self._window_needs = first.start() - start + SAMPLE_BYTES + 1
        return held[:start].decode("ascii") + self._untold(b"", final)

    def _decoded(self, data: bytes, final: bool) -> str:
        assert self._decoder is not None and self._lenient is not None
        if not self.replaced:
            state = self._decoder.getstate()
            try:
                return self._decoder.decode(data, final)
            except UnicodeDecodeError:
                # From here on, replace: restart the lenient decoder where the strict one stood.
                self.replaced = True
                self._lenient.setstate(state)
        return self._lenient.decode(data, final)


# -- HTML ------------------------------------------------------------------------------------------------

# How far into the page a charset declaration is looked for. Browsers prescan 1024 bytes; pages with
# long inline scripts in their head declare it later, so we look further.
_DECLARATION_BYTES = 8192
# <meta charset="x">, and <meta http-equiv="Content-Type" content="text/html; charset=x">: both are a
# "charset=" inside a meta tag.
_META_CHARSET_RE = re.compile(rb"""<meta\s[^>]*?charset\s*=\s*["']?\s*([a-z0-9_:.()\-]+)""", re.IGNORECASE)
# <?xml version="1.0" encoding="x"?> at the very start of the document.
_XML_ENCODING_RE = re.compile(rb"""^\s*<\?xml\s[^>]*?encoding\s*=\s*["']\s*([a-z0-9_:.()\-]+)""", re.IGNORECASE)

# Charset labels mapped as browsers read them (WHATWG Encoding Standard): the Latin-1 family and ASCII
# mean windows-1252, the national standards mean Microsoft's supersets. None: ignore the label. The
# one table for a page's own declaration and for an HTTP header's charset (cleaner.crawl.pages).
CHARSET_ALIASES: dict[str, str | None] = {
    **dict.fromkeys(
        (
            "iso-8859-1", "iso8859-1", "iso_8859-1", "iso-8859-1:1987", "latin1", "latin-1", "l1", "cp819",
            "ibm819", "us-ascii", "ascii", "ansi_x3.4-1968", "windows-1252", "x-cp1252", "x-user-defined",
        ),
        "cp1252",
    ),
    **dict.fromkeys(("iso-8859-9", "latin5", "windows-1254"), "cp1254"),
    **dict.fromkeys(("iso-8859-11", "tis-620", "windows-874"), "cp874"),
    **dict.fromkeys(("gb2312", "gbk", "x-gbk", "gb_2312-80", "csgb2312", "chinese"), "gb18030"),
    "big5": "big5hkscs",
    **dict.fromkeys(("shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "windows-31j", "csshiftjis"), "cp932"),
    **dict.fromkeys(("euc-kr", "ks_c_5601-1987", "korean", "windows-949"), "cp949"),
    **dict.fromkeys(("none", "unknown", "unset", "auto", "default", "charset"), None),
}  # fmt: skip
# Python text codecs that are no page's charset: they transform text (escapes, IDNA) or always fail.
_NOT_PAGE_CODECS = frozenset({"idna", "punycode", "undefined", "unicode-escape", "raw-unicode-escape"})


def charset_codec(label: str) -> str | None:
    """The Python codec a charset label names (quotes and case aside, :data:`CHARSET_ALIASES` first),
    or None: a label to ignore, one Python does not know, or a Python codec that is no charset of a
    page (rot13, base64, zlib, idna...: they raise, or garble). UTF-16 and UTF-32 come out as such;
    what they mean depends on where the label stands (see the callers)."""
    name = label.strip().strip("\"'").lower()
    if name in CHARSET_ALIASES:
        return CHARSET_ALIASES[name]
    try:
        codec = codecs.lookup(name)
    except LookupError:
        return None
    if not getattr(codec, "_is_text_encoding", True) or codec.name in _NOT_PAGE_CODECS:
        return None
    return codec.name


def is_wide_unicode(codec: str) -> bool:
    """Whether ``codec`` is UTF-16 or UTF-32, which no label readable as ASCII can truly name."""
    return codec.startswith(("utf-16", "utf-32"))


def _declared_encoding(head: bytes) -> str | None:
    """The Python codec of the charset declared in ``head`` (meta tag or XML declaration), if usable."""
    match = _XML_ENCODING_RE.match(head) or _META_CHARSET_RE.search(head)
    if not match:
        return None
    codec = charset_codec(match.group(1).decode("ascii", "replace"))
    if codec is not None and is_wide_unicode(codec):
        return "utf-8"  # a declaration readable as ASCII is wrong by construction: the page is UTF-8
    return codec


def _is_utf8_name(codec: str) -> bool:
    return codec.replace("_", "-") in ("utf-8", "utf8")


def decode_html(data: bytes) -> Decoded:
    """Decode a page's bytes as a browser would.

    Order: a byte order mark; a charset declared in the first few KB (meta charset, meta http-equiv,
    XML declaration) when Python knows the codec; strict UTF-8; the encoding a detector finds
    (:func:`~cleaner.read.guess.guess_encoding`: a legacy encoding, or UTF-8 with a few invalid
    bytes). One refinement: bytes that are valid UTF-8 and contain non-ASCII characters are read as
    UTF-8 even when a legacy charset is declared, because pages mislabelled "iso-8859-1" are common
    and genuine cp1252 text is practically never valid UTF-8.

    Raises :class:`BinaryInputError` for data that looks like an image, a PDF, an archive or other
    binary (many NUL bytes). Never raises UnicodeDecodeError.
    """
    marked = bom_encoding(data)
    if marked is not None:
        codec, length = marked
        return _decode(data[length:], codec)

    head = data[:SNIFF_BYTES]
    kind = signature_kind(head)
    if kind is not None:
        raise binary_error(kind)
    if 0 in head:
        utf16 = utf16_without_bom(head)
        if utf16 is not None:
            return _decode(data, utf16)
    kind = binary_kind(head)  # the NUL and control-byte rules the text reader applies
    if kind is not None:
        raise binary_error(kind)

    declared = _declared_encoding(data[:_DECLARATION_BYTES])
    if declared is not None and not _is_utf8_name(declared):
        if not data.isascii():
            try:
                return Decoded(data.decode("utf-8"), "utf-8", False)
            except UnicodeDecodeError:
                pass
        return _decode(data, declared)
    return _utf8_or_guessed(data)


def utf8_page(data: bytes) -> bytes | None:
    """The page's bytes (without a UTF-8 byte order mark) when :func:`decode_html` would read them as
    valid UTF-8, else None.

    The parser reads UTF-8 bytes, so such a page is parsed as it came: decoding it to a str (up to
    four bytes per character) and encoding it back would cost memory and time for the same bytes.
    """
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif bom_encoding(data) is not None:
        return None
    head = data[:SNIFF_BYTES]
    if 0 in head or binary_kind(head) is not None:
        return None  # UTF-16, or binary: decode_html decides (and refuses binary)
    if data.isascii():
        declared = _declared_encoding(data[:_DECLARATION_BYTES])
        # ASCII reads the same in UTF-8 and in any declared charset built on ASCII, but not in all.
        return data if declared is None or _is_utf8_name(declared) else None
    return data if valid_utf8(data) else None


def valid_utf8(data: bytes) -> bool:
    """Whether ``data`` is valid UTF-8 (:func:`reference_valid_utf8`; compiled where the core is built,
    ``cleaner.read._bytes``: no str made at all)."""
    core = compiled("cleaner.read._bytes")
    return reference_valid_utf8(data) if core is None else core.valid_utf8(data)


def reference_valid_utf8(data: bytes, chunk: int = 1 << 20) -> bool:
    """Whether Python's strict UTF-8 decoder accepts ``data``, checked a megabyte at a time (no str of
    the whole page)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for start in range(0, len(data), chunk):
            decoder.decode(data[start : start + chunk])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True
