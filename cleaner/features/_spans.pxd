# cython: language_level=3
# What the compiled modules share (``features/_page.pyx``, ``_stack.pyx``, ``_context.pyx`` and
# ``decide/_page_check.pyx``): the main span (:func:`cleaner.features.spans.main_span`, the same steps
# in the same order), a share that is 0 of nothing (:func:`cleaner.features.counts.ratio`), and the
# checks of the pages' bounds and the inputs' lengths their loops rely on (they index without bounds
# checks).

from libc.math cimport INFINITY
from libc.stdint cimport int64_t


cdef inline int check_bounds(const int64_t[::1] bounds, Py_ssize_t n) except -1:
    """Raise ValueError unless ``bounds`` cut ``n`` lines into pages: 0, then never decreasing, then n."""
    cdef Py_ssize_t p, pages = bounds.shape[0] - 1
    if pages < 0 or bounds[0] != 0 or bounds[pages] != n:
        raise ValueError(f"page bounds that do not cover {n} lines")
    for p in range(pages):
        if bounds[p + 1] < bounds[p]:
            raise ValueError(f"page bounds that decrease at page {p}")
    return 0


cdef inline double share(double part, double whole) noexcept nogil:
    """``part / whole``, 0 where ``whole`` is not positive."""
    return part / whole if whole > 0 else 0.0


cdef inline int check_length(Py_ssize_t count, Py_ssize_t n, str what) except -1:
    """Raise ValueError unless there are ``n`` of ``what`` (one a line), as there are lines."""
    if count != n:
        raise ValueError(f"{count} {what} for {n} lines")
    return 0


cdef inline (Py_ssize_t, Py_ssize_t) main_span(const double[::1] score, Py_ssize_t a, Py_ssize_t b) noexcept:
    """``main_span(score[a:b])`` (Kadane's algorithm), as offsets from ``a``; (0, 0) for none."""
    cdef double best = -INFINITY, current = 0.0
    cdef Py_ssize_t i, start = 0, best_start = 0, best_end = 0
    for i in range(b - a):
        if current <= 0:
            current, start = score[a + i], i
        else:
            current += score[a + i]
        if current > best:
            best, best_start, best_end = current, start, i + 1
    if not best > 0:
        best_start = best_end = 0
    return best_start, best_end
