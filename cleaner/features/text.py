"""The feature sets read off a line's own text: its shape, its punctuation, the patterns it holds
(prices, postcodes, dates, word lists...) and its links.

:mod:`cleaner.features.reference` defines every column line by line; the compiled core
(``cleaner/features/_text.pyx``) computes the four sets for a whole batch of lines in one loop, and
these functions run whichever core is in use. Each takes a :class:`~cleaner.features.textbatch.TextBatch`
and the character counts, and returns its columns in order.
"""

from __future__ import annotations

from types import ModuleType

import numpy as np

from cleaner.core import compiled
from cleaner.features import patterns
from cleaner.features.textbatch import TextBatch
from cleaner.read.prose import PROSE_MIN_WORDS

# The bounds the shape and punctuation columns are read with (the reference reads the same names).
MEAN_WORD_LENGTH_CAP = 30.0
COMMAS_PER_WORD_CAP = 1.0
MENU_SEPARATOR_CAP = 5.0
ONE_WORD, SHORT_WORDS, LONG_WORDS = 1, 4, PROSE_MIN_WORDS  # words: at most, at most, at least
ALL_CAPS_MIN_LETTERS, ALL_CAPS_SHARE = 3, 0.8  # capitals among the letters
# Counts saturate: the third price on a line says no more than the first.
PATTERN_CAP = 3.0
LINK_CAP = 5.0

# The columns of each set, in order.
SHAPE = (
    "log_chars", "log_words", "mean_word_length", "ends_terminal", "ends_colon", "starts_upper", "one_word",
    "short", "long", "leading_space",
)  # fmt: skip
PUNCTUATION = (
    "punct_ratio", "digit_ratio", "upper_ratio", "letter_ratio", "symbol_ratio", "capitalised_word_ratio",
    "log_sentences", "commas_per_word", "has_quotes", "all_caps", "menu_separators",
)  # fmt: skip
PATTERNS = ("price", "postcode", "phone", "date", "time", "year", "email", *patterns.LEXICON_GROUPS, "copyright")
LINKS = ("text_link_density", "text_links", "markdown_heading", "list_item", "table_row")
# The sets, by their names in the registry; the compiled core makes all their columns in one pass, one
# set after the other.
SET_COLUMNS = {"shape": SHAPE, "punctuation": PUNCTUATION, "patterns": PATTERNS, "links": LINKS}
TEXT_COLUMNS = tuple(column for columns in SET_COLUMNS.values() for column in columns)
# The columns the compiled core gives as counts, whose log(1 + x) NumPy takes, as the reference takes it.
LOGGED = ("log_chars", "log_words", "log_sentences")
_CORE = "cleaner.features._text"


def shape(page: TextBatch, counts: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return _columns(page, "shape")


def punctuation(page: TextBatch, counts: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return _columns(page, "punctuation")


def pattern_features(page: TextBatch, counts: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return _columns(page, "patterns")


def link_features(page: TextBatch, counts: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return _columns(page, "links")


def _columns(page: TextBatch, name: str) -> dict[str, np.ndarray]:
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
        logged = [TEXT_COLUMNS.index(column) for column in LOGGED]
        matrix[:, logged] = np.log1p(matrix[:, logged])
        page.text_columns = matrix
    first = TEXT_COLUMNS.index(names[0])
    return {column: matrix[:, first + offset] for offset, column in enumerate(names)}


def _reference() -> ModuleType:
    """The reference definitions, loaded by the reference core only."""
    from cleaner.features import reference

    return reference
