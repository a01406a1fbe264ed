"""The HTTP message inside a WARC response record: status, headers, and the body as the server meant it.

Crawlers differ in what they store. Common Crawl stores the body already decoded and renames the
headers (``X-Crawler-Content-Encoding``); ClueWeb09 stores it decoded under the original
``Content-Encoding: gzip`` header, with bare LF line ends. So a declared encoding is undone only
when the body really is encoded that way; a body that is already plain is taken as it is.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

try:  # Brotli is optional: without it, brotli-encoded bodies are skipped with a message.
    import brotli
except ImportError:  # pragma: no cover - depends on the installation
    brotli = None

# The most header bytes looked at before a response is declared malformed.
MAX_HEAD_BYTES = 64 * 1024
# How much of a body is looked at to tell text from binary data.
_SNIFF_BYTES = 1024
# Control bytes that text practically never contains (tab, LF, FF, CR and ESC are allowed: ESC
# starts ISO-2022-JP sequences).
_BINARY_BYTES = bytes(set(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D, 0x1B})
# Share of such bytes above which a body is binary.
_BINARY_SHARE = 0.01

_STATUS_LINE = re.compile(rb"HTTP/\d(?:\.\d)?[ \t]+(\d{3})\b")
_CHUNK_SIZE_LINE = re.compile(rb"([0-9A-Fa-f]{1,16})[ \t]*(?:;[^\r\n]*)?\r?\n")
# What is left of a body cut off after a chunk's data: part of the line break ending it, part of the
# next size line (digits, an extension), or nothing.
_CUT_CHUNK_END = re.compile(rb"\r?\n?[0-9a-fA-F]*[ \t]*(?:;[^\r\n]*)?\r?")
_HEADER_ENDS = (b"\r\n\r\n", b"\n\n")


class PayloadError(ValueError):
    """A record's HTTP message or body cannot be decoded."""


class PayloadSkipped(ValueError):
    """A record's body is left out on purpose (too large, an encoding that cannot be undone).

    ``kind`` is the short name it is counted under; the message says more."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class HttpResponse:
    """The status and headers of an HTTP response; ``head_length`` bytes of the record precede the body."""

    status: int
    headers: tuple[tuple[str, str], ...]
    """(lower-cased name, value) in order; folded lines joined."""
    head_length: int

    def header(self, name: str) -> str | None:
        """The last value of header ``name`` (case-insensitive), or None."""
        name = name.lower()
        found = None
        for key, value in self.headers:
            if key == name:
                found = value
        return found

    def tokens(self, name: str) -> list[str]:
        """The comma-separated, lower-cased tokens of every ``name`` header, in order."""
        name = name.lower()
        return [
            token.strip().lower()
            for key, value in self.headers
            if key == name
            for token in value.split(",")
            if token.strip()
        ]


def head_length(data: bytes) -> int | None:
    """Where the body starts: after the first blank line (CRLF CRLF, or LF LF as ClueWeb09 writes
    it) that follows the status line, or None when ``data`` holds no blank line."""
    start = len(data) - len(data.lstrip(b"\r\n"))  # stray line ends before the status line
    ends = [(found + len(end)) for end in _HEADER_ENDS if (found := data.find(end, start)) >= 0]
    return min(ends) if ends else None


def parse_response_head(data: bytes, length: int) -> HttpResponse:
    """Parse the status line and headers in ``data[:length]``. Raises :class:`PayloadError` when it is
    not an HTTP response."""
    lines = data[:length].decode("iso-8859-1").replace("\r\n", "\n").lstrip("\n").split("\n")
    status = _STATUS_LINE.match(lines[0].encode("iso-8859-1"))
    if status is None:
        raise PayloadError(f"not an HTTP response: it starts with {lines[0][:40]!r}")
    headers: list[tuple[str, str]] = []
    for line in lines[1:]:
        if not line.strip():
            continue
        if line[0] in " \t" and headers:  # a folded line continues the previous header
            key, value = headers[-1]
            headers[-1] = (key, f"{value} {line.strip()}")
            continue
        key, colon, value = line.partition(":")
        if colon:
            headers.append((key.strip().lower(), value.strip()))
    return HttpResponse(int(status.group(1)), tuple(headers), length)


# A media type as the MIME standard writes one: type "/" subtype, each a token.
_MEDIA_TYPE_RE = re.compile(r"[!#$%&'*+.^_`|~0-9a-z-]+/[!#$%&'*+.^_`|~0-9a-z-]+")


def media_type(content_type: str | None) -> tuple[str, dict[str, str]]:
    """The lower-cased media type (``""`` when there is none) and the parameters of a Content-Type value.

    As browsers read it (the Fetch standard): of values joined by commas ("text/html, text/html"), the
    last valid one; a value that is not a media type ("text/html charset=utf-8") counts as none, and
    the body is then sniffed as for a missing type."""
    if not content_type:
        return "", {}
    found: tuple[str, dict[str, str]] = ("", {})
    for value in content_type.split(","):
        kind, *params = value.split(";")
        kind = kind.strip().lower()
        if _MEDIA_TYPE_RE.fullmatch(kind) is None or kind == "*/*":
            continue
        parameters = {}
        for param in params:
            key, equals, setting = param.partition("=")
            if equals:
                parameters[key.strip().lower()] = setting.strip().strip("\"'").strip()
        found = (kind, parameters)
    return found


def decode_body(body: bytes, response: HttpResponse, limit: int) -> bytes:
    """The body with its transfer and content encodings undone, at most ``limit`` bytes.

    Raises :class:`PayloadSkipped` when it would be longer, or its encoding cannot be undone here,
    and :class:`PayloadError` when it is corrupt.
    """
    if "chunked" in response.tokens("transfer-encoding"):
        body = dechunk(body)
    codings = [c for c in response.tokens("content-encoding") if c not in ("identity", "none")]
    for coding in reversed(codings):  # the last coding applied is undone first
        decoded = _undo_coding(body, coding, limit)
        if decoded is None:  # the body is not encoded this way: the crawler stored it decoded
            break
        body = decoded
    if len(body) > limit:
        raise PayloadSkipped("too large", f"the body has {len(body)} bytes, more than the limit of {limit}")
    return body


def dechunk(body: bytes) -> bytes:
    """The data of a body in chunked transfer coding. A body that does not start with a chunk size
    line is returned as it is (crawlers often store it already joined); a body cut off in a chunk
    (a truncated record) keeps what it has."""
    if not _CHUNK_SIZE_LINE.match(body):
        return body
    parts = []
    position = 0
    while True:
        line = _CHUNK_SIZE_LINE.match(body, position)
        if line is None:
            if _CUT_CHUNK_END.fullmatch(body, position) is not None:
                break  # cut off before the last chunk, or in the line ending a chunk or giving the next's size
            raise PayloadError(f"malformed chunked body at byte {position} of the body")
        size = int(line.group(1), 16)
        if size == 0:
            break
        start = line.end()
        parts.append(body[start : start + size])
        position = start + size
        if body.startswith(b"\r\n", position):
            position += 2
        elif body.startswith(b"\n", position):
            position += 1
    return b"".join(parts)


def _undo_coding(body: bytes, coding: str, limit: int) -> bytes | None:
    """``body`` decoded from ``coding``; None when it is not encoded that way."""
    if coding in ("gzip", "x-gzip"):
        if not body.startswith(b"\x1f\x8b"):
            return None
        return _inflate(body, zlib.MAX_WBITS | 16, limit, coding)
    if coding == "deflate":
        # Servers send either zlib-wrapped data (what the standard says) or a raw deflate stream.
        for wbits in (zlib.MAX_WBITS, -zlib.MAX_WBITS):
            try:
                return _inflate(body, wbits, limit, coding)
            except PayloadError:
                continue
        if looks_like_text(body):
            return None
        raise PayloadError("corrupt deflate body")
    if coding == "br":
        return _unbrotli(body, limit)
    if looks_like_text(body):
        return None  # an encoding we cannot undo, but the stored body is already plain
    raise PayloadSkipped("content-encoding", f"Content-Encoding {coding!r} is not supported")


def _inflate(body: bytes, wbits: int, limit: int, coding: str) -> bytes:
    decompressor = zlib.decompressobj(wbits)
    try:
        data = decompressor.decompress(body, limit + 1)
    except zlib.error as exc:
        raise PayloadError(f"corrupt {coding} body: {exc}") from exc
    if len(data) > limit:
        raise PayloadSkipped("too large", f"the {coding} body expands to more than the limit of {limit} bytes")
    if not data and not decompressor.eof:
        raise PayloadError(f"corrupt {coding} body: nothing could be decompressed")
    # A stream cut off in the middle (a truncated record) keeps the part that was decompressed.
    return data


def _unbrotli(body: bytes, limit: int) -> bytes | None:
    if brotli is None:
        if looks_like_text(body):
            return None
        raise PayloadSkipped("content-encoding", "Content-Encoding 'br' needs the brotli package, not installed")
    # Brotli has no magic number: an already-decoded body is recognised by failing to decompress.
    try:
        data = brotli.Decompressor().process(body, output_buffer_limit=limit + 1)
    except brotli.error as exc:
        if looks_like_text(body):
            return None
        raise PayloadError(f"corrupt br body: {exc}") from exc
    if len(data) > limit:
        raise PayloadSkipped("too large", f"the br body expands to more than the limit of {limit} bytes")
    return data


def looks_like_text(body: bytes) -> bool:
    """Whether the start of ``body`` is text (in any ASCII-compatible charset), not binary data."""
    head = body[:_SNIFF_BYTES]
    if not head:
        return True
    control = len(head) - len(head.translate(None, _BINARY_BYTES))
    return control <= len(head) * _BINARY_SHARE
