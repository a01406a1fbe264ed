"""The settings of the second pass's inputs (:mod:`cleaner.features.stacking`), shared by their
definition (:mod:`cleaner.features.reference`) and the compiled core (``features/_stack.pyx``)."""

from __future__ import annotations

# Lines on each side of a line in its windows.
WINDOWS = (3, 10)
# A line counts towards the best run by how far its keep-probability stands above this.
RUN_LEVEL = 0.5
# The ancestors (parent first) whose subtrees are aggregated over (HTML).
STACK_ANCESTORS = 4
# Keep-probabilities are bounded to [this, 1 - this] before their log-odds are taken.
LOGIT_BOUND = 1e-6
