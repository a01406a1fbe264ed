# cython: language_level=3, boundscheck=False, wraparound=False
"""The markup feature set's yes/no columns, compiled: for each line, the flags its block's tag, its
ancestors' tags and its hints set.

:func:`cleaner.features.markup.reference_markup_flags` is the specification; ``tests/test_core_markup.py``
compares the two on corpus pages and on generated columns. What differs is only how: one pass over
the lines, a line holding the same three objects as the line before it (the lines of a block do)
given that line's row, where the reference finds each distinct combination in a dict.
"""

import numpy as np

from libc.string cimport memcpy


def markup_flags(list tags not None, list ancestors not None, list hints not None, dict tag_column not None,
                 dict ancestor_column not None, dict hint_column not None, Py_ssize_t width):
    """:func:`cleaner.features.markup.reference_markup_flags`, compiled."""
    cdef Py_ssize_t line, count = len(tags)
    if len(ancestors) != count or len(hints) != count:
        raise ValueError("tags, ancestors and hints must be of one length")
    out = np.zeros((count, width), dtype=bool)
    if not count or not width:
        return out
    cdef unsigned char[:, ::1] view = out.view(np.uint8)
    cdef object tag, names, hinted, previous_tag = None, previous_names = None, previous_hinted = None
    for line in range(count):
        tag, names, hinted = tags[line], ancestors[line], hints[line]
        if line and tag is previous_tag and names is previous_names and hinted is previous_hinted:
            memcpy(&view[line, 0], &view[line - 1, 0], width)
            continue
        previous_tag, previous_names, previous_hinted = tag, names, hinted
        _set(view, line, tag_column.get(tag), width)
        for name in names:
            _set(view, line, ancestor_column.get(name), width)
        for name in hinted:
            _set(view, line, hint_column.get(name), width)
    return out


cdef inline void _set(unsigned char[:, ::1] view, Py_ssize_t line, object column, Py_ssize_t width) except *:
    # The columns come from the caller's dicts, and the module reads without bounds checks.
    cdef Py_ssize_t index
    if column is None:
        return
    index = column
    if index < 0 or index >= width:
        raise ValueError(f"flag column {index} outside the {width} flags")
    view[line, index] = 1
