"""Fitting the two passes of a model on labeled lines.

The first pass is a logistic regression over the scaled line features and their context. The second
pass (optional) is a logistic regression over what the first pass thought of each line and of the
region around it (:mod:`cleaner.features.stacking`); it must learn from first-pass outputs like those it
will see on new pages, so it is fitted on out-of-fold first-pass logits: each line's logits come from a
first pass that never saw its group (outlet, site or corpus).

Features are computed once for a data set (:class:`Prepared`); folds only refit. Fits use one BLAS
thread and a fixed ``random_state``: the same data gives the same weights.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from cleaner.errors import TrainingError
from cleaner.features import FeatureSettings, context_matrix, feature_matrix, line_feature_names
from cleaner.features.stacking import FIRST_PASS_INPUT, FIRST_PASS_LOGIT_CAP, stack_matrix, stack_names
from cleaner.model import Model, Narrowing, Scaling, SecondPass, sigmoid, softmax
from cleaner.model.regression import keep_probability
from cleaner.records import DEFAULT_KEEP, PageBatch

# A feature's scale is at least this: a rare yes/no feature (set on 1 line in 1,000 has a standard
# deviation of 0.03) would otherwise be blown up to a huge value where it is set, and decide alone.
SCALE_FLOOR = 0.25
# Scaled inputs are clipped to this (in standard deviations): no outlier drags a logit far.
CLIP = 4.0
# No single input moves a logit by more than this, whatever the line: in the first pass any label's
# logit (bounded_weights), in the second the keep-or-drop log-odds (fit_second; the first pass's own
# log-odds, every first-pass input at once, aside). A class word that fits captions well
# (`hint_caption`) would otherwise add some 10.5 to the `meta` logit alone: on a page whose whole
# article sits in an element of class "caption", that word would decide every line.
MAX_CONTRIBUTION = 8.0
# The page check's inputs are shares between 0 and 1, none of them rare yes/no values.
NARROWING_SCALE_FLOOR = 0.01
# Each page weighs in the page check's fit by how much narrowing moved its F1, up to this much: else a
# few pages that narrowing took from 0.9 to 0 (or back) decide the fit, and it swings with them. Held
# out by corpus, over bootstrap resamples of the training pages (offline, from held-out decisions):
# the check's gain +0.0121 +- 0.0018 uncapped, +0.0133 +- 0.0004 capped at 0.3.
NARROWING_WEIGHT_CAP = 0.3
# L-BFGS iterations: the scaled, clipped inputs are well conditioned; a fit that needs more is reported.
MAX_ITER = 2000
# L-BFGS stops when no gradient component exceeds this: looser than scikit-learn's 1e-4, which spends
# most of its iterations on weight changes that move no decision.
TOL = 1e-3
# A label that a fold's training lines lack gets this logit: it is never predicted there.
ABSENT_LOGIT = -30.0


@dataclass(frozen=True, eq=False)
class Prepared:
    """Labeled pages prepared for fitting: their lines' features (computed once), labels, weights and
    groups."""

    batch: PageBatch
    matrix: np.ndarray
    """The line feature matrix (page column first)."""
    y: np.ndarray
    weights: np.ndarray
    groups: np.ndarray

    @classmethod
    def of(
        cls,
        batch: PageBatch,
        labels: Sequence[str],
        weights: np.ndarray,
        groups: Sequence[str],
        settings: FeatureSettings,
    ) -> Prepared:
        width = len(line_feature_names(tuple(settings.feature_sets)))
        matrix = feature_matrix(batch, settings.feature_sets, width)
        return cls(
            batch,
            matrix,
            np.asarray(labels),
            np.asarray(weights, dtype=float),
            np.asarray(groups),
        )


def fit_scaling(values: np.ndarray, floor: float = SCALE_FLOOR) -> Scaling:
    """Means and standard deviations (at least ``floor``) of ``values``' columns; inputs are clipped
    to :data:`CLIP`."""
    if not len(values):
        raise TrainingError("no lines to fit on")
    return Scaling(values.mean(axis=0), np.maximum(values.std(axis=0), floor), CLIP)


def fit_logistic(
    X: np.ndarray,
    y: np.ndarray,
    weights: np.ndarray,
    C: float,
    labels: Sequence[str],
) -> tuple[np.ndarray, np.ndarray]:
    """A multinomial logistic regression's weights and intercepts, one row per label of ``labels`` (a
    label absent from ``y`` is never predicted). Every fit starts from zero weights: a held-out fold
    started from a model that saw its lines would carry them into the figures measured on it."""
    present = [label for label in labels if label in set(y.tolist())]
    coef = np.zeros((len(labels), X.shape[1]))
    intercept = np.full(len(labels), ABSENT_LOGIT)
    if len(present) == 1:  # nothing to learn: the one label seen is all a model of these lines could say
        intercept[list(labels).index(present[0])] = 0.0
        return coef, intercept
    classifier = LogisticRegression(C=C, tol=TOL, max_iter=MAX_ITER, random_state=0)
    # One BLAS thread: several threads on a small machine oversubscribe it, and a fixed thread count
    # keeps the floating-point sums, hence the weights, identical between runs.
    with threadpool_limits(limits=1), warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        try:
            # Weights normalised to mean 1 keep C's meaning independent of how lines are weighted.
            classifier.fit(X, y, sample_weight=weights / weights.mean())
        except ConvergenceWarning as warning:
            raise TrainingError(f"the fit did not converge in {MAX_ITER} iterations: {warning}") from None
    found_coef, found_intercept = classifier.coef_, classifier.intercept_
    if len(classifier.classes_) == 2:
        # Binary logistic regression keeps one weight vector; store the equivalent softmax pair.
        found_coef = np.vstack((-found_coef / 2, found_coef / 2))
        found_intercept = np.array([-found_intercept[0] / 2, found_intercept[0] / 2])
    for row, label in enumerate(classifier.classes_):
        index = list(labels).index(str(label))
        coef[index], intercept[index] = found_coef[row], found_intercept[row]
    return np.ascontiguousarray(coef), intercept


def fit_first(
    data: Prepared,
    rows: np.ndarray,
    settings: FeatureSettings,
    labels: Sequence[str],
    C: float,
) -> Model:
    """The first pass, fitted on the lines ``rows`` (boolean) of ``data``."""
    return fit_first_arrays(data.matrix, data.y, data.weights, rows, settings, labels, C)


def fit_first_arrays(
    matrix: np.ndarray,
    y: np.ndarray,
    weights: np.ndarray,
    rows: np.ndarray,
    settings: FeatureSettings,
    labels: Sequence[str],
    C: float,
) -> Model:
    """:func:`fit_first` from the arrays it reads (cheap to send to another process)."""
    scaling = fit_scaling(matrix[rows, 1:])
    scaled = np.column_stack((matrix[:, :1], scaling.apply(matrix[:, 1:])))
    # Single precision halves the fit's time; the weights are kept in double precision.
    X = context_matrix(scaled, settings.neighbours, settings.window, 0, rows=np.flatnonzero(rows)).astype(np.float32)
    coef, intercept = fit_logistic(X, y[rows], weights[rows].astype(np.float32), C, labels)
    coef = bounded_weights(coef.astype(float), scaling.clip)
    return Model(settings, tuple(labels), scaling, coef, intercept.astype(float))


def bounded_weights(coef: np.ndarray, clip: float, bound: float = MAX_CONTRIBUTION) -> np.ndarray:
    """A multinomial model's weights (one row per label) with each input's largest contribution to a
    label's logit at most ``bound``, for inputs within ``±clip``: an input over the bound has its
    weights, measured from their mean over the labels (softmax ignores a shift shared by all labels),
    scaled down to meet it. The other inputs' weights are returned as they are.

    The fit is not redone: a bound is reached by a rare yes/no input that the fit trusts (a class word
    seen almost only on captions), and the lines it is set on are too few for the other weights to
    move much. A fit under box constraints would do the same more exactly, and scikit-learn has none.
    """
    mean = coef.mean(axis=0)
    largest = np.abs(coef - mean).max(axis=0) * clip
    over = largest > bound
    if not over.any():
        return coef
    out = coef.copy()
    out[:, over] = mean[over] + (coef[:, over] - mean[over]) * (bound / largest[over])
    return out


def out_of_fold_probabilities(
    data: Prepared,
    folds: Iterable[tuple[np.ndarray, np.ndarray]],
    settings: FeatureSettings,
    labels: Sequence[str],
    C: float,
) -> tuple[np.ndarray, list[Model]]:
    """Each line's first-pass label probabilities from a first pass fitted without its fold, for folds
    given as (train, test) boolean masks; and the folds' first passes."""
    probabilities = np.zeros((len(data.y), len(labels)))
    models = []
    for train, test in folds:
        model = fit_first(data, train, settings, labels, C)
        probabilities[test] = softmax(model.logits(data.matrix))[test]
        models.append(model)
    return probabilities, models


def fit_second(
    first: Model, first_probabilities: np.ndarray, data: Prepared, rows: np.ndarray, C: float, keep: Sequence[str]
) -> SecondPass:
    """The second pass over ``first_probabilities`` (out of fold), fitted on the lines ``rows`` of
    ``data``: keeping (a label of ``keep``) against dropping."""
    keep_of = keep_probability(first_probabilities, first.labels, keep)
    cap = FIRST_PASS_LOGIT_CAP if first.settings.uses_markup else None
    stacked = stack_matrix(keep_of, data.batch, first.settings.uses_markup, cap)
    scaling = fit_scaling(stacked[rows])
    truth = np.where(np.isin(data.y[rows], list(keep)), "keep", "drop")
    pair, intercepts = fit_logistic(scaling.apply(stacked[rows]), truth, data.weights[rows], C, ("drop", "keep"))
    # The softmax pair of a binary regression is one weight vector: the difference of the two rows.
    weights = pair[1] - pair[0]
    # Bounded as the first pass's inputs are (on its one log-odds, a weight at a time), but for the first
    # pass's own log-odds: that is every first-pass input at once, not a single feature.
    single = np.arange(len(weights)) != stack_names(first.settings.uses_markup).index(FIRST_PASS_INPUT)
    limit = MAX_CONTRIBUTION / scaling.clip
    weights[single] = np.clip(weights[single], -limit, limit)
    return SecondPass(scaling, weights, float(intercepts[1] - intercepts[0]), cap)


def fit_narrowing(inputs: np.ndarray, gain: np.ndarray, C: float) -> Narrowing | None:
    """The page check, from pages' :data:`~cleaner.model.narrowing.NARROWING_INPUTS` and the ``gain`` in page F1
    that narrowing brought each one (measured on held-out decisions): whether to narrow, each page
    weighted by how much the choice matters to it (up to :data:`NARROWING_WEIGHT_CAP`). None when too
    few pages moved, or all one way."""
    moved = gain != 0
    if moved.sum() < 2 or len(set((gain[moved] > 0).tolist())) < 2:
        return None
    scaling = fit_scaling(inputs[moved], NARROWING_SCALE_FLOOR)
    truth = np.where(gain[moved] > 0, "narrow", "keep")
    weights = np.minimum(np.abs(gain[moved]), NARROWING_WEIGHT_CAP)
    pair, intercepts = fit_logistic(scaling.apply(inputs[moved]), truth, weights, C, ("keep", "narrow"))
    return Narrowing(scaling, pair[1] - pair[0], float(intercepts[1] - intercepts[0]))


def with_second(first: Model, second: SecondPass | None, keep: Sequence[str] | None = None) -> Model:
    """The first pass ``first`` with the second pass ``second``, keeping the labels ``keep`` (None:
    ``first``'s): the labels whose probability the second pass's inputs sum and its output sets."""
    return Model(
        first.settings, first.labels, first.scaling, first.coef, first.intercept, second,
        keep=first.keep if keep is None else tuple(keep),
    )  # fmt: skip


def predict_with(model: Model, data: Prepared, first_probabilities: np.ndarray | None = None) -> np.ndarray:
    """Label probabilities of every line of ``data``; ``first_probabilities`` replaces the model's own
    first pass (out-of-fold probabilities, for the second pass's held-out figures)."""
    first = softmax(model.logits(data.matrix)) if first_probabilities is None else first_probabilities
    if model.second is None:
        return first
    return model.rescaled(first, sigmoid(model.second_logit(first, data.batch)))


__all__ = [
    "CLIP",
    "DEFAULT_KEEP",
    "MAX_CONTRIBUTION",
    "MAX_ITER",
    "NARROWING_WEIGHT_CAP",
    "SCALE_FLOOR",
    "Prepared",
    "bounded_weights",
    "fit_first",
    "fit_first_arrays",
    "fit_logistic",
    "fit_narrowing",
    "fit_scaling",
    "fit_second",
    "out_of_fold_probabilities",
    "predict_with",
    "with_second",
]
