# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""The compiled steps of prediction between the matrix products: the scaling of the inputs, the softmax
of the first pass, the keep-probability, the sigmoid of the second pass and the rescaling of the first
pass's probabilities by it (:mod:`cleaner.model.regression`'s ``Scaling.apply``, ``softmax``,
``keep_probability``, ``sigmoid`` and ``Model.rescaled``, which are the specification).

The same values, bit for bit: each step does the reference's IEEE operations in the reference's order
(a row's sum is its columns added left to right, as :func:`~cleaner.model.regression.row_sums` defines
it), and the exponentials are NumPy's own (its SIMD kernels and the C library's may differ in the last
bit). The matrix products stay NumPy's. ``tests/test_compiled_model.py`` compares the two on corpus
pages, ``tests/test_compiled_passes.py`` on generated matrices.
"""

import numpy as np

from libc.math cimport isfinite
from libc.stdint cimport uint64_t
from libc.string cimport memcpy

# The exponent's bits of a double, and the lowest of them.
cdef uint64_t EXPONENT_BITS = 0x7FF0000000000000ULL, EXPONENT_ONE = 1ULL << 52


def scaled(values, const double[::1] mean, const double[::1] scale, double clip):
    """``clip((values - mean) / scale)``, column by column, in an array laid out as ``values`` is (as
    NumPy lays out the result of the same operations); ValueError for a value that is not finite."""
    cdef const double[:, :] x = values
    cdef Py_ssize_t n = x.shape[0], k = x.shape[1], i, j
    if mean.shape[0] != k or scale.shape[0] != k:
        raise ValueError(f"{mean.shape[0]} means and {scale.shape[0]} scales for {k} columns")
    out_array = np.empty_like(values, dtype=np.float64)
    cdef double[:, :] out = out_array
    cdef bint finite = True
    if n == 0:
        return out_array
    # A feature matrix is laid out a column after the other (Fortran order): then each column is read
    # as a plain array, a loop the compiler can vectorise (a third of the time of the strided one).
    cdef bint columns = x.strides[0] == sizeof(double) and out.strides[0] == sizeof(double)
    with nogil:
        for j in range(k):
            if columns:
                finite &= _scaled_column(&x[0, j], &out[0, j], n, mean[j], scale[j], clip)
            else:
                for i in range(n):
                    finite &= _scaled_value(x[i, j], &out[i, j], mean[j], scale[j], clip)
    if not finite:
        raise ValueError("Input X contains NaN or infinity.")
    return out_array


cdef inline bint _scaled_column(const double* x, double* out, Py_ssize_t n, double m, double s, double clip) noexcept nogil:
    """One contiguous column of ``n`` values scaled into ``out``, as :func:`_scaled_value` scales each;
    whether all of them were finite. Written so that the compiler vectorises it (a fourth of the time):
    the clip as selections, and finiteness read off the bits, as an OR of integers (a value is an
    infinity or a NaN when its exponent's bits are all ones: adding one to them carries into the top bit)."""
    cdef Py_ssize_t i
    cdef double value, scaled
    cdef uint64_t bits, carries = 0
    for i in range(n):
        value = x[i]
        memcpy(&bits, &x[i], sizeof(double))
        scaled = (value - m) / s
        scaled = -clip if scaled < -clip else scaled
        out[i] = clip if scaled > clip else scaled
        carries |= (bits & EXPONENT_BITS) + EXPONENT_ONE
    return not (carries >> 63)


cdef inline bint _scaled_value(double value, double* out, double m, double s, double clip) noexcept nogil:
    """``clip((value - m) / s)`` into ``out``; whether ``value`` was finite."""
    cdef double scaled = (value - m) / s
    if scaled < -clip:
        scaled = -clip
    elif scaled > clip:
        scaled = clip
    out[0] = scaled
    return isfinite(value)


def softmax(const double[:, :] logits):
    """Each row's softmax: less the row's largest value, exponentiated (by NumPy), over the row's sum."""
    cdef Py_ssize_t n = logits.shape[0], k = logits.shape[1], i, j
    if k == 0:
        raise ValueError("a softmax over no labels")
    shifted_array = np.empty((n, k))
    cdef double[:, ::1] shifted = shifted_array
    cdef double largest, total
    with nogil:
        for i in range(n):
            largest = logits[i, 0]
            for j in range(1, k):
                if logits[i, j] > largest or logits[i, j] != logits[i, j]:
                    largest = logits[i, j]
            for j in range(k):
                shifted[i, j] = logits[i, j] - largest
    np.exp(shifted_array, out=shifted_array)
    with nogil:
        for i in range(n):
            total = shifted[i, 0]
            for j in range(1, k):
                total += shifted[i, j]
            for j in range(k):
                shifted[i, j] /= total
    return shifted_array


def column_sums(const double[:, :] matrix, const Py_ssize_t[::1] columns):
    """Each row's sum of the ``columns``, added in that order."""
    cdef Py_ssize_t n = matrix.shape[0], count = columns.shape[0], i, j
    for j in range(count):
        if not 0 <= columns[j] < matrix.shape[1]:
            raise IndexError(f"column {columns[j]} of a matrix of {matrix.shape[1]}")
    out_array = np.zeros(n)
    cdef double[::1] out = out_array
    if count == 0:
        return out_array
    with nogil:
        for i in range(n):
            out[i] = _row_sum(matrix, i, columns)
    return out_array


cdef inline double _row_sum(const double[:, :] matrix, Py_ssize_t i, const Py_ssize_t[::1] columns) noexcept nogil:
    """Row ``i``'s sum of the ``columns`` (one or more), added in that order."""
    cdef Py_ssize_t j
    cdef double total = matrix[i, columns[0]]
    for j in range(1, columns.shape[0]):
        total += matrix[i, columns[j]]
    return total


def sigmoid(const double[::1] logit):
    """``1 / (1 + exp(-logit))``, the exponential NumPy's."""
    cdef Py_ssize_t n = logit.shape[0], i
    out_array = np.empty(n)
    cdef double[::1] out = out_array
    with nogil:
        for i in range(n):
            out[i] = -logit[i]
    np.exp(out_array, out=out_array)
    with nogil:
        for i in range(n):
            out[i] = 1.0 / (1.0 + out[i])
    return out_array


def rescaled(const double[:, :] first, const double[::1] keep, const Py_ssize_t[::1] kept,
             const Py_ssize_t[::1] dropped, double tiny):
    """The first pass's probabilities (plus ``tiny``) with the ``kept`` labels' share set to ``keep``
    and the ``dropped`` labels' to ``1 - keep``, each label keeping its part of its share."""
    cdef Py_ssize_t n = first.shape[0], k = first.shape[1], i, j
    if keep.shape[0] != n:
        raise ValueError(f"{keep.shape[0]} keep-probabilities for {n} lines")
    for j in range(kept.shape[0]):
        if not 0 <= kept[j] < k:
            raise IndexError(f"label {kept[j]} of {k}")
    for j in range(dropped.shape[0]):
        if not 0 <= dropped[j] < k:
            raise IndexError(f"label {dropped[j]} of {k}")
    out_array = np.empty((n, k))
    cdef double[:, ::1] out = out_array
    with nogil:
        for i in range(n):
            for j in range(k):
                out[i, j] = first[i, j] + tiny
            _share(out, i, kept, keep[i])
            _share(out, i, dropped, 1.0 - keep[i])
    return out_array


cdef inline void _share(double[:, ::1] out, Py_ssize_t i, const Py_ssize_t[::1] columns, double share) noexcept nogil:
    """Row ``i``'s ``columns`` times ``share`` over their sum (added left to right)."""
    cdef Py_ssize_t j, count = columns.shape[0]
    cdef double factor
    if count == 0:
        return
    factor = share / _row_sum(out, i, columns)
    for j in range(count):
        out[i, columns[j]] = out[i, columns[j]] * factor
