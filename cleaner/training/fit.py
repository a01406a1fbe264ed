"""Training a model on labeled pages: both passes, and a threshold chosen on pages of held-out outlets.

Cross-validation always splits by outlet (or site): the figures say how the model does on an outlet
it never saw, and the threshold and smoothing are chosen on those held-out predictions.
"""

from __future__ import annotations

import datetime as _dt
import math
import platform
from collections.abc import Callable, Sequence
from dataclasses import replace
from importlib import metadata
from typing import Any

import numpy as np
from sklearn.model_selection import GroupKFold, LeaveOneGroupOut

from cleaner.decide.threshold import smooth_pages
from cleaner.errors import TrainingError
from cleaner.features import FeatureSettings
from cleaner.model import Model
from cleaner.model.regression import keep_probability
from cleaner.records import DEFAULT_KEEP, LABELS
from cleaner.training.dataset import Dataset, line_chars, line_weights, page_bounds
from cleaner.training.metrics import keep_scores, label_report
from cleaner.training.passes import (
    Prepared,
    fit_first,
    fit_second,
    out_of_fold_probabilities,
    predict_with,
    with_second,
)

# Up to this many outlets, cross-validation leaves one outlet out at a time; beyond, group k-fold.
MAX_LEAVE_ONE_OUT_GROUPS = 10
CV_FOLDS = 5
# A second pass is learnt from pages of at least this many outlets (see second_pass_possible).
MIN_SECOND_PASS_GROUPS = 5
THRESHOLD_GRID = np.round(np.arange(0.05, 0.951, 0.025), 3)
SMOOTHING_GRID = (0.0, 0.1, 0.2, 0.3)

Folds = list[tuple[np.ndarray, np.ndarray]]


def group_folds(groups: np.ndarray) -> Folds:
    """(train, test) boolean masks splitting by group: one group out at a time, or group k-fold."""
    n_groups = len(np.unique(groups))
    if n_groups < 2:
        raise TrainingError("cross-validation needs pages of at least two outlets")
    many = n_groups > MAX_LEAVE_ONE_OUT_GROUPS
    splitter = GroupKFold(n_splits=min(CV_FOLDS, n_groups)) if many else LeaveOneGroupOut()
    out = []
    for train, test in splitter.split(groups, groups, groups):
        masks = np.zeros((2, len(groups)), dtype=bool)
        masks[0, train], masks[1, test] = True, True
        out.append((masks[0], masks[1]))
    return out


def choose_decision(
    keep: np.ndarray, truth: np.ndarray, bounds: Sequence[int], chars: np.ndarray
) -> tuple[float, float, dict[str, float]]:
    """The smoothing and threshold that maximise character-weighted F1 of kept text (see :func:`choose_threshold`)."""
    return choose_threshold(keep, bounds, lambda kept: keep_scores(kept, truth, chars))


# The F1 of the kept text against the threshold is flat near its best: the bare maximum of the build's
# held-out curve moved from 0.6 to 0.8 for one corpus when three training pages of another changed.
# The threshold chosen is the best of the curve averaged over this many grid steps on either side.
THRESHOLD_SPREAD = 2


def choose_threshold(
    keep: np.ndarray,
    bounds: Sequence[int],
    score: Callable[[np.ndarray], dict[str, float]],
    smoothings: Sequence[float] = SMOOTHING_GRID,
) -> tuple[float, float, dict[str, float]]:
    """The smoothing (of ``smoothings``) and threshold (of :data:`THRESHOLD_GRID`) with the best F1,
    ``score(kept)["f1"]``, averaged over :data:`THRESHOLD_SPREAD` neighbouring thresholds on either
    side; with the scores at that threshold."""
    best: tuple[float, float, float, dict[str, float]] = (-1.0, 0.5, 0.0, {})
    for weight in smoothings:
        smoothed = smooth_pages(keep, bounds, weight)
        scores = [score(smoothed >= threshold) for threshold in THRESHOLD_GRID]
        f1 = np.array([found["f1"] for found in scores])
        for index, threshold in enumerate(THRESHOLD_GRID):
            level = float(f1[max(index - THRESHOLD_SPREAD, 0) : index + THRESHOLD_SPREAD + 1].mean())
            # Ties go to the lower threshold and less smoothing: recall is the cheaper error to fix.
            if level > best[0] + 1e-9:
                best = (level, float(threshold), weight, scores[index])
    return best[1], best[2], best[3]


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for package in ("cleaner", "scikit-learn", "numpy", "lxml"):
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = "unknown"
    return found


# The model records the names of the pages it was trained on (up to 50), each cut to this length: a
# page's name comes from its "# source:" line, which may be anything.
MAX_SOURCE_CHARS = 300


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
    """Fit a model on ``data``: the first pass, and (with pages of two outlets or more) the second pass
    over out-of-fold first-pass logits; with ``cross_validate``, pick the threshold and smoothing on
    held-out outlets.

    The model's ``info`` records what it was trained on, when, with which versions, and its
    cross-validated figures (per label, and for the keep decision on text of unseen outlets). Of
    ``keep``, the labels the pages use are kept (a model keeps labels it knows); raises
    :class:`TrainingError` when they use none of them, or for a ``C`` that is not a positive number.
    """
    _check_regularisation(C)
    labels = _labels_of(data)
    keep = kept_labels(data, keep)
    prepared = Prepared.of(data.batch(), data.labels, line_weights(data), data.groups, settings)
    everything = np.ones(len(data.lines), dtype=bool)
    first = fit_first(prepared, everything, settings, labels, C)
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
            "sources": (
                sorted({source[:MAX_SOURCE_CHARS] for source in data.sources})
                if len(data.sources) <= 50
                else f"{len(data.sources)} pages"
            ),
        },
        "hyperparameters": {"C": C, "neighbours": settings.neighbours, "window": settings.window},
    }
    if len(set(data.groups)) < 2:  # a single outlet: no held-out outlet to learn a second pass or a threshold on
        return replace(first, keep=tuple(keep), info=info)
    folds = group_folds(prepared.groups)
    oof_first, _ = out_of_fold_probabilities(prepared, folds, settings, labels, C)
    stacked = second_pass_possible(prepared, folds, keep)
    model = with_second(first, fit_second(first, oof_first, prepared, everything, C, keep) if stacked else None, keep)
    threshold, smoothing = 0.5, 0.0
    if cross_validate:
        threshold, smoothing, info["cross_validation"] = _cross_validation(
            data, prepared, first, oof_first, folds, labels, keep, C, stacked
        )
    return replace(model, threshold=threshold, smoothing=smoothing, keep=tuple(keep), info=info)


def _check_regularisation(C: object) -> None:
    if isinstance(C, bool) or not isinstance(C, (int, float)) or not (math.isfinite(C) and C > 0):
        raise TrainingError(f"C must be a positive number, not {C!r}")


def second_pass_possible(prepared: Prepared, folds: Folds, keep: Sequence[str]) -> bool:
    """Whether the out-of-fold first passes can teach a second pass: with pages of
    :data:`MIN_SECOND_PASS_GROUPS` outlets or more, every fold learning from lines both kept and
    dropped. (Trained on too few outlets, a fold may see no noise at all, keep every line of the
    outlet held out, and teach the second pass that noise is what a first pass keeps.)"""
    if len(np.unique(prepared.groups)) < MIN_SECOND_PASS_GROUPS:
        return False
    truth = np.isin(prepared.y, list(keep))
    return all(truth[train].any() and (~truth[train]).any() for train, _ in folds)


def kept_labels(data: Dataset, keep: Sequence[str] = DEFAULT_KEEP) -> list[str]:
    """Those of ``keep`` that the labeled pages use (a model keeps labels it knows); raises
    :class:`TrainingError` when they use none of them."""
    present = set(data.labels)
    used = [label for label in keep if label in present]
    if not used:
        raise TrainingError(f"no line of the labeled pages is labeled {' or '.join(keep)}: there is nothing to keep")
    return used


def _labels_of(data: Dataset) -> list[str]:
    """The labels present in ``data``, in :data:`LABELS` order; at least two, or there is nothing to learn."""
    if not data.lines:
        raise TrainingError("no labeled lines to train on")
    labels = [label for label in LABELS if label in set(data.labels)]
    if len(labels) < 2:
        raise TrainingError(f"training needs at least two labels, found only {labels}")
    return labels


def held_out_probabilities(
    prepared: Prepared, first: Model, oof_first: np.ndarray, folds: Folds, keep: Sequence[str], C: float
) -> np.ndarray:
    """Each line's label probabilities from the whole model as it would be without the line's fold:
    its out-of-fold first-pass probabilities, through a second pass fitted without the fold."""
    out = np.zeros((len(prepared.y), len(first.labels)))
    for train, test in folds:
        fold = with_second(first, fit_second(first, oof_first, prepared, train, C, keep), keep)
        out[test] = predict_with(fold, prepared, oof_first)[test]
    return out


def _cross_validation(
    data: Dataset,
    prepared: Prepared,
    first: Model,
    oof_first: np.ndarray,
    folds: Folds,
    labels: list[str],
    keep: Sequence[str],
    C: float,
    stacked: bool,
) -> tuple[float, float, dict[str, Any]]:
    """Threshold, smoothing and figures chosen on held-out predictions, split by outlet."""
    y = prepared.y
    bounds = page_bounds(data)
    truth = np.isin(y, list(keep))
    probabilities = held_out_probabilities(prepared, first, oof_first, folds, keep, C) if stacked else oof_first
    keep_of = keep_probability(probabilities, labels, keep)
    threshold, smoothing, keep_figures = choose_decision(keep_of, truth, bounds, line_chars(data))
    predicted = [labels[i] for i in probabilities.argmax(axis=1)]
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
    _check_regularisation(C)
    labels = _labels_of(data)
    keep = kept_labels(data, keep)
    prepared = Prepared.of(data.batch(), data.labels, line_weights(data), data.groups, settings)
    folds = group_folds(prepared.groups)
    first = fit_first(prepared, np.ones(len(data.lines), dtype=bool), settings, labels, C)
    oof_first, _ = out_of_fold_probabilities(prepared, folds, settings, labels, C)
    stacked = second_pass_possible(prepared, folds, keep)
    return _cross_validation(data, prepared, first, oof_first, folds, labels, keep, C, stacked)[2]
