"""Ctrl-C around the moments a batch must not be cut: while worker processes start, and while a
finished file is written and counted."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator


@contextlib.contextmanager
def sigint_ignored() -> Iterator[None]:
    """Ignore Ctrl-C while worker processes are started: they inherit the ignored signal, so that only
    this process stops the batch, without a traceback from each worker. (A blocked signal would not do:
    the workers are started with an empty signal mask.) A Ctrl-C in that moment is lost: keep it short."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


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
    previous = signal.signal(signal.SIGINT, lambda signum, frame: received.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if received and callable(previous):  # the handler of the time (KeyboardInterrupt, as a rule)
        previous(signal.SIGINT, None)
