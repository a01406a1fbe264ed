"""Character and word counts per line, as the line scan found them, and the logarithm the feature sets
take of counts."""

from __future__ import annotations

import numpy as np

from cleaner.features.textbatch import TextBatch

# The scan's counts the feature sets read beside the compiled text features (the page context's
# prose rule).
COUNTS = ("words",)


def char_counts(page: TextBatch) -> dict[str, np.ndarray]:
    """Per line: characters, and the counts of :data:`COUNTS`, as floats."""
    return {"chars": page.lengths.astype(float), **{name: page.column(name) for name in COUNTS}}


def log_count(x: np.ndarray) -> np.ndarray:
    return np.log1p(x)
