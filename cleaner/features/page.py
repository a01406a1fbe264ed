"""The feature sets read within a page: a line's position, whether it repeats another, and where it
stands relative to the page's long, punctuated text (the article, usually).

:mod:`cleaner.features.reference` defines them line by line; the compiled core
(``cleaner/features/_page.pyx``) computes the same columns for a whole batch of pages in one loop a
page, and these functions run whichever core is in use. A page gets the same rows in a batch as alone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import ModuleType

import numpy as np

from cleaner.core import compiled
from cleaner.features.columns import Columns
from cleaner.features.textbatch import TextBatch
from cleaner.read.lines import respaced

# The columns of each set, in order.
POSITION = (
    "relative_position", "relative_char_position", "lines_from_start", "lines_from_end", "blank_before",
    "blank_after", "log_block_lines", "log_block_chars", "log_page_lines",
)  # fmt: skip
REPETITION = ("repeated", "repeat_of_earlier", "prefix_of_next", "extends_previous")
PAGE_CONTEXT = (
    "good", "good_share_before", "good_share_after", "good_run_share", "good_run_lines", "lines_to_next_good",
    "lines_to_previous_good", "in_main_span", "lines_to_main_span", "page_good_share",
)  # fmt: skip

# The columns the compiled core gives as counts or distances, whose log(1 + x) is taken here, by NumPy as
# the reference takes it (the C library's log1p differs from NumPy's in the last bit for some numbers).
LOGGED = {
    POSITION: ("lines_from_start", "lines_from_end", "log_block_lines", "log_block_chars"),
    PAGE_CONTEXT: ("good_run_lines", "lines_to_next_good", "lines_to_previous_good", "lines_to_main_span"),
}
# Where those columns stand in their set's matrix (index arrays: NumPy would make one of a list at each use).
_LOGGED_AT = {
    names: np.array([names.index(name) for name in logged], dtype=np.intp) for names, logged in LOGGED.items()
}
_CORE = "cleaner.features._page"


def position(page: TextBatch, counts: dict[str, np.ndarray]) -> Mapping[str, np.ndarray]:
    core = compiled(_CORE)
    if core is not None:
        return _compiled(POSITION, core.position(page.bounds, page.numbers, counts["chars"]))
    numbers = page.numbers.tolist()
    return _by_page(page, POSITION, lambda first, end: _reference().position(page.texts[first:end], numbers[first:end]))


def repetition_keys(page: TextBatch) -> list[str]:
    """Each line with its white space collapsed and its case folded: ``" ".join(t.split()).casefold()``.

    A line is case-folded by the page's lower-casing unless it holds a character that folds otherwise
    (the scan's ``folds``), and folding neither makes nor removes white space, so it can come first; only the
    lines whose white space is not already single spaces between words are re-spaced.
    """
    if not page.n:
        return []
    keys = list(page.lower_lines())
    for i in page.flagged("folds").nonzero()[0].tolist():
        keys[i] = page.texts[i].casefold()
    for i in page.flagged("respace").nonzero()[0].tolist():
        keys[i] = respaced(keys[i])
    return keys


def repetition(page: TextBatch, counts: dict[str, np.ndarray]) -> Mapping[str, np.ndarray]:
    core = compiled(_CORE)
    if core is not None:
        return _compiled(REPETITION, core.repetition(page.bounds, repetition_keys(page)))
    return _by_page(page, REPETITION, lambda first, end: _reference().repetition(page.texts[first:end]))


def page_context(page: TextBatch, counts: dict[str, np.ndarray]) -> Mapping[str, np.ndarray]:
    """Where the line stands relative to its page's long, punctuated text (the article, usually)."""
    core = compiled(_CORE)
    if core is not None:
        return _compiled(PAGE_CONTEXT, core.page_context(page.bounds, page.prose().view(np.uint8), counts["chars"]))
    return _by_page(page, PAGE_CONTEXT, lambda first, end: _reference().page_context(page.texts[first:end]))


def _compiled(names: tuple[str, ...], matrix: np.ndarray) -> Columns:
    """The compiled core's columns ``names``, with the logarithms of :data:`LOGGED` taken."""
    logged = _LOGGED_AT.get(names)
    if logged is not None:
        matrix[:, logged] = np.log1p(matrix[:, logged])
    return Columns(names, matrix)


def _reference() -> ModuleType:
    """The reference definitions, loaded by the reference core only (a compiled run never reads them)."""
    from cleaner.features import reference

    return reference


def _by_page(page: TextBatch, names: tuple[str, ...], columns: Callable[[int, int], dict[str, list[float]]]) -> Columns:
    """The reference's columns ``names``, page by page (``columns(first, end)`` for each page's lines)."""
    out = np.zeros((page.n, len(names)))
    bounds = page.bounds.tolist()
    for first, end in zip(bounds[:-1], bounds[1:]):
        if end > first:
            found = columns(first, end)
            out[first:end] = np.array([found[name] for name in names], dtype=float).T
    return Columns(names, out)
