"""The line classifier: a scikit-learn pipeline and its portable, code-free file format.

A model file is JSON: the feature settings, the scaler's statistics, the logistic regression's
weights, the labels, the decision threshold, and what the model was trained on with which
versions and how well it did. Loading one runs no code (unlike a pickle) and does not depend
on the scikit-learn version that trained it: :meth:`Model.predict_proba` is a matrix product.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from cleaner.errors import ModelError
from cleaner.files import write_atomic
from cleaner.lines import DEFAULT_KEEP, LABELS, Line, MarkupColumns
from cleaner.page_features import (
    FEATURE_SETS,
    PageLayout,
    columns_feature_matrix,
    context_columns,
    context_feature_names,
    context_matrix,
    line_feature_matrix,
    line_feature_names,
    page_boundaries,
)

if TYPE_CHECKING:  # scikit-learn is imported only to build or convert pipelines, never to predict
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

MODEL_FORMAT = "cleaner-model"
# Bump when the file layout or the meaning of a feature changes; loading refuses other versions.
SCHEMA_VERSION = 1
# Trained weights and feature statistics stay far below this; larger values would overflow to NaN.
MAX_ABS_VALUE = 1e9
# StandardScaler gives constant features a scale of 1; a tiny scale would blow features up to overflow.
MIN_SCALE = 1e-12
# A model file is a few hundred kilobytes; anything much larger is not one of ours.
MAX_MODEL_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class FeatureSettings:
    """Everything that determines the feature matrix: the parameters of both transformers."""

    feature_sets: tuple[str, ...]
    neighbours: int = 2
    window: int = 5

    @property
    def uses_markup(self) -> bool:
        return "markup" in self.feature_sets

    def transformers(self) -> list[tuple[str, Any]]:
        from cleaner.features import ContextFeatures, LineFeatures

        return [
            ("lines", LineFeatures(feature_sets=self.feature_sets)),
            ("context", ContextFeatures(neighbours=self.neighbours, window=self.window, page_column=0)),
        ]

    def feature_names(self) -> list[str]:
        """The model's input columns (what the transformers' ``get_feature_names_out`` give, without them)."""
        if self.neighbours < 0 or self.window < 0:
            raise ValueError("neighbours and window must be >= 0")
        names = line_feature_names(tuple(self.feature_sets))
        base = [names[c] for c in context_columns(len(names), 0)]
        return context_feature_names(base, self.neighbours, self.window)


def build_pipeline(settings: FeatureSettings, *, C: float = 1.0, max_iter: int = 3000) -> Pipeline:
    """The untrained pipeline: features, context, scaling, logistic regression."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    return Pipeline(
        settings.transformers()
        + [
            ("scale", StandardScaler()),
            ("classify", LogisticRegression(C=C, max_iter=max_iter, random_state=0)),
        ]
    )


@dataclass(frozen=True)
class Model:
    """A trained line classifier, independent of scikit-learn's pickles."""

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
    def from_pipeline(cls, pipeline: Pipeline, settings: FeatureSettings, **kwargs: Any) -> Model:
        """The model of a pipeline made by :func:`build_pipeline` and fitted."""
        return cls.from_estimators(settings, pipeline.named_steps["scale"], pipeline.named_steps["classify"], **kwargs)

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
        """The equivalent fitted scikit-learn pipeline (for inspection and cross-checks)."""
        pipeline = build_pipeline(self.settings)
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

    def features(self, lines: Sequence[Line]) -> np.ndarray:
        """The scaled feature matrix of ``lines``, the model's input."""
        matrix = self._raw_features(lines)
        return (matrix - self.mean) / self.scale

    def _raw_features(self, lines: Sequence[Line]) -> np.ndarray:
        # The transformers' computation (cleaner.page_features), without scikit-learn's wrappers.
        return self._context_matrix(self._line_matrix(lines))

    def _line_matrix(self, lines: Sequence[Line]) -> np.ndarray:
        return _finite(line_feature_matrix(lines, self.settings.feature_sets, self._line_columns))

    def _context_matrix(self, matrix: np.ndarray) -> np.ndarray:
        return context_matrix(matrix, self.settings.neighbours, self.settings.window, 0)

    @cached_property
    def _line_columns(self) -> int:
        return len(line_feature_names(tuple(self.settings.feature_sets)))

    @cached_property
    def _fitted_transformers(self) -> tuple[Any, Any]:
        # Stateless transformers: "fitting" only checks their settings, so it is done once per model.
        (_, lines), (_, context) = self.settings.transformers()
        lines.fit([])
        context.fit(np.zeros((1, len(lines.feature_names_))))
        return lines, context

    def _transformers(self) -> tuple[Any, Any]:
        """The fitted scikit-learn transformers of this model (for cross-checks; predicting does not use them)."""
        return self._fitted_transformers

    def predict_proba(self, lines: Sequence[Line]) -> np.ndarray:
        """Probability of each label (columns in ``self.labels`` order) for each line.

        The same numbers as ``softmax(self.features(lines) @ coef.T + intercept)`` (up to rounding in
        the last bits), computed without the context matrix: see :meth:`logits`.
        """
        if not lines:
            return np.zeros((0, len(self.labels)))
        return softmax(self.logits(self._line_matrix(lines)))

    def predict_proba_columns(
        self,
        texts: list[str],
        numbers: Sequence[int],
        markup: MarkupColumns | None = None,
        bounds: Sequence[int] | None = None,
    ) -> np.ndarray:
        """:meth:`predict_proba` of pages given as their non-blank lines' texts, line numbers and markup
        (None for plain text), the pages starting at ``bounds`` (``[0, ..., len(texts)]``; one page
        when None): the same numbers as for their Line objects, without them."""
        if not texts:
            return np.zeros((0, len(self.labels)))
        bounds = [0, len(texts)] if bounds is None else bounds
        matrix = columns_feature_matrix(texts, numbers, markup, bounds, self.settings.feature_sets, self._line_columns)
        return softmax(self.logits(_finite(matrix)))

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
                    np.cumsum(products[start:stop, slot + block], axis=0, out=cumulative[start + page + 1 : stop + page + 1])
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
        return len(context_columns(self._line_columns, 0))

    def keep_probability(self, probabilities: np.ndarray, keep: Sequence[str] | None = None) -> np.ndarray:
        wanted = dict.fromkeys(keep or self.keep)  # each label once, in order
        columns = [self.labels.index(label) for label in wanted if label in self.labels]
        return probabilities[:, columns].sum(axis=1)

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
        """Read a model file: JSON only, never code. Every problem is a :class:`ModelError`."""
        path = Path(path)
        try:
            size = path.stat().st_size
            if size > MAX_MODEL_BYTES:
                raise ModelError(f"{path}: {size} bytes is too large for a cleaner model")
            # Read at most the limit: a device or a pipe has no size to check beforehand.
            with path.open("rb") as handle:
                raw = handle.read(MAX_MODEL_BYTES + 1)
            if len(raw) > MAX_MODEL_BYTES:
                raise ModelError(f"{path}: more than {MAX_MODEL_BYTES} bytes is too large for a cleaner model")
            text = raw.decode("utf-8")
        except FileNotFoundError:
            raise ModelError(f"{path}: no such model file") from None
        except IsADirectoryError:
            raise ModelError(f"{path}: is a directory, not a model file") from None
        except (OSError, UnicodeDecodeError) as error:
            raise ModelError(f"{path}: cannot read model file: {error}") from error
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise ModelError(f"{path}: not a cleaner model (not JSON: {error.msg})") from None
        except RecursionError:
            raise ModelError(f"{path}: not a cleaner model (JSON nested too deeply)") from None
        return cls.from_dict(data, source=str(path))

    @classmethod
    def from_dict(cls, data: Any, *, source: str = "<model>") -> Model:
        """Validate and build a model from parsed JSON. Every problem is a :class:`ModelError`."""
        return _parse_model(data, source)


def _finite(matrix: np.ndarray) -> np.ndarray:
    if not np.isfinite(matrix).all():  # as the transformers' input validation
        raise ValueError("Input X contains NaN or infinity.")
    return matrix


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    np.exp(shifted, out=shifted)
    shifted /= shifted.sum(axis=1, keepdims=True)
    return shifted


def _strings(value: Any, what: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise TypeError(f"{what} must be a list of strings")
    return tuple(value)


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{what} must be a number")
    return float(value)


def _integer(value: Any, what: str) -> int:
    number = _number(value, what)
    if not number.is_integer():
        raise TypeError(f"{what} must be an integer")
    return int(number)


def _object(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError(f"{what} must be an object")
    return value


def _parse_model(data: Any, source: str) -> Model:
    def fail(message: str) -> ModelError:
        return ModelError(f"{source}: {message}")

    if not isinstance(data, dict) or data.get("format") != MODEL_FORMAT:
        raise fail("not a cleaner model (no 'format': 'cleaner-model')")
    version = data.get("schema_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
        raise fail(
            f"made by a newer cleaner (model schema version {version}; this cleaner reads version "
            f"{SCHEMA_VERSION}): upgrade cleaner, or retrain the model with this version (`cleaner train`)"
        )
    if version != SCHEMA_VERSION or isinstance(version, bool):
        raise fail(
            f"model schema version {version!r} is not supported by this cleaner (expects {SCHEMA_VERSION}); "
            "retrain it with `cleaner train` or use the matching cleaner version"
        )
    try:
        labels = _strings(data["labels"], "labels")
        keep = _strings(data["keep"], "keep")
        threshold = _number(data["threshold"], "threshold")
        smoothing = _number(data.get("smoothing", 0.0), "smoothing")
        features = _object(data["features"], "features")
        names_given = features.get("names")
        settings = FeatureSettings(
            feature_sets=_strings(features["feature_sets"], "feature_sets"),
            neighbours=_integer(features["neighbours"], "neighbours"),
            window=_integer(features["window"], "window"),
        )
        if names_given is not None:
            names_given = list(_strings(names_given, "feature names"))
        scaler = _object(data["scaler"], "scaler")
        classifier = _object(data["classifier"], "classifier")
        mean = np.asarray(scaler["mean"], dtype=float)
        scale = np.asarray(scaler["scale"], dtype=float)
        coef = np.asarray(classifier["coef"], dtype=float)
        intercept = np.asarray(classifier["intercept"], dtype=float)
        info = data.get("info", {})
    except (KeyError, TypeError, ValueError) as error:
        raise fail(f"malformed model file ({type(error).__name__}: {error})") from None
    unknown = [label for label in labels + keep if label not in LABELS]
    if unknown or len(set(labels)) != len(labels) or len(labels) < 2:
        raise fail(f"bad label set {list(labels)} (known labels: {', '.join(LABELS)})")
    if not keep or not set(keep) <= set(labels):
        raise fail(f"kept labels {list(keep)} must be a non-empty subset of the model's labels")
    unknown_sets = [name for name in settings.feature_sets if name not in FEATURE_SETS]
    if unknown_sets:
        raise fail(f"unknown feature sets {unknown_sets}: made by a newer cleaner?")
    if settings.neighbours < 0 or settings.window < 0 or settings.neighbours > 20 or settings.window > 100:
        raise fail("context settings out of range")
    names = settings.feature_names()
    if names_given is not None and names_given != names:
        raise fail("its feature names differ from this cleaner's: made by an incompatible version")
    n = len(names)
    if mean.shape != (n,) or scale.shape != (n,) or coef.shape != (len(labels), n) or intercept.shape != (len(labels),):
        raise fail(f"weight shapes do not match {len(labels)} labels x {n} features")
    arrays = (mean, scale, coef, intercept)
    if not all(np.isfinite(a).all() for a in arrays) or (scale < MIN_SCALE).any():
        raise fail(f"weights contain non-finite values, or non-positive scales (or below {MIN_SCALE:g})")
    if any(np.abs(a).max(initial=0.0) > MAX_ABS_VALUE for a in arrays):
        raise fail(f"weights or statistics beyond {MAX_ABS_VALUE:g}: not a trained cleaner model")
    if not (0.0 <= threshold <= 1.0 and 0.0 <= smoothing < 1.0) or math.isnan(threshold):
        raise fail("threshold must be in [0, 1] and smoothing in [0, 1)")
    if not isinstance(info, dict):
        raise fail("'info' must be an object")
    return Model(settings, labels, mean, scale, coef, intercept, threshold, smoothing, keep, info)
