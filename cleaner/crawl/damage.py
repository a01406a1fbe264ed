"""Locating damage in a crawl file: where a record ends, read again from its offset.

The WARC parser reports that the data after a record is not a record, but not where that data
starts. Reading the last good record again (its gzip member, or its header and Content-Length)
gives the byte where the damage begins, for an error message a user can act on.
"""

from __future__ import annotations

import zlib
from typing import Protocol

from cleaner.crawl.formats import GZIP_MAGIC, block_end

# Bytes read at a time when re-reading a record.
_CHUNK = 1 << 16
# The most decompressed bytes one gzip member may hold for its end to be looked for: a file
# compressed as one gzip stream has no member per record, and is not decompressed to the end.
_MAX_MEMBER_BYTES = 256 << 20
# The longest WARC header read (fastwarc's own limit is 32 KiB): a record whose target URI runs to tens
# of kilobytes (a search page's query) is read, not taken for damage that loses the rest of the file.
MAX_HEADER_BYTES = 1 << 20
# How much of what follows the last record is checked for being only padding.
_MAX_TRAILER_BYTES = 1 << 16


class SeekableStream(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...
    def seek(self, offset: int, whence: int = 0, /) -> int: ...


def record_end(stream: SeekableStream, offset: int) -> int | None:
    """The offset just past the record (or gzip member) that starts at ``offset``, or None when
    that cannot be told (the data there is not a whole record)."""
    stream.seek(offset)
    if stream.read(len(GZIP_MAGIC)) == GZIP_MAGIC:
        stream.seek(offset)
        return _member_end(stream, offset)
    stream.seek(offset)
    return _plain_record_end(stream, offset)


def _member_end(stream: SeekableStream, offset: int) -> int | None:
    decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
    fed = produced = 0
    while not decompressor.eof:
        chunk = stream.read(_CHUNK)
        if not chunk:
            return None  # the member is cut off
        fed += len(chunk)
        data = chunk
        try:
            while data and not decompressor.eof:
                # Bounded output per call: a small chunk can expand to a lot.
                produced += len(decompressor.decompress(data, _CHUNK))
                data = decompressor.unconsumed_tail
        except zlib.error:
            return None
        if produced > _MAX_MEMBER_BYTES:
            return None
    return offset + fed - len(decompressor.unused_data)


def _plain_record_end(stream: SeekableStream, offset: int) -> int | None:
    head = stream.read(MAX_HEADER_BYTES)
    block = block_end(head) if head.startswith(b"WARC/") else None
    if block is None:
        return None
    end = offset + block
    # The record's block is followed by two line ends (CRLF CRLF, or LF LF from lenient writers).
    stream.seek(end)
    after = stream.read(4)
    for separator in (b"\r\n\r\n", b"\n\n"):
        if after.startswith(separator):
            return end + len(separator)
    return end


def only_padding(stream: SeekableStream, offset: int, size: int) -> bool:
    """Whether the bytes from ``offset`` to ``size`` are only white space or NUL padding (as some
    writers leave at the end of a file), not data that was meant to be read."""
    stream.seek(offset)
    rest = stream.read(min(size - offset, _MAX_TRAILER_BYTES))
    return not rest.strip(b" \t\r\n\x00") and size - offset <= _MAX_TRAILER_BYTES
