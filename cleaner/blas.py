"""One BLAS thread while a batch of lines is predicted.

The models' products are small (a page's lines times a few hundred weights): with the BLAS library's
default of a thread per core, starting and syncing the threads costs more than the product, and a
library call was markedly slower than the command line, which sets one thread for the whole process.
So prediction runs with one BLAS thread whatever the caller's environment, and the caller's setting
is restored afterwards.
"""

from __future__ import annotations

import functools
import threading
from typing import Any


class _OneBlasThread:
    """The limit, shared by every prediction of the process: the BLAS thread count is the process's,
    so calls from several threads at once share one limit. The first to start sets it and the last to
    finish restores the caller's setting; each restoring its own would leave the process at one thread
    when the calls overlap."""

    def __init__(self) -> None:
        from threadpoolctl import ThreadpoolController

        # Finding the loaded BLAS libraries takes about a millisecond, once. Each prediction then sets
        # and restores their thread counts through the controllers found: 2.7 us, where threadpoolctl's
        # limit() and its restoring took 5.2 (a three-line page takes some 300).
        self._libraries = ThreadpoolController().select(user_api="blas").lib_controllers
        self._lock = threading.Lock()
        self._running = 0
        self._restore: list[tuple[Any, int]] = []

    def __enter__(self) -> None:
        with self._lock:
            if self._running == 0:
                # The libraries not at one thread already, with their counts (a library that cannot
                # say its count is left alone, as threadpoolctl leaves it).
                counts = [(library, library.get_num_threads()) for library in self._libraries]
                self._restore = [(library, count) for library, count in counts if count is not None and count != 1]
                for library, _ in self._restore:
                    library.set_num_threads(1)
            self._running += 1

    def __exit__(self, *exc_info: object) -> None:
        with self._lock:
            self._running -= 1
            if self._running == 0:
                for library, count in self._restore:
                    library.set_num_threads(count)
                self._restore = []


@functools.cache
def one_blas_thread() -> _OneBlasThread:
    """A context manager: its block runs with the BLAS libraries limited to one thread (process-wide).
    Created on first use, not at import."""
    return _OneBlasThread()
