"""The features stage: a numeric row per line, from pluggable feature sets.

- :mod:`~cleaner.features.reference`: what every column means, line by line, in plain Python. Read
  this first.
- :mod:`~cleaner.features.registry`: the feature sets by name and the matrix they make; each set
  is in :mod:`~cleaner.features.text`, :mod:`~cleaner.features.page` (both running the compiled core
  where it is built, the reference otherwise) or :mod:`~cleaner.features.markup`, over a
  :class:`~cleaner.features.textbatch.TextBatch` of pages.
- :mod:`~cleaner.features.chars` and :mod:`~cleaner.features.patterns`: the character sets and
  patterns both implementations use, each defined once.
- :mod:`~cleaner.features.context`: the neighbours' and window features a model adds.
- :mod:`~cleaner.features.transformers`: the same as scikit-learn transformers (imports scikit-learn).
"""

from cleaner.features.context import context_columns, context_feature_names, context_matrix
from cleaner.features.registry import (
    BATCH_CHARS,
    FEATURE_SETS,
    HTML_FEATURE_SETS,
    TEXT_FEATURE_SETS,
    FeatureSettings,
    feature_matrix,
    line_feature_matrix,
    line_feature_names,
)

__all__ = [
    "BATCH_CHARS",
    "FEATURE_SETS",
    "HTML_FEATURE_SETS",
    "TEXT_FEATURE_SETS",
    "FeatureSettings",
    "feature_matrix",
    "context_columns",
    "context_feature_names",
    "context_matrix",
    "line_feature_matrix",
    "line_feature_names",
]
