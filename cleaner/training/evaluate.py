"""How a model labels labeled pages it was not trained on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from cleaner.decide.threshold import smooth_pages
from cleaner.errors import TrainingError
from cleaner.model import Model
from cleaner.model.regression import keep_probability
from cleaner.records import LABELS
from cleaner.training.dataset import Dataset, line_chars, page_bounds
from cleaner.training.metrics import keep_scores, label_report


@dataclass(frozen=True)
class Evaluation:
    keep_chars: dict[str, float]
    keep_lines: dict[str, float]
    labels: dict[str, Any]


def evaluate(model: Model, data: Dataset) -> Evaluation:
    """How ``model`` labels ``data`` (which it should not have been trained on)."""
    if not data.lines:
        raise TrainingError("no labeled lines to evaluate on")
    probabilities = model.predict_batch(data.batch())
    keep = smooth_pages(keep_probability(probabilities, model.labels, model.keep), page_bounds(data), model.smoothing)
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
