"""A page's main span: the run of its lines with the highest total score (the article, usually), and
how far from it a distance stops counting. Shared by the page-context features, the second pass's
best runs and the page check."""

from __future__ import annotations

import math
from collections.abc import Sequence

# Position features saturate: beyond this many lines from an edge, distance says little.
DISTANCE_CAP = 50
# In the text-mode "main span" (the run of lines most dense in good text), other text costs this much
# per character against good text: low enough for a short heading or caption inside the article to
# stay in the span, high enough for a menu or a block of ads to end it.
MAIN_SPAN_PENALTY = 0.4


def main_span(score: Sequence[float]) -> tuple[int, int]:
    """The run of lines with the highest total ``score`` (Kadane's algorithm), as [start, end); (0, 0)
    when no line scores above zero."""
    best, best_span, current, start = -math.inf, (0, 0), 0.0, 0
    for i, value in enumerate(score):
        if current <= 0:
            current, start = value, i
        else:
            current += value
        if current > best:
            best, best_span = current, (start, i + 1)
    return best_span if best > 0 else (0, 0)
