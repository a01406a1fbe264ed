# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""The compiled second-pass inputs: :func:`cleaner.features.reference.stack_columns` for a batch of
pages, one loop a page.

The reference is the specification: the same columns, bit for bit, with the sums added in the same
order (a line's paragraph line by line; a window or an ancestor's lines as the difference of two
running sums of the page). :func:`stack_columns` returns them as a float64 array, a row a line and a
column a name of :data:`cleaner.features.stacking.COMPILED_COLUMNS`; the first pass's log-odds and
the logarithm of ``lines_to_best_run`` (given here as the distance) are NumPy's to take, as the
reference takes them. ``tests/test_reference.py`` compares the two.
"""

import numpy as np

from libc.stdint cimport int64_t

from cleaner.features._spans cimport check_bounds, check_length, main_span, share

from cleaner.features.spans import DISTANCE_CAP
from cleaner.features.stack_settings import RUN_LEVEL, STACK_ANCESTORS, WINDOWS
from cleaner.features.stacking import COMPILED_COLUMNS

cdef long long CAP = DISTANCE_CAP
cdef double LEVEL = RUN_LEVEL
cdef Py_ssize_t ANCESTORS = STACK_ANCESTORS
cdef Py_ssize_t NARROW = WINDOWS[0], WIDE = WINDOWS[1]
# The column order is the one :data:`COMPILED_COLUMNS` names: checked once, here, so that the loops can
# write by position.
assert COMPILED_COLUMNS == (
    "block_keep", f"window{WINDOWS[0]}_keep", f"window{WINDOWS[1]}_keep", "page_keep", "page_kept_share",
    "in_best_run", "lines_to_best_run", "best_run_share",
    *(f"ancestor{k}_{what}" for k in range(1, STACK_ANCESTORS + 1) for what in ("keep", "holds")),
)
assert len(WINDOWS) == 2


def stack_columns(
    const double[::1] keep, const double[::1] chars, const int64_t[::1] numbers, const int64_t[::1] bounds,
    ranges=None,
):
    """The :data:`COMPILED_COLUMNS` of every line of the pages starting at ``bounds``, from the first
    pass's keep-probabilities ``keep``; ``ranges`` (HTML): each line's ancestors' line ranges within its
    page, an int64 array [line, ancestor, first / end] with -1 for the whole page; None: no ancestor
    columns (zeros)."""
    cdef Py_ssize_t n = keep.shape[0], pages = bounds.shape[0] - 1
    check_bounds(bounds, n)
    check_length(chars.shape[0], n, "line lengths")
    check_length(numbers.shape[0], n, "line numbers")
    out_array = np.zeros((n, len(COMPILED_COLUMNS)))
    cdef double[:, ::1] out = out_array
    mass_array = np.empty(n)
    sums_array = np.zeros((n + 1, 2))  # running sums of the page being read: [line, mass / chars]
    score_array = np.empty(n)
    cdef double[::1] mass = mass_array, score = score_array
    cdef double[:, ::1] sums = sums_array
    cdef const int64_t[:, :, :] around
    cdef bint with_ranges = ranges is not None
    if with_ranges:
        around = np.ascontiguousarray(ranges, dtype=np.int64)
        if around.shape[0] != n or around.shape[1] < ANCESTORS or around.shape[2] != 2:
            raise ValueError(f"ancestor ranges of shape {ranges.shape} for {n} lines")
    cdef Py_ssize_t p, a, b, size, i, j, k, lo, hi, best_start, best_end
    cdef double page_mass, page_chars, kept_chars, run_chars, block_mass, block_chars
    cdef long long distance
    for p in range(pages):
        a, b = bounds[p], bounds[p + 1]
        size = b - a
        if size == 0:
            continue
        for i in range(a, b):
            mass[i] = chars[i] * keep[i]
        # Running sums from a zero, added in order: sums[j] holds those of the page's first j lines.
        sums[0, 0] = sums[0, 1] = 0.0
        sums[1, 0], sums[1, 1] = mass[a], chars[a]
        for j in range(2, size + 1):
            sums[j, 0] = sums[j - 1, 0] + mass[a + j - 1]
            sums[j, 1] = sums[j - 1, 1] + chars[a + j - 1]
        page_mass, page_chars = sums[size, 0], sums[size, 1]
        # The paragraph: a run of lines with consecutive numbers, its sums added line by line.
        i = a
        while i < b:
            j = i + 1
            block_mass, block_chars = 0.0 + mass[i], 0.0 + chars[i]
            while j < b and numbers[j] == numbers[j - 1] + 1:
                block_mass += mass[j]
                block_chars += chars[j]
                j += 1
            for k in range(i, j):
                out[k, 0] = share(block_mass, block_chars)
            i = j
        kept_chars = 0.0
        for i in range(a, b):
            if keep[i] >= LEVEL:
                kept_chars += chars[i]
        # The best run: the main span of each line's characters times its keep-probability above the level.
        for i in range(a, b):
            score[i] = chars[i] * (keep[i] - LEVEL)
        best_start, best_end = main_span(score, a, b)
        run_chars = 0.0
        for j in range(best_start, best_end):
            run_chars += chars[a + j]
        for j in range(size):
            i = a + j
            lo, hi = j - NARROW if j > NARROW else 0, j + NARROW + 1 if j + NARROW + 1 < size else size
            out[i, 1] = share(sums[hi, 0] - sums[lo, 0], sums[hi, 1] - sums[lo, 1])
            lo, hi = j - WIDE if j > WIDE else 0, j + WIDE + 1 if j + WIDE + 1 < size else size
            out[i, 2] = share(sums[hi, 0] - sums[lo, 0], sums[hi, 1] - sums[lo, 1])
            out[i, 3] = share(page_mass, page_chars)
            out[i, 4] = share(kept_chars, page_chars)
            if best_start == best_end:
                distance = CAP
            elif j < best_start:
                distance = min(best_start - j, CAP)
            elif j >= best_end:
                distance = min(j - best_end + 1, CAP)
            else:
                distance = 0
            out[i, 5] = 1.0 if distance == 0 else 0.0
            out[i, 6] = <double>distance
            out[i, 7] = share(run_chars, page_chars)
            if with_ranges:
                for k in range(ANCESTORS):
                    if around[i, k, 0] >= 0:
                        lo, hi = around[i, k, 0], around[i, k, 1]
                        if not 0 <= lo <= hi <= size:  # the sums are read without bounds checks
                            raise ValueError(f"line {i}: an ancestor's lines {lo}:{hi} outside its page of {size}")
                    else:
                        lo, hi = 0, size
                    out[i, 8 + 2 * k] = share(sums[hi, 0] - sums[lo, 0], sums[hi, 1] - sums[lo, 1])
                    out[i, 9 + 2 * k] = share(sums[hi, 0] - sums[lo, 0], page_mass)
    return out_array
