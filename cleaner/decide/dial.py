"""The user's precision/recall dial: an explicit threshold moves the decisions of the rules.

The rules after the model's threshold (the fallback, the page check, the main container's lower
threshold, the parts decided whole, the content elements) decide with the model's threshold, then the
dial moves their result: below the model's threshold, every line whose keep-probability reaches the
dial is kept too; above it, only the kept lines that reach it stay. So a lower threshold never keeps
less, a higher one never keeps more, and the model's own threshold keeps what the default keeps.
(Deciding with the dial's threshold alone, the rules off, kept less than the default on 31 of 450
corpus pages at 0.3, and nothing of a page the fallback rescued even at the model's own threshold.)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cleaner.decide.notes import CONTENT_KEPT
from cleaner.decide.threshold import Decisions

# How an explanation names the dial, on the lines it kept or dropped (with its threshold).
KEPT_BY_DIAL = "threshold_dial_kept"
DROPPED_BY_DIAL = "threshold_dial_dropped"


def with_dial(decisions: Decisions, threshold: float, model_threshold: float, bounds: Sequence[int]) -> Decisions:
    """``decisions`` (made with ``model_threshold``) moved by the user's ``threshold``: lines whose
    keep-probability reaches a lower one kept too, kept lines below a higher one dropped.

    A page that fell back (to its best region, or to its content elements) says so as long as it
    keeps a line that rescue gave: always under a lower threshold, which keeps them all still."""
    reaches = decisions.keep >= threshold
    fallback = decisions.fallback
    if threshold < model_threshold:
        kept = decisions.kept | reaches
    elif threshold > model_threshold:
        kept = decisions.kept & reaches
        if fallback is not None:
            fallback = fallback & _pages_keeping(_rescued(decisions) & kept, bounds)
    else:
        return decisions
    return decisions.changed(kept=kept, fallback=fallback, dialled=kept != decisions.kept)


def _rescued(decisions: Decisions) -> np.ndarray:
    """The lines a page's fallback kept: its best region's, or its content elements'."""
    rescued = np.zeros(len(decisions.kept), dtype=bool)
    if decisions.kept_by_fallback is not None:
        rescued |= decisions.kept_by_fallback
    if decisions.parts is not None:
        rescued |= decisions.parts == CONTENT_KEPT
    return rescued


def _pages_keeping(lines: np.ndarray, bounds: Sequence[int]) -> np.ndarray:
    """Per page (``bounds``), whether any of ``lines`` is on it."""
    counts = np.concatenate(([0], np.cumsum(lines)))
    return counts[np.asarray(bounds[1:], dtype=np.intp)] > counts[np.asarray(bounds[:-1], dtype=np.intp)]
