"""cleaner.crawl: WARC and WET files read as a stream of pages, cleaned as Cleaner would clean them.

Real crawl files come from ../shared/crawl-samples (skipped when absent); the others are written
here, into tmp_path, with every field under control. Undecodable records and damaged files:
tests/test_crawl_damaged.py.
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
import pickle
import zlib
from dataclasses import replace

import pytest
from crawl_warcs import (
    PAGE,
    SAMPLES,
    Unseekable,
    brotli,
    chunked,
    corpus_pages,
    gzip_members,
    html_file,
    http_response,
    member_offsets,
    needs_brotli,
    needs_samples,
    one_page,
    request,
    response,
    warc_record,
    warcio_file,
    write,
)

from cleaner import InputError, Options
from cleaner.crawl import (
    SNIFF_BYTES,
    CrawlError,
    CrawlStats,
    RecordError,
    RecordFields,
    clean_item,
    iter_cleaned,
    iter_records,
    sniff_crawl,
)

# -- recognising crawl files ----------------------------------------------------------------------


@pytest.mark.parametrize("version", ["1.0", "1.1", "0.18"])
@pytest.mark.parametrize("compress", [False, True])
def test_sniff_recognises_warc_by_content(version, compress):
    data = warc_record("warcinfo", b"software: test\r\n", version=version)
    head = (gzip.compress(data, mtime=0) if compress else data)[:SNIFF_BYTES]
    assert sniff_crawl(head) == "warc"


@pytest.mark.parametrize(
    "head",
    [
        b"",
        b"<!doctype html><html>",
        gzip.compress(b"<html>not a warc</html>", mtime=0),
        b"\x1f\x8b\x08garbage",
        b"WARC/x\r\n",
        b"\x28\xb5\x2f\xfd\x00",
        bytes(range(256)),
    ],
)
def test_sniff_rejects_other_content(head):
    assert sniff_crawl(head) is None


def test_a_file_is_recognised_by_its_content_not_its_name(tmp_path, shipped_cleaner):
    path = write(tmp_path / "pages.bin", gzip_members([response("http://example.com/", PAGE)]))
    assert one_page(path).url == "http://example.com/"
    with pytest.raises(CrawlError, match="not a WARC file"):
        list(iter_records(write(tmp_path / "page.warc.gz", PAGE)))


# -- the real crawl samples -----------------------------------------------------------------------


@needs_samples
def test_common_crawl_slice_pages_equal_clean_html(shipped_cleaner):
    stats = CrawlStats()
    items = list(iter_records(SAMPLES / "warcfile.warc.gz", stats=stats))
    pages = [item for item in items if item.is_page]
    # 17 requests, but the slice ends before the 17th response.
    assert (stats.pages, dict(stats.skipped)) == (16, {"request": 17, "metadata": 16, "warcinfo": 1})
    assert stats.records == len(items) == 50 and stats.errors == 0
    for item in pages:
        result = clean_item(shipped_cleaner, item)
        assert result.text == shipped_cleaner.clean_html(item.payload)
        assert (result.url, result.warc_record_id) == (item.url, item.record_id)
    by_url = {item.url: item for item in pages}
    russian = by_url["http://01spb.ru/company/"]  # charset only in the HTTP header: windows-1251
    assert russian.charset == "cp1251" and "безопасности" in russian.payload
    chinese = by_url["http://037426.cn/"]  # gb2312 in the header, read as its superset
    assert chinese.charset == "gb18030"
    assert by_url["http://06.live-radsport.ch/tippspiel/stats_140_petzi.html"].language == "de-ch"


@needs_samples
def test_clueweb09_quirks(shipped_cleaner):
    """WARC/0.18, HTTP headers with bare LF line ends, a Content-Encoding: gzip header over a body
    stored decoded, EUC-JP named in the HTTP header, dates that are not dates."""
    stats = CrawlStats()
    pages = [item for item in iter_records(SAMPLES / "clueweb-quirk.warc.gz", stats=stats) if item.is_page]
    assert len(pages) == 29 and dict(stats.skipped) == {"warcinfo": 1} and stats.errors == 0
    assert {item.charset for item in pages} == {"euc_jp"}
    assert pages[0].date == "2008-10-294T05:21:46-0700"
    assert pages[0].url == "http://www.uraharajuku.st/shopdetail/001005000005/019/000/order/"
    result = clean_item(shipped_cleaner, pages[0])
    assert result.text == shipped_cleaner.clean_html(pages[0].payload)
    assert "ノートパソコン" in result.text


@needs_samples
def test_warc_wet_and_wat_of_one_page(shipped_cleaner):
    warc = one_page(SAMPLES / "whirlwind.warc.gz")
    assert (warc.input_format, warc.language, warc.http_status) == ("html", "an", 200)
    wet = one_page(SAMPLES / "whirlwind.warc.wet.gz")
    assert (wet.input_format, wet.language, wet.url) == ("text", "spa", warc.url)
    result = clean_item(shipped_cleaner, wet)
    assert result.text == shipped_cleaner.clean(wet.payload, Options(input_format="text"))
    assert result.lines_kept > 0 and result.input_format == "text"
    stats = CrawlStats()
    assert list(iter_cleaned(SAMPLES / "whirlwind.warc.wat.gz", shipped_cleaner, stats=stats)) == []
    assert dict(stats.skipped) == {"warcinfo": 1, "metadata": 1} and stats.pages == 0


@needs_samples
def test_clipped_download_raises_with_file_and_offset():
    stats = CrawlStats()
    with pytest.raises(CrawlError) as raised:
        list(iter_records(SAMPLES / "clipped.warc.gz", stats=stats))
    assert raised.value.offset == 0 and "clipped.warc.gz:0: truncated" in str(raised.value)
    assert isinstance(raised.value, InputError)
    assert stats.errors == 1 and stats.records == 0


@needs_samples
def test_iter_cleaned_gives_json_lines(shipped_cleaner):
    stats = CrawlStats()
    results = list(iter_cleaned(SAMPLES / "warcfile.warc.gz", shipped_cleaner, stats=stats))
    assert len(results) == stats.cleaned == 16
    for result in results:
        data = json.loads(result.to_json())
        assert data["url"] == result.url and data["text"] == result.text and "labels" not in data
        assert "\n" not in result.to_json()
    assert "16 pages, 16 cleaned" in stats.summary() and "request 17" in stats.summary()


# -- pages written here ---------------------------------------------------------------------------


def test_corpus_pages_written_by_warcio_clean_as_clean_html(tmp_path, shipped_cleaner):
    pages = corpus_pages()
    if not pages:
        pytest.skip("../shared/corpora is not here")
    rows = [
        (f"http://corpus.example/{i}", page["html"].encode("utf-8"), [("Content-Type", "text/html; charset=utf-8")])
        for i, page in enumerate(pages)
    ]
    path = warcio_file(tmp_path / "corpus.warc.gz", rows, version="1.1")
    results = list(iter_cleaned(path, shipped_cleaner))
    assert [r.url for r in results] == [url for url, _, _ in rows]
    for result, page in zip(results, pages):
        assert result.text == shipped_cleaner.clean_html(page["html"])


def test_shift_jis_named_only_in_the_http_header(tmp_path, shipped_cleaner):
    html = "<html><body><h1>東京の天気</h1><p>今日は一日中よく晴れて、川沿いの道を散歩するのに最適な日でした。</p></body></html>"
    body = html.encode("shift_jis")
    path = warcio_file(
        tmp_path / "sjis.warc.gz", [("http://example.jp/", body, [("Content-Type", "text/html; charset=Shift_JIS")])]
    )
    item = one_page(path)
    assert item.charset == "cp932" and item.payload == html
    result = clean_item(shipped_cleaner, item)
    assert result.text == shipped_cleaner.clean_html(html)
    assert "散歩" in result.text


def test_utf8_page_mislabelled_latin1_reads_as_utf8(tmp_path):
    html = "<html><body><p>Crème brûlée, naïve café.</p></body></html>"
    item = one_page(html_file(tmp_path, html.encode(), [("Content-Type", "text/html; charset=ISO-8859-1")]))
    assert item.payload == html and item.charset == "utf-8"


def test_page_without_header_charset_is_left_to_the_html_reader(tmp_path, shipped_cleaner):
    html = '<html><head><meta charset="windows-1251"></head><body><p>Привет, мир, это длинный абзац.</p></body></html>'
    body = html.encode("cp1251")
    item = one_page(html_file(tmp_path, body, [("Content-Type", "text/html")]))
    assert item.payload == body and item.charset is None
    assert clean_item(shipped_cleaner, item).text == shipped_cleaner.clean_html(body)
    bom = one_page(html_file(tmp_path, codecs.BOM_UTF8 + PAGE, [("Content-Type", "text/html; charset=cp1252")]))
    assert bom.payload == codecs.BOM_UTF8 + PAGE  # a byte order mark wins over the header


def test_utf16_page_is_left_to_the_html_reader(tmp_path, shipped_cleaner):
    html = PAGE.decode().replace("river", "Fluss über")
    for body in (codecs.BOM_UTF16_LE + html.encode("utf-16-le"), html.encode("utf-16-be")):
        for content_type in ("text/html; charset=utf-8", "application/octet-stream"):
            item = one_page(html_file(tmp_path, body, [("Content-Type", content_type)]))
            assert item.payload == body
            result = clean_item(shipped_cleaner, item)
            assert result.text == shipped_cleaner.clean_html(html) and "Fluss über" in result.text


@pytest.mark.parametrize(
    "coding, encode",
    [
        ("gzip", lambda body: gzip.compress(body, mtime=0)),
        ("x-gzip", lambda body: gzip.compress(body, mtime=0)),
        ("deflate", zlib.compress),
        ("deflate", lambda body: zlib.compress(body)[2:-4]),  # raw deflate, as some servers send
        pytest.param("br", lambda body: brotli.compress(body), marks=needs_brotli),
        ("gzip", lambda body: body),  # stored decoded under the original header (ClueWeb09)
        ("br", lambda body: body),
        ("zstd", lambda body: body),  # an encoding we cannot undo, over a body that is plain
    ],
)
def test_content_encodings_are_undone(tmp_path, shipped_cleaner, coding, encode):
    headers = [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", coding)]
    item = one_page(html_file(tmp_path, encode(PAGE), headers))
    assert item.payload == PAGE.decode()
    assert clean_item(shipped_cleaner, item).text == shipped_cleaner.clean_html(PAGE.decode())


def test_chunked_transfer_coding(tmp_path):
    headers = [("Content-Type", "text/html; charset=utf-8"), ("Transfer-Encoding", "chunked")]
    assert one_page(html_file(tmp_path, chunked(PAGE), headers)).payload == PAGE.decode()
    gzipped = chunked(gzip.compress(PAGE, mtime=0), 37)
    headers.append(("Content-Encoding", "gzip"))
    assert one_page(html_file(tmp_path, gzipped, headers)).payload == PAGE.decode()
    # Common Crawl keeps the header but stores the body joined.
    assert one_page(html_file(tmp_path, PAGE, headers[:2])).payload == PAGE.decode()


@pytest.mark.parametrize("cut", [0, 1, 2, 3, 5])
def test_chunked_body_cut_after_a_chunk_keeps_what_it_has(tmp_path, cut):
    # A truncated record cut in the line break after a chunk's data, or in the next size line.
    headers = [("Content-Type", "text/html; charset=utf-8"), ("Transfer-Encoding", "chunked")]
    body = chunked(PAGE, 100)
    first_end = body.index(b"\r\n", body.index(b"\r\n") + 2)  # after the first chunk's data
    item = one_page(html_file(tmp_path, body[: first_end + cut], headers))
    assert item.payload == PAGE[:100].decode()


@pytest.mark.parametrize(
    "content_type",
    ["text/html charset=utf-8", "text/html,charset=utf-8", "text/html, text/html", "image/png, text/html"],
)
def test_malformed_content_types_are_read_as_browsers_read_them(tmp_path, shipped_cleaner, content_type):
    # Not a media type: sniffed as a missing type; a list: its last valid type (the Fetch standard).
    item = one_page(html_file(tmp_path, PAGE, [("Content-Type", content_type)]))
    assert clean_item(shipped_cleaner, item).text == shipped_cleaner.clean_html(PAGE.decode())


@pytest.mark.parametrize("lead", [b"", b"\r\n"])  # a stray line end before the status line, too
def test_bare_lf_http_header(tmp_path, lead):
    block = lead + http_response(PAGE, [("Content-Type", "text/html; charset=utf-8")], line_end=b"\n")
    path = write(tmp_path / "lf.warc", warc_record("response", block, uri="http://example.com/"))
    item = one_page(path)
    assert item.payload == PAGE.decode() and item.media_type == "text/html"


def test_records_that_are_not_pages_are_skipped_by_kind(tmp_path):
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    records = [
        warc_record("warcinfo", b"software: test\r\n"),
        request("http://example.com/"),
        response("http://example.com/", PAGE),
        warc_record("metadata", b"fetchTimeMs: 12\r\n", uri="http://example.com/"),
        response("http://example.com/logo.png", png, [("Content-Type", "image/png")]),
        response("http://example.com/a.pdf", b"%PDF-1.4 ...", [("Content-Type", "application/pdf")]),
        response("http://example.com/a.js", b"var a = 1;", [("Content-Type", "application/javascript")]),
        response("http://example.com/old", b"", [("Location", "/new")], status="301 Moved Permanently"),
        response("http://example.com/gone", PAGE, [("Content-Type", "text/html")], status="404 Not Found"),
        response("http://example.com/same", b"", [], status="304 Not Modified"),
        response("http://example.com/empty", b"", [("Content-Type", "text/html")]),
        response("http://example.com/blob", png, [("Content-Type", "application/octet-stream")]),
        response("http://example.com/page", PAGE, [("Content-Type", "application/octet-stream")]),
        response("http://example.com/bare", PAGE, []),
        response("http://example.com/txt", b"Hello, world.\n" * 20, []),
        warc_record("revisit", b"", uri="http://example.com/"),
        warc_record("resource", PAGE, uri="file:///page.html", headers=[("Content-Type", "text/html")]),
        warc_record(
            "response", b"20240518 example.com A 1.2.3.4", uri="dns:example.com", headers=[("Content-Type", "text/dns")]
        ),
    ]
    stats = CrawlStats()
    items = list(iter_records(write(tmp_path / "mixed.warc.gz", gzip_members(records)), stats=stats))
    assert [item.url for item in items if item.is_page] == [
        "http://example.com/",
        "http://example.com/page",
        "http://example.com/bare",
    ]
    assert dict(stats.skipped) == {
        "warcinfo": 1,
        "request": 1,
        "metadata": 1,
        "image": 1,
        "pdf": 1,
        "script": 1,
        "redirect": 1,
        "http error": 1,
        "not modified": 1,
        "empty": 1,
        "binary": 1,
        "not html": 1,
        "revisit": 1,
        "resource": 1,
        "not http": 1,
    }
    assert stats.records == len(records) and stats.errors == 0
    assert [item.offset for item in items] == member_offsets(records)
    assert "image 1" in stats.summary()


def test_languages(tmp_path):
    def language(body, headers):
        return one_page(html_file(tmp_path, body, [("Content-Type", "text/html"), *headers])).language

    assert language(b'<html xml:lang="fr-CA" class="x"><body><p>Bonjour</p></body></html>', []) == "fr-CA"
    assert language(b"<html><body><p>Hallo</p></body></html>", [("Content-Language", "de, en")]) == "de"
    meta = b'<html><head><meta http-equiv="Content-Language" content="ja"></head><body><p>x</p></body></html>'
    assert language(meta, []) == "ja"
    assert language(b"<html><body><p>Hello</p></body></html>", []) is None
    # Values that are no language tag are passed over: a charset where the language goes, a language's name.
    charset = b'<html><head><meta http-equiv="Content-Language" content="UTF-8"></head><body><p>x</p></body></html>'
    assert language(charset, []) is None
    assert language(charset, [("Content-Language", "Japanese")]) is None
    assert language(b'<html lang="Japanese"><body><p>x</p></body></html>', [("Content-Language", "ja")]) == "ja"


def test_a_response_record_with_no_block_is_empty_not_an_error(tmp_path, shipped_cleaner):
    records = [warc_record("response", b"", uri="http://example.com/reset")]
    stats = CrawlStats()
    results = list(iter_cleaned(write(tmp_path / "x.warc.gz", gzip_members(records)), shipped_cleaner, stats=stats))
    assert results == [] and dict(stats.skipped) == {"empty": 1} and not stats.errors


def test_wet_records_are_cleaned_as_text(tmp_path, shipped_cleaner):
    text = "Menu\nHome\nNews\n\n" + "A long paragraph about the river and the boats on it, written at length.\n" * 3
    records = [
        warc_record("warcinfo", b"isPartOf: test\r\n"),
        warc_record(
            "conversion",
            text.encode(),
            uri="http://example.com/",
            headers=[("WARC-Identified-Content-Language", "eng,fra"), ("Content-Type", "text/plain")],
        ),
        warc_record("conversion", b"   \n", uri="http://example.com/blank"),
    ]
    stats = CrawlStats()
    results = list(iter_cleaned(write(tmp_path / "x.warc.wet.gz", gzip_members(records)), shipped_cleaner, stats=stats))
    assert len(results) == 1 and dict(stats.skipped) == {"warcinfo": 1, "empty": 1}
    assert results[0].text == shipped_cleaner.clean(text, Options(input_format="text"))
    assert results[0].language == "eng,fra" and results[0].input_format == "text"


def test_the_labels_of_a_wet_page_are_those_of_its_text(tmp_path, shipped_cleaner):
    # A WET page is text even when it reads like HTML (a page quoting markup): its labels are those
    # of the lines its text came from, whatever input format the options name.
    text = "<html>\n<body>\n" + "<p>A long paragraph about the river and the boats on it, written at length.</p>\n" * 4
    path = write(
        tmp_path / "x.warc.wet.gz", gzip_members([warc_record("conversion", text.encode(), uri="http://e.com/")])
    )
    for options in (Options(), Options(input_format="html")):
        (result,) = iter_cleaned(path, shipped_cleaner, options, RecordFields(labels=True))
        assert result.text == shipped_cleaner.clean(text, replace(options, input_format="text"))
        assert [label.text for label in result.labels if label.kept] == [
            line for line in result.text.splitlines() if line
        ]
        assert len(result.labels) == result.lines_kept + result.lines_dropped


def test_options_and_labels(tmp_path, shipped_cleaner):
    item = one_page(html_file(tmp_path, PAGE, [("Content-Type", "text/html; charset=utf-8")]))
    everything = Options(threshold=0.0, input_format="text")  # the item decides the input format
    assert clean_item(shipped_cleaner, item, everything).text == shipped_cleaner.clean_html(
        item.payload, Options(threshold=0.0)
    )
    result = clean_item(shipped_cleaner, item, fields=RecordFields(labels=True))
    assert result.labels is not None and len(result.labels) == result.lines_kept + result.lines_dropped
    assert [label.text for label in result.labels if label.kept] == [line for line in result.text.splitlines() if line]
    data = json.loads(result.to_json())
    assert data["labels"][0] == {
        "line": result.labels[0].number,
        "label": result.labels[0].label,
        "kept": result.labels[0].kept,
        "text": result.labels[0].text,
    }
    assert data["warc_date"] == "2024-05-18T01:58:10Z" and data["language"] == "en"


def test_items_travel_to_worker_processes(tmp_path, shipped_cleaner):
    item = one_page(html_file(tmp_path, PAGE, [("Content-Type", "text/html")]))
    assert pickle.loads(pickle.dumps(item)) == item
    error = pickle.loads(pickle.dumps(RecordError("f.warc.gz", 12, "bad")))
    assert (str(error), error.offset) == ("f.warc.gz:12: bad", 12)
    skipped = next(i for i in iter_records(write(tmp_path / "r.warc", request("http://example.com/"))))
    with pytest.raises(ValueError, match="not a page"):
        clean_item(shipped_cleaner, skipped)


def test_streams_seekable_or_not(tmp_path):
    records = [request("http://example.com/"), response("http://example.com/", PAGE)]
    data = gzip_members(records)
    for stream in (io.BytesIO(data), io.BufferedReader(Unseekable(data)), Unseekable(b"".join(records))):
        items = list(iter_records(stream))
        assert [item.status for item in items] == ["skipped", "page"]
        assert items[1].payload == PAGE.decode()
    shifted = io.BytesIO(b"prefix" + data)
    shifted.seek(6)
    assert [item.offset for item in iter_records(shifted)] == [6 + offset for offset in member_offsets(records)]


def test_uri_in_angle_brackets(tmp_path):
    path = write(tmp_path / "a.warc", response("<http://example.com/x>", PAGE, version="1.1"))
    assert one_page(path).url == "http://example.com/x"


def test_a_file_compressed_whole_gives_no_offsets(shipped_cleaner):
    # Read as one gzip stream, a record's position is where the parser's buffer was: offsets that find
    # nothing again. A first record longer than the first read, and a short one.
    long_page = PAGE.replace(b"</article>", b"<p>" + b"More text here. " * 2000 + b"</p></article>")
    for first in (long_page, PAGE):
        records = [response(f"http://example.com/{i}", first if i == 0 else PAGE) for i in range(6)]
        whole = gzip.compress(b"".join(records), mtime=0)
        assert [r.offset for r in iter_cleaned(io.BytesIO(whole), shipped_cleaner)] == [None] * 6
        offsets = [r.offset for r in iter_cleaned(io.BytesIO(gzip_members(records)), shipped_cleaner)]
        assert offsets == member_offsets(records)


def test_data_served_as_html_is_skipped_when_the_crawler_detected_it(tmp_path):
    # A JSON endpoint served under PHP's default text/html; Common Crawl's detection says JSON.
    body = json.dumps({"status": "ok", "items": [{"title": "A day at the river", "body": "We walked."}]}).encode()
    detected = [("WARC-Identified-Payload-Type", "application/json")]
    block = http_response(body, [("Content-Type", "text/html; charset=utf-8")])
    records = [warc_record("response", block, uri="http://example.com/api", headers=detected)]
    page = http_response(PAGE, [("Content-Type", "text/html; charset=utf-8")])
    records.append(warc_record("response", page, uri="http://example.com/", headers=detected))  # a page all the same
    items = list(iter_records(write(tmp_path / "api.warc", b"".join(records))))
    assert [(item.status, item.reason) for item in items] == [("skipped", "json"), ("page", None)]
