"""Plain-text input: decoding bytes and splitting a page into lines."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import compress

from cleaner.errors import BinaryInputError
from cleaner.lines import Line
from cleaner.sniff import SNIFF_BYTES, binary_kind, bom_encoding, utf16_without_bom

# Lone surrogates: a str can hold them, no encoding can write them.
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    replaced: bool
    """True when invalid bytes were replaced by U+FFFD."""


def decode_text(data: bytes) -> Decoded:
    """Decode a plain-text page: honour a BOM, else read BOM-less UTF-16 (detected from its NUL
    bytes), else UTF-8 with replacement of invalid bytes.

    Raises :class:`BinaryInputError` for images, archives, PDFs and other binary data.
    """
    marked = bom_encoding(data)
    if marked is not None:
        encoding, length = marked
        return _decode(data[length:], encoding)
    kind = binary_kind(data)
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
    return [Line(number, line) for number, line in enumerate(_raw_lines(text), start=1)]


def content_texts(text: str) -> tuple[list[int], list[str]]:
    """The numbers and texts of the non-blank lines of ``text``, numbered as in :func:`split_lines`
    (what cleaning classifies)."""
    lines = _raw_lines(text)
    filled = list(map(str.strip, lines))  # a blank line strips to "", which is false
    return list(compress(range(1, len(lines) + 1), filled)), list(compress(lines, filled))


def _raw_lines(text: str) -> list[str]:
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.endswith("\n"):
        text = text[:-1]
    return text.split("\n") if text else []
