"""Cleaning the pages of crawl files: one item (in any process), or a whole file in order."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from functools import lru_cache
from typing import BinaryIO

from cleaner import Cleaner, InputError, Options
from cleaner.crawl.errors import RecordError
from cleaner.crawl.reader import DEFAULT_MAX_PAYLOAD_BYTES, CrawlItem, iter_records
from cleaner.crawl.results import CrawlResult, LineLabel
from cleaner.crawl.stats import CrawlStats

# The default options (an Options is immutable, so one instance serves every call).
DEFAULT_OPTIONS = Options()


def clean_item(
    cleaner: Cleaner, item: CrawlItem, options: Options = DEFAULT_OPTIONS, labels: bool = False
) -> CrawlResult:
    """Clean the page of ``item`` (from :func:`iter_records`).

    The item says how: WARC pages with the HTML model, WET pages with the text model, whatever
    ``options.input_format`` says; the other options apply. The text is exactly what
    ``cleaner.clean_html(item.payload)`` (or ``cleaner.clean``) gives. ``labels=True`` also labels
    every line (classifying the page a second time).

    Raises ValueError for an item that is not a page, and :class:`RecordError` (naming the file and
    offset) when the page cannot be read.
    """
    if not item.is_page or item.payload is None or item.input_format is None:
        raise ValueError(f"{item.location}: not a page to clean ({item.status}: {item.reason})")
    options = replace(options, input_format=item.input_format)
    try:
        article = cleaner.article(item.payload, options)
        lines = _labels(cleaner, item, options) if labels else None
    except InputError as exc:  # the page is binary or unreadable; options and model errors are the caller's
        raise RecordError(item.source, item.offset, f"cannot clean the page: {exc}") from exc
    return CrawlResult(
        url=item.url,
        warc_record_id=item.record_id,
        warc_date=item.date,
        text=article.text,
        lines_kept=article.kept,
        lines_dropped=article.dropped,
        language=item.language,
        labels=lines,
        offset=item.offset,
        input_format=item.input_format,
    )


def _labels(cleaner: Cleaner, item: CrawlItem, options: Options) -> tuple[LineLabel, ...]:
    assert item.payload is not None  # checked by clean_item
    if item.input_format == "html":
        results = cleaner.classify_html(item.payload, options)
    else:
        results = cleaner.classify(item.payload, options)
    # Blank lines of a text carry no label ("-"): they separate paragraphs, they are not lines to keep.
    return tuple(LineLabel(r.number, r.label, r.kept, r.text) for r in results if r.text.strip())


def iter_cleaned(
    source: str | os.PathLike[str] | BinaryIO,
    cleaner: Cleaner | None = None,
    options: Options = DEFAULT_OPTIONS,
    labels: bool = False,
    *,
    stats: CrawlStats | None = None,
    max_payload_bytes: int = DEFAULT_MAX_PAYLOAD_BYTES,
) -> Iterator[CrawlResult]:
    """The cleaned pages of a WARC or WET file, in order (:func:`iter_records`, then :func:`clean_item`).

    ``cleaner`` defaults to the shipped models (loaded once per process). A page that cannot be
    cleaned is counted in ``stats`` as an error and left out; a damaged file raises
    :class:`CrawlError` after the pages before the damage.
    """
    cleaner = cleaner if cleaner is not None else default_cleaner()
    counts = stats if stats is not None else CrawlStats()
    for item in iter_records(source, stats=counts, max_payload_bytes=max_payload_bytes):
        if not item.is_page:
            continue
        try:
            result = clean_item(cleaner, item, options, labels)
        except RecordError as exc:
            counts.error(str(exc))
            continue
        counts.cleaned += 1
        yield result


@lru_cache(maxsize=1)
def default_cleaner() -> Cleaner:
    """The shipped models, loaded once per process (a Cleaner is thread-safe)."""
    return Cleaner.load()
