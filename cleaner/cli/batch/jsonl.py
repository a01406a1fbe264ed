"""Cleaning JSON Lines: a field of each record, a few hundred records per task (read lazily, so memory
stays bounded); a malformed record is reported (``file:line``) and skipped. ``--format markdown`` adds
FIELD_markdown to each record, ``--format json`` FIELD_metadata (the page's title, author, date...)."""

from __future__ import annotations

import gzip
import json
import sys
import uuid
import zlib
from collections.abc import Iterator
from typing import Any

from cleaner.cli.batch.format import DOCUMENT_FORMATS, json_line
from cleaner.cli.batch.job import Job, Outcome, ReadyTask, RecordsTask, load_cleaner
from cleaner.cli.batch.plan import GZIP_START, Source, first_bytes
from cleaner.cli.batch.site import URL_FIELD, record_host, site_page
from cleaner.errors import CleanerError
from cleaner.files import STDIN, read_error
from cleaner.records import ReadPage

# Records are sent to the workers this many at a time (or this many bytes, whichever comes first).
RECORDS_PER_TASK = 200
BYTES_PER_TASK = 4 * 1024 * 1024


def run_records(job: Job, task: RecordsTask) -> Outcome:
    """Clean the field ``job.jsonl_field`` of each record; malformed records are reported and skipped."""
    outcome = Outcome(task.index, finished=task.last)
    cleaner = load_cleaner(job.model)
    field_name = job.jsonl_field
    assert field_name is not None
    records: list[dict[str, Any]] = []
    numbers = _NumberLiterals()
    # Without labels, the records' pages are read one by one (a page that cannot be read is reported)
    # and classified together: the same text, fewer NumPy calls per record.
    pages: list[ReadPage] = []
    urls: list[str | None] = []  # each page's record's url field: the base of its links, its metadata's URL
    # With --format json, a page's metadata is read from the tree its lines come from (one parse a page).
    metadata = job.output_format == "json"
    for number, raw in enumerate(task.lines, start=task.first_line):
        outcome.bytes += len(raw)
        where = f"{task.display}:{number}"
        if not raw.strip():
            continue
        try:
            record = json.loads(raw.rstrip(b"\r\n"), parse_float=numbers.parse)
        except UnicodeDecodeError:
            outcome.error(f"{where}: not UTF-8 text")
            continue
        except json.JSONDecodeError as error:
            outcome.error(f"{where}: not JSON ({error.msg})")
            continue
        if not isinstance(record, dict):
            outcome.error(f"{where}: not a JSON object")
            continue
        value = record.get(field_name)
        if not isinstance(value, str):
            outcome.error(f"{where}: no text field {field_name!r}")
            continue
        try:
            if job.jsonl_labels or job.site_table is not None:
                if job.site_table is not None:  # pass 2 of site boilerplate: the lines its host repeats dropped
                    page, dropped = site_page(job, cleaner, value, record_host(record, task.display))
                    outcome.site_dropped += dropped
                else:
                    page = cleaner.process(value, job.options, probabilities=False)
                outcome.count(page.results)
                record[field_name] = page.text()
                if job.jsonl_labels:
                    record[f"{field_name}_labels"] = [r.label for r in page.results]
            else:
                url = record.get(URL_FIELD)
                url = url if isinstance(url, str) else None
                pages.append(cleaner.read_page(value, job.options, links=job.links, metadata=metadata, url=url))
                urls.append(url)
        except CleanerError as error:
            outcome.error(f"{where}: {error}")
            continue
        outcome.pages += 1
        records.append(record)
    if pages and job.output_format in DOCUMENT_FORMATS:
        documents = cleaner.documents_of(
            pages,
            job.options,
            urls=urls,
            links=job.links,
            markdown=job.output_format == "markdown",
            metadata=metadata,
        )
        for record, document in zip(records, documents):
            outcome.kept += document.lines_kept
            outcome.dropped += document.lines_dropped
            record[field_name] = document.text
            if job.output_format == "markdown":
                record[f"{field_name}_markdown"] = document.markdown
            else:
                record[f"{field_name}_metadata"] = document.metadata.to_dict()
    elif pages:
        for record, article in zip(records, cleaner.articles_of(pages, job.options)):
            outcome.kept += article.kept
            outcome.dropped += article.dropped
            record[field_name] = article.text
    outcome.output = "".join(numbers.restore(json_line(record)) for record in records)
    return outcome


class _NumberLiterals:
    """Numbers of the input written back as they were: a float the output would write otherwise (1e400
    as Infinity, which is no JSON; 1.00000000000000001 as 1.0; 1.50 as 1.5) is held as a placeholder
    string while its record is rewritten, then put back as its literal."""

    def __init__(self) -> None:
        self.nonce = uuid.uuid4().hex
        self.literals: dict[str, str] = {}

    def parse(self, text: str) -> float | str:
        value = float(text)
        if json.dumps(value) == text:
            return value
        placeholder = f"{self.nonce}:{len(self.literals)}"
        self.literals[f'"{placeholder}"'] = text
        return placeholder

    def restore(self, line: str) -> str:
        if self.literals and self.nonce in line:
            for placeholder, text in self.literals.items():
                line = line.replace(placeholder, text)
        return line


def unreadable(index: int, source: Source, error: OSError) -> ReadyTask:
    """The outcome of a JSON Lines input that cannot be opened or read further."""
    outcome = Outcome(index)
    outcome.error(str(read_error(source.path, error)))
    return ReadyTask(outcome)


def record_tasks(
    index: int, source: Source, start_line: int = 1, per_task: int = RECORDS_PER_TASK
) -> Iterator[RecordsTask | ReadyTask]:
    """A JSON Lines input as tasks of a few records each (read lazily: memory stays bounded), gzip-compressed
    or not (known by its first bytes: corpora ship as .jsonl.gz, and --output writes them)."""
    lines: list[bytes] = []
    size = 0
    first = start_line
    number = start_line - 1
    compressed = first_bytes(source.path, len(GZIP_START)) == GZIP_START
    try:
        handle = sys.stdin.buffer if source.path == STDIN else open(source.path, "rb")  # noqa: SIM115
    except OSError as error:
        yield unreadable(index, source, error)
        return
    try:
        records = gzip.GzipFile(fileobj=handle, mode="rb") if compressed else handle
        for number, raw in enumerate(records, start=start_line):
            lines.append(raw)
            size += len(raw)
            if len(lines) >= per_task or size >= BYTES_PER_TASK:
                yield RecordsTask(index, source.display, first, tuple(lines), False)
                lines, size, first = [], 0, number + 1
    except (OSError, EOFError, zlib.error) as error:  # EOFError, zlib.error: gzip data cut short, or damaged
        if lines:  # the records read before
            yield RecordsTask(index, source.display, first, tuple(lines), False)
        if not isinstance(error, OSError):
            error = OSError(f"damaged gzip data after line {number}: {error}")
        yield unreadable(index, source, error)
        return
    finally:
        if handle is not sys.stdin.buffer:
            handle.close()
    yield RecordsTask(index, source.display, first, tuple(lines), True)
