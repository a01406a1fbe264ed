# cython: language_level=3
# The compiled main span, shared by the compiled modules that read one (``_page.pyx``, ``_stack.pyx``):
# :func:`cleaner.features.spans.main_span`, the same steps in the same order.

from libc.math cimport INFINITY


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
