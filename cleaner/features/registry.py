"""The feature sets, by name, and the line feature matrix they make.

A model names the feature sets it reads (:class:`FeatureSettings`); each set is a function over a
batch of pages that returns its columns in order, by name (a dict, or for a set computed as one
matrix a :class:`~cleaner.features.columns.Columns`, which the line feature matrix takes in one
copy). To add a feature, add its plain definition to :mod:`cleaner.features.reference` and its
column to the fast code of its set (for a line's own text the compiled ``features/_text.pyx`` and
the names in :mod:`cleaner.features.text_settings`, for the sets read within a page
``features/_page.pyx`` and the names in :mod:`~cleaner.features.page`, or
:mod:`~cleaner.features.markup`); the tests compare the two on every column. A new set is a new
entry of :data:`FEATURE_SETS`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Any

import numpy as np

from cleaner.features.columns import Columns
from cleaner.features.context import context_columns, context_feature_names
from cleaner.features.counts import char_counts
from cleaner.features.layout import line_pages, page_boundaries
from cleaner.features.markup import ANCESTOR_SHARES, markup_features
from cleaner.features.page import page_context, position, repetition
from cleaner.features.signals import page_signals
from cleaner.features.text import link_features, pattern_features, punctuation, shape
from cleaner.features.textbatch import TextBatch
from cleaner.read.prose import PROSE_LINES
from cleaner.read.titles import line_keys
from cleaner.records import Line, MarkupColumns, PageBatch, PageSignals

# The pluggable feature sets, in the order their columns appear.
FEATURE_SETS: Mapping[str, Callable[[Any, dict[str, np.ndarray]], Mapping[str, np.ndarray]]] = MappingProxyType(
    {
        "shape": shape,
        "punctuation": punctuation,
        "patterns": pattern_features,
        "links": link_features,
        "position": position,
        "repetition": repetition,
        "page_context": page_context,
        "markup": markup_features,
        "page_signals": page_signals,
    }
)
# Markup and page signals come with HTML only.
TEXT_FEATURE_SETS: tuple[str, ...] = tuple(name for name in FEATURE_SETS if name not in ("markup", "page_signals"))
HTML_FEATURE_SETS: tuple[str, ...] = tuple(FEATURE_SETS)
# Pages are featurized (and Cleaner.articles classifies them) in batches of about this many
# characters: fewer NumPy calls per page, bounded arrays. Batches of 4 MiB were slower: 300 corpus
# pages cleaned by clean_many, 1.37 ms a page as text and 7.42 as HTML against 1.13 and 6.90 in
# batches of 512 KiB (256 KiB and 128 KiB within 4% of these), the outputs the same (smaller arrays
# a batch: its feature matrix and both passes' products; the likely gain is the processor's caches).
BATCH_CHARS = 512 * 1024


def check_feature_sets(feature_sets: Sequence[str]) -> None:
    unknown = [name for name in feature_sets if name not in FEATURE_SETS]
    if unknown:
        raise ValueError(f"unknown feature sets {unknown}; known: {list(FEATURE_SETS)}")


@cache
def line_feature_names(feature_sets: tuple[str, ...]) -> tuple[str, ...]:
    """Column names of :func:`line_feature_matrix`: ``"page"``, then each feature set's features."""
    check_feature_sets(feature_sets)
    return ("page", *(column for name in feature_sets for column in set_names(name)))


def lines_batch(lines: Sequence[Line]) -> PageBatch:
    """Line objects as a batch of pages: consecutive lines with the same ``page`` form one page."""
    lines = list(lines)
    page_ids = np.fromiter((line.page for line in lines), dtype=np.int64, count=len(lines))
    marks = [line.markup for line in lines]
    return PageBatch(
        [line.text for line in lines],
        np.fromiter((line.number for line in lines), dtype=np.int64, count=len(lines)),
        None if all(m is None for m in marks) else MarkupColumns.of(marks, ANCESTOR_SHARES),
        page_boundaries(page_ids).tolist(),
    )


def line_feature_matrix(lines: Sequence[Line], feature_sets: Sequence[str], n_columns: int) -> np.ndarray:
    """Per-line features of ``lines``, one row per line; ``n_columns`` is ``len(line_feature_names(...))``.

    Consecutive lines with the same ``page`` form one page; position, repetition and page-context
    features are computed within it. The first column is the page id, for :func:`context_matrix`
    to respect page boundaries; it is not a feature and is dropped there.
    """
    lines = list(lines)
    if not lines:
        return np.zeros((0, n_columns))
    matrix = feature_matrix(lines_batch(lines), feature_sets, n_columns)
    matrix[:, 0] = [line.page for line in lines]
    return matrix


def feature_matrix(batch: PageBatch, feature_sets: Sequence[str], n_columns: int) -> np.ndarray:
    """:func:`line_feature_matrix` of a batch of pages given as columns: the same matrix as for their
    Line objects, without building them. The page column holds each page's index in the batch."""
    bounds = np.asarray(batch.bounds, dtype=np.int64)
    matrix = np.empty((len(batch.texts), n_columns), order="F")  # each column written in one piece
    if len(bounds) == 2:  # one page: one part, page 0
        _fill(matrix, TextBatch(batch), feature_sets)
        matrix[:, 0] = 0
        return matrix
    parts = list(_batches(bounds, batch.line_chars()))
    if len(parts) > 1 and any(signals != PageSignals() for signals in batch.signals):
        line_keys(batch)  # made once for the whole batch, which the decision rules read too; each part's is a slice
    prose = []
    for first, last in parts:
        start, end = int(bounds[first]), int(bounds[last])
        part = batch.pages(first, last)
        _fill(matrix[start:end], TextBatch(part), feature_sets)
        prose.append(part.derived.get(PROSE_LINES))
    if prose and PROSE_LINES not in batch.derived and all(flags is not None for flags in prose):
        # The parts' prose flags (made by the page-context features) joined: the decision rules read
        # the whole batch's, and would make them again.
        batch.derived[PROSE_LINES] = np.concatenate(prose)
    matrix[:, 0] = line_pages(bounds)
    return matrix


def _batches(bounds: np.ndarray, chars: np.ndarray) -> Iterator[tuple[int, int]]:
    """Runs of consecutive pages (indexes ``first:last`` into the pages starting at ``bounds``) of
    about :data:`BATCH_CHARS` characters each; a longer page is a batch of its own."""
    before = np.concatenate(([0], np.cumsum(chars + 1)))[bounds].tolist()  # characters before each page
    first, pages = 0, len(bounds) - 1
    while first < pages:
        last = first + 1
        while last < pages and before[last + 1] - before[first] <= BATCH_CHARS:
            last += 1
        yield first, last
        first = last


def _fill(rows: np.ndarray, batch: TextBatch, feature_sets: Sequence[str]) -> None:
    """Write the features of a batch of pages into ``rows`` (the page-id column, 0, is left to the caller).

    Filled in place, a feature set at a time: a long page's columns never exist twice.
    """
    counts = char_counts(batch)
    column = 1
    for name in feature_sets:
        found = FEATURE_SETS[name](batch, counts)
        width = len(set_names(name))
        if isinstance(found, Columns):  # a compiled set's matrix, copied whole
            rows[:, column : column + width] = found.matrix
        else:
            for offset, values in enumerate(found.values()):
                rows[:, column + offset] = values
        column += width
    if column != rows.shape[1]:
        raise ValueError(f"{column} feature columns, expected {rows.shape[1]}")


@cache
def set_names(name: str) -> tuple[str, ...]:
    """The columns a feature set gives, in order (read off a one-line page)."""
    probe = TextBatch(PageBatch.one(["x"], [1]))
    return tuple(FEATURE_SETS[name](probe, char_counts(probe)))


@dataclass(frozen=True)
class FeatureSettings:
    """Everything that determines a model's input: the feature sets, and the context around a line
    (neighbours on each side, and the window of the surrounding means)."""

    feature_sets: tuple[str, ...]
    neighbours: int = 2
    window: int = 5

    @property
    def uses_markup(self) -> bool:
        return "markup" in self.feature_sets

    def feature_names(self) -> list[str]:
        """The model's input columns: the line features, then their context (see :mod:`cleaner.features.context`)."""
        if self.neighbours < 0 or self.window < 0:
            raise ValueError("neighbours and window must be >= 0")
        names = line_feature_names(tuple(self.feature_sets))
        base = [names[c] for c in context_columns(len(names), 0)]
        return context_feature_names(base, self.neighbours, self.window)
