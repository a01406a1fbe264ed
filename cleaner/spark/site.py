"""Site boilerplate on Spark (:mod:`cleaner.site`): pass 1 as a Spark aggregation, pass 2 in the job.

Pass 1 counts, in each task, the lines of its files' pages per host in a bounded
:class:`~cleaner.site.SiteCounts` (the same bounds as the command line's: a task's memory stays
bounded), then sums the tasks' counts with ``reduceByKey`` on ``(host, fingerprint)`` (and on
``(host, pages)``). The lines on enough of their host's pages (:class:`~cleaner.site.SiteRules`) are
collected to the driver, at most ``max_lines_per_host`` per host and ``max_lines`` in all (the
highest counts), and broadcast to pass 2, which cleans every page minus its host's lines.

A count summed from the tasks is a lower bound, as each task's is: a line is dropped only when it
really is on that many pages.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from cleaner.crawl import CrawlError, count_crawl
from cleaner.site import MAX_LINES_PER_HOST, SiteBoilerplate, SiteCounts, SiteRules
from cleaner.spark.inputs import NamedBytes
from cleaner.spark.worker import worker_cleaner

if TYPE_CHECKING:
    from pyspark import RDD

# The key under which a host's page count travels with its lines' counts (fingerprints are >= 0).
PAGES_KEY = -1

Counted = tuple[tuple[str, int], int]


def count_partition(pairs: Iterable[tuple[str, str | bytes]], task: Any, max_lines: int) -> Iterator[Counted]:
    """Pass 1 in one task: ``((host, fingerprint), pages)`` for the lines of the pages of each
    ``(uri, source)`` file, and ``((host, PAGES_KEY), pages)`` for each host. A damaged file counts
    the pages before the damage (pass 2 reports it)."""
    cleaner = worker_cleaner(task.model)
    counts = SiteCounts(max_lines=max_lines)
    for uri, source in pairs:
        stream = source if isinstance(source, str) else NamedBytes(source, uri)
        try:
            count_crawl(stream, counts, cleaner, task.options, max_payload_bytes=task.max_payload_bytes)
        except CrawlError:
            pass
    for host, pages, lines in counts.items():
        yield (host, PAGES_KEY), pages
        for key, count in lines.items():
            yield (host, key), count


def site_boilerplate(sources: RDD, task: Any, max_lines: int, rules: SiteRules = SiteRules()) -> SiteBoilerplate:
    """Pass 1 over the ``(uri, source)`` pairs of a job: the lines each host repeats, collected here."""
    rules.checked()
    per_host = min(MAX_LINES_PER_HOST, max_lines)
    totals = sources.mapPartitions(lambda pairs: count_partition(pairs, task, max_lines)).reduceByKey(_add)
    pages = totals.filter(_is_pages).map(lambda item: (item[0][0], item[1]))
    lines = totals.filter(lambda item: not _is_pages(item)).map(lambda item: (item[0][0], (item[0][1], item[1])))
    common = lines.join(pages).filter(lambda item: item[1][0][1] >= rules.needed(item[1][1]))
    chosen = (
        common.map(lambda item: (item[0], item[1][0]))
        .groupByKey()
        .flatMap(lambda item: [(item[0], key, count) for key, count in _highest(item[1], per_host)])
        .takeOrdered(max_lines, key=lambda entry: (-entry[2], entry[0], entry[1]))
    )
    found: dict[str, set[int]] = {}
    for host, key, _ in chosen:
        found.setdefault(host, set()).add(key)
    return SiteBoilerplate({host: frozenset(keys) for host, keys in sorted(found.items())}, rules)


def _add(first: int, second: int) -> int:
    return first + second


def _is_pages(item: Counted) -> bool:
    return item[0][1] == PAGES_KEY


def _highest(counts: Iterable[tuple[int, int]], limit: int) -> list[tuple[int, int]]:
    """The ``limit`` (fingerprint, count) pairs with the highest counts (ties: the smaller fingerprint)."""
    return heapq.nsmallest(limit, counts, key=lambda pair: (-pair[1], pair[0]))
