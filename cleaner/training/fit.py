"""Fitting line classifiers on labeled pages, with cross-validation split by outlet.

Features are stateless, so a data set's feature matrix is computed once and shared by the
cross-validation folds and the final fit. Cross-validation always splits by outlet (or site): the
figures say how the model does on an outlet it never saw, and the threshold and smoothing are chosen
on those held-out predictions.
"""

from __future__ import annotations

import datetime as _dt
import platform
from collections.abc import Sequence
from importlib import metadata
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, LeaveOneGroupOut
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from cleaner.decide import keep_probability, smooth_pages
from cleaner.errors import TrainingError
from cleaner.features import FeatureSettings
from cleaner.model import Model
from cleaner.records import DEFAULT_KEEP, LABELS
from cleaner.training.dataset import Dataset, featurize, line_chars, line_weights, page_bounds
from cleaner.training.metrics import keep_scores, label_report

# Up to this many outlets, cross-validation leaves one outlet out at a time; beyond, group k-fold.
MAX_LEAVE_ONE_OUT_GROUPS = 10
CV_FOLDS = 5
# L-BFGS iterations: enough for the corpus-scale fits to settle (the held-out figures stop moving).
MAX_ITER = 500
THRESHOLD_GRID = np.round(np.arange(0.05, 0.951, 0.025), 3)
SMOOTHING_GRID = (0.0, 0.1, 0.2, 0.3)


def fit_lines(X: np.ndarray, y: np.ndarray, weights: np.ndarray, C: float) -> tuple[StandardScaler, LogisticRegression]:
    scaler = StandardScaler().fit(X)
    classifier = LogisticRegression(C=C, max_iter=MAX_ITER, random_state=0)
    # One BLAS thread: several threads on a small machine oversubscribe it (4x slower here), and a
    # fixed thread count keeps the floating-point sums, hence the weights, identical between runs.
    with threadpool_limits(limits=1):
        # Weights normalised to mean 1 keep C's meaning independent of how lines are weighted.
        classifier.fit(scaler.transform(X), y, sample_weight=weights / weights.mean())
    return scaler, classifier


def _splitter(groups: np.ndarray):
    n_groups = len(np.unique(groups))
    if n_groups < 2:
        raise TrainingError("cross-validation needs pages of at least two outlets")
    if n_groups <= MAX_LEAVE_ONE_OUT_GROUPS:
        return LeaveOneGroupOut()
    return GroupKFold(n_splits=min(CV_FOLDS, n_groups))


def out_of_fold_probabilities(
    X: np.ndarray, y: np.ndarray, groups: np.ndarray, weights: np.ndarray, labels: Sequence[str], C: float
) -> np.ndarray:
    """Each line's label probabilities from a model that never saw its outlet."""
    result = np.zeros((len(y), len(labels)))
    for train, test in _splitter(groups).split(X, y, groups):
        seen = np.unique(y[train])
        if len(seen) < 2:
            # The other outlets carry a single label: that label is all a model of them could say.
            result[test, labels.index(seen[0])] = 1.0
            continue
        scaler, classifier = fit_lines(X[train], y[train], weights[train], C)
        probabilities = classifier.predict_proba(scaler.transform(X[test]))
        for column, label in enumerate(classifier.classes_):
            result[test, labels.index(label)] = probabilities[:, column]
    return result


def choose_decision(
    keep: np.ndarray, truth: np.ndarray, bounds: Sequence[int], chars: np.ndarray
) -> tuple[float, float, dict[str, float]]:
    """The smoothing and threshold that maximise character-weighted F1 of kept text."""
    best = (-1.0, 0.5, 0.0, {})
    for weight in SMOOTHING_GRID:
        smoothed = smooth_pages(keep, bounds, weight)
        for threshold in THRESHOLD_GRID:
            scores = keep_scores(smoothed >= threshold, truth, chars)
            # Ties go to the lower threshold and less smoothing: recall is the cheaper error to fix.
            if scores["f1"] > best[0] + 1e-9:
                best = (scores["f1"], float(threshold), weight, scores)
    return best[1], best[2], best[3]


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for package in ("cleaner", "scikit-learn", "numpy", "lxml"):
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = "unknown"
    return found


def train(
    data: Dataset,
    settings: FeatureSettings,
    *,
    C: float = 1.0,
    keep: Sequence[str] = DEFAULT_KEEP,
    cross_validate: bool = True,
    description: str = "",
    trained_at: str | None = None,
) -> Model:
    """Fit a model on ``data``; with ``cross_validate``, pick its threshold on held-out outlets.

    The model's ``info`` records what it was trained on, when, with which versions, and its
    cross-validated figures (per label, and for the keep decision on text of unseen outlets).
    """
    labels = _labels_of(data)
    X = featurize(data, settings)
    info: dict[str, Any] = {
        "description": description,
        "trained_at": trained_at or _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "versions": versions(),
        "training_data": {
            "pages": len(data.sources),
            "lines": len(data.lines),
            "groups": len(set(data.groups)),
            "label_counts": data.label_counts(),
            "digest": data.digest(),
            "sources": sorted(set(data.sources)) if len(data.sources) <= 50 else f"{len(data.sources)} pages",
        },
        "hyperparameters": {"C": C, "neighbours": settings.neighbours, "window": settings.window},
    }
    threshold, smoothing = 0.5, 0.0
    if cross_validate and len(set(data.groups)) >= 2:
        threshold, smoothing, info["cross_validation"] = _cross_validation(data, X, labels, keep, C)
    scaler, classifier = fit_lines(X, np.array(data.labels), line_weights(data), C)
    return Model.from_estimators(
        settings, scaler, classifier, threshold=threshold, smoothing=smoothing, keep=tuple(keep), info=info
    )


def _labels_of(data: Dataset) -> list[str]:
    """The labels present in ``data``, in :data:`LABELS` order; at least two, or there is nothing to learn."""
    if not data.lines:
        raise TrainingError("no labeled lines to train on")
    labels = [label for label in LABELS if label in set(data.labels)]
    if len(labels) < 2:
        raise TrainingError(f"training needs at least two labels, found only {labels}")
    return labels


def _cross_validation(
    data: Dataset, X: np.ndarray, labels: list[str], keep: Sequence[str], C: float
) -> tuple[float, float, dict[str, Any]]:
    """Threshold, smoothing and figures chosen on out-of-fold predictions, split by outlet."""
    y = np.array(data.labels)
    bounds = page_bounds(data)
    truth = np.isin(y, list(keep))
    oof = out_of_fold_probabilities(X, y, np.array(data.groups), line_weights(data), labels, C)
    keep_of = keep_probability(oof, labels, keep)
    threshold, smoothing, keep_figures = choose_decision(keep_of, truth, bounds, line_chars(data))
    predicted = [labels[i] for i in oof.argmax(axis=1)]
    kept = smooth_pages(keep_of, bounds, smoothing) >= threshold
    figures = {
        "split": "leave one outlet out"
        if len(set(data.groups)) <= MAX_LEAVE_ONE_OUT_GROUPS
        else f"{CV_FOLDS}-fold by outlet",
        "keep_chars": keep_figures,
        "keep_lines": keep_scores(kept, truth, np.ones(len(y))),
        "labels": label_report(y, predicted, labels),
    }
    return threshold, smoothing, figures


def cross_validate(
    data: Dataset, settings: FeatureSettings, *, C: float = 1.0, keep: Sequence[str] = DEFAULT_KEEP
) -> dict[str, Any]:
    """Leave-one-outlet-out figures (as :func:`train` records them), without fitting a final model."""
    labels = _labels_of(data)
    if len(set(data.groups)) < 2:
        raise TrainingError("cross-validation needs pages of at least two outlets")
    return _cross_validation(data, featurize(data, settings), labels, keep, C)[2]
