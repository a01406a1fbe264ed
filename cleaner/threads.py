"""One BLAS thread while a batch of lines is predicted.

The models' products are small (a page's lines times a few hundred weights): with the BLAS library's
default of a thread per core, starting and syncing the threads costs more than the product, and a
library call ran at about half the speed of the command line, which sets one thread for the process.
So prediction runs with one BLAS thread whatever the caller's environment; the caller's setting is
restored after each batch.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from typing import Any


@functools.cache
def _controller() -> Any:
    # Created on first use, not at import: finding the loaded BLAS libraries takes about a millisecond,
    # and limiting them through the found handles then costs tens of microseconds per batch.
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


@contextlib.contextmanager
def one_blas_thread() -> Iterator[None]:
    """Run the block with the BLAS libraries limited to one thread (process-wide, for its duration)."""
    with _controller().limit(limits=1, user_api="blas"):
        yield
