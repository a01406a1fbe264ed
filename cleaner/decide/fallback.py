"""The fallback: a page that holds text is never left (nearly) empty; its best region is kept instead."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cleaner.core import compiled
from cleaner.decide.threshold import Decisions
from cleaner.features.spans import main_span

# A page that holds prose is never left (nearly) empty: when the lines kept hold less than this share
# of the characters of its prose lines (and it has at least this many), its best region is kept
# instead. Pages whose article looks like nothing the models learned (a forum, a product page) then
# come out with their likeliest part rather than nothing at all. An HTML page's best region is its
# densest container of prose (the lines of Markup.in_main): on such pages the model's probabilities
# are all low, and the run of lines standing highest above their mean was as often a footer of
# language names as the thread (held out by corpus: HTML 0.883 -> 0.885, cleaneval +0.013, the others
# within -0.008..+0.003). A text page's, or one without such a container, is the run of lines most
# above the page's mean keep-probability, weighted by characters (for text, the densest run of prose
# lost as much as it gained).
FALLBACK_MIN_PROSE_CHARS = 300
FALLBACK_KEPT_SHARE = 0.3
# A page of this many characters of text is never left with nothing, or next to nothing (at most this
# share of its text, text or HTML), prose or not: tables, listings and threads of short posts hold
# their article in lines too short to read as prose. Held out by corpus, the models unchanged: with 2%
# rather than nothing, 7 text pages up (sum of F1 +1.63), one HTML page level; text at 5%, -0.0002
# (three dragnet pages lost 0.25-0.33). An HTML page's region is a container, and a documentation
# index keeps its heading and introduction, 3-5% of its text, the list around them read as a menu: HTML
# at 5%, 0.9144 -> 0.9145 (cleaneval's 74 0.10 -> 0.97), Python's documentation 0.925 -> 0.932; at 10%,
# level with 14 pages moved both ways.
FALLBACK_MIN_TEXT_CHARS = 500
FALLBACK_EMPTY_SHARE, FALLBACK_EMPTY_SHARE_HTML = 0.02, 0.05
# Such a page without markup and without prose (a listing, a table, a thread of one-line posts, lines
# the model rates all alike) is kept whole: its likeliest run is then a guess among lines the model
# cannot tell apart. Held out by corpus, the text models fixed: text 0.8679 -> 0.8687, no corpus down
# (googletrends2017 +0.0068, magichtml +0.0026, dragnet +0.0008, cleaneval +0.0007), 15 pages moved,
# 6 up (two from nothing to 0.72 and 0.58), 9 down (a run that held part of the article, diluted);
# kept whole only where the likeliest run holds less than a fifth or a half of the page: +0.0002 and
# +0.0005. An HTML page's fallback is its densest container, or the likeliest run where it has none.
# The densest container is found from the markup alone. Where the model rates its lines below this
# share of the page's mean keep-probability (characters weighing), the model is sure it is boilerplate
# (a cookie-settings dialog of long paragraphs on a Q&A page whose question and answers the model
# rated 0.3-0.5) and the fallback keeps the likeliest run instead. Held out by corpus, the models
# unchanged: from 0.25 to 0.75, one page moved (magichtml 0.7929 -> 0.7953), no other; at 1, magichtml
# 0.7896 and dragnet -0.0005.
FALLBACK_DISTRUSTED_SHARE = 0.5
# How an explanation names the fallback, on the lines it kept (with the threshold they were below).
KEPT_BY_FALLBACK = "fallback_page_best_region"


def fall_back(
    decisions: Decisions,
    chars: np.ndarray,
    bounds: Sequence[int],
    prose: np.ndarray,
    in_main: np.ndarray | None = None,
) -> Decisions:
    """``decisions`` with each (nearly) empty page given its best region (``fallback`` says which);
    ``chars`` gives each line's characters (:func:`~cleaner.records.line_chars`), ``prose`` which lines
    are prose, ``in_main`` (HTML) which lie in their page's densest container."""
    kept = decisions.kept.copy()
    used = np.zeros(max(len(bounds) - 1, 0), dtype=bool)
    empty_share = FALLBACK_EMPTY_SHARE if in_main is None else FALLBACK_EMPTY_SHARE_HTML
    for page, (start, end) in enumerate(zip(bounds[:-1], bounds[1:])):
        prose_chars = float((chars[start:end] * prose[start:end]).sum())
        kept_chars = float(chars[start:end][kept[start:end]].sum())
        short_of_prose = prose_chars >= FALLBACK_MIN_PROSE_CHARS and kept_chars < FALLBACK_KEPT_SHARE * prose_chars
        text_chars = float(chars[start:end].sum())
        empty = text_chars >= FALLBACK_MIN_TEXT_CHARS and kept_chars <= empty_share * text_chars
        if not (short_of_prose or empty):
            continue
        region = _main_container(in_main, start, end) if in_main is not None else None
        if region is not None and not empty and not kept[region].any():
            # The model kept lines, none of them in the container: the two disagree, and the container
            # loses (a login dialog's prose outweighing a short article). Held out by corpus, the
            # models unchanged: 4 pages moved, googletrends2017 +0.009, magichtml +0.002.
            region = None
        if region is not None and _distrusted(decisions.keep[start:end], chars[start:end], region - start):
            region = None
        if in_main is None and empty and not short_of_prose:  # text: no container was looked for
            region = slice(start, end)
        if region is None:
            first, last = best_run(decisions.keep[start:end], chars[start:end])
            region = slice(start + first, start + last) if first < last else None
        if region is not None:
            kept[region] = True
            used[page] = True
    return decisions.changed(kept=kept, fallback=used, kept_by_fallback=kept & ~decisions.kept)


def _distrusted(keep: np.ndarray, chars: np.ndarray, lines: np.ndarray) -> bool:
    """Whether the model rates a page's container (``lines`` of the page whose lines have keep-probabilities
    ``keep`` and lengths ``chars``) below :data:`FALLBACK_DISTRUSTED_SHARE` of the page's mean."""
    inside = chars[lines]
    if not inside.sum():
        return False
    return _mean_by_chars(keep[lines], inside) < FALLBACK_DISTRUSTED_SHARE * _mean_by_chars(keep, chars)


def _mean_by_chars(keep: np.ndarray, chars: np.ndarray) -> float:
    """The mean of lines' keep-probabilities, each weighing its characters (0 for no characters)."""
    total = chars.sum()
    return float((keep * chars).sum() / total) if total else 0.0


def _main_container(in_main: np.ndarray, start: int, end: int) -> np.ndarray | None:
    """The lines of page ``start:end`` inside its densest container (indexes into the batch), or None."""
    lines = in_main[start:end].nonzero()[0]
    return lines + start if len(lines) else None


def best_run(keep: np.ndarray, chars: np.ndarray) -> tuple[int, int]:
    """The run of a page's lines (first, end) most above the page's mean keep-probability, weighted by
    characters."""
    score = chars * (keep - _mean_by_chars(keep, chars))
    core = compiled("cleaner.decide._page_check")
    if core is not None:  # a page's lines a Python step each, otherwise: 8% of a text page's cleaning
        return core.main_span(np.ascontiguousarray(score, dtype=np.float64))
    return main_span(score.tolist())
