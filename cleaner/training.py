"""Training and evaluating line classifiers on labeled pages.

Features are stateless, so a data set's feature matrix is computed once and shared by the
cross-validation folds and the final fit. Cross-validation always splits by outlet (or site):
the figures say how the model does on an outlet it never saw.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import platform
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, LeaveOneGroupOut
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from cleaner.core import smooth
from cleaner.errors import TrainingError
from cleaner.features import ContextFeatures, LineFeatures
from cleaner.labels import LabeledPage
from cleaner.lines import DEFAULT_KEEP, LABELS, Line
from cleaner.model import FeatureSettings, Model

# Up to this many outlets, cross-validation leaves one outlet out at a time; beyond, group k-fold.
MAX_LEAVE_ONE_OUT_GROUPS = 10
CV_FOLDS = 5
# L-BFGS iterations: enough for the corpus-scale fits to settle (the held-out figures stop moving).
MAX_ITER = 500
THRESHOLD_GRID = np.round(np.arange(0.05, 0.951, 0.025), 3)
SMOOTHING_GRID = (0.0, 0.1, 0.2, 0.3)


@dataclass
class Dataset:
    """Labeled lines of many pages: non-blank lines only, each page with its own page id."""

    lines: list[Line] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    """The outlet (or site) of each line's page: the unit of train/test splits."""
    sources: list[str] = field(default_factory=list)
    """One name per page, in page-id order."""
    emphasis: list[float] = field(default_factory=list)
    """A weight multiplier per line (1 unless a source deserves more say, like hand-labeled pages)."""

    def add_page(
        self, lines: Sequence[Line], labels: Sequence[str], group: str, source: str, emphasis: float = 1.0
    ) -> None:
        page = len(self.sources)
        self.sources.append(source)
        for line, label in zip(lines, labels):
            if label == "-" or not line.text.strip():
                continue
            self.lines.append(Line(line.number, line.text, line.markup, page))
            self.labels.append(label)
            self.groups.append(group)
            self.emphasis.append(emphasis)

    def extend(self, other: Dataset, emphasis: float = 1.0) -> None:
        """Append ``other``'s pages, multiplying their line weights by ``emphasis``."""
        combined = list(self.emphasis_array()) + list(other.emphasis_array() * emphasis)
        offset = len(self.sources)
        self.sources += other.sources
        self.lines += [Line(ln.number, ln.text, ln.markup, ln.page + offset) for ln in other.lines]
        self.labels += other.labels
        self.groups += other.groups
        self.emphasis = combined

    def emphasis_array(self) -> np.ndarray:
        """Per-line weight multipliers (all 1 for a data set built without any)."""
        if not self.emphasis:
            return np.ones(len(self.lines))
        if len(self.emphasis) != len(self.lines):
            raise TrainingError("a data set needs one emphasis per line, or none")
        return np.asarray(self.emphasis, dtype=float)

    def label_counts(self) -> dict[str, int]:
        counts = Counter(self.labels)
        return {label: counts[label] for label in LABELS if counts[label]}

    def digest(self) -> str:
        """A fingerprint of the lines and labels, recorded in the model to say what it was trained on."""
        hasher = hashlib.sha256()
        for line, label, group in zip(self.lines, self.labels, self.groups):
            hasher.update(f"{line.page}\t{group}\t{label}\t{line.text}\n".encode("utf-8", "surrogatepass"))
        return hasher.hexdigest()


def dataset_from_labeled(pages: Iterable[LabeledPage]) -> Dataset:
    data = Dataset()
    for page in pages:
        lines = [Line(number, text) for number, text in enumerate(page.lines, start=1)]
        data.add_page(lines, page.labels, page.outlet, page.source)
    return data


def featurize(data: Dataset, settings: FeatureSettings) -> np.ndarray:
    """The unscaled feature matrix of a data set (stateless, so computed once per data set)."""
    lines = LineFeatures(feature_sets=settings.feature_sets).fit(data.lines)
    context = ContextFeatures(neighbours=settings.neighbours, window=settings.window, page_column=0)
    matrix = lines.transform(data.lines)
    return context.fit(matrix).transform(matrix)


def line_chars(data: Dataset) -> np.ndarray:
    return np.fromiter((max(len(line.text.strip()), 1) for line in data.lines), dtype=float, count=len(data.lines))


def line_weights(data: Dataset) -> np.ndarray:
    """Weight lines by how much text they carry (the quality metric counts words, not lines),
    times each line's emphasis."""
    return np.sqrt(line_chars(data)) * data.emphasis_array()


def _fit(X: np.ndarray, y: np.ndarray, weights: np.ndarray, C: float) -> tuple[StandardScaler, LogisticRegression]:
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
        scaler, classifier = _fit(X[train], y[train], weights[train], C)
        probabilities = classifier.predict_proba(scaler.transform(X[test]))
        for column, label in enumerate(classifier.classes_):
            result[test, labels.index(label)] = probabilities[:, column]
    return result


def keep_scores(kept: np.ndarray, truth: np.ndarray, weights: np.ndarray) -> dict[str, float]:
    """Precision, recall and F1 of the keep decision, weighting each line by ``weights``."""
    tp = float(weights[kept & truth].sum())
    fp = float(weights[kept & ~truth].sum())
    fn = float(weights[~kept & truth].sum())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def _smoothed(keep: np.ndarray, pages: np.ndarray, weight: float) -> np.ndarray:
    if weight <= 0:
        return keep
    out = np.empty_like(keep)
    bounds = np.concatenate(([0], np.flatnonzero(pages[1:] != pages[:-1]) + 1, [len(pages)]))
    for start, end in zip(bounds[:-1], bounds[1:]):
        out[start:end] = smooth(keep[start:end], weight)
    return out


def choose_decision(
    keep: np.ndarray, truth: np.ndarray, pages: np.ndarray, chars: np.ndarray
) -> tuple[float, float, dict[str, float]]:
    """The smoothing and threshold that maximise character-weighted F1 of kept text."""
    best = (-1.0, 0.5, 0.0, {})
    for weight in SMOOTHING_GRID:
        smoothed = _smoothed(keep, pages, weight)
        for threshold in THRESHOLD_GRID:
            scores = keep_scores(smoothed >= threshold, truth, chars)
            # Ties go to the lower threshold and less smoothing: recall is the cheaper error to fix.
            if scores["f1"] > best[0] + 1e-9:
                best = (scores["f1"], float(threshold), weight, scores)
    return best[1], best[2], best[3]


def label_report(truth: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> dict[str, Any]:
    """Per-label precision, recall, F1 and support, and the confusion matrix (rows: truth)."""
    index = {label: i for i, label in enumerate(labels)}
    matrix = np.zeros((len(labels), len(labels)), dtype=int)
    for t, p in zip(truth, predicted):
        matrix[index[t], index[p]] += 1
    per_label = {}
    for label, i in index.items():
        tp = matrix[i, i]
        precision = tp / matrix[:, i].sum() if matrix[:, i].sum() else 0.0
        recall = tp / matrix[i, :].sum() if matrix[i, :].sum() else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_label[label] = {
            "precision": round(float(precision), 4),
            "recall": round(float(recall), 4),
            "f1": round(float(f1), 4),
            "support": int(matrix[i, :].sum()),
        }
    return {"labels": list(labels), "per_label": per_label, "confusion": matrix.tolist()}


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
    scaler, classifier = _fit(X, np.array(data.labels), line_weights(data), C)
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
    pages = np.fromiter((line.page for line in data.lines), dtype=np.int64, count=len(data.lines))
    truth = np.isin(y, list(keep))
    oof = out_of_fold_probabilities(X, y, np.array(data.groups), line_weights(data), labels, C)
    keep_columns = [labels.index(label) for label in keep if label in labels]
    keep_probability = oof[:, keep_columns].sum(axis=1)
    threshold, smoothing, keep_figures = choose_decision(keep_probability, truth, pages, line_chars(data))
    predicted = [labels[i] for i in oof.argmax(axis=1)]
    kept = _smoothed(keep_probability, pages, smoothing) >= threshold
    figures = {
        "split": "leave one outlet out" if len(set(data.groups)) <= MAX_LEAVE_ONE_OUT_GROUPS else f"{CV_FOLDS}-fold by outlet",
        "keep_chars": keep_figures,
        "keep_lines": keep_scores(kept, truth, np.ones(len(y))),
        "labels": label_report(y, predicted, labels),
    }
    return threshold, smoothing, figures


@dataclass(frozen=True)
class Evaluation:
    keep_chars: dict[str, float]
    keep_lines: dict[str, float]
    labels: dict[str, Any]


def evaluate(model: Model, data: Dataset) -> Evaluation:
    """How ``model`` labels ``data`` (which it should not have been trained on)."""
    if not data.lines:
        raise TrainingError("no labeled lines to evaluate on")
    probabilities = model.predict_proba(data.lines)
    pages = np.fromiter((line.page for line in data.lines), dtype=np.int64, count=len(data.lines))
    keep = _smoothed(model.keep_probability(probabilities), pages, model.smoothing)
    y = np.array(data.labels)
    truth = np.isin(y, list(model.keep))
    kept = keep >= model.threshold
    chars = line_chars(data)
    labels = list(model.labels) + [label for label in LABELS if label in set(data.labels) - set(model.labels)]
    predicted = [model.labels[i] for i in probabilities.argmax(axis=1)]
    return Evaluation(
        keep_chars=keep_scores(kept, truth, chars),
        keep_lines=keep_scores(kept, truth, np.ones(len(y))),
        labels=label_report(y, predicted, labels),
    )


def cross_validate(
    data: Dataset, settings: FeatureSettings, *, C: float = 1.0, keep: Sequence[str] = DEFAULT_KEEP
) -> dict[str, Any]:
    """Leave-one-outlet-out figures (as :func:`train` records them), without fitting a final model."""
    labels = _labels_of(data)
    if len(set(data.groups)) < 2:
        raise TrainingError("cross-validation needs pages of at least two outlets")
    return _cross_validation(data, featurize(data, settings), labels, keep, C)[2]
