"""Cleaning the pages of crawl files: one item (in any process), or a whole file in order."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from functools import lru_cache
from typing import BinaryIO

from cleaner import Cleaner, InputError, LineResult, Options
from cleaner.crawl.errors import RecordError
from cleaner.crawl.reader import DEFAULT_MAX_PAYLOAD_BYTES, CrawlItem, iter_records
from cleaner.crawl.results import CrawlResult, LineLabel, RecordFields
from cleaner.crawl.stats import CrawlStats
from cleaner.document import lines_metadata
from cleaner.metadata import Metadata
from cleaner.render import render_results
from cleaner.site import SiteBoilerplate, SiteCounts, site_host

# The default options (an Options is immutable, so one instance serves every call).
DEFAULT_OPTIONS = Options()
DEFAULT_FIELDS = RecordFields()


def clean_item(
    cleaner: Cleaner,
    item: CrawlItem,
    options: Options = DEFAULT_OPTIONS,
    fields: RecordFields = DEFAULT_FIELDS,
    site: SiteBoilerplate | None = None,
) -> CrawlResult:
    """Clean the page of ``item`` (from :func:`iter_records`).

    The item says how: WARC pages with the HTML model, WET pages with the text model, whatever
    ``options.input_format`` says; the other options apply. The text is exactly what
    ``cleaner.clean_html(item.payload)`` (or ``cleaner.clean``) gives. ``fields`` says what the
    result holds besides (metadata by default; Markdown, line labels).

    ``site`` (pass 2 of :mod:`cleaner.site`) drops the lines the page's host repeats (the host of
    :func:`item_host`): the text is then what ``clean_html`` gives minus those lines, and the
    result's ``site_dropped`` says how many went. No Markdown then (it is rendered from the model's
    decisions alone).

    Raises ValueError for an item that is not a page, and :class:`RecordError` (naming the file and
    offset) when the page cannot be read.
    """
    if not item.is_page or item.payload is None or item.input_format is None:
        raise ValueError(f"{item.location}: not a page to clean ({item.status}: {item.reason})")
    options = replace(options, input_format=item.input_format)
    site_dropped = markdown = lines = None
    metadata: Metadata | None = None
    try:
        if site is not None:
            page, site_dropped = site.classify_counted(cleaner, item_host(item), item.payload, options)
            text = render_results(page.results)
            kept = sum(1 for result in page.results if result.kept)
            dropped = sum(1 for result in page.results if not result.kept and not result.blank)
            if fields.labels:
                lines = _line_labels(page.results)
            if fields.metadata:
                labelled = ((r.text, r.label) for r in page.results if not r.blank)
                metadata = lines_metadata(item.input_format, labelled, source=item.payload, url=item.url)
        elif fields.metadata or fields.markdown:
            read = cleaner.read_page(item.payload, options, links=fields.links)
            document = cleaner.documents_of(
                [read],
                options,
                sources=[item.payload],
                urls=[item.url],
                links=fields.links,
                markdown=fields.markdown,
                metadata=fields.metadata,
            )[0]
            text, kept, dropped = document.text, document.lines_kept, document.lines_dropped
            markdown = document.markdown
            if fields.metadata:
                metadata = document.metadata
        else:
            article = cleaner.article(item.payload, options)
            text, kept, dropped = article.text, article.kept, article.dropped
        if fields.labels and lines is None:
            lines = _labels(cleaner, item, options)
    except InputError as exc:  # the page is binary or unreadable; options and model errors are the caller's
        raise RecordError(item.source, item.offset, f"cannot clean the page: {exc}") from exc
    return CrawlResult(
        url=item.url,
        warc_record_id=item.record_id,
        warc_date=item.date,
        text=text,
        lines_kept=kept,
        lines_dropped=dropped,
        language=item.language or (metadata.language if metadata is not None else None),
        labels=lines,
        offset=item.offset,
        input_format=item.input_format,
        site_dropped=site_dropped,
        metadata=metadata,
        markdown=markdown,
    )


def _labels(cleaner: Cleaner, item: CrawlItem, options: Options) -> tuple[LineLabel, ...]:
    assert item.payload is not None  # checked by clean_item
    if item.input_format == "html":
        results = cleaner.classify_html(item.payload, options)
    else:
        results = cleaner.classify(item.payload, options)
    return _line_labels(results)


def _line_labels(results: list[LineResult]) -> tuple[LineLabel, ...]:
    # Blank lines of a text carry no label ("-"): they separate paragraphs, they are not lines to keep.
    return tuple(LineLabel(r.number, r.label, r.kept, r.text) for r in results if r.text.strip())


def item_host(item: CrawlItem) -> str:
    """The host a page is counted under for site boilerplate: its WARC-Target-URI's (see
    :func:`cleaner.site.site_host`), or the file's name for a record without one."""
    return site_host(item.url) or item.source


def count_item(counts: SiteCounts, cleaner: Cleaner, item: CrawlItem, options: Options = DEFAULT_OPTIONS) -> bool:
    """Pass 1 of :mod:`cleaner.site`: count the lines of a page item under its host. False (nothing
    counted) for an item that is not a page or a page that cannot be read (pass 2 reports it)."""
    if not item.is_page or item.payload is None or item.input_format is None:
        return False
    try:
        page = cleaner.read_page(item.payload, replace(options, input_format=item.input_format))
    except InputError:
        return False
    counts.add_page(item_host(item), page.texts)
    return True


def iter_cleaned(
    source: str | os.PathLike[str] | BinaryIO,
    cleaner: Cleaner | None = None,
    options: Options = DEFAULT_OPTIONS,
    fields: RecordFields = DEFAULT_FIELDS,
    *,
    stats: CrawlStats | None = None,
    max_payload_bytes: int = DEFAULT_MAX_PAYLOAD_BYTES,
    site: SiteBoilerplate | None = None,
) -> Iterator[CrawlResult]:
    """The cleaned pages of a WARC or WET file, in order (:func:`iter_records`, then :func:`clean_item`).

    ``cleaner`` defaults to the shipped models (loaded once per process). A page that cannot be
    cleaned is counted in ``stats`` as an error and left out; a damaged file raises
    :class:`CrawlError` after the pages before the damage. ``site``: drop the lines each host
    repeats (from :func:`count_crawl` over this file and any others, then ``.boilerplate()``).
    """
    cleaner = cleaner if cleaner is not None else default_cleaner()
    counts = stats if stats is not None else CrawlStats()
    for item in iter_records(source, stats=counts, max_payload_bytes=max_payload_bytes):
        if not item.is_page:
            continue
        try:
            result = clean_item(cleaner, item, options, fields, site)
        except RecordError as exc:
            counts.error(str(exc))
            continue
        counts.cleaned += 1
        yield result


def count_crawl(
    source: str | os.PathLike[str] | BinaryIO,
    counts: SiteCounts | None = None,
    cleaner: Cleaner | None = None,
    options: Options = DEFAULT_OPTIONS,
    *,
    max_payload_bytes: int = DEFAULT_MAX_PAYLOAD_BYTES,
) -> SiteCounts:
    """Pass 1 of :mod:`cleaner.site` over a WARC or WET file: its pages' lines counted under their
    hosts, into ``counts`` (a new :class:`~cleaner.site.SiteCounts` by default), which is returned.
    Raises :class:`CrawlError` at damage, the pages before it counted."""
    cleaner = cleaner if cleaner is not None else default_cleaner()
    counts = counts if counts is not None else SiteCounts()
    for item in iter_records(source, max_payload_bytes=max_payload_bytes):
        count_item(counts, cleaner, item, options)
    return counts


@lru_cache(maxsize=1)
def default_cleaner() -> Cleaner:
    """The shipped models, loaded once per process (a Cleaner is thread-safe)."""
    return Cleaner.load()
