"""Running one task of a batch, in a worker process or here: it never raises for a bad input."""

from __future__ import annotations

from cleaner.cli.batch.file import run_file, run_files
from cleaner.cli.batch.job import FilesTask, FileTask, Job, Outcome, RecordsTask, failed
from cleaner.cli.batch.jsonl import run_records


def run_task(
    job: Job, task: FileTask | RecordsTask | FilesTask, finished: list[Outcome] | None = None
) -> list[Outcome]:
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
        if isinstance(task, RecordsTask):
            return [run_records(job, task)]
        return [run_file(job, task)]
    except KeyboardInterrupt:
        raise
    except Exception as error:  # a bug must not take the batch down: report the input that showed it
        where = task.source.display if isinstance(task, FileTask) else task.display
        message = f"{where}: internal error: {type(error).__name__}: {error}"
        return [failed(task.index, message, not isinstance(task, RecordsTask) or task.last)]
