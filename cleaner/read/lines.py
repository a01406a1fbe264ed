"""Cutting a text into lines: any line ending (LF, CRLF, CR) ends a line, a final one adds none.

:func:`split_lines` cuts a whole text; :func:`stream_lines` cuts a byte stream as it is decoded, with
the same lines. Both drop a leading byte order mark.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import compress

from cleaner.read.decode import TextStreamDecoder

_BOM = "\ufeff"
# Texts longer than this are re-spaced a piece at a time: ``split()`` of a whole text makes an object
# per word (a 48 MB line of short words took 700 MB).
RESPACE_PIECE_CHARS = 1 << 16
_WHITE_SPACE_RE = re.compile(r"\s")  # \s is what str.split() and str.isspace() take for white space


def respaced(text: str) -> str:
    """``" ".join(text.split())``: the words of ``text`` joined by single spaces, worked out in pieces
    cut at white space for a long ``text``."""
    if len(text) <= RESPACE_PIECE_CHARS:
        return " ".join(text.split())
    pieces, start = [], 0
    while start < len(text):
        cut = _WHITE_SPACE_RE.search(text, start + RESPACE_PIECE_CHARS)  # a word is never cut
        end = cut.start() if cut is not None else len(text)
        if piece := " ".join(text[start:end].split()):
            pieces.append(piece)
        start = end
    return " ".join(pieces)


def normalise_newlines(text: str) -> str:
    """``text`` with every line ending made a LF."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def split_lines(text: str) -> list[str]:
    """Every line of ``text``, blank ones too: line ``n`` is ``split_lines(text)[n - 1]``."""
    if text.startswith(_BOM):
        text = text[1:]
    text = normalise_newlines(text)
    if text.endswith("\n"):
        text = text[:-1]
    return text.split("\n") if text else []


def content_lines(lines: list[str]) -> tuple[list[int], list[str]]:
    """The numbers (from 1) and texts of the non-blank ``lines``: what cleaning classifies."""
    filled = list(map(str.strip, lines))  # a blank line strips to "", which is false
    return list(compress(range(1, len(lines) + 1), filled)), list(compress(lines, filled))


def without_bom(lines: Iterable[str]) -> Iterator[str]:
    """``lines`` with a byte order mark dropped from the first, as :func:`split_lines` drops it."""
    first = True
    for line in lines:
        if first:
            first = False
            if line.startswith(_BOM):
                line = line[1:]
        yield line


def stream_lines(chunks: Iterable[bytes], decoder: TextStreamDecoder, longest: int) -> Iterator[str]:
    """The lines of a byte stream as they are decoded, as :func:`split_lines` would cut the whole text
    (before the BOM is dropped: see :func:`without_bom`); a line longer than ``longest`` characters
    comes out cut into lines of that length."""
    line: list[str] = []  # the pieces of the unfinished line, and their length
    size = 0
    cr = ""  # a CR that ended the last chunk: a CRLF may straddle two chunks
    for chunk in chunks:
        text = cr + decoder.decode(chunk)
        cr = "\r" if text.endswith("\r") else ""
        text = normalise_newlines(text[:-1] if cr else text)
        pieces = text.split("\n")
        if len(pieces) > 1:
            line.append(pieces[0])
            yield from cut_line("".join(line), longest)
            for piece in pieces[1:-1]:
                yield from cut_line(piece, longest)
            line, size = [pieces[-1]], len(pieces[-1])
        else:
            line.append(text)
            size += len(text)
        if size > longest:
            *whole, rest = cut_line("".join(line), longest)
            yield from whole
            line, size = [rest], len(rest)
    pieces = normalise_newlines("".join(line) + cr + decoder.decode(b"", final=True)).split("\n")
    if pieces[-1] == "":  # the text ended with a line break (or is empty)
        pieces.pop()
    for piece in pieces:
        yield from cut_line(piece, longest)


def cut_line(line: str, longest: int) -> list[str]:
    """``line``, or its pieces of ``longest`` characters when it is longer."""
    if len(line) <= longest:
        return [line]
    return [line[start : start + longest] for start in range(0, len(line), longest)]


def split_items(items: Iterable[str]) -> Iterator[str]:
    """The lines of ``items`` (a text file iterated, say), each item a line: one trailing line break is
    dropped, and an item holding more line breaks is split at them, as :func:`split_lines` would."""
    for item in items:
        if not isinstance(item, str):  # bytes from a file opened in binary mode, say
            kind = type(item).__name__
            raise TypeError(f"a stream of text is given as str lines, not {kind} (bytes: clean_byte_stream)")
        if item.endswith("\n"):
            item = item[:-2] if item.endswith("\r\n") else item[:-1]
        elif item.endswith("\r"):
            item = item[:-1]
        item = normalise_newlines(item)
        if "\n" in item:
            yield from item.split("\n")
        else:
            yield item
