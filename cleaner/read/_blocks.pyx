# cython: language_level=3, boundscheck=False, wraparound=False
"""Per-line columns of the read stage, compiled: what each line's nearest ancestors hold (wrappers
of the same lines passed over) (:func:`cleaner.read.blocks.ancestor_columns`), the class/id hints
that reach it (:func:`cleaner.read.blocks.line_hints`), and whether its tag, or one of its ancestors'
tags, is one of a set (:func:`cleaner.read.blocks.reference_tags_in`, :func:`cleaner.read.blocks.reference_lines_inside`:
the decision rules ask some fifteen such questions of a page).

Those functions are the specification; ``tests/test_core_blocks.py`` compares these with them on
corpus pages and on generated columns. What differs is only how: one pass over the lines in C
indexes rather than a Python loop, and a line's answer reused for the next line when it holds the
same object (the segmenter hands every line of a block the same chain, ancestors' tag set and tag).
"""

import numpy as np

from cpython.set cimport PySet_Contains

from cleaner.read.segment import SHARED_ANCESTORS
from cleaner.read.tags import NO_HINTS

from cleaner.read.blocks import HINT_MAX_SHARE

cdef Py_ssize_t _SHARED = SHARED_ANCESTORS
cdef double _HINT_MAX_SHARE = HINT_MAX_SHARE
cdef frozenset _NO_HINTS = NO_HINTS


def ancestor_columns(list nearest, const double[::1] shares, const long long[::1] first,
                     const long long[::1] last, const Py_ssize_t[::1] owner):
    """:func:`cleaner.read.blocks.ancestor_columns`, compiled."""
    cdef Py_ssize_t count = len(nearest), elements = shares.shape[0]
    out_shares = np.zeros((count, _SHARED))
    out_ranges = np.full((count, _SHARED, 2), -1, dtype=np.int64)
    out_container = np.array(owner, dtype=np.intp)
    cdef double[:, ::1] shares_view = out_shares
    cdef long long[:, :, ::1] ranges_view = out_ranges
    cdef Py_ssize_t[::1] container_view = out_container
    cdef Py_ssize_t line, rank, index, size, element
    cdef tuple ancestors
    if first.shape[0] != elements or last.shape[0] != elements or owner.shape[0] != count:
        raise ValueError("the elements' columns and the lines' columns must each be of one length")
    for line in range(count):
        ancestors = <tuple>nearest[line]
        size = len(ancestors)
        rank = 0
        for index in range(size):
            element = <Py_ssize_t>ancestors[index]
            if element < 0 or element >= elements:
                raise ValueError(f"ancestor {element} is not one of the page's {elements} elements")
            if rank and ranges_view[line, rank - 1, 0] == first[element] and ranges_view[line, rank - 1, 1] == last[element]:
                continue  # a wrapper of the same lines as the ancestor inside it
            shares_view[line, rank] = shares[element]
            ranges_view[line, rank, 0] = first[element]
            ranges_view[line, rank, 1] = last[element]
            rank += 1
            if rank == _SHARED:
                break
        if size:
            container_view[line] = <Py_ssize_t>ancestors[0]
    return out_shares, out_ranges, out_container


cpdef list line_hints(list hinted, list shares):
    """:func:`cleaner.read.blocks.line_hints`, compiled."""
    cdef dict found = {}
    cdef list out = [], kept
    cdef object chain, previous = None, hints = _NO_HINTS
    cdef tuple pair
    for chain in hinted:
        if chain is not previous:
            previous = chain
            hints = found.get(chain)
            if hints is None:
                kept = []
                for pair in <tuple>chain:
                    if <double>shares[<Py_ssize_t>pair[0]] < _HINT_MAX_SHARE:
                        kept.append(pair[1])
                hints = found[chain] = frozenset().union(*kept) if kept else _NO_HINTS
        out.append(hints)
    return out


def tags_in(list tags not None, frozenset names not None):
    """:func:`cleaner.read.blocks.reference_tags_in`, compiled."""
    return _answers(tags, names, False)


def lines_inside(list ancestors not None, frozenset tags not None):
    """:func:`cleaner.read.blocks.reference_lines_inside`, compiled."""
    return _answers(ancestors, tags, True)


cdef _answers(list items, frozenset names, bint inside):
    """Per line: whether its item (a tag) is one of ``names``, or with ``inside`` whether its item (a
    set of tags) holds one of them; a line holding the item of the line before it takes its answer."""
    cdef Py_ssize_t line, count = len(items)
    out = np.zeros(count, dtype=bool)
    cdef unsigned char[::1] view = out.view(np.uint8)
    cdef object item, previous = None
    cdef bint found = False
    for line in range(count):
        item = items[line]
        if item is not previous or line == 0:
            previous = item
            found = (not names.isdisjoint(item)) if inside else PySet_Contains(names, item) == 1
        view[line] = found
    return out
