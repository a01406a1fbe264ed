# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""The compiled page check's inputs: :func:`cleaner.decide.page_check.reference_narrowing_inputs` for a batch of
pages, one loop a page; and the main span of a page's scores (:func:`cleaner.features.spans.main_span`),
which the page check and the fallback look for on every text page.

The reference is the specification: the same sums, bit for bit, each added in line order from zero (as
NumPy's ``bincount`` adds a page's weights), a line outside a sum adding nothing where the reference
adds zero (the sums are never negative, so the two are the same number), then the same shares.
``tests/test_decide.py`` compares the two.

The main span is the shared loop of ``features/_spans.pxd``: the reference's steps on the same doubles,
in the same order (``tests/test_decide.py`` compares the two on generated scores).
"""

import numpy as np

from libc.stdint cimport int64_t, uint8_t

from cleaner.features._spans cimport check_bounds, check_length, main_span as span_of, share

from cleaner.decide.page_check import KEPT_OF_PROSE_CAP
from cleaner.model.narrowing import NARROWING_INPUTS

cdef double CAP = KEPT_OF_PROSE_CAP
# The loop writes the inputs by position: the order NARROWING_INPUTS names, checked once, here.
assert NARROWING_INPUTS == (
    "kept_of_prose", "kept_of_page", "main_of_page", "main_of_prose", "kept_in_main", "main_keep",
    "outside_keep", "main_covered",
)


def narrowing_inputs(
    const double[::1] chars, const double[::1] keep, const uint8_t[::1] kept, const uint8_t[::1] prose,
    const uint8_t[::1] in_main, const int64_t[::1] bounds,
):
    """The inputs (a row a page, :data:`~cleaner.model.narrowing.NARROWING_INPUTS`) and whether the check
    applies to each page, from each line's characters, keep-probability and flags (0 or 1)."""
    cdef Py_ssize_t n = chars.shape[0], pages = bounds.shape[0] - 1, p, i
    check_bounds(bounds, n)
    check_length(keep.shape[0], n, "keep-probabilities")
    check_length(kept.shape[0], n, "kept flags")
    check_length(prose.shape[0], n, "prose flags")
    check_length(in_main.shape[0], n, "main-region flags")
    inputs_array = np.zeros((max(pages, 0), len(NARROWING_INPUTS)))
    applies_array = np.zeros(max(pages, 0), dtype=bool)
    cdef double[:, ::1] inputs = inputs_array
    cdef uint8_t[::1] applies = applies_array.view(np.uint8)
    cdef double page_chars, main_chars, kept_chars, kept_main, prose_chars, prose_main, keep_main, keep_outside
    cdef double c, weighted
    for p in range(pages):
        page_chars = main_chars = kept_chars = kept_main = prose_chars = prose_main = 0.0
        keep_main = keep_outside = 0.0
        for i in range(bounds[p], bounds[p + 1]):
            c = chars[i]
            weighted = c * keep[i]
            page_chars += c
            if in_main[i]:
                main_chars += c
                keep_main += weighted
            else:
                keep_outside += weighted
            if kept[i]:
                kept_chars += c
                if in_main[i]:
                    kept_main += c
            if prose[i]:
                prose_chars += c
                if in_main[i]:
                    prose_main += c
        inputs[p, 0] = min(share(kept_chars, prose_chars), CAP)
        inputs[p, 1] = share(kept_chars, page_chars)
        inputs[p, 2] = share(main_chars, page_chars)
        inputs[p, 3] = share(prose_main, prose_chars)
        inputs[p, 4] = share(kept_main, kept_chars)
        inputs[p, 5] = share(keep_main, main_chars)
        inputs[p, 6] = share(keep_outside, page_chars - main_chars)
        inputs[p, 7] = share(kept_main, main_chars)
        applies[p] = kept_main > 0 and kept_chars > kept_main
    return inputs_array, applies_array


def main_span(const double[::1] score):
    """:func:`cleaner.features.spans.main_span` of ``score``: the run of lines with the highest total,
    as ``(start, end)``; (0, 0) when no line scores above zero."""
    return span_of(score, 0, score.shape[0])
