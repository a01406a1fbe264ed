"""Cleaning files: one file (read whole, or as a stream with bounded memory), or a group of small files
classified together."""

from __future__ import annotations

import sys
from typing import Any, TextIO

from cleaner.cli.batch.format import DOCUMENT_FORMATS, Formatter, document_output
from cleaner.cli.batch.job import FilesTask, FileTask, Job, Outcome, load_cleaner
from cleaner.cli.batch.signals import ctrl_c_deferred
from cleaner.cli.batch.site import file_host, site_page
from cleaner.errors import CleanerError
from cleaner.files import STDIN, atomic_writer, read_error, read_input, write_atomic
from cleaner.records import ReadPage
from cleaner.stream import StreamedArticle, StreamedPage, article_byte_stream, classify_byte_stream


def run_file(job: Job, task: FileTask, out: TextIO | None = None) -> Outcome:
    """Clean one file. To ``out`` (standard output, inline), to ``source.target``, or into the outcome."""
    source = task.source
    outcome = Outcome(task.index)
    formatter = Formatter(job.output_format, source.display if job.name_files else None, job.explain)
    cleaner = load_cleaner(job.model)
    if not task.stream or job.output_format in DOCUMENT_FORMATS:
        try:
            data = read_input(source.path)
        except CleanerError as error:  # the message already names the file
            outcome.error(str(error))
            return outcome
        outcome.bytes = len(data)
        try:
            if job.site_table is not None:  # pass 2 of site boilerplate: the lines its folder repeats dropped
                page, outcome.site_dropped = site_page(job, cleaner, data, file_host(source.display))
                text, replaced = formatter.format(page.results), page.replaced
                outcome.count(page.results)
            elif job.output_format in DOCUMENT_FORMATS:
                # With --format json, the page's metadata is read from the tree its lines come from.
                metadata = job.output_format == "json"
                read = cleaner.read_page(data, job.options, links=job.links, metadata=metadata)
                document = cleaner.documents_of([read], job.options, links=job.links, metadata=metadata)[0]
                text, replaced = document_output(document, job.output_format), read.replaced
                outcome.kept, outcome.dropped = document.lines_kept, document.lines_dropped
            elif job.output_format == "text":  # the kept text only: no result object per line
                article = cleaner.article(data, job.options)
                text, replaced = article.text, article.replaced
                outcome.kept, outcome.dropped = article.kept, article.dropped
            else:
                page = cleaner.process(data, job.options, probabilities=job.probabilities)
                text, replaced = formatter.format(page.results), page.replaced
                outcome.count(page.results)
        except CleanerError as error:
            outcome.error(f"{source.display}: {error}")
            return outcome
        del data
        outcome.pages = 1
        if replaced:
            outcome.replaced_bytes(source.display)
        if source.target is None:
            if out is not None:
                out.write(text)
                out.flush()
            else:
                outcome.output = text
            return outcome
        try:
            write_atomic(source.target, text)
        except OSError as error:
            outcome.cannot_write(source.target, error)
        return outcome
    # A stream: read, classify and write a segment at a time.
    try:
        handle = sys.stdin.buffer if source.path == STDIN else open(source.path, "rb")  # noqa: SIM115
    except OSError as error:
        outcome.error(str(read_error(source.path, error)))
        return outcome
    try:
        counter = _CountingReader(handle)
        try:
            if job.output_format == "text":  # the kept text only: no result object per line
                page: StreamedPage | StreamedArticle = article_byte_stream(
                    cleaner.models, counter, job.options, job.bounds
                )
            else:
                page = classify_byte_stream(
                    cleaner.models, counter, job.options, job.bounds, probabilities=job.probabilities
                )
        except CleanerError as error:
            outcome.error(f"{source.display}: {error}")
            return outcome
        try:
            if source.target is None:
                sink = out if out is not None else _StringSink()
                _write_stream(page, formatter, sink, outcome)
                if out is None:
                    outcome.output = sink.getvalue()  # type: ignore[union-attr]
            else:
                with atomic_writer(source.target) as sink:
                    _write_stream(page, formatter, sink, outcome)
        except CleanerError as error:
            outcome.error(f"{source.display}: {error}")
            return outcome
        except BrokenPipeError:
            raise  # standard output was closed (`clean big.txt | head`): the run ends, see Batch.run
        except OSError as error:
            if source.target is not None and error.filename in (None, str(source.target)):
                outcome.cannot_write(source.target, error)
            else:
                outcome.error(f"{source.display}: cannot read: {error.strerror or error}")
            return outcome
        outcome.pages = 1
        outcome.bytes = counter.count
        if page.replaced:
            outcome.replaced_bytes(source.display)
        return outcome
    finally:
        if handle is not sys.stdin.buffer:
            handle.close()


def run_files(job: Job, task: FilesTask, finished: list[Outcome] | None = None) -> list[Outcome]:
    """Clean small files to text, their pages classified together: what :func:`run_file` does for each.

    ``finished`` receives the outcomes of the first files as soon as they are complete (written), so
    that a caller interrupted in the middle knows which are done.
    """
    cleaner = load_cleaner(job.model)
    outcomes = [Outcome(file.index) for file in task.files]
    read: list[tuple[int, ReadPage]] = []  # (position in the task, page) of each file that could be read
    for position, (file, outcome) in enumerate(zip(task.files, outcomes)):
        try:
            data = read_input(file.source.path)
        except CleanerError as error:  # the message already names the file
            outcome.error(str(error))
            continue
        outcome.bytes = len(data)
        try:
            read.append((position, cleaner.read_page(data, job.options)))
        except CleanerError as error:
            outcome.error(f"{file.source.display}: {error}")
    articles = cleaner.articles_of([page for _, page in read], job.options)
    for (position, _), article in zip(read, articles):
        file, outcome = task.files[position], outcomes[position]
        outcome.kept, outcome.dropped, outcome.pages = article.kept, article.dropped, 1
        if article.replaced:
            outcome.replaced_bytes(file.source.display)
        # Ctrl-C waits until the file is written and counted as done: a file written but not counted
        # would make the summary wrong about what --skip-existing will skip.
        with ctrl_c_deferred():
            if file.source.target is None:
                outcome.output = article.text
            else:
                try:
                    write_atomic(file.source.target, article.text)
                except OSError as error:
                    outcome.cannot_write(file.source.target, error)
            if finished is not None:
                finished.extend(outcomes[len(finished) : position + 1])
    if finished is not None:
        finished.extend(outcomes[len(finished) :])
    return outcomes


def _write_stream(page: StreamedPage | StreamedArticle, formatter: Formatter, sink: Any, outcome: Outcome) -> None:
    """Write a streamed page a segment at a time, counting its lines."""
    if isinstance(page, StreamedArticle):
        for article in page.pieces:
            outcome.kept += article.kept
            outcome.dropped += article.dropped
            if article.text:
                sink.write(article.text)
                sink.flush()
        return
    for segment in page.results:
        outcome.count(segment)
        text = formatter.format(segment)
        if text:
            sink.write(text)
            sink.flush()


class _StringSink:
    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        self.parts.append(text)

    def flush(self) -> None:
        pass

    def getvalue(self) -> str:
        return "".join(self.parts)


class _CountingReader:
    """A binary stream that counts the bytes read through it."""

    def __init__(self, handle: Any) -> None:
        self.handle = handle
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.count += len(data)
        return data

    def read1(self, size: int = -1) -> bytes:
        reader = getattr(self.handle, "read1", self.handle.read)
        data = reader(size)
        self.count += len(data)
        return data
