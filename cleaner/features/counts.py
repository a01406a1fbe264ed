"""Character counts per line (letters, capitals, digits, spaces, punctuation, words...), as the line
scan found them, and the small numeric helpers the feature sets share."""

from __future__ import annotations

import numpy as np

from cleaner.features.textbatch import TextBatch

# The scan's counts the feature sets read.
COUNTS = (
    "letters", "upper", "digits", "spaces", "punct", "terminal", "symbols", "quotes", "commas", "words",
    "capitalised_words",
)  # fmt: skip


def char_counts(page: TextBatch) -> dict[str, np.ndarray]:
    """Per line: characters, and the counts of :data:`COUNTS`, as floats."""
    return {"chars": page.lengths.astype(float), **{name: page.column(name) for name in COUNTS}}


def log_count(x: np.ndarray) -> np.ndarray:
    return np.log1p(x)


def ratio(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.divide(a, b, out=np.zeros(len(a)), where=b > 0)
