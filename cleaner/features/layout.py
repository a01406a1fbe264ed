"""Where each line's page starts and ends in a batch of pages: what the features read within a page
(position, repetition, page context) and the model's context sums need."""

from __future__ import annotations

import numpy as np


class PageLayout:
    """Where each line's page starts and ends in a batch of pages starting at ``bounds`` (``[0, ..., n]``):
    per line, ``first`` and ``end``, its index within its page (``index``), its page's line count
    (``size``) and number (``page``); per page, its line count (``sizes``). What the features read
    within a page need to compute a whole batch at once."""

    __slots__ = ("bounds", "sizes", "page", "first", "end", "index", "size", "page_starts")

    def __init__(self, bounds: np.ndarray, n: int) -> None:
        self.bounds = bounds
        self.sizes = sizes = bounds[1:] - bounds[:-1]
        self.page = np.repeat(np.arange(len(sizes)), sizes)
        self.first = bounds[:-1][self.page]
        self.end = bounds[1:][self.page]
        self.index = np.arange(n) - self.first
        self.size = sizes[self.page]
        page_starts = np.zeros(n, dtype=bool)
        page_starts[bounds[:-1][sizes > 0]] = True
        self.page_starts = page_starts

    def sums(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For whole-number ``values``: each line's running total within its page, the line
        included, and its page's total (exact: whole numbers add up without rounding)."""
        running = np.cumsum(values)
        totals = np.concatenate(([0.0], running))
        return running - totals[self.first], totals[self.end] - totals[self.first]


def page_boundaries(pages: np.ndarray) -> np.ndarray:
    """Start index of each run of equal page ids, plus the end: ``[0, ..., len(pages)]``."""
    if len(pages) == 0:
        return np.zeros(1, dtype=np.int64)
    change = np.flatnonzero(pages[1:] != pages[:-1]) + 1
    return np.concatenate(([0], change, [len(pages)]))
