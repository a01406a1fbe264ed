"""The compiled functions refuse what does not fit: they read their arrays without bounds checks, so
an input of the wrong shape (a range past a page's end, page bounds that do not cut the lines, flags
or products of another length) is a ValueError, not a read beyond an array."""

from __future__ import annotations

import numpy as np
import pytest

from cleaner import core


@pytest.mark.skipif(core._built("cleaner.features._stack") is None, reason="the compiled core is not built")
def test_compiled_second_pass_inputs_refuse_an_ancestor_range_outside_the_page():
    # The compiled loop reads its running sums without bounds checks: a range past the page's end is an
    # error, not a read beyond the array.
    from cleaner.features.stack_settings import STACK_ANCESTORS

    stack = core._built("cleaner.features._stack")
    ranges = np.full((2, STACK_ANCESTORS, 2), -1, dtype=np.int64)
    ranges[1, 0] = (0, 3)
    keep, chars, numbers, bounds = np.array([0.5, 0.9]), np.array([3.0, 4.0]), np.array([1, 2]), np.array([0, 2])
    with pytest.raises(ValueError, match="outside its page"):
        stack.stack_columns(keep, chars, numbers, bounds, ranges)
    ranges[1, 0] = (0, 2)
    assert stack.stack_columns(keep, chars, numbers, bounds, ranges).shape[0] == 2


@pytest.mark.skipif(core._built("cleaner.features._context") is None, reason="the compiled core is not built")
def test_compiled_context_logits_refuse_products_that_do_not_fit_the_settings():
    context = core._built("cleaner.features._context")
    products, intercept, bounds = np.zeros((4, 5, 2)), np.zeros(2), np.array([0, 1, 4])
    assert context.context_logits(products, intercept, bounds, 2, 0).shape == (4, 2)
    with pytest.raises(ValueError, match="context blocks"):
        context.context_logits(products, intercept, bounds, 1, 0)
    with pytest.raises(ValueError, match="intercepts"):
        context.context_logits(products, np.zeros(3), bounds, 2, 0)
    with pytest.raises(ValueError, match="page bounds"):
        context.context_logits(products, intercept, np.array([0, 5]), 2, 0)


@pytest.mark.skipif(core._built("cleaner.decide._page_check") is None, reason="the compiled core is not built")
def test_compiled_page_check_inputs_refuse_flags_that_do_not_fit_the_lines():
    decide = core._built("cleaner.decide._page_check")
    chars, keep, flags, bounds = (
        np.array([3.0, 4.0]),
        np.array([0.2, 0.9]),
        np.ones(2, dtype=np.uint8),
        np.array([0, 2]),
    )
    inputs, applies = decide.narrowing_inputs(chars, keep, flags, flags, flags, bounds)
    assert inputs.shape == (1, 8) and applies.tolist() == [False]
    with pytest.raises(ValueError, match="prose flags"):
        decide.narrowing_inputs(chars, keep, flags, np.ones(3, dtype=np.uint8), flags, bounds)
    with pytest.raises(ValueError, match="page bounds"):
        decide.narrowing_inputs(chars, keep, flags, flags, flags, np.array([0, 3]))


@pytest.mark.skipif(core._built("cleaner.features._page") is None, reason="the compiled core is not built")
def test_compiled_page_features_refuse_bounds_that_do_not_cut_the_lines_into_pages():
    page = core._built("cleaner.features._page")
    numbers, chars = np.array([1, 2]), np.array([1.0, 2.0])
    for bounds in ([0, 3], [0, 1], [1, 2], [0, 2, 1, 2]):
        with pytest.raises(ValueError, match="page bounds"):
            page.position(np.array(bounds), numbers, chars)
    with pytest.raises(ValueError, match="prose flags"):
        page.page_context(np.array([0, 2]), np.array([1], dtype=np.uint8), chars)
    assert page.repetition(np.array([0, 0, 2]), ["a", "a"]).tolist() == [[1.0, 0.0, 0.0, 0.0], [1.0, 1.0, 0.0, 0.0]]
