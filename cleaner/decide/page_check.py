"""The page check: on a page whose kept lines spill out of its main region (into related links, a
teaser list, comments), keep only those inside it, where a page-level logistic regression over how
the decisions look against the region says that gives the better page."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence

import numpy as np

from cleaner.core import compiled
from cleaner.decide.fallback import best_run
from cleaner.decide.threshold import Decisions
from cleaner.features.layout import line_pages

# A text page's main region takes in the kept lines within this many lines of its best run: a photo
# caption or a byline between the lede and the body does not cut the article in two. With the bare
# run, the text page check dropped the title and lede of such pages (a seed page among them); with
# this gap, held out by corpus: text 0.860 -> 0.864 (cleaneval -0.006, every other corpus up).
TEXT_REGION_GAP = 4


def main_regions(
    decisions: Decisions, chars: np.ndarray, bounds: Sequence[int], in_main: np.ndarray | None
) -> np.ndarray:
    """Per line: inside its page's main region, the article's likeliest place. For HTML, its densest
    container of prose (``in_main``; a page without one has none); for text, its best run (the run of
    lines most above the page's mean keep-probability, as the fallback finds it: :func:`best_run`) with
    the kept lines at most :data:`TEXT_REGION_GAP` lines from it, and from those. ``chars``: each
    line's characters (:func:`~cleaner.records.line_chars`)."""
    if in_main is not None:
        return in_main
    regions = np.zeros(len(chars), dtype=bool)
    for start, end in zip(bounds[:-1], bounds[1:]):
        first, last = best_run(decisions.keep[start:end], chars[start:end])
        if first >= last:
            continue
        # The kept lines before the run, nearest first, then those after it: each run of them ends at
        # the first gap too wide (the ones beyond it are further still).
        kept = decisions.kept[start:end].nonzero()[0].tolist()
        for line in reversed(kept[: bisect_left(kept, first)]):
            if first - line - 1 > TEXT_REGION_GAP:
                break
            first = line
        for line in kept[bisect_left(kept, last) :]:
            if line - last > TEXT_REGION_GAP:
                break
            last = line + 1
        regions[start + first : start + last] = True
    return regions


KEPT_OF_PROSE_CAP = 2.0
# How an explanation names the page check, on the lines it dropped.
OUTSIDE_MAIN = "page_check_outside_main_region"


def narrowing_inputs(
    decisions: Decisions, chars: np.ndarray, bounds: Sequence[int], prose: np.ndarray, in_main: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The page check's inputs (:data:`~cleaner.model.narrowing.NARROWING_INPUTS`, one row per page)
    against the main region ``in_main`` (:func:`main_regions`), and which pages it applies to: those
    with something kept inside their main region and something kept outside it (narrowing never leaves
    a page empty). Compiled where the core is built (``cleaner.decide._page_check``, bit for bit
    :func:`reference_narrowing_inputs`). ``chars``: each line's characters."""
    core = compiled("cleaner.decide._page_check")
    if core is None:
        return reference_narrowing_inputs(chars, decisions.keep, decisions.kept, bounds, prose, in_main)
    flags = [np.asarray(flag, dtype=np.uint8) for flag in (decisions.kept, prose, in_main)]
    return core.narrowing_inputs(chars, decisions.keep, *flags, np.asarray(bounds, dtype=np.int64))


def reference_narrowing_inputs(
    chars: np.ndarray, keep: np.ndarray, kept: np.ndarray, bounds: Sequence[int], prose: np.ndarray, in_main: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`narrowing_inputs` from each line's characters (``chars``), keep-probability and flags."""
    n_pages = max(len(bounds) - 1, 0)
    page = line_pages(bounds)

    def total(values: np.ndarray) -> np.ndarray:
        return np.bincount(page, values, minlength=n_pages)

    def share(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
        return np.divide(part, whole, out=np.zeros(n_pages), where=whole > 0)

    page_chars, main_chars = total(chars), total(chars * in_main)
    kept_chars, kept_main = total(chars * kept), total(chars * (kept & in_main))
    prose_chars = total(chars * prose)
    inputs = np.column_stack(
        (
            np.minimum(share(kept_chars, prose_chars), KEPT_OF_PROSE_CAP),
            share(kept_chars, page_chars),
            share(main_chars, page_chars),
            share(total(chars * prose * in_main), prose_chars),
            share(kept_main, kept_chars),
            share(total(chars * keep * in_main), main_chars),
            share(total(chars * keep * ~in_main), page_chars - main_chars),
            share(kept_main, main_chars),
        )
    )
    applies = (kept_main > 0) & (kept_chars > kept_main)
    return inputs, applies


def narrow(
    decisions: Decisions,
    bounds: Sequence[int],
    in_main: np.ndarray,
    pages: np.ndarray,
    spared: np.ndarray | None = None,
) -> Decisions:
    """``decisions`` with the pages ``pages`` (boolean, per page) keeping only their kept lines inside
    their main region ``in_main``, and those of ``spared`` (``narrowed`` says which pages)."""
    lines = pages[line_pages(bounds)]
    inside = in_main | spared if spared is not None else in_main
    kept = decisions.kept & (inside | ~lines)
    return decisions.changed(kept=kept, narrowed=pages.copy())


def check_pages(
    decisions: Decisions,
    chars: np.ndarray,
    bounds: Sequence[int],
    prose: np.ndarray,
    in_main: np.ndarray | None,
    logit: Callable[[np.ndarray], np.ndarray],
    titles: Callable[[np.ndarray], np.ndarray | None] | None = None,
) -> Decisions:
    """``decisions`` narrowed (:func:`narrow`) to their :func:`main_regions` (``in_main``: the HTML
    pages' densest containers, None for text) on the pages where the page check's ``logit`` of their
    :func:`narrowing_inputs` is positive. The kept lines that ``titles(pages)`` gives for the pages
    narrowed (their title lines) stay, and the kept prose between them and the region
    (:func:`spared_lines`)."""
    regions = main_regions(decisions, chars, bounds, in_main)
    inputs, applies = narrowing_inputs(decisions, chars, bounds, prose, regions)
    if applies.any():
        applies &= logit(inputs) > 0
    if not applies.any():  # no page narrowed (most pages): the decisions stand
        return decisions.changed(narrowed=applies)
    titled = titles(applies) if titles is not None else None
    spared = spared_lines(decisions, bounds, prose, regions, titled, applies)
    return narrow(decisions, bounds, regions, applies, spared)


def spared_lines(
    decisions: Decisions,
    bounds: Sequence[int],
    prose: np.ndarray,
    regions: np.ndarray,
    titles: np.ndarray | None,
    pages: np.ndarray,
) -> np.ndarray | None:
    """The lines that narrowing the pages ``pages`` to their ``regions`` spares: their ``titles``, and
    on a page whose last kept title line stands above its region, the kept prose lines between the
    two. None when no page has titles (plain text).

    The headline belongs to the article, and often stands above the container of its text; so do a
    standfirst and a lede set apart from the body. Held out by corpus, the models unchanged, the
    lines between title and region: HTML +0.0011 (fundus +0.0021, dragnet +0.0025; magichtml and msv
    -0.0002); with the lines that are not prose too, +0.0007 (l3s-gn1 -0.0013, magichtml -0.0025)."""
    if titles is None:
        return None
    spared = titles.copy()
    for page in pages.nonzero()[0].tolist():
        start, end = int(bounds[page]), int(bounds[page + 1])
        inside = regions[start:end].nonzero()[0]
        if not len(inside):
            continue
        top = start + int(inside[0])
        above = (titles[start:top] & decisions.kept[start:top]).nonzero()[0]
        if len(above):
            first = start + int(above[-1])
            spared[first:top] |= decisions.kept[first:top] & prose[first:top]
    return spared
