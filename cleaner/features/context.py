"""Context features: for every line feature, the values of the neighbouring lines and the means over a
window on each side (web noise comes in runs). The model never builds this matrix to predict: it adds
up the products of the narrow line features with each context block's weights (:func:`context_logits`);
training and the scikit-learn transformers build it."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cleaner.core import compiled
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


def context_logits(
    products: np.ndarray, intercept: np.ndarray, bounds: np.ndarray | Sequence[int], neighbours: int, window: int
) -> np.ndarray:
    """The first pass's log-odds, from each line's scaled features times the weights of each context
    block: ``products[line, block, label]``, the blocks in :func:`context_feature_names` order (own,
    prev 1, next 1, ..., window before, window after). The pages start at ``bounds`` (``[0, ..., n]``).

    The context features are linear in the line features, so a line's log-odds are the intercept plus
    its own product, its neighbours' products of the prev / next blocks (none beyond its page's edge)
    and the means of the window blocks' products over the lines before and after it: what
    ``context_matrix(...) @ weights`` gives, without the matrix. Compiled where the core is built
    (``cleaner.features._context``, bit for bit :func:`reference_context_logits`).
    """
    bounds = np.asarray(bounds, dtype=np.int64)
    core = compiled("cleaner.features._context")
    if core is not None:
        return core.context_logits(products, intercept, bounds, neighbours, window)
    return reference_context_logits(products, intercept, bounds, neighbours, window)


def reference_context_logits(
    products: np.ndarray, intercept: np.ndarray, bounds: np.ndarray, neighbours: int, window: int
) -> np.ndarray:
    """:func:`context_logits`, page by page. Each line's terms are added in one order: own (plus the
    intercept), prev 1, next 1, prev 2, ..., window before, window after; a window's sum is the
    difference of two running sums of its page (NumPy's ``cumsum``, which adds in line order)."""
    out = np.empty((len(products), products.shape[2]))
    for start, stop in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
        page = products[start:stop]
        value = page[:, 0] + intercept
        for k in range(1, neighbours + 1):
            value[k:] += page[:-k, 2 * k - 1]  # line i - k's "prev k" product (none on a page of k lines or fewer)
            value[:-k] += page[k:, 2 * k]  # line i + k's "next k" product
        if window:
            index = np.arange(len(page))
            lo, hi = np.maximum(index - window, 0), np.minimum(index + window + 1, len(page))
            slot = 2 * neighbours + 1
            for block, (a, b, count) in enumerate(((lo, index, index - lo), (index + 1, hi, hi - index - 1))):
                sums = np.concatenate((np.zeros((1, page.shape[2])), np.cumsum(page[:, slot + block], axis=0)))
                value += (sums[b] - sums[a]) / np.maximum(count, 1)[:, None]
        out[start:stop] = value
    return out
