"""Context features: for every line feature, the values of the neighbouring lines and the means over a
window on each side (web noise comes in runs). The model never builds this matrix to predict (see
:meth:`cleaner.model.Model.logits`); training and the scikit-learn transformers do."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cleaner.features.layout import page_boundaries


def context_columns(n_columns: int, page_column: int | None) -> list[int]:
    return [c for c in range(n_columns) if c != page_column]


def context_matrix(X: np.ndarray, neighbours: int, window: int, page_column: int | None) -> np.ndarray:
    """``X`` (float64, validated) without its page column, then for every column the values of the
    neighbouring lines (offsets ``1..neighbours``, previous and next) and the means over ``window``
    lines on each side. Rows are grouped into pages by ``page_column`` (all one page when None);
    neighbours beyond a page's edge read as zeros."""
    keep = context_columns(X.shape[1], page_column)
    values = X[:, keep]
    if page_column is None:
        bounds = np.array([0, len(X)])
    else:
        bounds = page_boundaries(X[:, page_column])
    parts = [values]
    parts += [np.zeros_like(values) for _ in range(2 * neighbours + (2 if window else 0))]
    for start, end in zip(bounds[:-1], bounds[1:]):
        page = values[start:end]
        n = end - start
        slot = 1
        for k in range(1, neighbours + 1):
            if k < n:
                parts[slot][start + k : end] = page[: n - k]
                parts[slot + 1][start : end - k] = page[k:]
            slot += 2
        if window:
            cumulative = np.vstack((np.zeros((1, page.shape[1])), np.cumsum(page, axis=0)))
            index = np.arange(n)
            lo = np.maximum(index - window, 0)
            hi = np.minimum(index + window + 1, n)
            # Means over the lines before and after, the line itself excluded.
            before_count = np.maximum(index - lo, 1)[:, None]
            after_count = np.maximum(hi - index - 1, 1)[:, None]
            parts[slot][start:end] = (cumulative[index] - cumulative[lo]) / before_count
            parts[slot + 1][start:end] = (cumulative[hi] - cumulative[index + 1]) / after_count
    return np.hstack(parts)


def context_feature_names(base: Sequence[str], neighbours: int, window: int) -> list[str]:
    """Column names of :func:`context_matrix` for input columns named ``base`` (page column left out)."""
    names = list(base)
    for k in range(1, neighbours + 1):
        names += [f"prev{k}_{b}" for b in base] + [f"next{k}_{b}" for b in base]
    if window:
        names += [f"before{window}_{b}" for b in base] + [f"after{window}_{b}" for b in base]
    return names
