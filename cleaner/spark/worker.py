"""The executor side: one loaded Cleaner per Python worker process, whatever the number of tasks.

Spark reuses its Python worker processes from task to task (``spark.python.worker.reuse``, on by
default), so a module-level cache loads a model once per worker process, not once per task or
record. Nothing here is pickled with a task: only the model's name travels.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass

from cleaner import Cleaner, ModelError

# Cleaning multiplies small matrices a page at a time: a second BLAS thread per task only spins, and
# Spark already runs one task per core.
BLAS_THREADS = 1


@dataclass(frozen=True)
class ModelRef:
    """Which model a task cleans with, as it travels to the executors.

    ``path`` None means the shipped models. ``shipped`` True: ``path`` is the name of a file the
    driver added with ``SparkContext.addFile`` (found with ``SparkFiles.get`` on each executor);
    False: a path every executor can read, or the name of a shipped file.
    """

    path: str | None = None
    shipped: bool = False


_lock = threading.Lock()
_cleaners: dict[ModelRef, Cleaner] = {}


def worker_cleaner(model: ModelRef) -> Cleaner:
    """The Cleaner of ``model``, loaded on first use in this process and kept (a Cleaner is thread-safe).

    Loading limits BLAS to one thread in this process: Spark runs a task per core already.
    """
    with _lock:
        cleaner = _cleaners.get(model)
        if cleaner is None:
            _one_blas_thread()
            cleaner = Cleaner.load(model_path(model))
            _cleaners[model] = cleaner
        return cleaner


def model_path(model: ModelRef) -> str | None:
    """The local path of ``model`` in this process (None for the shipped models).

    A path that is not a file here is looked for among the files shipped to the executors
    (``SparkContext.addFile``, ``spark-submit --files``), by its name.
    """
    if model.path is None or (not model.shipped and os.path.isfile(model.path)):
        return model.path
    from pyspark import SparkFiles

    shipped = SparkFiles.get(os.path.basename(model.path))
    if not os.path.isfile(shipped):
        raise ModelError(f"{model.path}: no such model file here, nor shipped to this executor ({shipped})")
    return shipped


def _one_blas_thread() -> None:
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=BLAS_THREADS, user_api="blas")
