"""Where each line's page starts and ends in a batch of pages: what the model's context sums, the
context matrix, the feature matrix's page column and the decision rules need."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def line_pages(bounds: Sequence[int] | np.ndarray) -> np.ndarray:
    """Each line's page (its index in the batch) in a batch whose pages start at ``bounds`` (``[0, ..., n]``)."""
    if len(bounds) == 2:  # one page (every clean and clean_html call): its lines are all page 0
        return np.zeros(int(bounds[1]) - int(bounds[0]), dtype=np.int64)
    bounds = np.asarray(bounds, dtype=np.int64)
    return np.repeat(np.arange(max(len(bounds) - 1, 0)), np.diff(bounds))


class PageLayout:
    """Where each line's page starts and ends in a batch of pages starting at ``bounds`` (``[0, ..., n]``):
    per line, ``first`` and ``end``, its index within its page (``index``), its page's line count
    (``size``) and number (``page``); per page, its line count (``sizes``): what a whole batch's context
    sums need."""

    __slots__ = ("bounds", "sizes", "page", "first", "end", "index", "size")

    def __init__(self, bounds: np.ndarray, n: int) -> None:
        self.bounds = bounds
        self.sizes = sizes = bounds[1:] - bounds[:-1]
        self.page = line_pages(bounds)
        self.first = bounds[:-1][self.page]
        self.end = bounds[1:][self.page]
        self.index = np.arange(n) - self.first
        self.size = sizes[self.page]


def page_boundaries(pages: np.ndarray) -> np.ndarray:
    """Start index of each run of equal page ids, plus the end: ``[0, ..., len(pages)]``."""
    if len(pages) == 0:
        return np.zeros(1, dtype=np.int64)
    change = (pages[1:] != pages[:-1]).nonzero()[0]
    if not len(change):  # one page (a small page's call spends more on the concatenation than on the rest)
        return np.array([0, len(pages)])
    return np.concatenate(([0], change + 1, [len(pages)]))
