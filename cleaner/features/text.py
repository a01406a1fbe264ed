"""The feature sets read off a line's own text: its shape, its punctuation, the patterns it holds
(prices, postcodes, dates, word lists...) and its links.

:mod:`cleaner.features.reference` defines every column line by line; the compiled core
(``cleaner/features/_text.pyx``) computes the four sets for a whole batch of lines in one loop, and
these functions run whichever core is in use. Each takes a :class:`~cleaner.features.textbatch.TextBatch`
and the character counts, and returns its columns in order.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import ModuleType

import numpy as np

from cleaner.core import compiled
from cleaner.features.columns import Columns
from cleaner.features.text_settings import SET_COLUMNS, TEXT_COLUMNS
from cleaner.features.textbatch import TextBatch

# The columns the compiled core gives as counts, whose log(1 + x) NumPy takes, as the reference takes it.
LOGGED = ("log_chars", "log_words", "log_sentences")
# (An index array, not a list: NumPy turns a list into one at each use, a third of the time taken.)
_LOGGED_AT = np.array([TEXT_COLUMNS.index(column) for column in LOGGED], dtype=np.intp)
# Where each set's columns start in the compiled core's matrix.
_SET_START = {name: TEXT_COLUMNS.index(columns[0]) for name, columns in SET_COLUMNS.items()}
_CORE = "cleaner.features._text"


def shape(page: TextBatch, counts: dict[str, np.ndarray]) -> Mapping[str, np.ndarray]:
    return _columns(page, "shape")


def punctuation(page: TextBatch, counts: dict[str, np.ndarray]) -> Mapping[str, np.ndarray]:
    return _columns(page, "punctuation")


def pattern_features(page: TextBatch, counts: dict[str, np.ndarray]) -> Mapping[str, np.ndarray]:
    return _columns(page, "patterns")


def link_features(page: TextBatch, counts: dict[str, np.ndarray]) -> Mapping[str, np.ndarray]:
    return _columns(page, "links")


def _columns(page: TextBatch, name: str) -> Mapping[str, np.ndarray]:
    """The columns of the set ``name``: from the compiled core's matrix of the batch (made once, for
    the first set asked), or from the reference, line by line."""
    names = SET_COLUMNS[name]
    matrix = page.text_columns
    if matrix is None:
        core = compiled(_CORE)
        if core is None:
            per_line = _reference().PER_LINE[name]
            rows = [per_line(text) for text in page.texts]
            return {column: np.array([row[column] for row in rows], dtype=float) for column in names}
        matrix = core.text_columns(page.texts, page.lower_lines(), page.scanned)
        matrix[:, _LOGGED_AT] = np.log1p(matrix[:, _LOGGED_AT])
        page.text_columns = matrix
    first = _SET_START[name]
    return Columns(names, matrix[:, first : first + len(names)])


def _reference() -> ModuleType:
    """The reference definitions, loaded by the reference core only."""
    from cleaner.features import reference

    return reference
