"""Running a planned batch: tasks in input order, in this process or in worker processes (joblib's loky
executor), a bounded number at a time, their outcomes taken in order; Ctrl-C stops it cleanly."""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from cleaner.cli.batch.crawl import ITEMS_PER_TASK, crawl_tasks
from cleaner.cli.batch.file import run_file
from cleaner.cli.batch.job import (
    CHUNK_TASKS,
    CrawlTask,
    FilesTask,
    FileTask,
    InlineTask,
    Job,
    Outcome,
    ReadyTask,
    RecordsTask,
    failed,
    load_cleaner,
)
from cleaner.cli.batch.jsonl import RECORDS_PER_TASK, record_tasks
from cleaner.cli.batch.output import GuardedOutput, PageParting, PartedOutput, output_writer
from cleaner.cli.batch.plan import Source
from cleaner.cli.batch.report import Totals
from cleaner.cli.batch.signals import ctrl_c_deferred, sigint_ignored
from cleaner.cli.batch.tasks import run_task
from cleaner.errors import CleanerError
from cleaner.files import STDIN, remove_stale_temporaries, temporary_leftovers
from cleaner.site import SiteCounts

# Small files cleaned to text are classified together, this many at most per task (or this many
# bytes): the same outputs as one at a time, fewer NumPy calls per file.
FILES_PER_TASK = 64
GROUP_BYTES = 1024 * 1024
# Tasks handed to the workers ahead of the one whose result is awaited, per worker.
TASKS_AHEAD_PER_WORKER = 4
# Idle workers stay this long (seconds): a batch never waits for a new one to start.
WORKER_IDLE_TIMEOUT = 300
# Exit codes: some input failed; interrupted (128 + SIGINT), as shells report it.
EXIT_ERROR = 1
EXIT_INTERRUPTED = 130


def _worker_start(model: str | None) -> None:
    # Ctrl-C goes to the whole process group: the main process stops the batch and the workers with
    # it, so the workers ignore it (no traceback from each of them).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        load_cleaner(model)
    except CleanerError:
        pass  # reported by the main process, which loaded the model first


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
    stdout: TextIO = field(default_factory=lambda: GuardedOutput(sys.stdout))  # type: ignore[arg-type]
    report: Callable[[str], None] = field(default=lambda line: print(line, file=sys.stderr, flush=True))
    progress: Any = None
    """A :class:`Progress` (or None)."""
    totals: Totals = field(default_factory=Totals)
    site_counts: SiteCounts | None = None
    """Pass 1 of site boilerplate (``job.site_count``): the tasks' counts, merged in input order."""
    # Outcomes of settled tasks not taken yet, in order: on Ctrl-C, the files among them are done.
    _settled: deque = field(default_factory=deque, init=False, repr=False)
    # Outcomes of the files written so far by the group of files running in this process, until its
    # outcomes are settled: on Ctrl-C, those files are done too, whether it came in the middle of the
    # group or just after its last file (before the outcomes reached _settled).
    _in_flight: list = field(default_factory=list, init=False, repr=False)
    # The blank line between inputs on standard output.
    _parting: PageParting = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.totals.site = self.job.site_table is not None
        self._parting = PageParting(self.job.output_format)

    def tasks(self) -> Iterator[FileTask | RecordsTask | FilesTask | CrawlTask | ReadyTask | InlineTask]:
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
        # One file per task where what a task writes must stop at the first error (--fail-fast), where
        # each page's lines are written (tsv, jsonl), or where each page is classified (site boilerplate).
        return (
            self.job.output_format == "text"
            and not self.fail_fast
            and self.job.jsonl_field is None
            and not self.job.site
        )

    def _file_tasks(self) -> Iterator[FileTask | RecordsTask | CrawlTask | ReadyTask | InlineTask]:
        for index, source in enumerate(self.sources):
            skip = self.skip_existing and not self.job.site_count  # pass 1 counts every page
            if skip and source.target is not None and source.target.exists():
                yield ReadyTask(Outcome(index, skipped=True))
                continue
            if self.job.jsonl_field is not None and not source.crawl:
                # With --fail-fast, a record per task: nothing after the first error is written.
                yield from record_tasks(index, source, per_task=1 if self.fail_fast else RECORDS_PER_TASK)
                continue
            if source.problem is not None:
                yield ReadyTask(failed(index, f"{source.display}: {source.problem}"))
                continue
            if source.crawl:
                # With --fail-fast, a page per task: nothing after the first error is written.
                yield from crawl_tasks(index, source, self._named(source), 1 if self.fail_fast else ITEMS_PER_TASK)
                continue
            stream = source.path == STDIN or source.size > self.job.bounds.whole_page or not source.regular
            if source.path == STDIN or (stream and source.target is None):
                # Standard input can only be read here; a stream to standard output is written from here.
                yield InlineTask(index, source)
            else:
                yield FileTask(index, source, stream)

    def _named(self, source: Source) -> bool:
        """Whether a crawl's records name their file: several inputs share its output."""
        if not self.job.name_files:
            return False
        return source.target is None or self._writers_of[source.target][0] > 1

    @functools.cached_property
    def _writers_of(self) -> dict[Path, tuple[int, int]]:
        """For each output file: how many inputs are written to it, and the last of them (the file is
        complete once that one is)."""
        found: dict[Path, tuple[int, int]] = {}
        for index, source in enumerate(self.sources):
            if source.target is not None:
                found[source.target] = (found.get(source.target, (0, 0))[0] + 1, index)
        return found

    def run(self) -> Totals:
        # Outputs are renamed into place from temporary files: a run killed outright left its own.
        for folder in sorted({target.parent for target in self._writers_of}):
            removed = remove_stale_temporaries(folder)
            if removed:
                self.report(f"note: {folder}: removed {removed} temporary file(s) that a stopped run left")
        executor = None
        if self.jobs > 1:
            from joblib.externals.loky import get_reusable_executor  # only for batches in several processes

            with sigint_ignored():
                executor = get_reusable_executor(
                    max_workers=self.jobs,
                    initializer=_worker_start,
                    initargs=(self.job.model,),
                    reuse=False,
                    timeout=WORKER_IDLE_TIMEOUT,
                    # One thread each: the processes already share the cores out.
                    env={"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"},
                )
                # The first submission starts every worker, here, while Ctrl-C is ignored: they inherit
                # that. Ignoring it at each later submission would lose a Ctrl-C that comes then.
                executor.submit(os.getpid)
        writers: dict[Path, Any] = {}
        pending: deque = deque()
        stopped = False
        try:
            for outcome in self._outcomes(executor, pending):
                # Ctrl-C waits while a file's outcome is taken: a file written but not counted would
                # make the summary wrong about what --skip-existing will skip. (Output to standard
                # output is not held: writing it may block, and a resume does not depend on it.)
                written = self.sources[outcome.index].target is not None
                with ctrl_c_deferred() if written else contextlib.nullcontext():
                    self._settled.popleft()
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
        """Outcomes in task order, each the first of :attr:`_settled` (the caller removes it once taken);
        up to a few tasks per worker are running ahead."""
        ahead = max(1, self.jobs * TASKS_AHEAD_PER_WORKER) if executor is not None else 0
        for task in self.tasks():
            if isinstance(task, (FileTask, RecordsTask, FilesTask, CrawlTask)) and executor is not None:
                # A Ctrl-C between the submission and the queue would leave the task's outcome uncounted.
                # (A worker the executor starts again here, after one went idle, gets Ctrl-C until its
                # initializer ignores it.)
                with ctrl_c_deferred():
                    pending.append((task, executor.submit(run_task, self.job, task)))
            else:
                pending.append((task, None))
            while pending and (len(pending) > ahead or pending[0][1] is None):
                yield from self._next(pending)
        while pending:
            yield from self._next(pending)

    def _next(self, pending: deque) -> Iterator[Outcome]:
        # Removed from the queue only once settled, and then put in _settled at once: on Ctrl-C, the
        # task awaited is still in the queue, or its outcomes are in _settled.
        outcomes = self._settle(*pending[0])
        with ctrl_c_deferred():
            pending.popleft()
            self._settled.extend(outcomes)
            self._in_flight.clear()
        while self._settled:
            yield self._settled[0]

    def _settle(self, task: Any, future: Any) -> list[Outcome]:
        if future is not None:
            try:
                return future.result()
            except KeyboardInterrupt:
                raise
            except Exception as error:  # the worker died (killed, out of memory, a crash in a C library)
                reason = f"the worker process failed: {type(error).__name__}: {error}"
                if isinstance(task, FilesTask):
                    return [failed(file.index, f"{file.source.display}: {reason}") for file in task.files]
                where = task.source.display if isinstance(task, FileTask) else task.display
                return [failed(task.index, f"{where}: {reason}", not isinstance(task, CHUNK_TASKS) or task.last)]
        if isinstance(task, ReadyTask):
            return [task.outcome]
        if isinstance(task, FilesTask):
            self._in_flight.clear()
            return run_task(self.job, task, self._in_flight)
        if isinstance(task, InlineTask):
            if self.job.site_count:  # a stream is one page: pass 1 has nothing to count (and writes nothing)
                return [Outcome(task.index)]
            try:
                out = PartedOutput(self.stdout, self._parting.separator(task.index, task.source.crawl))
                outcome = run_file(self.job, FileTask(task.index, task.source, True), out=out)  # type: ignore[arg-type]
                if out.wrote:
                    self._parting.wrote(task.index, task.source.crawl)
                return [outcome]
            except (KeyboardInterrupt, BrokenPipeError):
                raise
            except Exception as error:
                return [failed(task.index, f"{task.source.display}: internal error: {type(error).__name__}: {error}")]
        return run_task(self.job, task)

    def _take(self, outcome: Outcome, writers: dict[Path, Any]) -> None:
        """Report an outcome, in order: messages, output, progress."""
        if self.job.site_count:  # pass 1: counts only (what fails is reported by pass 2)
            if outcome.site is not None:
                if self.site_counts is None:
                    self.site_counts = SiteCounts(max_lines=self.job.site_max_lines)
                self.site_counts.merge(outcome.site)
            outcome.site = None
        for message in outcome.messages:
            self.report(message)
        source = self.sources[outcome.index]
        target = source.target
        if outcome.output is not None:
            if target is not None and (self.job.jsonl_field is not None or source.crawl):
                self._write_records(outcome, target, writers)
            elif outcome.output:
                self.stdout.write(self._parting.separator(outcome.index, source.crawl) + outcome.output)
                self.stdout.flush()
                self._parting.wrote(outcome.index, source.crawl)
        if outcome.finished and target in writers and self._writers_of[target][1] == outcome.index:
            context, _ = writers.pop(target)
            if context is not None:
                try:
                    context.__exit__(None, None, None)
                except OSError as error:
                    outcome.cannot_write(target, error)
                    self.report(outcome.messages[-1])
        self.totals.add(outcome)
        if self.progress is not None:
            self.progress.update(self.totals)

    def _write_records(self, outcome: Outcome, target: Path, writers: dict[Path, Any]) -> None:
        """Append a chunk of JSON Lines output to its file (renamed into place after the last chunk)."""
        context, handle = writers.get(target, (None, None))
        try:
            if target not in writers:
                context = output_writer(target)
                writers[target] = (context, None)
                handle = context.__enter__()
                writers[target] = (context, handle)
            if handle is not None:
                handle.write(outcome.output)
        except OSError as error:
            if context is not None and handle is not None:
                context.__exit__(type(error), error, None)
            writers[target] = (None, None)  # the rest of this file is not written
            outcome.cannot_write(target, error)
            self.report(outcome.messages[-1])

    def _abandon(self, executor: Any, pending: deque, writers: dict[Path, Any], interrupted: bool = True) -> None:
        """Stop now: no output half-written (temporary files removed), workers stopped."""
        # Files already written (their outcomes settled, not taken yet) are done: counted and reported.
        for outcome in self._settled if interrupted else ():
            if self.sources[outcome.index].target is not None and outcome.output is None:
                self._take(outcome, writers)
        self._settled.clear()
        # So are the files of the group that was running here (written and counted in one step).
        for outcome in self._in_flight if interrupted else ():
            self._take(outcome, writers)
        self._in_flight.clear()
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
        for task, _ in pending:
            files = task.files if isinstance(task, FilesTask) else (task,)
            for file in files:
                source = getattr(file, "source", None)
                if source is None and isinstance(file, CHUNK_TASKS):
                    source = self.sources[file.index]
                if source is not None and source.target is not None:
                    for leftover in temporary_leftovers(source.target):
                        leftover.unlink(missing_ok=True)


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
