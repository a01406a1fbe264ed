"""Standard input read ahead: what tells a crawl file from a page is in its first kilobytes, and a pipe
gives them in whatever pieces its writer wrote.

A peek at a pipe returns only what one read got: ``curl URL | clean -`` hands over a WARC's first bytes
a network packet at a time, and a peek of 20 bytes of gzip data cannot tell a WARC from any other
gzip file (the WARC was refused), nor 5 bytes of an uncompressed one tell it from a page (it was
cleaned as one page). :class:`LookaheadInput` waits for as many bytes as are asked for, keeps them,
and hands them out again before the rest of the stream.
"""

from __future__ import annotations

import io
import sys
from typing import BinaryIO


class LookaheadInput(io.BufferedIOBase):
    """A stream whose :meth:`peek` waits for ``size`` bytes (or the end) without consuming them."""

    def __init__(self, stream: BinaryIO) -> None:
        super().__init__()
        self._stream = stream
        self._ahead = b""

    def readable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._stream.fileno()

    def peek(self, size: int = 1) -> bytes:
        while len(self._ahead) < size:
            chunk = self._stream.read1(size - len(self._ahead))
            if not chunk:
                break
            self._ahead += chunk
        return self._ahead

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            data, self._ahead = self._ahead + self._stream.read(), b""
            return data
        data, self._ahead = self._ahead[:size], self._ahead[size:]
        if len(data) < size:  # as a buffered read: short only at the end of the stream
            data += self._stream.read(size - len(data))
        return data

    def read1(self, size: int = -1) -> bytes:
        if self._ahead:
            return self.read(len(self._ahead) if size < 0 else min(size, len(self._ahead)))
        return self._stream.read1(size)

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def peek_standard_input(size: int) -> bytes:
    """The first ``size`` bytes of standard input (fewer at its end), left unread: standard input is
    read ahead from then on (:class:`LookaheadInput`; the CLI's own, so replacing it changes no
    caller's stream)."""
    buffer = sys.stdin.buffer
    if buffer.seekable():  # a file given as standard input, or a test's bytes
        position = buffer.tell()
        head = buffer.read(size)
        buffer.seek(position)
        return head
    if not isinstance(buffer, LookaheadInput):
        buffer = LookaheadInput(buffer)
        sys.stdin = io.TextIOWrapper(buffer, encoding=sys.stdin.encoding, errors=sys.stdin.errors)
    return buffer.peek(size)[:size]
