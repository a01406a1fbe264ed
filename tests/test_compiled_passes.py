"""The compiled steps of prediction (cleaner/model/_passes.pyx) against their references in
cleaner/model/regression.py, bit for bit, on generated matrices: the scaling (in the layout NumPy
gives, which the matrix products after it depend on), the softmax, the row sums, the sigmoid and the
rescaling. tests/test_compiled_model.py compares whole predictions on corpus pages."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from cores import both_cores
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from cleaner import Cleaner, core
from cleaner.model.regression import Scaling, keep_probability, row_sums, sigmoid, softmax

GENERATED = settings(max_examples=300, derandomize=True, deadline=None, database=None)
LABELS = ("body", "heading", "meta", "related", "classified", "comment", "nav")  # the shipped models' order

pytestmark = pytest.mark.skipif(core._built("cleaner.model._passes") is None, reason="the compiled core is not built")


def same(compiled: np.ndarray, reference: np.ndarray) -> None:
    assert compiled.shape == reference.shape
    assert compiled.strides == reference.strides  # the layout the products after it read
    assert compiled.tobytes() == reference.tobytes()


finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, width=64)
matrices = hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=12), elements=finite)


@GENERATED
@given(matrices, st.booleans(), st.integers(0, 2**32 - 1))
def test_scaling(monkeypatch_module, matrix, fortran, seed):
    monkeypatch = monkeypatch_module
    rng = np.random.default_rng(seed)
    columns = matrix.shape[1]
    scaling = Scaling(rng.normal(size=columns), rng.uniform(0.1, 3.0, size=columns), 4.0)
    # As the first pass reads it: the columns after the page column of a matrix in Fortran order.
    whole = np.asfortranarray(np.column_stack((np.zeros(len(matrix)), matrix))) if fortran else matrix
    values = whole[:, 1:] if fortran else whole
    same(*both_cores(monkeypatch, lambda: scaling.apply(values)))


@pytest.mark.parametrize("forced", ["", "1"], ids=["compiled", "reference"])
def test_scaling_refuses_values_that_are_not_finite(monkeypatch, forced):
    monkeypatch.setenv(core.REFERENCE_ENV, forced)
    scaling = Scaling(np.zeros(2), np.ones(2), 4.0)
    for value in (np.nan, np.inf, -np.inf):
        with pytest.raises(ValueError, match="NaN or infinity"):
            scaling.apply(np.array([[0.0, value]]))
        with pytest.raises(ValueError, match="NaN or infinity"):  # a column after the other, as features are
            scaling.apply(np.asfortranarray([[0.0, 1.0], [2.0, value], [3.0, 4.0]]))
        for row in range(9):  # the compiled loop reads a column a vector at a time: at every place in it
            column = np.arange(18.0).reshape(9, 2)
            column[row, 1] = value
            with pytest.raises(ValueError, match="NaN or infinity"):
                scaling.apply(np.asfortranarray(column))
    # The extremes of the finite doubles are finite (the largest, the smallest subnormal, -0.0).
    extremes = np.array([[np.finfo(np.float64).max, -np.finfo(np.float64).max, 5e-324, -0.0]] * 2)
    assert np.isfinite(scaling.apply(np.asfortranarray(extremes.T.copy()))).all()


logits = hnp.arrays(
    np.float64,
    st.tuples(st.integers(0, 20), st.just(len(LABELS))),
    elements=st.floats(min_value=-50, max_value=50, allow_nan=False, width=64),
)


@GENERATED
@given(logits, st.lists(st.sampled_from(LABELS), max_size=4))
def test_softmax_sums_and_sigmoid(monkeypatch_module, matrix, keep):
    monkeypatch = monkeypatch_module
    probabilities, reference = both_cores(monkeypatch, lambda: softmax(matrix))
    same(probabilities, reference)
    same(*both_cores(monkeypatch, lambda: keep_probability(probabilities, LABELS, keep)))
    same(*both_cores(monkeypatch, lambda: sigmoid(np.ascontiguousarray(matrix[:, 0]))))


def test_row_sums_are_numpys_sums_on_label_matrices():
    """The reference's order (left to right) is what NumPy's ``sum(axis=1)`` gives on the matrices
    prediction sums: a few columns, many rows."""
    rng = np.random.default_rng(0)
    for columns in (1, 2, 5, 7):
        matrix = np.exp(rng.normal(scale=4, size=(500, columns)))
        assert row_sums(matrix).tobytes() == matrix.sum(axis=1).tobytes()


@GENERATED
@given(logits, st.lists(st.sampled_from(LABELS), min_size=1, max_size=7, unique=True), st.integers(0, 2**32 - 1))
def test_rescaling(monkeypatch_module, text_model, matrix, keep, seed):
    monkeypatch = monkeypatch_module
    model = replace(text_model, keep=tuple(keep))  # the shipped model, other labels kept
    first = softmax(matrix)
    share = np.random.default_rng(seed).uniform(size=len(matrix))
    same(*both_cores(monkeypatch, lambda: model.rescaled(first, share)))


@pytest.fixture(scope="module")
def text_model():
    model = Cleaner.load().models.for_text()
    assert model.labels == LABELS  # the generated matrices' columns
    return model


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch
