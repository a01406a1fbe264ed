"""Character counts per line (letters, capitals, digits, spaces, punctuation...), read off the
code-point class table, and the small numeric helpers the feature sets share."""

from __future__ import annotations

import numpy as np

from cleaner.features.chars import (
    COMMA,
    LANE_BITS,
    LETTER,
    PACKED_COUNTS,
    PUNCT,
    QUOTE,
    SPACE,
    SYMBOL,
    TERMINAL,
    UPPER,
    packed_count_tables,
)
from cleaner.features.textbatch import TextBatch


def char_counts(page: TextBatch) -> dict[str, np.ndarray]:
    """Per line: characters, the counts of :data:`PACKED_COUNTS`, words and capitalised words."""
    space = (page.classes & SPACE) != 0
    word_start = ~space & np.concatenate(([True], space[:-1]))
    # A line's counts are read over its characters and the newline after it, which counts as nothing.
    packed = page.n > 0 and int(page.lengths.max()) + 1 < 1 << LANE_BITS
    return {
        "chars": page.lengths.astype(float),
        **(table_counts(page) if packed else mask_counts(page)),
        "words": page.per_line(word_start & (page.codes != 10)),
        "capitalised_words": page.per_line(word_start & ((page.classes & UPPER) != 0)),
    }


def table_counts(page: TextBatch) -> dict[str, np.ndarray]:
    """The counts of :data:`PACKED_COUNTS` per line, three at a time (lines shorter than a lane holds)."""
    lane_mask = np.uint64((1 << LANE_BITS) - 1)
    packed = np.empty(len(page.codes), dtype=np.uint64)
    counts = {}
    for table, names in zip(packed_count_tables(), PACKED_COUNTS):
        sums = np.add.reduceat(np.take(table, page.codes, out=packed, mode="clip"), page.starts)
        for lane, name in enumerate(names):
            counts[name] = ((sums >> np.uint64(lane * LANE_BITS)) & lane_mask).astype(float)
    return counts


def mask_counts(page: TextBatch) -> dict[str, np.ndarray]:
    """The counts of :data:`PACKED_COUNTS` per line, one at a time (lines of any length)."""
    codes, classes, per_line = page.codes, page.classes, page.per_line
    return {
        "letters": per_line(classes & LETTER),
        "upper": per_line((classes & UPPER) != 0),
        "digits": per_line(page.digit),
        "spaces": per_line(((classes & SPACE) != 0) & (codes != 10)),
        "punct": per_line((classes & PUNCT) != 0),
        "terminal": per_line((classes & TERMINAL) != 0),
        "symbols": per_line((classes & SYMBOL) != 0),
        "quotes": per_line((classes & QUOTE) != 0),
        "commas": per_line((classes & COMMA) != 0),
    }


def log_count(x: np.ndarray) -> np.ndarray:
    return np.log1p(x)


def ratio(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.divide(a, b, out=np.zeros(len(a)), where=b > 0)
