"""Crawl pages cleaned in batches (``cleaner.crawl.clean_items``, what ``iter_cleaned`` and the
``clean`` command run): the same results as one page at a time, in order, a page that cannot be read
lost alone, and the pages before a file's damage handed over before its error."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from crawl_warcs import gzip_members, member_offsets, response, warc_record, write

from cleaner import Cleaner, Options
from cleaner.crawl import CrawlError, CrawlStats, RecordError, RecordFields, clean_item, clean_items, iter_cleaned
from cleaner.crawl.clean import batches
from cleaner.crawl.reader import iter_records

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
# Small batches, so that a few pages cross batch boundaries.
BATCH = 3
FIELDS = [
    RecordFields(),
    RecordFields(metadata=False),
    RecordFields(markdown=True, links=True, labels=True),
]


def page(n: int) -> bytes:
    """An HTML page of its own: a title, a menu, two paragraphs, a footer."""
    return (
        f"<html lang='en'><head><title>Walk number {n}</title></head><body>"
        "<nav><a href='/'>Home</a> | <a href='/news'>News</a></nav>"
        f"<article><h1>Walk number {n}</h1>"
        f"<p>We walked along the river for {n + 2} hours, stopping wherever the light was good.</p>"
        "<p>By noon the fog had lifted and the boats were out, their sails bright against the water.</p>"
        "</article><footer>Copyright 2024. All rights reserved.</footer></body></html>"
    ).encode()


def text_page(n: int) -> bytes:
    """A page as a WET file holds it: its text."""
    return (
        f"Home | News\nWalk number {n}\nWe walked along the river for {n + 2} hours, stopping wherever the "
        "light was good.\nShare on Facebook\nCopyright 2024. All rights reserved.\n"
    ).encode()


def records(count: int) -> list[bytes]:
    """HTML responses and text conversions in turn."""
    out = []
    for n in range(count):
        uri = f"http://site{n % 3}.example/walk/{n}"
        if n % 2:
            out.append(warc_record("conversion", text_page(n), uri=uri, headers=[("Content-Type", "text/plain")]))
        else:
            out.append(response(uri, page(n)))
    return out


@pytest.fixture(scope="module")
def cleaner() -> Cleaner:
    return Cleaner.load()


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr("cleaner.crawl.clean.CLEAN_BATCH_PAGES", BATCH)


def pages_of(path) -> list:
    return [item for item in iter_records(path) if item.is_page]


@pytest.mark.parametrize("fields", FIELDS, ids=["metadata", "text only", "markdown and labels"])
def test_batches_give_what_each_page_alone_gives(tmp_path, cleaner, small_batches, fields):
    items = pages_of(write(tmp_path / "mixed.warc.gz", gzip_members(records(8))))
    assert {item.input_format for item in items} == {"html", "text"}
    alone = [clean_item(cleaner, item, fields=fields) for item in items]
    assert clean_items(cleaner, items, fields=fields) == alone
    assert list(iter_cleaned(tmp_path / "mixed.warc.gz", cleaner, fields=fields)) == alone


def test_batches_are_cut_by_pages_and_by_bytes(tmp_path, small_batches, monkeypatch):
    items = pages_of(write(tmp_path / "mixed.warc.gz", gzip_members(records(7))))
    assert [len(batch) for batch in batches(items)] == [3, 3, 1]
    assert [item for batch in batches(items) for item in batch] == items
    # No two pages fit under the cap: each is a batch of its own.
    monkeypatch.setattr("cleaner.crawl.clean.CLEAN_BATCH_BYTES", min(len(item.payload) for item in items))
    assert [len(batch) for batch in batches(items)] == [1] * 7


def test_a_page_that_cannot_be_read_is_lost_alone(tmp_path, cleaner, small_batches):
    items = pages_of(write(tmp_path / "mixed.warc.gz", gzip_members(records(7))))
    broken = replace(items[4], payload=b"\x00" * 200 + b"%PDF")
    items[4] = broken
    results = clean_items(cleaner, items)
    assert isinstance(results[4], RecordError) and "cannot clean the page" in str(results[4])
    assert isinstance(results[4].__cause__, Exception)
    others = [result for i, result in enumerate(results) if i != 4]
    assert others == [clean_item(cleaner, item) for i, item in enumerate(items) if i != 4]
    with pytest.raises(RecordError, match="cannot clean"):
        clean_item(cleaner, broken)


def test_an_item_that_is_not_a_page_is_refused(tmp_path, cleaner):
    path = write(tmp_path / "one.warc.gz", gzip_members([warc_record("warcinfo", b"software: test\r\n")]))
    (info,) = list(iter_records(path))
    with pytest.raises(ValueError, match="not a page"):
        clean_items(cleaner, [info])


def test_the_pages_before_a_files_damage_come_before_its_error(tmp_path, cleaner, small_batches):
    good = records(5)
    data = gzip_members(good)
    path = write(tmp_path / "cut.warc.gz", data[: member_offsets(good)[4] + 60])  # the fifth page cut short
    stats = CrawlStats()
    seen = []
    with pytest.raises(CrawlError):
        for result in iter_cleaned(path, cleaner, stats=stats):
            seen.append(result.url)
    assert seen == [f"http://site{n % 3}.example/walk/{n}" for n in range(4)]
    assert stats.cleaned == 4


@pytest.mark.skipif(not CORPORA.is_dir(), reason="the shared corpora are not there")
def test_batches_of_corpus_pages_give_what_each_page_alone_gives(tmp_path, cleaner):
    from cleaner.corpus.pages import iter_corpus_pages

    chosen = [p for i, p in enumerate(iter_corpus_pages(CORPORA, raw=True)) if i % 60 == 0]
    warc = [response(f"http://corpus.example/{p.corpus}/{n}", p.html.encode("utf-8", "surrogatepass"))
            for n, p in enumerate(chosen)]  # fmt: skip
    items = pages_of(write(tmp_path / "corpus.warc.gz", gzip_members(warc)))
    assert len(items) == len(chosen) > 60
    assert clean_items(cleaner, items) == [clean_item(cleaner, item) for item in items]


def test_the_labels_of_pages_in_batches_are_those_of_classifying_each_page(tmp_path, cleaner, small_batches):
    # The labels come from the classification the batch's texts come from, not from a second one:
    # they must be what classifying the page alone says of each of its non-blank lines.
    items = pages_of(write(tmp_path / "mixed.warc.gz", gzip_members(records(8))))
    for item, result in zip(items, clean_items(cleaner, items, fields=RecordFields(labels=True))):
        options = Options(input_format=item.input_format)
        expected = [
            (r.number, r.label, r.kept, r.text) for r in cleaner.classify(item.payload, options) if r.text.strip()
        ]
        assert [(line.number, line.label, line.kept, line.text) for line in result.labels] == expected
        assert sum(line.kept for line in result.labels) == result.lines_kept
