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
from dataclasses import replace

import numpy as np

from cleaner.decide import Decisions

# How an explanation names the dial, on the lines it kept or dropped (with its threshold).
KEPT_BY_DIAL = "threshold_dial_kept"
DROPPED_BY_DIAL = "threshold_dial_dropped"


def with_dial(decisions: Decisions, threshold: float, model_threshold: float, bounds: Sequence[int]) -> Decisions:
    """``decisions`` (made with ``model_threshold``) moved by the user's ``threshold``: lines whose
    keep-probability reaches a lower one kept too, kept lines below a higher one dropped. A page
    that fell back no longer says so when the dial dropped every line its best region gave."""
    reaches = decisions.keep >= threshold
    if threshold < model_threshold:
        kept = decisions.kept | reaches
    elif threshold > model_threshold:
        kept = decisions.kept & reaches
    else:
        return decisions
    fallback = decisions.fallback
    if fallback is not None and decisions.kept_by_fallback is not None:
        counts = np.concatenate(([0], np.cumsum(decisions.kept_by_fallback & kept)))
        starts, ends = np.asarray(bounds[:-1], dtype=np.intp), np.asarray(bounds[1:], dtype=np.intp)
        fallback = fallback & (counts[ends] > counts[starts])
    return replace(decisions, kept=kept, fallback=fallback, dialled=kept != decisions.kept)
