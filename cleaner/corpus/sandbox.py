"""Running a system on pages so that no page can stop the run: time limits, crashes, hangs, no network.

:func:`run_one` runs a system on one input in the current process, timed, inside
:func:`~cleaner.corpus.competitors.offline_and_quiet`, with a time limit (SIGALRM, in a main thread); an
exception or the time limit gives a failure with an empty output. :func:`run_pages` runs a system on many
inputs in ``jobs`` joblib (loky) workers; when a page kills its worker (a crash in C code) or hangs it past
the hard limit (C code the time limit cannot interrupt), the pages of that call are run again one by one,
each in a process of its own (:func:`run_isolated`), so that only the guilty page fails.
"""

from __future__ import annotations

import multiprocessing
import signal
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from multiprocessing.connection import Connection

from cleaner.corpus.competitors import PROBE_PAGE, PROBE_TEXT, System, offline_and_quiet

# A page taking longer than this is a failure: a hang must not stall the run.
PAGE_TIMEOUT_SECONDS = 120.0
# C code that never returns to Python cannot be interrupted by the time limit: past this many times the
# limit (plus some slack for starting a worker), the worker is killed and the page fails.
HARD_LIMIT_FACTOR = 2.0
HARD_LIMIT_SLACK_SECONDS = 2.0
# Length kept of an error message.
ERROR_CHARS = 300


@dataclass(frozen=True, slots=True)
class Output:
    """A system's output on one page."""

    text: str
    seconds: float
    """Extraction time of this page alone, in the process that computed it."""
    error: str = ""
    """Why the system failed on the page ("" when it did not); the text is then empty."""

    @property
    def failed(self) -> bool:
        return bool(self.error)


class PageTimeout(Exception):
    """A system took longer than the time allowed for one page."""


@contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`PageTimeout` in the block after ``seconds`` (only in a main thread, where signals go)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise PageTimeout(f"more than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# Systems already run once in this process: the first call imports the tool and fills its caches, which
# would be timed as part of the first page otherwise.
_WARMED: set[str] = set()


def _warm(system: System) -> None:
    if system.name not in _WARMED:
        _WARMED.add(system.name)
        with suppress(Exception):
            system.extract(PROBE_PAGE if system.input == "html" else PROBE_TEXT)


def run_one(system: System, text: str, timeout: float | None = PAGE_TIMEOUT_SECONDS) -> Output:
    """``system`` on one input, timed; any exception is returned as a failure with an empty output."""
    with offline_and_quiet():
        _warm(system)
        started = time.perf_counter()
        try:
            with _time_limit(timeout):
                output = system.extract(text)
            return Output(output or "", time.perf_counter() - started)
        except Exception as error:  # noqa: BLE001 - a tool crashing on a page is scored as an empty output
            return Output("", time.perf_counter() - started, f"{type(error).__name__}: {error}"[:ERROR_CHARS])


def _hard_limit(timeout: float | None) -> float | None:
    """When a worker is given up on: the page's time limit failed to interrupt it (a hang in C code)."""
    return None if timeout is None else timeout * HARD_LIMIT_FACTOR + HARD_LIMIT_SLACK_SECONDS


def _child(system: System, text: str, timeout: float | None, channel: Connection) -> None:
    channel.send(run_one(system, text, timeout))
    channel.close()


def run_isolated(system: System, text: str, timeout: float | None = PAGE_TIMEOUT_SECONDS) -> Output:
    """:func:`run_one` in a process of its own, killed past the hard limit: a crash or a hang fails the page.

    The process is forked where the platform allows (fast, and the tool is already imported when the
    caller warmed it up); a process that dies or is killed gives a failure ("worker died", "hung").
    """
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(system, text, timeout, sender), daemon=True)
    started = time.perf_counter()
    process.start()
    sender.close()
    error = f"hung: killed after {_hard_limit(timeout) or 0:g} s"
    try:
        if receiver.poll(_hard_limit(timeout)):
            return receiver.recv()
    except EOFError:
        process.join()
        error = f"worker died (exit code {process.exitcode})"
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        receiver.close()
    return Output("", time.perf_counter() - started, error)


def run_pages(
    system: System, texts: Sequence[str], jobs: int = 1, timeout: float | None = PAGE_TIMEOUT_SECONDS
) -> list[Output]:
    """``system`` on each of ``texts``, in ``jobs`` processes (1: in this one); a failed page gives a failure."""
    if jobs == 1:
        return [run_one(system, text, timeout) for text in texts]
    from concurrent.futures.process import BrokenProcessPool

    from joblib import Parallel, delayed
    from joblib.externals.loky.process_executor import TerminatedWorkerError

    # One task a page (batch_size=1), so that the hard limit applies to one page and not to a batch.
    parallel = Parallel(n_jobs=jobs, batch_size=1, timeout=_hard_limit(timeout))
    try:
        return parallel(delayed(run_one)(system, text, timeout) for text in texts)
    except (TerminatedWorkerError, BrokenProcessPool, multiprocessing.TimeoutError):
        # A page killed its worker or hung it: run the pages again one by one, each alone, to find it.
        with offline_and_quiet():
            _warm(system)
        return [run_isolated(system, text, timeout) for text in texts]
