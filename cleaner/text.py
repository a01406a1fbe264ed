"""Plain-text input: decoding bytes and splitting a page into lines."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from cleaner.errors import BinaryInputError
from cleaner.lines import Line

# Byte signatures of formats people feed a text tool by mistake.
BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x7fELF", "an executable"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"(\xb5/\xfd", "zstd-compressed data"),
    (b"OggS", "an Ogg media file"),
    (b"\x00\x00\x01\x00", "an icon"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# How much of the start of the input is inspected for binary content.
SNIFF_BYTES = 8192
# More NUL bytes than this share of the sniffed prefix (without a UTF-16/32 BOM), and than this count,
# means binary data (text has none; a stray one or two, as C programs leave at the end of a buffer,
# are forgiven). The same rule as the HTML decoder's (cleaner.html).
MAX_NUL_SHARE = 0.01
MAX_STRAY_NULS = 16
# A BOM-less UTF-16 text of mostly ASCII characters has a NUL in (nearly) every other byte.
UTF16_NUL_SHARE = 0.9
# Lone surrogates: a str can hold them, no encoding can write them.
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    replaced: bool
    """True when invalid bytes were replaced by U+FFFD."""


def describe_binary(data: bytes) -> str | None:
    """What binary format ``data`` looks like, or None when it may be text."""
    for signature, name in BINARY_SIGNATURES:
        if data.startswith(signature):
            return name
    head = data[:SNIFF_BYTES]
    if head and head.count(0) > max(MAX_NUL_SHARE * len(head), MAX_STRAY_NULS) and utf16_without_bom(head) is None:
        return "binary data (NUL bytes)"
    return None


def utf16_without_bom(head: bytes) -> str | None:
    """Return "utf-16-le"/"utf-16-be" when ``head`` looks like BOM-less UTF-16 text, else None."""
    if len(head) < 8:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) >= UTF16_NUL_SHARE * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) >= UTF16_NUL_SHARE * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def decode_text(data: bytes) -> Decoded:
    """Decode a plain-text page: honour a BOM, else read BOM-less UTF-16 (detected from its NUL
    bytes), else UTF-8 with replacement of invalid bytes.

    Raises :class:`BinaryInputError` for images, archives, PDFs and other binary data.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode(data[len(bom) :], encoding)
    kind = describe_binary(data)
    if kind is not None:
        raise BinaryInputError(f"input is {kind}, not text or HTML")
    head = data[:SNIFF_BYTES]
    if 0 in head:
        utf16 = utf16_without_bom(head)
        if utf16 is not None:
            return _decode(data, utf16)
    return _decode(data, "utf-8")


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


def _decode(data: bytes, encoding: str) -> Decoded:
    # Decoding strictly first tells replaced bytes apart from a U+FFFD the page itself contains.
    try:
        return Decoded(data.decode(encoding), encoding, False)
    except UnicodeDecodeError:
        return Decoded(data.decode(encoding, errors="replace"), encoding, True)


def split_lines(text: str) -> list[Line]:
    """Every line of ``text`` (blank ones too), numbered from 1. Accepts LF, CRLF and CR endings."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.endswith("\n"):
        text = text[:-1]
    if not text:
        return []
    return [Line(number, line) for number, line in enumerate(text.split("\n"), start=1)]
