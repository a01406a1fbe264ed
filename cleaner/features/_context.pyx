# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""The compiled first-pass log-odds: :func:`cleaner.features.context.reference_context_logits` for a
batch of pages, one loop a page.

The reference is the specification: the same values, bit for bit, each line's terms added in the same
order (own plus the intercept, prev 1, next 1, ..., window before, window after) and a window's sum the
difference of two running sums of its page, added in line order as NumPy's ``cumsum`` adds them.
``tests/test_reference.py`` compares the two.
"""

import numpy as np

from libc.stdint cimport int64_t

from cleaner.features._spans cimport check_bounds, check_length


def context_logits(
    const double[:, :, :] products, const double[::1] intercept, const int64_t[::1] bounds,
    Py_ssize_t neighbours, Py_ssize_t window,
):
    """The log-odds [line, label] of the pages starting at ``bounds``, from ``products`` [line, block,
    label] (blocks: own, prev 1, next 1, ..., then window before and after when ``window``)."""
    cdef Py_ssize_t n = products.shape[0], labels = products.shape[2]
    cdef Py_ssize_t blocks = 1 + 2 * neighbours + (2 if window else 0)
    if neighbours < 0 or window < 0:
        raise ValueError("negative neighbours or window")
    check_bounds(bounds, n)
    check_length(products.shape[1], blocks, "context blocks")
    check_length(intercept.shape[0], labels, "intercepts (one a label)")
    out_array = np.empty((n, labels))
    cdef double[:, ::1] out = out_array
    cdef Py_ssize_t p, start, size, largest = 0, i, j, k, label, lo, hi, slot = 2 * neighbours + 1
    cdef double value
    for p in range(bounds.shape[0] - 1):
        largest = max(largest, bounds[p + 1] - bounds[p])
    # Running sums of the window blocks on the page being read, from a zero row: [line, block, label].
    sums_array = np.zeros((largest + 1 if window else 1, 2, labels))
    cdef double[:, :, ::1] sums = sums_array
    for p in range(bounds.shape[0] - 1):
        start, size = bounds[p], bounds[p + 1] - bounds[p]
        if window:
            for k in range(2):
                for label in range(labels):
                    sums[0, k, label] = 0.0
                    if size:
                        sums[1, k, label] = products[start, slot + k, label]  # cumsum copies the first row
                    for j in range(1, size):
                        sums[j + 1, k, label] = sums[j, k, label] + products[start + j, slot + k, label]
        for j in range(size):
            i = start + j
            if window:
                lo, hi = max(j - window, 0), min(j + window + 1, size)
            for label in range(labels):
                value = products[i, 0, label] + intercept[label]
                for k in range(1, neighbours + 1):
                    if j >= k:
                        value = value + products[i - k, 2 * k - 1, label]
                    if j + k < size:
                        value = value + products[i + k, 2 * k, label]
                if window:
                    value = value + (sums[j, 0, label] - sums[lo, 0, label]) / <double>max(j - lo, 1)
                    value = value + (sums[hi, 1, label] - sums[j + 1, 1, label]) / <double>max(hi - j - 1, 1)
                out[i, label] = value
    return out_array
