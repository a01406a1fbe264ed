"""Cleaning the pages of crawl files: one item (in any process), or a whole file in order."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import BinaryIO

from cleaner import Cleaner, InputError, LineResult, Options
from cleaner.crawl.errors import RecordError
from cleaner.crawl.reader import DEFAULT_MAX_PAYLOAD_BYTES, CrawlItem, iter_records
from cleaner.crawl.results import CrawlResult, LineLabel, RecordFields
from cleaner.crawl.stats import CrawlStats
from cleaner.document import labelled_documents, lines_metadata
from cleaner.metadata import Metadata
from cleaner.pipeline import classified
from cleaner.render import render_results
from cleaner.site import SiteBoilerplate, SiteCounts, site_host

# The default options (an Options is immutable, so one instance serves every call).
DEFAULT_OPTIONS = Options()
DEFAULT_FIELDS = RecordFields()


# Pages of a crawl are cleaned this many at a time: their lines classified as one batch, with fewer
# NumPy calls a page than one by one (on 200 corpus pages in one process, with their metadata: pages
# of text, as WET files hold them, 1.6 times faster; HTML pages 1.1 times). The results are the same.
CLEAN_BATCH_PAGES = 32
# ... and no more than this many bytes of pages (a longer page is a batch of its own): a batch's pages
# are read and featurised together, and a read HTML page takes several times its size.
CLEAN_BATCH_BYTES = 4 << 20


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
    (result,) = clean_items(cleaner, [item], options, fields, site)
    if isinstance(result, RecordError):
        raise result
    return result


def clean_items(
    cleaner: Cleaner,
    items: Sequence[CrawlItem],
    options: Options = DEFAULT_OPTIONS,
    fields: RecordFields = DEFAULT_FIELDS,
    site: SiteBoilerplate | None = None,
) -> list[CrawlResult | RecordError]:
    """:func:`clean_item` of each of ``items``, in order, the lines of each of their :func:`batches`
    classified together: the same results, faster. A page that cannot be read gives its
    :class:`RecordError` in its place, and the others are cleaned. Raises ValueError for an item that
    is not a page."""
    for item in items:
        if not item.is_page or item.payload is None or item.input_format is None:
            raise ValueError(f"{item.location}: not a page to clean ({item.status}: {item.reason})")
    if site is not None:
        return [_with_site(cleaner, item, options, fields, site) for item in items]
    out: list[CrawlResult | RecordError] = []
    for batch in batches(items):
        try:
            out += _cleaned(cleaner, batch, options, fields)
        except InputError:
            # A page the batch could not classify (its metadata, say): each page again on its own, so
            # that only that one is lost.
            out += [_cleaned(cleaner, [item], options, fields)[0] for item in batch]
    return out


def _cleaned(
    cleaner: Cleaner, items: Sequence[CrawlItem], options: Options, fields: RecordFields
) -> list[CrawlResult | RecordError]:
    """The pages of ``items`` read one by one (a page that cannot be read gives its RecordError),
    then classified together, text and HTML apart. Raises InputError where the classification of
    the pages together does (only ever for a batch of more than one page: one page's error is its
    RecordError)."""
    out: list[CrawlResult | RecordError | None] = [None] * len(items)
    documents = fields.metadata or fields.markdown
    links = fields.links and documents  # a page's links are only read for its Markdown or metadata
    for input_format in ("text", "html"):
        chosen = [i for i, item in enumerate(items) if item.input_format == input_format]
        if not chosen:
            continue
        page_options = replace(options, input_format=input_format)
        reads = {}  # by item index: the pages that could be read
        for i in chosen:
            try:
                # An HTML page's metadata is read from the tree its lines come from (the page parsed once).
                reads[i] = cleaner.read_page(
                    _payload(items[i]), page_options, links=links, metadata=fields.metadata, url=items[i].url
                )
            except InputError as exc:
                out[i] = _record_error(items[i], exc)
        read = list(reads)
        if not read:
            continue
        pages = list(reads.values())
        try:
            if documents or fields.labels:
                found = labelled_documents(
                    pages,
                    cleaner.models.for_page(pages[0]),
                    page_options,
                    urls=[items[i].url for i in read],
                    links=fields.links,
                    markdown=fields.markdown,
                    metadata=fields.metadata,
                    labels=fields.labels,
                )
                for i, (document, lines) in zip(read, found):
                    texts = (document.text, document.lines_kept, document.lines_dropped)
                    metadata = document.metadata if fields.metadata else None
                    labels = _labelled(LineLabel(*line) for line in lines) if lines is not None else None
                    out[i] = _result(items[i], *texts, metadata=metadata, markdown=document.markdown, lines=labels)
            else:
                for i, article in zip(read, cleaner.articles_of(pages, page_options)):
                    out[i] = _result(items[i], article.text, article.kept, article.dropped)
        except InputError as exc:
            if len(items) > 1:
                raise
            out[read[0]] = _record_error(items[read[0]], exc)
    return out  # type: ignore[return-value]  # every item is text or HTML: each got its result


def _with_site(
    cleaner: Cleaner, item: CrawlItem, options: Options, fields: RecordFields, site: SiteBoilerplate
) -> CrawlResult | RecordError:
    """A page cleaned with its host's repeated lines dropped (see :func:`clean_item`), or the
    RecordError of a page that cannot be read."""
    options = replace(options, input_format=item.input_format)
    metadata = None
    try:
        # An HTML page's metadata is read from the tree its lines come from (the page parsed once).
        read = cleaner.read_page(_payload(item), options, metadata=fields.metadata, url=item.url)
        found = classified(read, cleaner.models.for_page(read), options, probabilities=False)
        page, site_dropped = site.filter_counted(item_host(item), found, _payload(item))
        if isinstance(read.from_tree, Metadata):
            metadata = read.from_tree
        elif fields.metadata:  # a text page: its metadata comes from its labelled lines
            labelled = ((r.text, r.label) for r in page.results if not r.blank)
            metadata = lines_metadata(item.input_format, labelled, url=item.url)
    except InputError as exc:  # the page is binary or unreadable; options and model errors are the caller's
        return _record_error(item, exc)
    return _result(
        item,
        render_results(page.results),
        sum(1 for result in page.results if result.kept),
        sum(1 for result in page.results if not result.kept and not result.blank),
        metadata=metadata,
        lines=_line_labels(page.results) if fields.labels else None,
        site_dropped=site_dropped,
    )


def batches(items: Iterable[CrawlItem]) -> Iterator[list[CrawlItem]]:
    """``items`` in lists of :data:`CLEAN_BATCH_PAGES` pages and at most :data:`CLEAN_BATCH_BYTES` of
    payload (a longer page alone), read as they are needed. When reading them fails (a damaged file),
    the items read before are handed over first, then the error raised."""
    batch: list[CrawlItem] = []
    size = 0
    try:
        for item in items:
            length = len(item.payload or b"")
            if batch and size + length > CLEAN_BATCH_BYTES:
                yield batch
                batch, size = [], 0
            batch.append(item)
            size += length
            if len(batch) >= CLEAN_BATCH_PAGES:
                yield batch
                batch, size = [], 0
    except Exception as error:
        if batch:
            yield batch
        raise error
    if batch:
        yield batch


def _record_error(item: CrawlItem, exc: InputError) -> RecordError:
    error = RecordError(item.source, item.offset, f"cannot clean the page: {exc}")
    error.__cause__ = exc
    return error


def _payload(item: CrawlItem) -> bytes:
    assert item.payload is not None  # checked by clean_items
    return item.payload


def _result(
    item: CrawlItem,
    text: str,
    kept: int,
    dropped: int,
    *,
    metadata: Metadata | None = None,
    markdown: str | None = None,
    lines: tuple[LineLabel, ...] | None = None,
    site_dropped: int | None = None,
) -> CrawlResult:
    return CrawlResult(
        url=item.url,
        warc_record_id=item.record_id,
        warc_date=item.date,
        text=text,
        lines_kept=kept,
        lines_dropped=dropped,
        language=item.language or (metadata.language if metadata is not None else None),
        labels=lines,
        offset=item.offset if item.located else None,
        input_format=item.input_format,
        site_dropped=site_dropped,
        metadata=metadata,
        markdown=markdown,
    )


def _line_labels(results: list[LineResult]) -> tuple[LineLabel, ...]:
    return _labelled(LineLabel(r.number, r.label, r.kept, r.text) for r in results)


def _labelled(lines: Iterable[LineLabel]) -> tuple[LineLabel, ...]:
    # Blank lines of a text carry no label ("-"): they separate paragraphs, they are not lines to keep.
    return tuple(line for line in lines if line.text.strip())


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
    pages = (item for item in iter_records(source, stats=counts, max_payload_bytes=max_payload_bytes) if item.is_page)
    for batch in batches(pages):
        for result in clean_items(cleaner, batch, options, fields, site):
            if isinstance(result, RecordError):
                counts.error(str(result))
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
