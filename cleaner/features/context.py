"""Context features: for every line feature, the values of the neighbouring lines and the means over a
window on each side (web noise comes in runs). The model never builds this matrix to predict (see
:meth:`cleaner.model.Model.logits`); training and the scikit-learn transformers do."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cleaner.features.layout import PageLayout, page_boundaries


def context_columns(n_columns: int, page_column: int | None) -> list[int]:
    return [c for c in range(n_columns) if c != page_column]


def context_matrix(
    X: np.ndarray, neighbours: int, window: int, page_column: int | None, rows: np.ndarray | None = None
) -> np.ndarray:
    """``X`` (float64, validated) without its page column, then for every column the values of the
    neighbouring lines (offsets ``1..neighbours``, previous and next) and the means over ``window``
    lines on each side. Rows are grouped into pages by ``page_column`` (all one page when None);
    neighbours beyond a page's edge read as zeros. With ``rows``, only those rows of the result are
    computed (their context is still read from every row of ``X``)."""
    keep = context_columns(X.shape[1], page_column)
    values = X[:, keep]
    n = len(values)
    bounds = np.array([0, n]) if page_column is None else page_boundaries(X[:, page_column])
    layout = PageLayout(np.asarray(bounds, dtype=np.int64), n)
    index = np.arange(n) if rows is None else np.asarray(rows, dtype=np.intp)
    first, end = layout.first[index], layout.end[index]
    parts = [values[index]]
    for k in range(1, neighbours + 1):
        for shifted in (index - k, index + k):
            inside = (shifted >= first) & (shifted < end)
            parts.append(np.where(inside[:, None], values[np.clip(shifted, 0, max(n - 1, 0))], 0.0))
    if window:
        # Running sums page by page from a zero row: page p's sum before its line j is at bounds[p] + p + j.
        cumulative = np.zeros((n + len(layout.sizes), values.shape[1]))
        for page, (start, stop) in enumerate(zip(bounds[:-1].tolist(), bounds[1:].tolist())):
            np.cumsum(values[start:stop], axis=0, out=cumulative[start + page + 1 : stop + page + 1])
        shift = layout.page[index]
        lo, hi = np.maximum(index - window, first), np.minimum(index + window + 1, end)
        # Means over the lines before and after, the line itself excluded.
        before = np.maximum(index - lo, 1)[:, None]
        after = np.maximum(hi - index - 1, 1)[:, None]
        parts.append((cumulative[index + shift] - cumulative[lo + shift]) / before)
        parts.append((cumulative[hi + shift] - cumulative[index + 1 + shift]) / after)
    return np.hstack(parts)


def context_feature_names(base: Sequence[str], neighbours: int, window: int) -> list[str]:
    """Column names of :func:`context_matrix` for input columns named ``base`` (page column left out)."""
    names = list(base)
    for k in range(1, neighbours + 1):
        names += [f"prev{k}_{b}" for b in base] + [f"next{k}_{b}" for b in base]
    if window:
        names += [f"before{window}_{b}" for b in base] + [f"after{window}_{b}" for b in base]
    return names
