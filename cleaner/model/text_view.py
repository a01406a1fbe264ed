"""The text view of an HTML page: the text model's reading of its lines, beside the HTML model's.

The HTML model reads markup as much as text. On pages built as the articles it learnt from are, that
is its strength; on product, forum, listing and service pages it keeps too little, where the text model,
which reads the lines as a plain-text rendering shows them, keeps what a reader would. So on an HTML
page that does not declare itself an article (its ``og:type`` is not "article" and its JSON-LD holds no
schema.org article), each line's label probabilities are a mix of the two models', the text model's
share :data:`TEXT_VIEW_WEIGHT`. Pages that declare an article are left to the HTML model alone.

The text model's line features are the first columns of the HTML model's (its feature sets are the
first of the HTML model's, with the same context), so the view costs a prediction, not features.
Measured in docs/experiments.md ("Model and build").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from cleaner.read.page_kind import declares_article
from cleaner.records import PageBatch

if TYPE_CHECKING:
    from cleaner.model import Model

# The text model's share of a viewed line's label probabilities.
TEXT_VIEW_WEIGHT = 0.35
# How an explanation names the view, on the lines it read: with the text model's keep-probability.
TEXT_VIEW = "text_view_keep_probability"


def can_view(html: Model, text: Model) -> bool:
    """Whether ``text`` can give ``html``'s pages a text view: its line features are the first columns
    of ``html``'s, read with the same context, and it predicts the same labels."""
    sets, text_sets = tuple(html.settings.feature_sets), tuple(text.settings.feature_sets)
    return (
        html.settings.uses_markup
        and not text.settings.uses_markup
        and sets[: len(text_sets)] == text_sets
        and (html.settings.neighbours, html.settings.window) == (text.settings.neighbours, text.settings.window)
        and tuple(html.labels) == tuple(text.labels)
    )


def viewed_lines(batch: PageBatch) -> np.ndarray:
    """Per line of ``batch``: whether its page gets the text view (an HTML page that does not declare
    itself an article). Plain text pages have no signals and never do."""
    viewed = np.zeros(len(batch.texts), dtype=bool)
    if not batch.signals:
        return viewed
    bounds = np.asarray(batch.bounds).tolist()
    for signals, start, end in zip(batch.signals, bounds[:-1], bounds[1:]):
        if start < end and not declares_article(signals):
            viewed[start:end] = True
    return viewed


def text_view(line_matrix: np.ndarray, batch: PageBatch, text: Model) -> np.ndarray:
    """The text model's label probabilities for the lines of ``batch``, from the HTML model's line features."""
    return text.predict(line_matrix[:, : text.line_columns], batch)


def with_text_view(
    probabilities: np.ndarray, line_matrix: np.ndarray, batch: PageBatch, text: Model, viewed: np.ndarray
) -> np.ndarray:
    """``probabilities`` (the HTML model's) with the text view mixed in on the ``viewed`` lines."""
    if not viewed.any():
        return probabilities
    # The text model reads whole pages (its context and second pass look across a page's lines): the
    # batch is predicted whole, and only the viewed lines take the mix.
    mixed = probabilities.copy()
    mixed[viewed] = (1.0 - TEXT_VIEW_WEIGHT) * probabilities[viewed] + TEXT_VIEW_WEIGHT * text_view(
        line_matrix, batch, text
    )[viewed]
    return mixed
