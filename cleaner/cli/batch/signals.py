"""Ctrl-C around the moments a batch must not be cut: while worker processes start, and while a
finished file is written and counted."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from typing import Any


@contextlib.contextmanager
def sigint_ignored() -> Iterator[None]:
    """Ignore Ctrl-C while worker processes are started: they inherit the ignored signal, so that only
    this process stops the batch, without a traceback from each worker. (A blocked signal would not do:
    the workers are started with an empty signal mask.) A Ctrl-C in that moment is lost: keep it short."""
    with _handled(signal.SIGINT, signal.SIG_IGN):
        yield


@contextlib.contextmanager
def ctrl_c_deferred() -> Iterator[None]:
    """Ctrl-C held back until the block ends, then raised as usual.

    Blocking SIGINT with ``pthread_sigmask`` would not do: the kernel hands a process's signal to any
    thread that does not block it (NumPy's BLAS threads), and Python then raises in the main thread
    inside the block. So the Python handler is swapped for one that only notes the signal."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    # SIGTERM too, when it stops the batch as Ctrl-C does (terminate_as_interrupt).
    deferred = [signal.SIGINT] + [signal.SIGTERM] * (signal.getsignal(signal.SIGTERM) is signal.default_int_handler)
    previous = {signum: signal.signal(signum, lambda signum, frame: received.append(signum)) for signum in deferred}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if received and callable(previous[received[0]]):  # the handler of the time (KeyboardInterrupt, as a rule)
        previous[received[0]](received[0], None)


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM (``kill``, a job scheduler's stop) stops the batch inside the block as Ctrl-C does: the
    files done are counted, no half-written output or temporary file is left, the worker processes
    are stopped. In the main thread only; the previous handler comes back after the block."""
    with _handled(signal.SIGTERM, signal.default_int_handler):
        yield


@contextlib.contextmanager
def _handled(signum: int, handler: Any) -> Iterator[None]:
    """``signum`` handled by ``handler`` inside the block (in the main thread: only it can set one)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signum, handler)
    try:
        yield
    finally:
        signal.signal(signum, previous)
