"""The decide stage: from label probabilities to kept or dropped.

A line's keep-probability is the probability of the kept labels; it is blended with its neighbours'
(:func:`smooth`, revision by context as jusText does), and the line is kept when the result reaches
the threshold. Each page of a batch is smoothed on its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


def smooth(probability: np.ndarray, weight: float) -> np.ndarray:
    """Blend each line's keep-probability with the mean of its two neighbours'.

    A short line between two kept paragraphs leans towards kept, a lone line in a run of noise towards
    dropped. The page edges count as their own value.
    """
    if weight <= 0 or len(probability) < 2:
        return probability
    padded = np.concatenate((probability[:1], probability, probability[-1:]))
    neighbours = (padded[:-2] + padded[2:]) / 2
    return (1 - weight) * probability + weight * neighbours


def smooth_pages(probability: np.ndarray, bounds: Sequence[int], weight: float) -> np.ndarray:
    """:func:`smooth` of each page of a batch, the pages starting at ``bounds`` (``[0, ..., n]``)."""
    if len(bounds) <= 2:
        return smooth(probability, weight)
    if not len(probability):
        return probability
    return np.concatenate([smooth(probability[start:end], weight) for start, end in zip(bounds[:-1], bounds[1:])])


def keep_probability(probabilities: np.ndarray, labels: Sequence[str], keep: Sequence[str]) -> np.ndarray:
    """The probability of the labels ``keep`` (each counted once) for each line."""
    wanted = dict.fromkeys(keep)
    columns = [labels.index(label) for label in wanted if label in labels]
    return probabilities[:, columns].sum(axis=1)


@dataclass(frozen=True, eq=False)
class Decisions:
    """What was decided for a batch of lines: label probabilities, smoothed keep-probabilities, kept."""

    probabilities: np.ndarray
    keep: np.ndarray
    kept: np.ndarray


def decide(
    probabilities: np.ndarray,
    labels: Sequence[str],
    keep: Sequence[str],
    threshold: float,
    smoothing: float,
    bounds: Sequence[int],
) -> Decisions:
    """The decisions for lines with label ``probabilities`` (columns in ``labels`` order), the pages of
    the batch starting at ``bounds``."""
    smoothed = smooth_pages(keep_probability(probabilities, labels, keep), bounds, smoothing)
    return Decisions(probabilities, smoothed, smoothed >= threshold)
