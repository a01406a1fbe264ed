"""The model stage: a multinomial logistic regression over standardised line features, independent of
scikit-learn's pickles.

:meth:`Model.predict` is a matrix product in NumPy: loading a model (:mod:`cleaner.model_file`, JSON)
runs no code, and the scikit-learn version that trained it does not matter. Standardising and the
context features are linear, so prediction never builds the wide context matrix (:meth:`Model.logits`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from cleaner.features import FeatureSettings, context_columns, context_matrix, line_feature_matrix, line_feature_names
from cleaner.features.layout import PageLayout, page_boundaries
from cleaner.files import write_atomic
from cleaner.model_file import MODEL_FORMAT, SCHEMA_VERSION, model_fields, read_model_file
from cleaner.records import DEFAULT_KEEP, Line

if TYPE_CHECKING:  # scikit-learn is imported only to convert models, never to predict
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler


@dataclass(frozen=True, eq=False)
class Model:
    """A trained line classifier: feature settings, the scaler's statistics, the weights, the labels,
    the decision threshold and smoothing, and what it was trained on (``info``).

    Models compare by identity: two loads of one file are two models.
    """

    settings: FeatureSettings
    labels: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: np.ndarray
    threshold: float = 0.5
    smoothing: float = 0.0
    keep: tuple[str, ...] = DEFAULT_KEEP
    info: Mapping[str, Any] = field(default_factory=dict)

    # -- building ---------------------------------------------------------------------------

    @classmethod
    def from_estimators(
        cls, settings: FeatureSettings, scaler: StandardScaler, classifier: LogisticRegression, **kwargs: Any
    ) -> Model:
        classes = tuple(str(c) for c in classifier.classes_)
        coef, intercept = classifier.coef_, classifier.intercept_
        if len(classes) == 2:
            # Binary logistic regression keeps one weight vector; store the equivalent softmax pair.
            coef = np.vstack((-coef / 2, coef / 2))
            intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
        return cls(
            settings=settings,
            labels=classes,
            mean=np.asarray(scaler.mean_, dtype=float),
            scale=np.asarray(scaler.scale_, dtype=float),
            coef=np.asarray(coef, dtype=float),
            intercept=np.asarray(intercept, dtype=float),
            **kwargs,
        )

    def to_pipeline(self) -> Pipeline:
        """The equivalent fitted scikit-learn pipeline (for inspection and cross-checks; cleaning never
        builds it)."""
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import Pipeline
        from sklearn.preprocessing import StandardScaler

        from cleaner.features.transformers import transformers

        lines, context = transformers(self.settings)
        pipeline = Pipeline(
            [("lines", lines), ("context", context), ("scale", StandardScaler()), ("classify", LogisticRegression())]
        )
        pipeline.named_steps["lines"].fit([])
        names = pipeline.named_steps["lines"].get_feature_names_out()
        pipeline.named_steps["context"].fit(np.zeros((1, len(names))))
        scaler: StandardScaler = pipeline.named_steps["scale"]
        scaler.mean_, scaler.scale_ = self.mean.copy(), self.scale.copy()
        scaler.var_ = self.scale**2
        scaler.n_features_in_ = len(self.mean)
        scaler.n_samples_seen_ = 1
        classifier: LogisticRegression = pipeline.named_steps["classify"]
        classifier.classes_ = np.array(self.labels)
        if len(self.labels) == 2:
            # scikit-learn keeps a binary model as one weight vector (the difference of the softmax pair).
            classifier.coef_ = self.coef[1:] - self.coef[:1]
            classifier.intercept_ = self.intercept[1:] - self.intercept[:1]
        else:
            classifier.coef_, classifier.intercept_ = self.coef.copy(), self.intercept.copy()
        classifier.n_features_in_ = len(self.mean)
        classifier.n_iter_ = np.array([0])
        return pipeline

    # -- predicting -------------------------------------------------------------------------

    @cached_property
    def line_columns(self) -> int:
        """Columns of the line feature matrix the model reads (the page column first)."""
        return len(line_feature_names(tuple(self.settings.feature_sets)))

    def line_matrix(self, lines: Sequence[Line]) -> np.ndarray:
        """The line feature matrix of ``lines`` (consecutive lines of one ``page`` form a page)."""
        return line_feature_matrix(lines, self.settings.feature_sets, self.line_columns)

    def features(self, lines: Sequence[Line]) -> np.ndarray:
        """The scaled feature matrix of ``lines``, context included: the model's input as scikit-learn sees it."""
        matrix = _finite(self.line_matrix(lines))
        wide = context_matrix(matrix, self.settings.neighbours, self.settings.window, 0)
        return (wide - self.mean) / self.scale

    def predict(self, line_matrix: np.ndarray) -> np.ndarray:
        """Probability of each label (columns in ``self.labels`` order) for each row of a line feature
        matrix: ``softmax(self.features(lines) @ coef.T + intercept)`` up to rounding in the last bits,
        computed without the context matrix (see :meth:`logits`)."""
        if not len(line_matrix):
            return np.zeros((0, len(self.labels)))
        return softmax(self.logits(_finite(line_matrix)))

    def predict_proba(self, lines: Sequence[Line]) -> np.ndarray:
        """:meth:`predict` of the line features of ``lines``."""
        return self.predict(self.line_matrix(lines))

    def logits(self, line_matrix: np.ndarray) -> np.ndarray:
        """The linear part of the model, from the line features (page column first).

        Standardising and the context features are linear in the line features, so the product of
        the wide context matrix with the weights equals a sum of narrow products: each line's own
        features times the weights of the "own" block, plus the neighbours' features times the
        weights of the "prev1", "next1", ... blocks (the same products, shifted by a line or two), plus
        the window means of the products. The context matrix, several times wider than the line
        features, is never built.
        """
        weights, bias = self._folded_weights
        n_labels = len(self.labels)
        neighbours, window = self.settings.neighbours, self.settings.window
        values = line_matrix[:, 1:]  # a view: the page column (0) is not a feature
        products = (values @ weights).reshape(len(values), -1, n_labels)  # [line, block, label]
        out = products[:, 0] + bias
        layout = PageLayout(page_boundaries(line_matrix[:, 0]), len(values))
        index = layout.index  # within its page

        def add_within_pages(rows: slice, shifted: np.ndarray, outside: np.ndarray | None) -> None:
            # Added to every line of ``rows``, then put back on the lines ``outside`` (a page's first or
            # last lines, which have no such neighbour on their page; None when there is one page).
            kept = None if outside is None else out[outside]
            out[rows] += shifted
            if outside is not None:
                out[outside] = kept

        # Each sum below is added in the same order for every line (own, prev 1, next 1, prev 2, ...,
        # window before, window after) whichever pages it shares a batch with.
        pages = len(layout.sizes) > 1
        for k in range(1, neighbours + 1):
            if k < len(values):  # prev k: the product of line i - k; next k: that of line i + k
                add_within_pages(slice(k, None), products[:-k, 2 * k - 1], np.flatnonzero(index < k) if pages else None)
                add_within_pages(
                    slice(None, -k), products[k:, 2 * k], np.flatnonzero(index + k >= layout.size) if pages else None
                )
        if window:
            slot = 2 * neighbours + 1
            lo, hi = np.maximum(index - window, 0), np.minimum(index + window + 1, layout.size)
            # Running sums of each window block, page by page from a zero row (page p's row j at
            # bounds[p] + p + j): a window's sum is the difference of two of them.
            base = layout.first + layout.page
            bounds = layout.bounds.tolist()
            for block, (a, b, count) in enumerate(
                ((lo, index, index - lo), (index + 1, hi, hi - index - 1))  # before, after
            ):
                cumulative = np.zeros((len(values) + len(layout.sizes), n_labels))
                for page, (start, stop) in enumerate(zip(bounds[:-1], bounds[1:])):
                    np.cumsum(
                        products[start:stop, slot + block], axis=0, out=cumulative[start + page + 1 : stop + page + 1]
                    )
                out += (cumulative[base + b] - cumulative[base + a]) / np.maximum(count, 1)[:, None]
        return out

    @cached_property
    def _folded_weights(self) -> tuple[np.ndarray, np.ndarray]:
        """The standardisation folded into the weights, one column per (context block, label):
        ``((x - mean) / scale) @ coef.T == x @ (coef / scale).T - (coef / scale) @ mean``."""
        # C order whatever the arrays came from (a fitted estimator's coef_ may be in Fortran order),
        # so that BLAS sums in the same order for a model trained here and the same model loaded.
        weights = np.ascontiguousarray(self.coef / self.scale)
        bias = self.intercept - weights @ np.ascontiguousarray(self.mean)
        blocks = len(self.mean) // self._base_columns
        by_block = weights.reshape(len(self.labels), blocks, self._base_columns).transpose(2, 1, 0)
        return np.ascontiguousarray(by_block.reshape(self._base_columns, blocks * len(self.labels))), bias

    @cached_property
    def _base_columns(self) -> int:
        return len(context_columns(self.line_columns, 0))

    def explain(self, scaled: np.ndarray, label_index: int, top: int = 3) -> tuple[tuple[str, float], ...]:
        """The features that pushed one line hardest towards (or away from) ``label_index``."""
        # Softmax ignores a shift shared by all labels, so weigh against the mean over labels.
        weights = self.coef[label_index] - self.coef.mean(axis=0)
        contributions = scaled * weights
        order = np.argsort(-np.abs(contributions))[:top]
        names = self.feature_names
        return tuple((names[i], round(float(contributions[i]), 3)) for i in order)

    @cached_property
    def feature_names(self) -> list[str]:
        return self.settings.feature_names()

    # -- files ------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": MODEL_FORMAT,
            "schema_version": SCHEMA_VERSION,
            "labels": list(self.labels),
            "keep": list(self.keep),
            "threshold": self.threshold,
            "smoothing": self.smoothing,
            "features": {
                "feature_sets": list(self.settings.feature_sets),
                "neighbours": self.settings.neighbours,
                "window": self.settings.window,
                "names": self.feature_names,
            },
            "scaler": {"mean": self.mean.tolist(), "scale": self.scale.tolist()},
            "classifier": {"coef": self.coef.tolist(), "intercept": self.intercept.tolist()},
            "info": dict(self.info),
        }

    def save(self, path: str | Path) -> Path:
        """Write the model as JSON, atomically (a temporary file renamed into place)."""
        return write_atomic(path, json.dumps(self.to_dict(), indent=1, ensure_ascii=False) + "\n")

    @classmethod
    def load(cls, path: str | Path) -> Model:
        """Read a model file (JSON only, never code). Every problem is a :class:`~cleaner.errors.ModelError`."""
        return cls(**read_model_file(path))

    @classmethod
    def from_dict(cls, data: Any, *, source: str = "<model>") -> Model:
        """Validate and build a model from parsed JSON. Every problem is a :class:`~cleaner.errors.ModelError`."""
        return cls(**model_fields(data, source))


def _finite(matrix: np.ndarray) -> np.ndarray:
    if not np.isfinite(matrix).all():  # as the transformers' input validation
        raise ValueError("Input X contains NaN or infinity.")
    return matrix


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    np.exp(shifted, out=shifted)
    shifted /= shifted.sum(axis=1, keepdims=True)
    return shifted
