"""Line features as scikit-learn transformers, for training and the estimator conventions.

:class:`LineFeatures` turns a sequence of :class:`~cleaner.records.Line` into a numeric matrix, one row
per line, from pluggable feature sets; :class:`ContextFeatures` adds what the neighbouring lines
say. Both are stateless: ``fit`` learns nothing, so a model is fully described by their parameters.
The cleaning path computes the same matrices without importing scikit-learn
(:mod:`cleaner.features.registry`, :mod:`cleaner.features.context`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from cleaner.features.context import context_columns, context_feature_names, context_matrix
from cleaner.features.registry import (
    TEXT_FEATURE_SETS,
    FeatureSettings,
    check_feature_sets,
    line_feature_matrix,
    line_feature_names,
)
from cleaner.records import Line


class LineFeatures(TransformerMixin, BaseEstimator):
    """Per-line features of a sequence of :class:`~cleaner.records.Line`.

    Consecutive lines with the same ``page`` form one page; position, repetition and page-context
    features are computed within it. The first output column is the page id, for
    :class:`ContextFeatures` to respect page boundaries; it is not a feature and is dropped there.

    Parameters
    ----------
    feature_sets : tuple of str
        Names from :data:`cleaner.features.registry.FEATURE_SETS`. Text models leave out ``"markup"``.
    """

    def __init__(self, feature_sets: tuple[str, ...] = TEXT_FEATURE_SETS) -> None:
        self.feature_sets = feature_sets

    def fit(self, X: Sequence[Line], y=None) -> LineFeatures:
        check_feature_sets(self.feature_sets)
        self.n_features_in_ = 1
        self.feature_names_ = self._names()
        return self

    def _names(self) -> list[str]:
        return list(line_feature_names(tuple(self.feature_sets)))

    def transform(self, X: Sequence[Line]) -> np.ndarray:
        check_is_fitted(self, "feature_names_")
        return line_feature_matrix(X, self.feature_sets, len(self.feature_names_))

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        check_is_fitted(self, "feature_names_")
        return np.asarray(self.feature_names_, dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.requires_fit = True
        return tags


class ContextFeatures(TransformerMixin, BaseEstimator):
    """Adds, for every column, the values of the neighbouring lines and of the surrounding window.

    Web noise comes in runs (after "Comments" everything is comments), so a line is judged with
    its neighbours: for offsets ``1..neighbours`` the previous and next line's values, and the mean
    over ``window`` lines on each side. Rows are grouped into pages by the value in
    ``page_column`` (dropped from the output); with ``page_column=None`` all rows are one page.
    Neighbours beyond a page's edge read as zeros.
    """

    def __init__(self, neighbours: int = 2, window: int = 5, page_column: int | None = None) -> None:
        self.neighbours = neighbours
        self.window = window
        self.page_column = page_column

    def fit(self, X, y=None) -> ContextFeatures:
        X = validate_data(self, X, dtype=np.float64, reset=True)
        if self.neighbours < 0 or self.window < 0:
            raise ValueError("neighbours and window must be >= 0")
        if self.page_column is not None and not 0 <= self.page_column < X.shape[1]:
            raise ValueError(f"page_column {self.page_column} out of range for {X.shape[1]} columns")
        return self

    def _columns(self, n_columns: int) -> list[int]:
        return context_columns(n_columns, self.page_column)

    def transform(self, X) -> np.ndarray:
        check_is_fitted(self, "n_features_in_")
        X = validate_data(self, X, dtype=np.float64, reset=False)
        return context_matrix(X, self.neighbours, self.window, self.page_column)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        check_is_fitted(self, "n_features_in_")
        if input_features is None:
            input_features = getattr(self, "feature_names_in_", None)
        if input_features is None:
            input_features = [f"x{i}" for i in range(self.n_features_in_)]
        base = [str(input_features[c]) for c in self._columns(self.n_features_in_)]
        return np.asarray(context_feature_names(base, self.neighbours, self.window), dtype=object)


def transformers(settings: FeatureSettings) -> tuple[LineFeatures, ContextFeatures]:
    """The (unfitted) transformers that compute the input of a model with ``settings``."""
    return (
        LineFeatures(feature_sets=settings.feature_sets),
        ContextFeatures(neighbours=settings.neighbours, window=settings.window, page_column=0),
    )
