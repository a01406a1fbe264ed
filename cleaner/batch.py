"""Batch runs of the ``clean`` command: many files, folders and JSON Lines, over several processes.

The work is cut into tasks (a file, or a chunk of JSON Lines records) that run in this process or
in worker processes (joblib's loky executor), a bounded number at a time. Results are taken in input
order, so the output does not depend on the number of processes. A task never raises: what goes
wrong with one input is reported on one line naming it, and the batch goes on (unless told to stop
at the first error). Outputs appear atomically: a file is written whole or not at all.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import stat
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path
from typing import Any, TextIO

from cleaner.core import ReadPage
from cleaner.errors import CleanerError, InputError
from cleaner.lines import LineResult
from cleaner.options import Options
from cleaner.stream import (
    DEFAULT_BOUNDS,
    Bounds,
    StreamedArticle,
    StreamedPage,
    StreamRenderer,
    article_byte_stream,
    classify_byte_stream,
)

OUTPUT_FORMATS = ("text", "tsv", "jsonl")
SUFFIXES = {"text": ".txt", "tsv": ".tsv", "jsonl": ".jsonl"}
STDIN = "-"
# JSON Lines records are sent to the workers this many at a time (or this many bytes, whichever comes first).
RECORDS_PER_TASK = 200
BYTES_PER_TASK = 4 * 1024 * 1024
# Small files cleaned to text are classified together, this many at most per task (or this many
# bytes): the same outputs as one at a time, fewer NumPy calls per file.
FILES_PER_TASK = 64
GROUP_BYTES = 1024 * 1024
# Below this much input in all, processes cost more to start than they save: the batch runs here.
PARALLEL_MIN_BYTES = 2 * 1024 * 1024
# Tasks handed to the workers ahead of the one whose result is awaited, per worker.
TASKS_AHEAD_PER_WORKER = 4
# Idle workers stay this long (seconds): a batch never waits for a new one to start.
WORKER_IDLE_TIMEOUT = 300
# Exit codes: some input failed; interrupted (128 + SIGINT), as shells report it.
EXIT_ERROR = 1
EXIT_INTERRUPTED = 130


class BatchError(CleanerError):
    """The batch cannot start (an output would overwrite an input, two inputs share an output...)."""


# -- what to clean ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """One input of a batch and where its result goes."""

    path: str
    """The file to read, or ``-`` for standard input."""
    display: str
    """How messages name it: as given, or the folder given joined with the path found in it."""
    target: Path | None = None
    """The output file (with ``--output``), else None (standard output)."""
    size: int = 0
    """Bytes (0 for standard input or an unreadable file)."""
    regular: bool = True
    """False for standard input, a pipe or a device: read as a stream, whatever its size."""


def expand_inputs(arguments: Iterable[str], pattern: str = "*", exclude: Path | None = None) -> list[tuple[str, str]]:
    """The files to clean, as (path, path relative to the folder given): named files as they are,
    folders walked recursively in sorted order for files whose name (or relative path, when the
    pattern holds a ``/``) matches ``pattern``. Hidden files and folders (a leading dot) and the
    folder ``exclude`` (the output folder) are skipped. Raises :class:`InputError` for a folder
    holding no matching file."""
    found: list[tuple[str, str]] = []
    excluded = exclude.resolve() if exclude is not None else None
    for argument in arguments:
        if argument == STDIN or not os.path.isdir(argument):
            found.append((argument, os.path.basename(argument) if argument != STDIN else "stdin"))
            continue
        before = len(found)
        for folder, folders, files in os.walk(argument):
            folders[:] = sorted(
                name
                for name in folders
                if not name.startswith(".") and (excluded is None or Path(folder, name).resolve() != excluded)
            )
            for name in sorted(files):
                if name.startswith("."):
                    continue
                path = os.path.join(folder, name)
                relative = os.path.relpath(path, argument)
                if fnmatch(relative if "/" in pattern else name, pattern):
                    found.append((path, relative))
        if len(found) == before:
            raise InputError(f"{argument}: is a directory with no file to clean (none matches --glob {pattern!r})")
    return found


def plan_sources(found: list[tuple[str, str]], output: Path | None, suffix: str) -> list[Source]:
    """The sources of a batch with their output files in ``output`` (the relative paths mirrored,
    each file's suffix replaced by ``suffix``). Raises :class:`BatchError` when an output would
    overwrite an input, or two inputs would be written to one file."""
    sources: list[Source] = []
    writers: dict[Path, str] = {}
    for path, relative in found:
        size, regular = 0, path != STDIN
        if regular:
            try:
                status = os.stat(path)
                size, regular = status.st_size, stat.S_ISREG(status.st_mode) or stat.S_ISDIR(status.st_mode)
            except OSError:
                pass  # reported when the file is read
        if output is None:
            sources.append(Source(path, path, None, size, regular))
            continue
        rel = Path(relative)
        target = output / rel.parent / f"{'stdin' if path == STDIN else rel.stem}{suffix}"
        if path != STDIN and Path(path).resolve() == target.resolve():
            raise BatchError(f"{path}: the output file would overwrite this input; choose another --output folder")
        writer = writers.setdefault(target.resolve(), path)
        if writer != path:
            raise BatchError(f"{writer} and {path} would both be written to {target}; clean them into separate folders")
        sources.append(Source(path, path, target, size, regular))
    return sources


# -- how to clean -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """What every task of a batch shares (sent once per task to the workers: keep it small)."""

    model: str | None
    options: Options
    output_format: str = "text"
    explain: bool = False
    jsonl_field: str | None = None
    jsonl_labels: bool = False
    name_files: bool = False
    """Name the file in each record of ``--format jsonl`` (when there are several inputs)."""
    bounds: Bounds = DEFAULT_BOUNDS

    @property
    def probabilities(self) -> bool:
        return self.output_format == "jsonl" and self.jsonl_field is None


_CLEANERS: dict[str | None, Any] = {}


def _cleaner(model: str | None):
    cleaner = _CLEANERS.get(model)
    if cleaner is None:
        from cleaner.core import Cleaner

        cleaner = _CLEANERS[model] = Cleaner.load(model)
    return cleaner


def share_cleaner(model: str | None, cleaner: Any) -> None:
    """Use ``cleaner`` (already loaded from ``model``) for the tasks run in this process."""
    _CLEANERS[model] = cleaner


def _worker_start(model: str | None) -> None:
    # Ctrl-C goes to the whole process group: the main process stops the batch and the workers with
    # it, so the workers ignore it (no traceback from each of them).
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        _cleaner(model)
    except CleanerError:
        pass  # reported by the main process, which loaded the model first


# -- formatting ---------------------------------------------------------------------------------------


def line_record(result: LineResult, source: str | None) -> dict:
    record = {
        "line": result.number,
        "label": result.label,
        "keep_probability": result.keep_probability,
        "kept": result.kept,
        "text": result.text,
        "probabilities": result.probabilities,
    }
    if result.explanation:
        record["explanation"] = [{"feature": name, "weight": weight} for name, weight in result.explanation]
    if source is not None:
        record = {"file": source, **record}
    return record


class Formatter:
    """One input's results as output text, fed a page (or a segment of a streamed page) at a time."""

    def __init__(self, output_format: str, source: str | None = None, explain: bool = False) -> None:
        self.output_format = output_format
        self.source = source
        self.explain = explain
        self.renderer = StreamRenderer()

    def format(self, results: list[LineResult]) -> str:
        if self.output_format == "text":
            return self.renderer.render(results)
        if self.output_format == "jsonl":
            return "".join(json.dumps(line_record(r, self.source), ensure_ascii=False) + "\n" for r in results)
        rows = []
        for r in results:
            cells = [str(r.number), "keep" if r.kept else "drop", r.label, f"{r.keep_probability:.3f}"]
            if self.explain:
                # Every row gets the column (empty for blank lines), so the text is always the last of as many cells.
                cells.append("; ".join(f"{name} {weight:+.2f}" for name, weight in r.explanation))
            rows.append("\t".join(cells + [r.text]))
        return "".join(row + "\n" for row in rows)


# -- tasks --------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What a task did: counts, messages for stderr, and its output when it goes to standard output."""

    index: int
    pages: int = 0
    bytes: int = 0
    kept: int = 0
    dropped: int = 0
    errors: int = 0
    messages: list[str] = field(default_factory=list)
    output: str | None = None
    finished: bool = True
    """False for a chunk of a JSON Lines file that is not its last."""
    skipped: bool = False
    """Not cleaned: its output exists (``--skip-existing``)."""

    def count(self, results: list[LineResult]) -> None:
        for result in results:
            if result.kept:
                self.kept += 1
            elif result.label != "-":
                self.dropped += 1

    def error(self, message: str) -> None:
        self.errors += 1
        self.messages.append(f"error: {message}")

    def cannot_write(self, target: Path, error: OSError) -> None:
        self.error(f"{target}: cannot write: {error.strerror or error}")

    def replaced_bytes(self, display: str) -> None:
        self.messages.append(f"warning: {display}: invalid UTF-8 bytes were replaced by U+FFFD")


@dataclass(frozen=True)
class FileTask:
    index: int
    source: Source
    stream: bool
    """Clean it as a stream (bounded memory): a file larger than a whole page."""


@dataclass(frozen=True)
class FilesTask:
    """Small files (each a FileTask, not a stream) cleaned to text, classified together."""

    files: tuple[FileTask, ...]


@dataclass(frozen=True)
class RecordsTask:
    index: int
    display: str
    first_line: int
    lines: tuple[bytes, ...]
    last: bool


@dataclass(frozen=True)
class ReadyTask:
    """Nothing left to compute: the outcome is known (a JSON Lines file's end, a read error, a skip)."""

    outcome: Outcome


@dataclass(frozen=True)
class InlineTask:
    """Done by the main process when its turn comes: a stream to standard output."""

    index: int
    source: Source


def run_task(job: Job, task: FileTask | RecordsTask | FilesTask, finished: list[Outcome] | None = None) -> list[Outcome]:
    """Run one task (in a worker or here): an outcome per file or chunk of records, in order. Never
    raises for a bad input: the outcome says what failed. For a group of files, ``finished``
    receives each file's outcome as soon as it is done (see :func:`_run_files`)."""
    if isinstance(task, FilesTask):
        done: list[Outcome] = [] if finished is None else finished
        try:
            return _run_files(job, task, done)
        except KeyboardInterrupt:
            raise
        except Exception:  # a bug: the files not done yet are cleaned one by one, to name the one that shows it
            for file in task.files[len(done) :]:
                done.extend(run_task(job, file))
            return done
    try:
        if isinstance(task, RecordsTask):
            return [_run_records(job, task)]
        return [_run_file(job, task)]
    except KeyboardInterrupt:
        raise
    except Exception as error:  # a bug must not take the batch down: report the input that showed it
        where = task.source.display if isinstance(task, FileTask) else task.display
        message = f"{where}: internal error: {type(error).__name__}: {error}"
        return [_failed(task.index, message, not isinstance(task, RecordsTask) or task.last)]


def _run_file(job: Job, task: FileTask, out: TextIO | None = None) -> Outcome:
    """Clean one file. To ``out`` (standard output, inline), to ``source.target``, or into the outcome."""
    from cleaner.files import atomic_writer, read_input, write_atomic

    source = task.source
    outcome = Outcome(task.index)
    formatter = Formatter(job.output_format, source.display if job.name_files else None, job.explain)
    cleaner = _cleaner(job.model)
    if not task.stream:
        try:
            data = read_input(source.path)
        except CleanerError as error:  # the message already names the file
            outcome.error(str(error))
            return outcome
        outcome.bytes = len(data)
        try:
            if job.output_format == "text":  # the kept text only: no result object per line
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
        outcome.error(str(_read_error(source.path, error)))
        return outcome
    try:
        counter = _CountingReader(handle)
        try:
            if job.output_format == "text":  # the kept text only: no result object per line
                page: StreamedPage | StreamedArticle = article_byte_stream(cleaner, counter, job.options, job.bounds)
            else:
                page = classify_byte_stream(cleaner, counter, job.options, job.bounds, probabilities=job.probabilities)
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


def _run_files(job: Job, task: FilesTask, finished: list[Outcome] | None = None) -> list[Outcome]:
    """Clean small files to text, their pages classified together: what :func:`_run_file` does for each.

    ``finished`` receives the outcomes of the first files as soon as they are complete (written), so
    that a caller interrupted in the middle knows which are done.
    """
    from cleaner.files import read_input, write_atomic

    cleaner = _cleaner(job.model)
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


def _read_error(path: str, error: OSError) -> InputError:
    if isinstance(error, FileNotFoundError):
        return InputError(f"{path}: no such file")
    if isinstance(error, IsADirectoryError):
        return InputError(f"{path}: is a directory")
    if isinstance(error, PermissionError):
        return InputError(f"{path}: permission denied")
    return InputError(f"{path}: cannot read: {error.strerror or error}")


def _run_records(job: Job, task: RecordsTask) -> Outcome:
    """Clean the field ``job.jsonl_field`` of each record; malformed records are reported and skipped."""
    outcome = Outcome(task.index, finished=task.last)
    cleaner = _cleaner(job.model)
    field_name = job.jsonl_field
    assert field_name is not None
    records: list[dict[str, Any]] = []
    # Without labels, the records' pages are read one by one (a page that cannot be read is reported)
    # and classified together: the same text, fewer NumPy calls per record.
    pages: list[ReadPage] = []
    for number, raw in enumerate(task.lines, start=task.first_line):
        outcome.bytes += len(raw)
        where = f"{task.display}:{number}"
        if not raw.strip():
            continue
        try:
            record = json.loads(raw.rstrip(b"\r\n"))
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
            if job.jsonl_labels:
                page = cleaner.process(value, job.options, probabilities=False)
                outcome.count(page.results)
                record[field_name] = page.text()
                record[f"{field_name}_labels"] = [r.label for r in page.results]
            else:
                pages.append(cleaner.read_page(value, job.options))
        except CleanerError as error:
            outcome.error(f"{where}: {error}")
            continue
        outcome.pages += 1
        records.append(record)
    if pages:
        for record, article in zip(records, cleaner.articles_of(pages, job.options)):
            outcome.kept += article.kept
            outcome.dropped += article.dropped
            record[field_name] = article.text
    outcome.output = "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
    return outcome


def _unreadable(index: int, source: Source, error: OSError) -> ReadyTask:
    """The outcome of a JSON Lines input that cannot be opened or read further."""
    outcome = Outcome(index)
    outcome.error(str(_read_error(source.path, error)))
    return ReadyTask(outcome)


def _record_tasks(index: int, source: Source, start_line: int = 1) -> Iterator[RecordsTask | ReadyTask]:
    """A JSON Lines input as tasks of a few records each (read lazily: memory stays bounded)."""
    lines: list[bytes] = []
    size = 0
    first = start_line
    number = start_line - 1
    try:
        handle = sys.stdin.buffer if source.path == STDIN else open(source.path, "rb")  # noqa: SIM115
    except OSError as error:
        yield _unreadable(index, source, error)
        return
    try:
        for number, raw in enumerate(handle, start=start_line):
            lines.append(raw)
            size += len(raw)
            if len(lines) >= RECORDS_PER_TASK or size >= BYTES_PER_TASK:
                yield RecordsTask(index, source.display, first, tuple(lines), False)
                lines, size, first = [], 0, number + 1
    except OSError as error:
        yield _unreadable(index, source, error)
        return
    finally:
        if handle is not sys.stdin.buffer:
            handle.close()
    yield RecordsTask(index, source.display, first, tuple(lines), True)


# -- running ------------------------------------------------------------------------------------------


@dataclass
class Totals:
    files: int = 0
    """Inputs finished (cleaned, failed or skipped)."""
    pages: int = 0
    bytes: int = 0
    kept: int = 0
    dropped: int = 0
    errors: int = 0
    skipped: int = 0
    started: float = field(default_factory=time.perf_counter)

    def add(self, outcome: Outcome) -> None:
        self.pages += outcome.pages
        self.bytes += outcome.bytes
        self.kept += outcome.kept
        self.dropped += outcome.dropped
        self.errors += outcome.errors
        self.skipped += outcome.skipped
        if outcome.finished:
            self.files += 1

    def summary(self, total: int) -> str:
        elapsed = max(time.perf_counter() - self.started, 1e-9)
        line = (
            f"cleaned {self.pages} page{'s' * (self.pages != 1)} ({self.bytes / 1e6:.1f} MB) "
            f"from {self.files} of {total} file{'s' * (total != 1)} in {elapsed:.1f} s: "
            f"{self.pages / elapsed:.1f} pages/s, {self.bytes / 1e6 / elapsed:.2f} MB/s; "
            f"lines kept {self.kept}, dropped {self.dropped}; "
        )
        if self.skipped:
            line += f"{self.skipped} skipped (output exists); "
        return line + f"{self.errors} error{'s' * (self.errors != 1)}"


def _failed(index: int, message: str, finished: bool = True) -> Outcome:
    outcome = Outcome(index, finished=finished)
    outcome.error(message)
    return outcome


class Interrupted(Exception):
    """Ctrl-C: the batch stopped cleanly."""


@dataclass
class Batch:
    """A planned batch run. :meth:`run` returns the totals; it raises :class:`Interrupted` on Ctrl-C."""

    sources: list[Source]
    job: Job
    jobs: int = 1
    """Worker processes; 1 runs everything in this process."""
    fail_fast: bool = False
    skip_existing: bool = False
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    report: Callable[[str], None] = field(default=lambda line: print(line, file=sys.stderr, flush=True))
    progress: Any = None
    """A :class:`Progress` (or None)."""
    totals: Totals = field(default_factory=Totals)

    def tasks(self) -> Iterator[FileTask | RecordsTask | FilesTask | ReadyTask | InlineTask]:
        """The tasks in input order, small files cleaned to text in groups (:class:`FilesTask`)."""
        group: list[FileTask] = []
        size = 0
        for task in self._file_tasks():
            if self._grouped and isinstance(task, FileTask) and not task.stream:
                group.append(task)
                size += task.source.size
                if len(group) < FILES_PER_TASK and size < GROUP_BYTES:
                    continue
            if group:
                yield FilesTask(tuple(group))
                group, size = [], 0
            if not isinstance(task, FileTask) or task.stream or not self._grouped:
                yield task
        if group:
            yield FilesTask(tuple(group))

    @property
    def _grouped(self) -> bool:
        # One file per task where what a task writes must stop at the first error (--fail-fast), or
        # where each page's lines are written (tsv, jsonl).
        return self.job.output_format == "text" and not self.fail_fast and self.job.jsonl_field is None

    def _file_tasks(self) -> Iterator[FileTask | RecordsTask | ReadyTask | InlineTask]:
        for index, source in enumerate(self.sources):
            if self.skip_existing and source.target is not None and source.target.exists():
                yield ReadyTask(Outcome(index, skipped=True))
                continue
            if self.job.jsonl_field is not None:
                yield from _record_tasks(index, source)
                continue
            stream = source.path == STDIN or source.size > self.job.bounds.whole_page or not source.regular
            if source.path == STDIN or (stream and source.target is None):
                # Standard input can only be read here; a stream to standard output is written from here.
                yield InlineTask(index, source)
            else:
                yield FileTask(index, source, stream)

    def run(self) -> Totals:
        executor = None
        if self.jobs > 1:
            from joblib.externals.loky import get_reusable_executor

            with _sigint_ignored():
                executor = get_reusable_executor(
                    max_workers=self.jobs,
                    initializer=_worker_start,
                    initargs=(self.job.model,),
                    reuse=False,
                    timeout=WORKER_IDLE_TIMEOUT,
                    # One thread each: the processes already share the cores out.
                    env={"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"},
                )
        writers: dict[int, Any] = {}
        pending: deque = deque()
        stopped = False
        try:
            for outcome in self._outcomes(executor, pending):
                self._take(outcome, writers)
                if self.fail_fast and outcome.errors:
                    stopped = True
                    break
        except KeyboardInterrupt:
            self._abandon(executor, pending, writers)
            raise Interrupted() from None
        except BrokenPipeError:
            self._abandon(executor, pending, writers)
            raise
        if stopped:
            self._abandon(executor, pending, writers, interrupted=False)
        elif executor is not None:
            executor.shutdown(wait=True)
        return self.totals

    def _outcomes(self, executor: Any, pending: deque) -> Iterator[Outcome]:
        """Outcomes in task order; up to a few tasks per worker are running ahead."""
        ahead = max(1, self.jobs * TASKS_AHEAD_PER_WORKER) if executor is not None else 0
        for task in self.tasks():
            if isinstance(task, (FileTask, RecordsTask, FilesTask)) and executor is not None:
                with _sigint_ignored():  # workers started now must not get Ctrl-C (see _sigint_ignored)
                    future = executor.submit(run_task, self.job, task)
                pending.append((task, future))
            else:
                pending.append((task, None))
            while pending and (len(pending) > ahead or pending[0][1] is None):
                yield from self._next(pending)
        while pending:
            yield from self._next(pending)

    def _next(self, pending: deque) -> list[Outcome]:
        # Removed from the queue only once settled: on Ctrl-C, the task awaited is still in it.
        outcomes = self._settle(*pending[0])
        pending.popleft()
        return outcomes

    def _settle(self, task: Any, future: Any) -> list[Outcome]:
        if future is not None:
            try:
                return future.result()
            except KeyboardInterrupt:
                raise
            except Exception as error:  # the worker died (killed, out of memory, a crash in a C library)
                failed = f"the worker process failed: {type(error).__name__}: {error}"
                if isinstance(task, FilesTask):
                    return [_failed(file.index, f"{file.source.display}: {failed}") for file in task.files]
                where = task.source.display if isinstance(task, FileTask) else task.display
                return [_failed(task.index, f"{where}: {failed}", not isinstance(task, RecordsTask) or task.last)]
        if isinstance(task, ReadyTask):
            return [task.outcome]
        if isinstance(task, FilesTask):
            finished: list[Outcome] = []
            try:
                return run_task(self.job, task, finished)
            except KeyboardInterrupt:
                for outcome in finished:  # the files of the group written before Ctrl-C are done
                    self._take(outcome, {})
                raise
        if isinstance(task, InlineTask):
            try:
                return [_run_file(self.job, FileTask(task.index, task.source, True), out=self.stdout)]
            except (KeyboardInterrupt, BrokenPipeError):
                raise
            except Exception as error:
                return [_failed(task.index, f"{task.source.display}: internal error: {type(error).__name__}: {error}")]
        return run_task(self.job, task)

    def _take(self, outcome: Outcome, writers: dict[int, Any]) -> None:
        """Report an outcome, in order: messages, output, progress."""
        for message in outcome.messages:
            self.report(message)
        source = self.sources[outcome.index]
        if outcome.output is not None:
            if self.job.jsonl_field is not None and source.target is not None:
                self._write_records(outcome, source.target, writers)
            elif outcome.output:
                self.stdout.write(outcome.output)
                self.stdout.flush()
        if outcome.finished and outcome.index in writers:
            context, _ = writers.pop(outcome.index)
            if context is not None:
                try:
                    context.__exit__(None, None, None)
                except OSError as error:
                    outcome.cannot_write(source.target, error)
                    self.report(outcome.messages[-1])
        self.totals.add(outcome)
        if self.progress is not None:
            self.progress.update(self.totals)

    def _write_records(self, outcome: Outcome, target: Path, writers: dict[int, Any]) -> None:
        """Append a chunk of JSON Lines output to its file (renamed into place after the last chunk)."""
        from cleaner.files import atomic_writer

        context, handle = writers.get(outcome.index, (None, None))
        try:
            if outcome.index not in writers:
                context = atomic_writer(target)
                writers[outcome.index] = (context, None)
                handle = context.__enter__()
                writers[outcome.index] = (context, handle)
            if handle is not None:
                handle.write(outcome.output)
        except OSError as error:
            if context is not None and handle is not None:
                context.__exit__(type(error), error, None)
            writers[outcome.index] = (None, None)  # the rest of this file is not written
            outcome.cannot_write(target, error)
            self.report(outcome.messages[-1])

    def _abandon(self, executor: Any, pending: deque, writers: dict[int, Any], interrupted: bool = True) -> None:
        """Stop now: no output half-written (temporary files removed), workers stopped."""
        for context, handle in writers.values():
            if context is not None and handle is not None:
                try:
                    context.__exit__(KeyboardInterrupt, KeyboardInterrupt(), None)
                except (KeyboardInterrupt, OSError):
                    pass
        writers.clear()
        if executor is not None:
            # Tasks not started are dropped; the few running finish (their outputs are whole files).
            # A second Ctrl-C stops the workers at once (what they were writing is removed below).
            for _, future in pending:
                if future is not None:
                    future.cancel()
            try:
                executor.shutdown(wait=True)
            except KeyboardInterrupt:
                _kill(executor)
            # Files the workers finished are done (their outputs are written): count and report them.
            for task, future in pending if interrupted else ():
                finished = future is not None and future.done() and not future.cancelled()
                if finished and future.exception() is None and isinstance(task, (FileTask, FilesTask)):
                    for outcome in future.result():
                        if self.sources[outcome.index].target is not None:
                            self._take(outcome, writers)
        from cleaner.files import temporary_leftovers

        for task, _ in pending:
            files = task.files if isinstance(task, FilesTask) else (task,)
            for file in files:
                source = getattr(file, "source", None)
                if source is None and isinstance(file, RecordsTask):
                    source = self.sources[file.index]
                if source is not None and source.target is not None:
                    for leftover in temporary_leftovers(source.target):
                        leftover.unlink(missing_ok=True)


@contextlib.contextmanager
def _sigint_ignored() -> Iterator[None]:
    """Ignore Ctrl-C while worker processes may be started (each ``submit`` may start one): they
    inherit the ignored signal, so that only this process stops the batch, without a traceback from
    each worker. (A blocked signal would not do: the workers are started with an empty signal mask.)"""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _kill(executor: Any) -> None:
    """Stop the workers now. The executor's manager thread may then trip over the tasks it was
    handing out (a race in loky): nothing to report, the batch is over."""
    hook = threading.excepthook

    def quiet(args: Any) -> None:
        if args.thread is None or "ExecutorManager" not in args.thread.name:
            hook(args)

    threading.excepthook = quiet
    try:
        executor.shutdown(wait=True, kill_workers=True)
    finally:
        threading.excepthook = hook


def choose_jobs(requested: int | None, sources: list[Source], jsonl: bool) -> int:
    """Worker processes for a batch: as requested, or one per core when the batch is large enough to
    pay for starting them; 1 (this process) for a single file or a small batch."""
    total = sum(source.size for source in sources)
    units = len(sources) if not jsonl else sys.maxsize  # records: as many tasks as there are chunks
    if requested is not None and requested > 0:
        return max(1, min(requested, units))
    if total < PARALLEL_MIN_BYTES or units < 2:
        return 1
    return max(1, min(_cores(), units))


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


# -- progress ----------------------------------------------------------------------------------------


class Progress:
    """A progress bar on stderr (rich): files done of all, MB read, pages per second."""

    def __init__(self, total: int) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress as RichProgress, TextColumn, TimeElapsedColumn

        self._progress = RichProgress(
            TextColumn("cleaning"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[detail]}"),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self._task = self._progress.add_task("clean", total=total, detail="")
        self._progress.start()

    def update(self, totals: Totals) -> None:
        elapsed = max(time.perf_counter() - totals.started, 1e-9)
        detail = f"{totals.bytes / 1e6:.1f} MB, {totals.pages / elapsed:.1f} pages/s, {totals.errors} errors"
        self._progress.update(self._task, completed=totals.files, detail=detail)

    def close(self) -> None:
        self._progress.stop()
