"""cleaner.crawl on what goes wrong: records that cannot be decoded are reported and skipped, and
damaged files (empty, not a crawl, truncated, corrupt gzip members, lengths that lie, garbage after
the last record) give an error that names the file and the offset, after every good record.
The files are written here, into tmp_path, with every field under control."""

from __future__ import annotations

import gzip
import tracemalloc

import pytest
from crawl_warcs import (
    PAGE,
    Unseekable,
    brotli,
    gzip_members,
    html_file,
    http_response,
    member_offsets,
    needs_brotli,
    one_page,
    record_offsets,
    response,
    write,
)

from cleaner.crawl import (
    CrawlError,
    CrawlItem,
    CrawlStats,
    RecordError,
    clean_item,
    iter_cleaned,
    iter_records,
)

# -- records that cannot be decoded ---------------------------------------------------------------


def test_undecodable_record_is_reported_and_skipped(tmp_path, shipped_cleaner):
    broken = gzip.compress(PAGE, mtime=0)
    broken = broken[:10] + b"\xff" * 40 + broken[50:]
    records = [
        response("http://example.com/broken", broken, [("Content-Type", "text/html"), ("Content-Encoding", "gzip")]),
        response("http://example.com/nohttp", b"", []).replace(b"HTTP/1.1 200 OK", b"garbage here"),
        response("http://example.com/", PAGE),
    ]
    stats = CrawlStats()
    path = write(tmp_path / "bad.warc.gz", gzip_members(records))
    results = list(iter_cleaned(path, shipped_cleaner, stats=stats))
    assert [r.url for r in results] == ["http://example.com/"]
    assert stats.errors == 2
    offsets = member_offsets(records)
    assert stats.messages[0].startswith(f"{path}:{offsets[0]}: error corrupt gzip body")
    assert stats.messages[1].startswith(f"{path}:{offsets[1]}: error not an HTTP response")


def test_encoding_that_cannot_be_undone_is_skipped(tmp_path):
    binary = bytes(range(256)) * 8
    headers = [("Content-Type", "text/html"), ("Content-Encoding", "zstd")]
    item = next(iter_records(html_file(tmp_path, binary, headers)))
    assert (item.status, item.reason) == ("skipped", "content-encoding") and "zstd" in item.detail


@needs_brotli
def test_brotli_body_without_brotli_is_skipped(tmp_path, monkeypatch):
    monkeypatch.setattr("cleaner.crawl.http.brotli", None)
    headers = [("Content-Type", "text/html"), ("Content-Encoding", "br")]
    item = next(iter_records(html_file(tmp_path, brotli.compress(PAGE), headers)))
    assert (item.status, item.reason) == ("skipped", "content-encoding") and "brotli" in item.detail


def test_page_the_cleaner_cannot_read_is_an_error_not_a_crash(tmp_path, shipped_cleaner):
    item = one_page(html_file(tmp_path, PAGE, [("Content-Type", "text/html")]))
    binary = CrawlItem(**{**item.__dict__, "payload": b"\x00" * 200 + b"%PDF"})
    with pytest.raises(RecordError, match=r"page\.warc\.gz:0: cannot clean"):
        clean_item(shipped_cleaner, binary)


# -- damaged files --------------------------------------------------------------------------------


def test_empty_file(tmp_path):
    with pytest.raises(CrawlError, match="empty"):
        list(iter_records(write(tmp_path / "empty.warc.gz", b"")))


def test_gzip_of_something_else(tmp_path):
    with pytest.raises(CrawlError, match="gzip file of something else"):
        list(iter_records(write(tmp_path / "x.warc.gz", gzip.compress(b"name,count\nriver,3\n", mtime=0))))


def test_missing_file(tmp_path):
    with pytest.raises(CrawlError, match="cannot open"):
        list(iter_records(tmp_path / "nowhere.warc.gz"))


def good_records() -> list[bytes]:
    return [response(f"http://example.com/{i}", PAGE) for i in range(3)]


@pytest.mark.parametrize("compress", [False, True])
def test_content_length_too_long(tmp_path, compress):
    records = good_records()
    records[1] = response("http://example.com/1", PAGE, length=len(http_response(PAGE)) + 30)
    data = gzip_members(records) if compress else b"".join(records)
    with pytest.raises(CrawlError) as raised:
        for _ in iter_records(write(tmp_path / "long.warc", data)):
            pass
    offsets = member_offsets(records) if compress else record_offsets(records)
    if compress:  # the record reads into the next member; the next record's member is where it stops
        assert raised.value.offset == offsets[2]
    else:  # the record's declared end, 30 bytes into the next record
        assert raised.value.offset == offsets[1] + len(records[1]) - 4 + 30
    assert "wrong Content-Length" in str(raised.value)


@pytest.mark.parametrize("compress", [False, True])
def test_content_length_too_short(tmp_path, compress):
    records = good_records()
    records[1] = response("http://example.com/1", PAGE, length=len(http_response(PAGE)) - 30)
    data = gzip_members(records) if compress else b"".join(records)
    seen = []
    with pytest.raises(CrawlError, match="not a WARC record") as raised:
        for item in iter_records(write(tmp_path / "short.warc", data)):
            seen.append(item.url)
    assert seen == ["http://example.com/0", "http://example.com/1"]
    offsets = member_offsets(records) if compress else record_offsets(records)
    assert raised.value.offset == (offsets[2] if compress else offsets[1] + len(records[1]) - 4 - 30)


def test_last_record_longer_than_the_file(tmp_path):
    records = good_records()
    records[2] = response("http://example.com/2", PAGE, length=len(http_response(PAGE)) + 500)
    seen = []
    with pytest.raises(CrawlError, match="truncated") as raised:
        seen.extend(item.url for item in iter_records(write(tmp_path / "t.warc", b"".join(records))))
    assert len(seen) == 2 and raised.value.offset == record_offsets(records)[2]


def test_truncated_gzip_member_after_good_records(tmp_path):
    records = good_records()
    data = gzip_members(records)
    offsets = member_offsets(records)
    path = write(tmp_path / "cut.warc.gz", data[: offsets[2] + 60])
    seen = []
    with pytest.raises(CrawlError) as raised:
        seen.extend(item.url for item in iter_records(path))
    assert seen == ["http://example.com/0", "http://example.com/1"]
    assert raised.value.offset == offsets[2] and str(path) in str(raised.value)


def test_corrupt_gzip_member(tmp_path):
    records = good_records()
    data = bytearray(gzip_members(records))
    offsets = member_offsets(records)
    data[offsets[1] + 40 : offsets[1] + 80] = b"\x00" * 40
    seen = []
    with pytest.raises(CrawlError) as raised:
        seen.extend(item.url for item in iter_records(write(tmp_path / "c.warc.gz", bytes(data))))
    assert seen == ["http://example.com/0"] and raised.value.offset == offsets[1]


def test_garbage_after_the_last_record(tmp_path):
    records = good_records()
    path = write(tmp_path / "g.warc.gz", gzip_members(records) + b"this is not a record\n")
    with pytest.raises(CrawlError) as raised:
        list(iter_records(path))
    assert raised.value.offset == len(gzip_members(records))
    padded = write(tmp_path / "p.warc", b"".join(records) + b"\r\n\r\n")
    assert len(list(iter_records(padded))) == 3


@pytest.mark.parametrize("padding", [b"\x00" * 512, b"\r\n\r\n"])
@pytest.mark.parametrize("compress", [False, True])
def test_padding_after_the_last_record_is_no_damage(tmp_path, padding, compress):
    records = good_records()
    data = gzip_members(records) if compress else b"".join(records)
    assert len(list(iter_records(write(tmp_path / "padded.warc", data + padding)))) == 3


def test_a_long_warc_header_is_read(tmp_path):
    # 40,000 characters of target URI: over fastwarc's default limit, which lost the rest of the file.
    records = good_records()
    records.insert(1, response("http://example.com/search?q=" + "x" * 40_000, PAGE))
    assert len(list(iter_records(write(tmp_path / "long.warc.gz", gzip_members(records))))) == 4


def test_damage_in_a_stream_that_cannot_seek():
    records = good_records()
    offsets = record_offsets(records)
    for tail, offset in ((b"WARC/1.0\r\nbroken", offsets[2]), (b"garbage", offsets[1])):
        seen = []
        with pytest.raises(CrawlError) as raised:
            seen.extend(item.url for item in iter_records(Unseekable(b"".join(records[:2]) + tail)))
        # A broken header is found where it starts; other data after the last good record, which
        # cannot be read again to find its end.
        assert len(seen) == 2 and raised.value.offset == offset


def test_a_50_mb_record_is_skipped_without_reading_it(tmp_path):
    huge = b"<html><body>" + b"<p>Another paragraph of a very long page.</p>\n" * (50_000_000 // 46) + b"</body></html>"
    records = [
        response("http://example.com/before", PAGE),
        response("http://example.com/huge", huge),
        response("http://example.com/after", PAGE),
    ]
    path = tmp_path / "huge.warc"
    with open(path, "wb") as out:
        out.writelines(records)
    del huge, records
    stats = CrawlStats()
    tracemalloc.start()
    try:
        items = list(iter_records(path, stats=stats))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [item.status for item in items] == ["page", "skipped", "page"]
    assert items[1].reason == "too large" and stats.record_bytes > 50_000_000
    assert peak < 10_000_000  # the 50 MB body was skipped over, never held
