"""Reading a WARC, WET or WAT file record by record, as items ready to clean.

Reading is separate from cleaning so that a caller can read in one process and clean in several:
each :class:`CrawlItem` is small, picklable, and carries the page already decoded. Memory stays
bounded whatever the file's size: one record is held at a time, and a record's body is read only
when it is a page no longer than ``max_payload_bytes``; other bodies are skipped over, not read.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import BinaryIO, Literal

from cleaner.crawl.damage import MAX_HEADER_BYTES, only_padding, record_end
from cleaner.crawl.errors import CrawlError
from cleaner.crawl.formats import OpenedCrawl, open_crawl
from cleaner.crawl.http import (
    MAX_HEAD_BYTES,
    PayloadError,
    PayloadSkipped,
    decode_body,
    head_length,
    media_type,
    parse_response_head,
)
from cleaner.crawl.pages import (
    binary_kind,
    decode_page,
    is_generic_type,
    is_html_type,
    media_kind,
    page_language,
    sniff_html,
)
from cleaner.crawl.stats import CrawlStats

try:
    from fastwarc.warc import ArchiveIterator, WarcRecord
except ImportError:  # pragma: no cover - depends on the installation
    ArchiveIterator = WarcRecord = None  # type: ignore[assignment,misc]

# The longest page that is read and cleaned: Common Crawl cuts records at 1 MiB, and a longer page
# is seldom an article, but takes seconds and hundreds of MB to parse.
DEFAULT_MAX_PAYLOAD_BYTES = 16 << 20
# Bytes read from a record at a time.
_READ_CHUNK = 1 << 20
# The record types of the WARC standard; any other is counted as "other".
_RECORD_TYPES = frozenset(
    {"warcinfo", "response", "resource", "request", "metadata", "revisit", "conversion", "continuation"}
)

ItemStatus = Literal["page", "skipped", "error"]


@dataclass(frozen=True)
class CrawlItem:
    """One record of a crawl file: a page ready to clean, or why it is skipped or failed."""

    source: str
    """The file (or stream name) it was read from."""
    offset: int
    """Where the record starts in the file (for a gzip-per-record file, its gzip member's offset)."""
    record_type: str
    """The WARC-Type: ``"response"``, ``"conversion"``, ``"request"``..."""
    status: ItemStatus
    """``"page"``: ``payload`` is to be cleaned; ``"skipped"`` or ``"error"``: see ``reason``."""
    reason: str | None = None
    """Skipped: the kind it is counted under (``"request"``, ``"image"``, ``"redirect"``...);
    error: what went wrong."""
    detail: str | None = None
    """Skipped: more about why (a media type, a size), when there is more to say."""
    url: str | None = None
    """WARC-Target-URI."""
    record_id: str | None = None
    """WARC-Record-ID, as written (``"<urn:uuid:...>"``)."""
    date: str | None = None
    """WARC-Date, as written (old crawls have dates that are not ISO dates)."""
    input_format: Literal["html", "text"] | None = None
    """How a page is cleaned: ``"html"`` (a WARC response) or ``"text"`` (a WET conversion record)."""
    payload: str | bytes | None = None
    """A page: text decoded with the charset its HTTP header names, or the bytes for the HTML reader
    to decode (from the page's own declaration, or by detection)."""
    language: str | None = None
    """The language the record or page declares, as written, when it declares one."""
    http_status: int | None = None
    media_type: str | None = None
    """The HTTP Content-Type's media type (``"text/html"``), or ``""`` when it has none."""
    charset: str | None = None
    """The codec the payload was decoded with, when it was decoded here."""
    length: int = 0
    """The record's Content-Length."""
    truncated: str | None = None
    """WARC-Truncated: why the crawler cut the record short (``"length"``...), when it did."""
    located: bool = True
    """False in a file gzip-compressed whole (``gzip file.warc``), whose records have no offset of their
    own to seek to: ``offset`` is then only where the parser was reading (results carry none)."""

    @property
    def is_page(self) -> bool:
        return self.status == "page"

    @property
    def location(self) -> str:
        """``"<file>:<offset>"``."""
        return f"{self.source}:{self.offset}"

    def message(self) -> str:
        """``"<file>:<offset>: <reason>"``, for logs."""
        detail = f" ({self.detail})" if self.detail else ""
        return f"{self.location}: {self.status} {self.reason or ''}{detail}".rstrip()


def iter_records(
    source: str | os.PathLike[str] | BinaryIO,
    *,
    stats: CrawlStats | None = None,
    max_payload_bytes: int = DEFAULT_MAX_PAYLOAD_BYTES,
) -> Iterator[CrawlItem]:
    """Every record of a WARC, WET or WAT file (a path, or a binary stream read from its current
    position), in order, as a :class:`CrawlItem`.

    ``stats`` (when given) counts what is read. Raises :class:`CrawlError` when the input is not a
    WARC file (at the first ``next()``), and, after yielding every record before it, when the file
    is truncated or corrupt: the error names the file and the offset where reading stopped.
    """
    if ArchiveIterator is None:
        raise CrawlError(str(source), None, "reading WARC files needs the fastwarc package (pip install fastwarc)")
    if max_payload_bytes < 1:
        raise ValueError(f"max_payload_bytes must be positive, not {max_payload_bytes}")
    counts = stats if stats is not None else CrawlStats()
    try:
        with open_crawl(source) as crawl:
            counts.files += 1
            counts.file_bytes += crawl.size or 0
            for item in _RecordReader(crawl, max_payload_bytes).items():
                counts.count(item)
                yield item
            if crawl.size is None:  # a stream read to its end: its size is what was read
                counts.file_bytes += crawl.stream.tell() - crawl.base
    except CrawlError as exc:
        counts.error(str(exc))
        raise


class _RecordReader:
    """Turns the records of one opened file into items, and finds where a damaged file stops."""

    def __init__(self, crawl: OpenedCrawl, max_payload_bytes: int) -> None:
        self.crawl = crawl
        self.limit = max_payload_bytes

    def items(self) -> Iterator[CrawlItem]:
        records = ArchiveIterator(self.crawl.stream, parse_http=False, max_header_len=MAX_HEADER_BYTES)
        last: int | None = None  # the offset of the last record read whole
        located = not self.crawl.compressed_whole
        while True:
            try:
                record = next(records)
            except StopIteration:
                break
            except Exception as exc:  # the parser's errors are OSError, ValueError...: all mean damage
                damage = self._damage_after(last, exc)
                if damage is None:  # padding after the last record, which the parser does not expect
                    break
                raise damage from exc
            offset = record.stream_pos  # counted from the stream's start, as seek() takes it
            # Records sharing an offset are read from one gzip member: a file compressed whole.
            located = located and (last is None or offset > last)
            item = self._item(record, offset)
            if not located:
                item = replace(item, located=False)
            last = offset
            yield item
        self._check_end(last)

    # -- one record ---------------------------------------------------------------------------

    def _item(self, record: WarcRecord, offset: int) -> CrawlItem:
        headers = record.headers
        record_type = (headers.get("WARC-Type") or "").strip().lower()
        length_value = headers.get("Content-Length")
        if not record_type or length_value is None:
            raise CrawlError(self.crawl.name, offset, "not a whole WARC record: the file is truncated or corrupt here")
        try:
            declared = int(length_value.strip())
        except ValueError:
            raise CrawlError(self.crawl.name, offset, f"Content-Length {length_value!r} is not a number") from None
        if declared != record.content_length:
            raise CrawlError(self.crawl.name, offset, f"the WARC parser cannot read Content-Length {length_value!r}")
        item = CrawlItem(
            source=self.crawl.name,
            offset=offset,
            record_type=record_type if record_type in _RECORD_TYPES else "other",
            status="skipped",
            url=_target_uri(headers.get("WARC-Target-URI")),
            record_id=headers.get("WARC-Record-ID"),
            date=headers.get("WARC-Date"),
            length=declared,
            truncated=headers.get("WARC-Truncated"),
        )
        if record_type == "response":
            return self._response(record, item)
        if record_type == "conversion":
            return self._conversion(record, item)
        self._skip_rest(record, item, 0)
        return replace(item, reason=item.record_type)

    def _response(self, record: WarcRecord, item: CrawlItem) -> CrawlItem:
        block_type = media_type(record.headers.get("Content-Type"))[0]
        if block_type and "http" not in block_type:  # e.g. Heritrix's DNS lookups, "text/dns"
            self._skip_rest(record, item, 0)
            return replace(item, reason="not http", detail=block_type)
        if not item.length:  # a fetch that got nothing (a reset connection) is still recorded
            return replace(item, reason="empty")
        first = self._read(record, item, min(item.length, MAX_HEAD_BYTES), 0)
        end = head_length(first)
        if end is None:
            if len(first) < item.length:
                self._skip_rest(record, item, len(first))
                return _failed(item, f"no end of the HTTP header in its first {MAX_HEAD_BYTES} bytes")
            end = len(first)  # a response without a body: its header ends with the record
        try:
            response = parse_response_head(first, end)
        except PayloadError as exc:
            self._skip_rest(record, item, len(first))
            return _failed(item, str(exc))
        media, params = media_type(response.header("content-type"))
        item = replace(item, http_status=response.status, media_type=media)
        skip = _skip_kind(response.status, media) or ("empty" if item.length == end else None)
        if skip is None and item.length - end > self.limit:
            skip = "too large"
        if skip is not None:
            self._skip_rest(record, item, len(first))
            return replace(item, reason=skip, detail=_skip_detail(skip, item, end, self.limit))
        body = first[end:] + self._read(record, item, item.length - len(first), len(first))
        try:
            body = decode_body(body, response, self.limit)
        except PayloadSkipped as exc:
            return replace(item, reason=exc.kind, detail=str(exc))
        except PayloadError as exc:
            return _failed(item, str(exc))
        return self._html_page(item, record, response.header("content-language"), body, params.get("charset"))

    def _html_page(
        self, item: CrawlItem, record: WarcRecord, content_language: str | None, body: bytes, charset: str | None
    ) -> CrawlItem:
        """The page item of a decoded HTML (or maybe-HTML) body, or why it is skipped."""
        if not body.strip():
            return replace(item, reason="empty")
        if binary_kind(body) is not None:
            return replace(item, reason="binary", detail=item.media_type or None)
        # The type the crawler detected in the body (Common Crawl's WARC-Identified-Payload-Type).
        identified = media_type(record.headers.get("WARC-Identified-Payload-Type"))[0]
        if not is_html_type(item.media_type or ""):
            if not (sniff_html(body) or is_html_type(identified)):
                return replace(item, reason="not html", detail="sniffed: no HTML start")
        elif (kind := media_kind(identified)) in _NOT_PAGE_KINDS and not sniff_html(body):
            # Served as HTML, detected as data (PHP's default type on a JSON endpoint): no page, as
            # datatrove's WarcReader, which reads the detected type, leaves it out too.
            return replace(item, reason=kind, detail=f"served as {item.media_type}, detected as {identified}")
        payload, codec = decode_page(body, charset)
        language = page_language(payload, content_language)
        return replace(item, status="page", input_format="html", payload=payload, charset=codec, language=language)

    def _conversion(self, record: WarcRecord, item: CrawlItem) -> CrawlItem:
        """A WET record: the text of a page, UTF-8 by the format's definition."""
        block_type = media_type(record.headers.get("Content-Type"))[0]
        if block_type and not block_type.startswith("text/"):
            self._skip_rest(record, item, 0)
            return replace(item, reason="not text", detail=block_type)
        if item.length > self.limit:
            self._skip_rest(record, item, 0)
            return replace(item, reason="too large", detail=_skip_detail("too large", item, 0, self.limit))
        text = self._read(record, item, item.length, 0).decode("utf-8", errors="replace")
        if not text.strip():
            return replace(item, reason="empty")
        language = (record.headers.get("WARC-Identified-Content-Language") or "").strip() or None
        return replace(item, status="page", input_format="text", payload=text, language=language)

    # -- reading a record's block ---------------------------------------------------------------

    def _read(self, record: WarcRecord, item: CrawlItem, size: int, done: int) -> bytes:
        """The next ``size`` bytes of the record's block (``done`` bytes of it read before)."""
        parts = []
        got = 0
        while got < size:
            try:
                chunk = record.reader.read(min(size - got, _READ_CHUNK))
            except Exception as exc:  # the parser's decompression errors
                raise CrawlError(self.crawl.name, item.offset, f"corrupt record: {exc}") from exc
            if not chunk:
                raise self._truncated(item, done + got)
            parts.append(chunk)
            got += len(chunk)
        return b"".join(parts)

    def _skip_rest(self, record: WarcRecord, item: CrawlItem, done: int) -> None:
        """Skip over the rest of the block without holding it in memory, checking that it is all there."""
        try:
            skipped = record.reader.consume()
        except Exception as exc:
            raise CrawlError(self.crawl.name, item.offset, f"corrupt record: {exc}") from exc
        if done + skipped < item.length:
            raise self._truncated(item, done + skipped)

    def _truncated(self, item: CrawlItem, got: int) -> CrawlError:
        return CrawlError(
            self.crawl.name,
            item.offset,
            f"truncated: the {item.record_type} record here declares {item.length} bytes, "
            f"but the file ends after {got} of them",
        )

    # -- damage ---------------------------------------------------------------------------------

    def _damage_after(self, last: int | None, exc: Exception) -> CrawlError | None:
        """The error for data that is not a WARC record, found after the record at offset ``last``;
        None when that data is only padding to the end of the file (see :func:`only_padding`)."""
        crawl = self.crawl
        if last is None:
            return CrawlError(crawl.name, crawl.base, f"no WARC record could be read here ({exc})")
        end = record_end(crawl.stream, last) if crawl.seekable else None  # type: ignore[arg-type]
        if end is None:
            return CrawlError(crawl.name, last, f"the data after the record here is not a WARC record ({exc})")
        if self._only_padding_from(end):
            return None
        return CrawlError(
            crawl.name,
            end,
            f"not a WARC record here: the file is corrupt, or the record at byte {last} "
            f"declares a wrong Content-Length ({exc})",
        )

    def _check_end(self, last: int | None) -> None:
        """Raise :class:`CrawlError` when the parser stopped before the end of the file."""
        crawl = self.crawl
        if last is None:
            raise CrawlError(crawl.name, crawl.base, "no WARC record could be read: the file is truncated or corrupt")
        if not crawl.seekable or crawl.size is None:
            return
        end = record_end(crawl.stream, last)  # type: ignore[arg-type]
        if end is not None and end < crawl.base + crawl.size and not self._only_padding_from(end):
            raise CrawlError(crawl.name, end, "the data after the last record is not a WARC record")

    def _only_padding_from(self, end: int) -> bool:
        """Whether the file holds only padding from ``end`` to its end (its size known)."""
        crawl = self.crawl
        return crawl.size is not None and only_padding(crawl.stream, end, crawl.base + crawl.size)  # type: ignore[arg-type]


# Kinds of body that are data, not a page, when the crawler's detection says so (see _html_page).
_NOT_PAGE_KINDS = frozenset({"json", "script", "css"})


def _failed(item: CrawlItem, reason: str) -> CrawlItem:
    return replace(item, status="error", reason=reason)


def _target_uri(value: str | None) -> str | None:
    """The URI without the angle brackets that some WARC/1.1 writers put around it."""
    if value is None:
        return None
    value = value.strip()
    return value[1:-1] if value.startswith("<") and value.endswith(">") else value


def _skip_kind(status: int, media: str) -> str | None:
    """The kind a response is skipped as, judging by its status and media type; None for a page."""
    if 300 <= status < 400:
        return "redirect" if status != 304 else "not modified"
    if status < 200 or status == 204:
        return "no content"
    if status >= 400:
        return "http error"
    if is_html_type(media) or is_generic_type(media):
        return None
    return media_kind(media)


def _skip_detail(kind: str, item: CrawlItem, head: int, limit: int) -> str | None:
    if kind == "too large":
        return f"{item.length - head} bytes, more than the limit of {limit}"
    if kind in ("redirect", "not modified", "no content", "http error"):
        return f"HTTP {item.http_status}"
    return item.media_type or None
