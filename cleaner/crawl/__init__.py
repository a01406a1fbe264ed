"""Cleaning the pages of web crawls: WARC files (HTML responses) and WET files (their text).

    >>> from cleaner.crawl import iter_cleaned
    >>> for page in iter_cleaned("CC-MAIN-...warc.gz"):
    ...     print(page.to_json())

Reading and cleaning are separate steps, for a caller that cleans in several processes::

    for item in iter_records(path, stats=stats):        # streaming, bounded memory
        if item.is_page:
            pool.submit(clean_item, cleaner, item)     # items are small and picklable

``clean_items`` cleans a list of pages at once, their lines classified together: the same results,
faster (:data:`CLEAN_BATCH_PAGES` pages at a time suits; ``iter_cleaned`` and the ``clean`` command
batch that way).

Files are recognised by their content (:func:`sniff_crawl`): gzip-per-record or uncompressed,
WARC/1.0, 1.1 and the 0.18 of older crawls such as ClueWeb09. WAT files (metadata records) read
without error, as records that are all skipped. A truncated or corrupt file yields its records up
to the damage, then raises :class:`CrawlError` naming the file and the byte offset.

Lines a site repeats on page after page (menus, footers, promotions) can be dropped too, in two
passes (:mod:`cleaner.site`; the host is the WARC-Target-URI's)::

    counts = count_crawl("crawl.warc.gz")                          # pass 1 (any number of files)
    for page in iter_cleaned("crawl.warc.gz", site=counts.boilerplate()):   # pass 2
        ...
"""

from cleaner.crawl.clean import (
    CLEAN_BATCH_PAGES,
    clean_item,
    clean_items,
    count_crawl,
    count_item,
    default_cleaner,
    item_host,
    iter_cleaned,
)
from cleaner.crawl.errors import CrawlError, RecordError
from cleaner.crawl.formats import SNIFF_BYTES, sniff_crawl
from cleaner.crawl.reader import DEFAULT_MAX_PAYLOAD_BYTES, CrawlItem, iter_records
from cleaner.crawl.results import CrawlResult, LineLabel, RecordFields
from cleaner.crawl.stats import CrawlStats

__all__ = [
    "CLEAN_BATCH_PAGES",
    "DEFAULT_MAX_PAYLOAD_BYTES",
    "SNIFF_BYTES",
    "CrawlError",
    "CrawlItem",
    "CrawlResult",
    "CrawlStats",
    "LineLabel",
    "RecordFields",
    "RecordError",
    "clean_item",
    "clean_items",
    "count_crawl",
    "count_item",
    "default_cleaner",
    "item_host",
    "iter_cleaned",
    "iter_records",
    "sniff_crawl",
]
