"""The characters of each line, which the feature sets read beside what the line scan found, and the
logarithm the feature sets take of counts."""

from __future__ import annotations

import numpy as np

from cleaner.features.textbatch import TextBatch


def char_counts(page: TextBatch) -> dict[str, np.ndarray]:
    """Per line: its characters, as floats."""
    return {"chars": page.chars}


def log_count(x: np.ndarray) -> np.ndarray:
    return np.log1p(x)
