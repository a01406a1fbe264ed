# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""The compiled feature sets read within a page: a line's position, whether it repeats another, and
where it stands relative to the page's long, punctuated text.

:mod:`cleaner.features.reference` is the specification (``position``, ``repetition``,
``page_context``): the same columns, in the same order, bit for bit, for every line of every page of
a batch. What differs is only how: one loop a page over C arrays instead of lists and counters. Each
function returns a float64 array, a row a line and a column a feature (the names are
:data:`cleaner.features.page.POSITION`, ``REPETITION`` and ``PAGE_CONTEXT``); pages are the runs
``bounds[p]:bounds[p + 1]``. The columns the specification gives as ``log(x)`` (NumPy's ``log1p``, which
differs from the C library's in the last bit for some numbers) hold ``x`` here: the caller takes their
logarithm with NumPy (:data:`cleaner.features.page.LOGGED`). ``tests/test_reference.py`` compares them with the specification.
"""

import numpy as np

from libc.math cimport log1p
from libc.stdint cimport int64_t

from cleaner.features._spans cimport check_bounds, check_length, main_span

from cleaner.features.page import PAGE_CONTEXT, POSITION, REPETITION
from cleaner.features.spans import DISTANCE_CAP, MAIN_SPAN_PENALTY

cdef long long CAP = DISTANCE_CAP
cdef double PENALTY = MAIN_SPAN_PENALTY
# The column order is the specification's: checked once, here, so that the loops can write by position.
assert POSITION == (
    "relative_position", "relative_char_position", "lines_from_start", "lines_from_end", "blank_before",
    "blank_after", "log_block_lines", "log_block_chars", "log_page_lines",
)
assert REPETITION == ("repeated", "repeat_of_earlier", "prefix_of_next", "extends_previous")
assert PAGE_CONTEXT == (
    "good", "good_share_before", "good_share_after", "good_run_share", "good_run_lines", "lines_to_next_good",
    "lines_to_previous_good", "in_main_span", "lines_to_main_span", "page_good_share",
)


cdef inline long long _capped(long long distance) noexcept nogil:
    return distance if distance < CAP else CAP


cdef inline double _ratio(double a, double b) noexcept nogil:
    return a / b if b > 0 else 0.0


def position(const int64_t[::1] bounds, const int64_t[::1] numbers, const double[::1] chars):
    """The position columns of every line (see the module's docstring)."""
    cdef Py_ssize_t n = chars.shape[0], pages = bounds.shape[0] - 1
    check_bounds(bounds, n)
    check_length(numbers.shape[0], n, "line numbers")
    out_array = np.zeros((n, 9))
    cdef double[:, ::1] out = out_array
    cdef Py_ssize_t p, a, b, i, j, block_start
    cdef long long size, index
    cdef double total, before, block_chars, page_lines
    for p in range(pages):
        a, b = bounds[p], bounds[p + 1]
        size = b - a
        if size == 0:
            continue
        total = 0.0
        for i in range(a, b):
            total += chars[i]
        page_lines = log1p(<double>size)
        before = 0.0
        block_start = a
        for i in range(a, b):
            index = i - a
            out[i, 0] = <double>index / <double>(size - 1 if size > 1 else 1)
            out[i, 1] = before / (total if total != 0 else 1.0)
            out[i, 2] = <double>_capped(index)
            out[i, 3] = <double>_capped(size - 1 - index)
            # In text input, a jump in line numbers means blank lines: a paragraph break.
            out[i, 4] = 1.0 if i == a or numbers[i] - numbers[i - 1] > 1 else 0.0
            out[i, 8] = page_lines
            before += chars[i]
        for i in range(a, b):
            out[i, 5] = 1.0 if i == b - 1 else out[i + 1, 4]
        # Each paragraph (a run of lines without a break) gets its lines and characters.
        while block_start < b:
            j = block_start + 1
            block_chars = chars[block_start]
            while j < b and out[j, 4] == 0.0:
                block_chars += chars[j]
                j += 1
            for i in range(block_start, j):
                out[i, 6] = <double>(j - block_start)
                out[i, 7] = block_chars
            block_start = j
    return out_array


def repetition(const int64_t[::1] bounds, list keys):
    """The repetition columns of every line from its key (the line with its white space collapsed
    and its case folded: :func:`cleaner.features.page.repetition_keys`)."""
    cdef Py_ssize_t n = len(keys), pages = bounds.shape[0] - 1
    check_bounds(bounds, n)
    out_array = np.zeros((n, 4))
    cdef double[:, ::1] out = out_array
    first_array = np.zeros(n, dtype=np.intp)
    count_array = np.zeros(n, dtype=np.intp)
    cdef Py_ssize_t[::1] first = first_array, occurrences = count_array
    cdef Py_ssize_t p, a, b, i
    cdef dict seen
    cdef str key, following
    for p in range(pages):
        a, b = bounds[p], bounds[p + 1]
        seen = {}
        for i in range(a, b):
            first[i] = seen.setdefault(keys[i], i)
            occurrences[first[i]] += 1
        for i in range(a, b):
            out[i, 0] = 1.0 if occurrences[first[i]] > 1 else 0.0
            out[i, 1] = 1.0 if first[i] != i else 0.0
        # A line's key is a proper prefix of the next one's: the next starts with it and is longer.
        for i in range(a, b - 1):
            key, following = keys[i], keys[i + 1]
            if 0 < len(key) < len(following) and following.startswith(key):
                out[i, 2] = 1.0
                out[i + 1, 3] = 1.0
    return out_array


def page_context(const int64_t[::1] bounds, const unsigned char[::1] good, const double[::1] chars):
    """The page-context columns of every line, from which lines are prose (``good``)."""
    cdef Py_ssize_t n = chars.shape[0], pages = bounds.shape[0] - 1
    check_bounds(bounds, n)
    check_length(good.shape[0], n, "prose flags")
    out_array = np.zeros((n, 10))
    cdef double[:, ::1] out = out_array
    score_array = np.zeros(n)
    cdef double[::1] score = score_array
    cdef Py_ssize_t p, a, b, i, j, start, end, last
    cdef long long distance
    cdef double total_good, total_chars, before, good_chars, run_chars, share
    for p in range(pages):
        a, b = bounds[p], bounds[p + 1]
        total_good = total_chars = 0.0
        for i in range(a, b):
            total_chars += chars[i]
            if good[i]:
                total_good += chars[i]
                score[i] = chars[i]
            else:
                # Other text costs a share of its characters against good text: the densest run is the article.
                score[i] = 0.0 - PENALTY * chars[i]
        share = total_good / (total_chars if total_chars != 0 else 1.0)
        start, end = main_span(score, a, b)
        start, end = a + start, a + end
        before = 0.0
        for i in range(a, b):
            good_chars = chars[i] if good[i] else 0.0
            out[i, 0] = 1.0 if good[i] else 0.0
            out[i, 1] = _ratio(before, total_good)
            out[i, 2] = _ratio(total_good - before - good_chars, total_good)
            before += good_chars
            if start == end:
                distance = CAP
            elif i < start:
                distance = _capped(start - i)
            elif i >= end:
                distance = _capped(i - end + 1)
            else:
                distance = 0
            out[i, 7] = 1.0 if distance == 0 else 0.0
            out[i, 8] = <double>distance
            out[i, 9] = share
        # Runs of good lines: their lines and characters.
        i = a
        while i < b:
            j = i
            run_chars = 0.0
            while j < b and good[j] == good[i]:
                run_chars += chars[j] if good[j] else 0.0
                j += 1
            if good[i]:
                for last in range(i, j):
                    out[last, 3] = _ratio(run_chars, total_good)
                    out[last, 4] = <double>(j - i)
            i = j
        # Lines back to the nearest good line at or before each line, and on to the nearest at or after.
        last = -1
        for i in range(a, b):
            if good[i]:
                last = i
            out[i, 6] = <double>(_capped(i - last) if last >= 0 else CAP)
        last = -1
        for i in range(b - 1, a - 1, -1):
            if good[i]:
                last = i
            out[i, 5] = <double>(_capped(last - i) if last >= 0 else CAP)
    return out_array
