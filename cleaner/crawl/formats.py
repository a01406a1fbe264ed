"""Recognising crawl files by their content, and opening them for streaming.

A WARC file starts with a version line (``WARC/1.0``, ``WARC/1.1``, or ``WARC/0.18`` in crawls of
2008-2009 such as ClueWeb09), either as is or inside a gzip stream (Common Crawl compresses each
record as its own gzip member). WET and WAT files are WARC files too: their records are
``conversion`` and ``metadata`` records.
"""

from __future__ import annotations

import io
import os
import re
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import BinaryIO

from cleaner.crawl.errors import CrawlError

GZIP_MAGIC = b"\x1f\x8b"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
# How much of a file is read to recognise it: the first record's version line is at its very start,
# but a gzip member's header can carry a file name and comment before the compressed data begins.
SNIFF_BYTES = 4096
# What a WARC file starts with once decompressed: the version line of its first record. Versions
# before 1.0 (0.17, 0.18) were drafts; the crawls that used them are still studied.
_VERSION_LINE = re.compile(rb"WARC/(?:0\.1[6-9]|1\.[0-9])\r?\n")
# The decompressed bytes needed to see the version line.
_VERSION_BYTES = 16
# How much of a gzip-compressed file is read to tell whether it was compressed whole, and decompressed
# at a time: enough for a first record of a few megabytes.
_PROBE_BYTES = 1 << 20
_PROBE_PIECE = 1 << 16
_CONTENT_LENGTH = re.compile(rb"^content-length[ \t]*:[ \t]*(\d+)[ \t]*\r?$", re.IGNORECASE | re.MULTILINE)


def sniff_crawl(head: bytes) -> str | None:
    """``"warc"`` when ``head`` (the first bytes of a file, ideally :data:`SNIFF_BYTES`) is the
    start of a WARC, WET or WAT file, gzip-compressed or not; else None.

    Only the content counts, not a file name: a CLI can call this on any input it was given.
    """
    if head.startswith(GZIP_MAGIC):
        head = gunzip_start(head)
    return "warc" if _VERSION_LINE.match(head) else None


def gunzip_start(head: bytes) -> bytes:
    """The first decompressed bytes of a gzip stream's start, or b"" when it is not gzip data."""
    try:
        return zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(head, _VERSION_BYTES)
    except zlib.error:
        return b""


def block_end(data: bytes) -> int | None:
    """Where the block of the WARC record that ``data`` starts with ends (after its header, its
    Content-Length bytes on), or None when ``data`` holds no whole header with a Content-Length."""
    ends = [found + len(end) for end in (b"\r\n\r\n", b"\n\n") if (found := data.find(end)) >= 0]
    if not ends:
        return None
    header_end = min(ends)
    length = _CONTENT_LENGTH.search(data, 0, header_end)
    return None if length is None else header_end + int(length.group(1))


def compressed_whole(head: bytes) -> bool:
    """Whether ``head``, the start of a gzip-compressed WARC file, shows a first gzip member holding more
    than the first record: the file was compressed whole (``gzip file.warc``), not record by record,
    and its records have no offset of their own to seek to. False when ``head`` does not show it (a
    first record longer than what ``head`` decompresses to)."""
    if not head.startswith(GZIP_MAGIC):
        return False
    decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
    data = b""
    record_end = None
    try:
        # Decompressed a piece at a time, up to the first record's end and a version line's worth more.
        while not decompressor.eof and (record_end is None or len(data) < record_end + _VERSION_BYTES):
            piece = decompressor.decompress(decompressor.unconsumed_tail or head, _PROBE_PIECE)
            head = b""
            if not piece:
                break
            data += piece
            if record_end is None:
                record_end = block_end(data)
    except zlib.error:
        return False
    if record_end is None:
        return False
    after = data.find(b"WARC/", record_end)  # after the line ends that close the first record
    return after >= 0 and _VERSION_LINE.match(data, after) is not None


def describe_non_warc(head: bytes) -> str:
    """Why ``head`` is not the start of a WARC file, for an error message."""
    if not head:
        return "the file is empty, not a WARC file"
    if head.startswith(GZIP_MAGIC):
        start = gunzip_start(head)
        if not start:
            return "gzip data that cannot be decompressed, not a WARC file"
        return f"a gzip file of something else than WARC records (it starts with {start[:12]!r})"
    if head.startswith(ZSTD_MAGIC):
        return "zstd-compressed data: only gzip-compressed or uncompressed WARC files are read"
    return f"not a WARC file (it starts with {head[:12]!r}, not a WARC/1.x version line)"


class _ReplayingReader:
    """A stream that cannot seek, with its first bytes (already read to sniff it) put back in front.

    Has the read() and tell() that the WARC parser calls.
    """

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = head
        self._rest = rest
        self._position = 0

    def read(self, size: int = -1) -> bytes:
        if self._head:
            if size is None or size < 0:
                data, self._head = self._head + self._rest.read(), b""
            else:
                data, self._head = self._head[:size], self._head[size:]
        else:
            data = self._rest.read(size)
        self._position += len(data)
        return data

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        raise io.UnsupportedOperation("this stream cannot seek")

    def close(self) -> None:
        """The caller's stream stays open: whoever opened it closes it."""


@dataclass
class OpenedCrawl:
    """A crawl file opened for reading: what the WARC parser reads, and what error messages need."""

    name: str
    """The path, or the stream's name, for messages."""
    stream: BinaryIO | _ReplayingReader
    """Positioned at the file's first byte."""
    head: bytes
    """The first bytes of the file, as read to sniff it."""
    base: int
    """Where the file starts in ``stream`` (a caller's stream may be handed over part-way): offsets
    are counted from the stream's start, as ``seek()`` takes them."""
    seekable: bool
    """Whether damage can be located by reading again from a record's offset."""
    size: int | None
    """The file's size in bytes, when known."""
    compressed_whole: bool = False
    """A gzip-compressed file compressed whole, not record by record (:func:`compressed_whole`)."""


@contextmanager
def open_crawl(source: str | os.PathLike[str] | BinaryIO) -> Iterator[OpenedCrawl]:
    """Open a path (closed again on exit) or wrap a binary stream (left open), and check that it
    is a WARC file. Raises :class:`CrawlError` when it is not, or cannot be opened."""
    if isinstance(source, (str, os.PathLike)):
        name = os.fspath(source)
        try:
            stream: BinaryIO = open(name, "rb")  # noqa: SIM115 - closed below, when the reading ends
        except OSError as exc:
            raise CrawlError(name, None, f"cannot open: {exc.strerror or exc}") from exc
        with stream:
            yield _opened(name, stream)
        return
    name = str(getattr(source, "name", "<stream>"))
    yield _opened(name, source)


def _opened(name: str, stream: BinaryIO) -> OpenedCrawl:
    seekable = _is_seekable(stream)
    base = stream.tell() if seekable else 0
    try:
        head = stream.read(SNIFF_BYTES)
    except OSError as exc:
        raise CrawlError(name, None, f"cannot read: {exc}") from exc
    if not isinstance(head, bytes):
        raise TypeError(f"a crawl is read from a binary stream, not {type(stream).__name__}")
    if sniff_crawl(head) is None:
        raise CrawlError(name, base, describe_non_warc(head))
    size = None
    if seekable:
        stream.seek(base)
        size = _size_of(stream, base)
        whole = head.startswith(GZIP_MAGIC) and compressed_whole(_probe(stream))
        stream.seek(base)
        return OpenedCrawl(name, stream, head, base, True, size, whole)
    return OpenedCrawl(name, _ReplayingReader(head, stream), head, base, False, size, compressed_whole(head))


def _probe(stream: BinaryIO) -> bytes:
    """The start of a seekable file, enough for :func:`compressed_whole` (b"" when it cannot be read:
    reading the file says why)."""
    try:
        return stream.read(_PROBE_BYTES)
    except OSError:
        return b""


def _is_seekable(stream: BinaryIO) -> bool:
    try:
        return bool(stream.seekable())
    except (AttributeError, ValueError, OSError):
        return False


def _size_of(stream: BinaryIO, base: int) -> int | None:
    try:
        return os.fstat(stream.fileno()).st_size - base
    except (AttributeError, OSError, io.UnsupportedOperation):
        end = stream.seek(0, io.SEEK_END)
        stream.seek(base)
        return end - base
