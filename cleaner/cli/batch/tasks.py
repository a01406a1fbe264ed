"""Running one task of a batch, in a worker process or here: it never raises for a bad input."""

from __future__ import annotations

from cleaner.cli.batch.crawl import count_crawl, run_crawl
from cleaner.cli.batch.file import run_file, run_files
from cleaner.cli.batch.job import CHUNK_TASKS, CrawlTask, FilesTask, FileTask, Job, Outcome, RecordsTask, failed
from cleaner.cli.batch.jsonl import run_records
from cleaner.cli.batch.site import count_file, count_records

Task = FileTask | RecordsTask | FilesTask | CrawlTask


def run_task(job: Job, task: Task, finished: list[Outcome] | None = None) -> list[Outcome]:
    """Run one task (in a worker or here): an outcome per file or chunk of records, in order. Never
    raises for a bad input: the outcome says what failed. For a group of files, ``finished``
    receives each file's outcome as soon as it is done (see :func:`run_files`)."""
    if isinstance(task, FilesTask):
        done: list[Outcome] = [] if finished is None else finished
        try:
            return run_files(job, task, done)
        except KeyboardInterrupt:
            raise
        except Exception:  # a bug: the files not done yet are cleaned one by one, to name the one that shows it
            for file in task.files[len(done) :]:
                done.extend(run_task(job, file))
            return done
    try:
        return [_run_one(job, task)]
    except KeyboardInterrupt:
        raise
    except Exception as error:  # a bug must not take the batch down: report the input that showed it
        where = task.source.display if isinstance(task, FileTask) else task.display
        message = f"{where}: internal error: {type(error).__name__}: {error}"
        return [failed(task.index, message, not isinstance(task, CHUNK_TASKS) or task.last)]


def _run_one(job: Job, task: FileTask | RecordsTask | CrawlTask) -> Outcome:
    if job.site_count:  # pass 1 of site boilerplate: count lines, write nothing
        if isinstance(task, RecordsTask):
            return count_records(job, task)
        if isinstance(task, CrawlTask):
            return count_crawl(job, task)
        return count_file(job, task)
    if isinstance(task, RecordsTask):
        return run_records(job, task)
    if isinstance(task, CrawlTask):
        return run_crawl(job, task)
    return run_file(job, task)
