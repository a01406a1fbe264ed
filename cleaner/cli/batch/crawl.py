"""Cleaning crawl files (WARC, WET): the main process reads the records (``cleaner.crawl.iter_records``,
one at a time: memory stays bounded whatever the file's size) into tasks of a few MB of pages, which
any process cleans into JSON Lines, one object per page (``clean_item(...).to_dict()``).

A record that cannot be decoded or cleaned is reported (``file:offset``) and skipped; a truncated or
corrupt file gives every record before the damage, then one error naming the file and the offset.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

from cleaner.cli.batch.format import json_line
from cleaner.cli.batch.job import CrawlTask, Job, Outcome, ReadyTask, load_cleaner
from cleaner.cli.batch.plan import Source
from cleaner.cli.batch.site import load_site_table
from cleaner.files import STDIN

if TYPE_CHECKING:
    from cleaner.crawl import CrawlItem

# A task holds this many records, or this many bytes of pages, whichever comes first: about a second
# of work (a process cleans 4-5 MB of HTML a second), small enough to keep a few per worker in flight.
ITEMS_PER_TASK = 500
PAGE_BYTES_PER_TASK = 4 * 1024 * 1024
# The field naming the input in each record, when several inputs share one output (as the Spark job's).
FILE_FIELD = "file"


def crawl_tasks(
    index: int, source: Source, named: bool, per_task: int = ITEMS_PER_TASK
) -> Iterator[CrawlTask | ReadyTask]:
    """A crawl file as tasks of a few records each, read lazily; the last one is ``last``. Damage (or
    a file that cannot be opened) ends it with a :class:`ReadyTask` holding the error."""
    from cleaner.crawl import CrawlError, CrawlStats, iter_records

    chunk: list[CrawlItem] = []
    size = start = 0
    name = source.display if named else None
    stream = sys.stdin.buffer if source.path == STDIN else source.path
    opened = CrawlStats()  # only whether the file opened is read from it: the tasks count the records
    try:
        for item in iter_records(stream, stats=opened):
            if chunk and (len(chunk) >= per_task or size >= PAGE_BYTES_PER_TASK):
                yield CrawlTask(index, source.display, tuple(chunk), False, item.offset - start, name)
                chunk, size, start = [], 0, item.offset
            chunk.append(item)
            size += len(item.payload) if item.payload is not None else 0
    except CrawlError as error:
        stop = error.offset if error.offset is not None else start
        if chunk:
            yield CrawlTask(index, source.display, tuple(chunk), False, max(0, stop - start), name)
        outcome = Outcome(index, bytes=max(0, source.size - stop))
        outcome.error(str(error))
        outcome.crawl = CrawlStats(files=opened.files, file_bytes=max(0, source.size - stop))
        outcome.crawl.error(str(error))
        yield ReadyTask(outcome)
        return
    end = source.size if source.size else start  # standard input: its size is not known
    yield CrawlTask(index, source.display, tuple(chunk), True, max(0, end - start), name)


def run_crawl(job: Job, task: CrawlTask) -> Outcome:
    """Clean the pages of a task's records into JSON Lines (in any process). Records that are not
    pages are counted by kind; those that cannot be decoded or cleaned are reported and skipped."""
    from cleaner.crawl import CrawlStats, RecordError, clean_items

    cleaner = load_cleaner(job.model)
    site = load_site_table(job.site_table) if job.site_table is not None else None
    outcome = Outcome(task.index, bytes=task.bytes, finished=task.last)
    stats = CrawlStats(files=1 if task.last else 0, file_bytes=task.bytes)
    pages = [item for item in task.items if item.is_page]
    # The pages are cleaned together (faster: see cleaner.crawl.clean_items), then everything is
    # reported in the records' order.
    results = dict(zip(map(id, pages), clean_items(cleaner, pages, job.options, job.record_fields, site)))
    lines: list[str] = []
    for item in task.items:
        stats.count(item)
        if item.status == "error":
            outcome.error(f"{item.location}: {item.reason}")
            continue
        if not item.is_page:
            continue
        result = results[id(item)]
        if isinstance(result, RecordError):
            outcome.error(str(result))
            stats.error(str(result))
            continue
        stats.cleaned += 1
        outcome.pages += 1
        outcome.kept += result.lines_kept
        outcome.dropped += result.lines_dropped
        outcome.site_dropped += result.site_dropped or 0
        record = result.to_dict()
        if task.name is not None:
            record = {FILE_FIELD: task.name, **record}
        lines.append(json_line(record))
    outcome.output = "".join(lines)
    outcome.crawl = stats
    return outcome


def count_crawl(job: Job, task: CrawlTask) -> Outcome:
    """Pass 1 of site boilerplate over a task's records: their pages' lines counted per host."""
    from cleaner.crawl import count_item
    from cleaner.site import SiteCounts

    cleaner = load_cleaner(job.model)
    counts = SiteCounts(max_lines=job.site_max_lines)
    pages = sum(count_item(counts, cleaner, item, job.options) for item in task.items)
    return Outcome(task.index, pages=pages, bytes=task.bytes, finished=task.last, site=counts)
