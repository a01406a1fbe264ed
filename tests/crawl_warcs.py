"""WARC files for the crawl tests, written byte by byte (to control every field, broken ones too)
or with warcio (as real tools write them). Everything is built in memory or in pytest's tmp_path."""

from __future__ import annotations

import gzip
import io
import json
import uuid
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import pytest

from cleaner.crawl import CrawlItem, iter_records

try:  # optional for cleaner.crawl: without it, brotli bodies are skipped (tested with it missing, too)
    import brotli
except ImportError:  # pragma: no cover - depends on the installation
    brotli = None

SHARED = Path(__file__).resolve().parents[2] / "shared"
SAMPLES = SHARED / "crawl-samples"
CORPORA = SHARED / "corpora"
DATE = "2024-05-18T01:58:10Z"

needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason="../shared/crawl-samples is not here")
needs_brotli = pytest.mark.skipif(brotli is None, reason="brotli is not installed")

# A small page with an article, a menu and a footer.
PAGE = (
    b"<html lang='en'><head><title>A day at the river</title></head><body>"
    b"<nav><a href='/'>Home</a> | <a href='/news'>News</a></nav>"
    b"<article><h1>A day at the river</h1>"
    b"<p>We walked along the river for most of the morning, stopping wherever the light was good.</p>"
    b"<p>By noon the fog had lifted and the boats were out, their sails bright against the water.</p>"
    b"</article><footer>Copyright 2024. All rights reserved.</footer></body></html>"
)

_ids = iter(range(1, 1 << 30))


def record_id() -> str:
    """A record ID that is the same from run to run (the n-th one asked for)."""
    return f"<urn:uuid:{uuid.UUID(int=next(_ids))}>"


def warc_record(
    record_type: str,
    block: bytes,
    *,
    uri: str | None = None,
    headers: Sequence[tuple[str, str]] = (),
    version: str = "1.0",
    length: int | None = None,
    rid: str | None = None,
) -> bytes:
    """One WARC record; ``length`` overrides the Content-Length (to make it lie)."""
    fields = [("WARC-Type", record_type), ("WARC-Record-ID", rid or record_id()), ("WARC-Date", DATE)]
    if uri is not None:
        fields.append(("WARC-Target-URI", uri))
    fields.extend(headers)
    fields.append(("Content-Length", str(len(block) if length is None else length)))
    head = f"WARC/{version}\r\n" + "".join(f"{key}: {value}\r\n" for key, value in fields) + "\r\n"
    return head.encode("utf-8") + block + b"\r\n\r\n"


def http_response(
    body: bytes,
    headers: Sequence[tuple[str, str]] = (("Content-Type", "text/html; charset=utf-8"),),
    status: str = "200 OK",
    line_end: bytes = b"\r\n",
) -> bytes:
    """An HTTP response as a WARC response record's block."""
    lines = [f"HTTP/1.1 {status}".encode()] + [f"{key}: {value}".encode("latin-1") for key, value in headers]
    return line_end.join(lines) + line_end + line_end + body


def response(
    uri: str, body: bytes, headers: Sequence[tuple[str, str]] | None = None, status: str = "200 OK", **kwargs
) -> bytes:
    """A response record of an HTML page (by default UTF-8, declared in the HTTP header)."""
    block = http_response(body, headers, status) if headers is not None else http_response(body, status=status)
    return warc_record(
        "response", block, uri=uri, headers=[("Content-Type", "application/http; msgtype=response")], **kwargs
    )


def request(uri: str) -> bytes:
    block = f"GET / HTTP/1.1\r\nHost: {uri.split('/')[2]}\r\n\r\n".encode()
    return warc_record("request", block, uri=uri, headers=[("Content-Type", "application/http; msgtype=request")])


def gzip_members(records: Iterable[bytes]) -> bytes:
    """Each record compressed as its own gzip member, as Common Crawl writes them."""
    return b"".join(gzip.compress(record, mtime=0) for record in records)


def member_offsets(records: Sequence[bytes]) -> list[int]:
    """Where each record's gzip member starts in :func:`gzip_members` of ``records``."""
    offsets, position = [], 0
    for record in records:
        offsets.append(position)
        position += len(gzip.compress(record, mtime=0))
    return offsets


def record_offsets(records: Sequence[bytes]) -> list[int]:
    """Where each record starts in the uncompressed concatenation of ``records``."""
    offsets, position = [], 0
    for record in records:
        offsets.append(position)
        position += len(record)
    return offsets


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def corpus_pages(per_corpus: int = 3, corpora: Sequence[str] = ("readability", "fundus", "cleaneval")) -> list[dict]:
    """The first pages of some corpora of ../shared/corpora (``html`` and ``url`` fields), or []."""
    pages = []
    for name in corpora:
        path = CORPORA / f"{name}.jsonl.gz"
        if not path.exists():
            continue
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            for _, line in zip(range(per_corpus), lines):
                page = json.loads(line)
                try:
                    page["html"].encode("utf-8")
                except UnicodeEncodeError:  # a lone surrogate: not a page a server could send
                    continue
                pages.append(page)
    return pages


def warcio_file(path: Path, pages: Sequence[tuple[str, bytes, list[tuple[str, str]]]], version: str = "1.0") -> Path:
    """A gzip-per-record WARC of (url, body, HTTP headers) responses, each after its request, written by
    warcio (a test dependency: the tests that need it are skipped without it)."""
    StatusAndHeaders = pytest.importorskip("warcio.statusandheaders").StatusAndHeaders
    WARCWriter = pytest.importorskip("warcio.warcwriter").WARCWriter
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True, warc_version=version)
        for url, body, headers in pages:
            http_request = StatusAndHeaders("GET / HTTP/1.1", [("Host", url.split("/")[2])], is_http_request=True)
            writer.write_record(writer.create_warc_record(url, "request", http_headers=http_request))
            http = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http))
    return path


class Unseekable(io.RawIOBase):
    """A stream that reads like a pipe: no seek, no tell, short reads."""

    def __init__(self, data: bytes, chunk: int = 5000) -> None:
        self._data = io.BytesIO(data)
        self._chunk = chunk

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def readinto(self, buffer) -> int:
        data = self._data.read(min(len(buffer), self._chunk))
        buffer[: len(data)] = data
        return len(data)


def chunked(body: bytes, size: int = 100) -> bytes:
    """``body`` in chunked transfer coding."""
    parts = [b"%x\r\n%s\r\n" % (len(body[i : i + size]), body[i : i + size]) for i in range(0, len(body), size)]
    return b"".join(parts) + b"0\r\n\r\n"


def pages_of(items: Iterable) -> Iterator:
    return (item for item in items if item.is_page)


def one_page(path, **kwargs) -> CrawlItem:
    """The one page of a crawl file (its other records are not pages)."""
    pages = [item for item in iter_records(path, **kwargs) if item.is_page]
    assert len(pages) == 1, [item.message() for item in iter_records(path)]
    return pages[0]


def html_file(tmp_path, body: bytes, headers, name="page.warc.gz"):
    """A WARC file of one response to http://example.com/a with these HTTP headers and body."""
    return write(tmp_path / name, gzip_members([response("http://example.com/a", body, headers)]))
