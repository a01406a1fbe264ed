"""The decide stage: from label probabilities to kept or dropped.

A line's keep-probability is the probability of the kept labels; it is blended with its neighbours'
(:func:`smooth`, revision by context as jusText does), and the line is kept when the result reaches
the threshold. Each page of a batch is smoothed on its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from cleaner.core import compiled
from cleaner.features.spans import main_span


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
    fallback: np.ndarray | None = None
    """Per page: its best region was kept, for want of anything kept (see :func:`fall_back`)."""
    kept_by_fallback: np.ndarray | None = None
    """Per line: kept as part of its page's best region by :func:`fall_back`, below the threshold."""
    narrowed: np.ndarray | None = None
    """Per page: only its kept lines inside its main region were kept (see :func:`narrow`)."""
    kept_in_main: np.ndarray | None = None
    """Per line: kept from the main region's lower threshold alone (see :func:`keep_main_prose`)."""
    parts: np.ndarray | None = None
    """Per line: which rule of :mod:`cleaner.decide_parts` kept or dropped it as part of a whole (0: none)."""
    dialled: np.ndarray | None = None
    """Per line: kept or dropped by the user's threshold against the rules' decision (:mod:`cleaner.dial`)."""

    def of_pages(self, owners: Sequence[int], pages: int) -> Decisions:
        """These decisions, taken for parts of pages read as pages of their own (``owners``: each part's
        page, in order), for the ``pages`` pages: a page fell back or was narrowed if a part of it was."""

        def merged(flags: np.ndarray | None) -> np.ndarray | None:
            if flags is None:
                return None
            out = np.zeros(pages, dtype=bool)
            np.logical_or.at(out, np.asarray(owners, dtype=np.intp), flags)
            return out

        return replace(self, fallback=merged(self.fallback), narrowed=merged(self.narrowed))

    def page_flags(self, page: int) -> tuple[bool, bool]:
        """Whether page ``page`` of the batch fell back to its best region, and whether it was narrowed."""
        return (
            bool(self.fallback[page]) if self.fallback is not None else False,
            bool(self.narrowed[page]) if self.narrowed is not None else False,
        )


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
    texts: Sequence[str],
    bounds: Sequence[int],
    prose: np.ndarray,
    in_main: np.ndarray | None = None,
) -> Decisions:
    """``decisions`` with each (nearly) empty page given its best region (``fallback`` says which);
    ``prose`` says which lines are prose, ``in_main`` (HTML) which lie in their page's densest container."""
    chars = np.fromiter(map(len, texts), dtype=float, count=len(texts))
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
        if region is None:
            first, last = _best_run(decisions.keep[start:end], chars[start:end])
            region = slice(start + first, start + last) if first < last else None
        if region is not None:
            kept[region] = True
            used[page] = True
    return replace(decisions, kept=kept, fallback=used, kept_by_fallback=kept & ~decisions.kept)


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
    lines = np.flatnonzero(in_main[start:end])
    return lines + start if len(lines) else None


def _best_run(keep: np.ndarray, chars: np.ndarray) -> tuple[int, int]:
    """The run of a page's lines (first, end) most above the page's mean keep-probability, weighted by
    characters."""
    return main_span((chars * (keep - _mean_by_chars(keep, chars))).tolist())


# A text page's main region takes in the kept lines within this many lines of its best run: a photo
# caption or a byline between the lede and the body does not cut the article in two. With the bare
# run, the text page check dropped the title and lede of such pages (a seed page among them); with
# this gap, held out by corpus: text 0.860 -> 0.864 (cleaneval -0.006, every other corpus up).
TEXT_REGION_GAP = 4


def main_regions(
    decisions: Decisions, texts: Sequence[str], bounds: Sequence[int], in_main: np.ndarray | None
) -> np.ndarray:
    """Per line: inside its page's main region, the article's likeliest place. For HTML, its densest
    container of prose (``in_main``; a page without one has none); for text, its best run (the run of
    lines most above the page's mean keep-probability, as :func:`fall_back` finds it) with the kept
    lines at most :data:`TEXT_REGION_GAP` lines from it, and from those."""
    if in_main is not None:
        return in_main
    chars = np.fromiter(map(len, texts), dtype=float, count=len(texts))
    regions = np.zeros(len(texts), dtype=bool)
    for start, end in zip(bounds[:-1], bounds[1:]):
        first, last = _best_run(decisions.keep[start:end], chars[start:end])
        if first >= last:
            continue
        kept = np.flatnonzero(decisions.kept[start:end]).tolist()
        for line in reversed(kept):
            if line < first and first - line - 1 <= TEXT_REGION_GAP:
                first = line
        for line in kept:
            if line >= last and line - last <= TEXT_REGION_GAP:
                last = line + 1
        regions[start + first : start + last] = True
    return regions


# The page check's inputs: what the decisions look like against the page's main region (HTML: its
# densest container; text: its best run). The kept lines often spill out of the article into its
# surroundings (related links, a teaser list, comments): a page-level logistic regression over these
# inputs, trained on held-out pages, says when keeping only the kept lines inside the region gives
# the better page (:func:`narrow`).
NARROWING_INPUTS = (
    "kept_of_prose",  # characters kept / characters of prose lines (capped at 2)
    "kept_of_page",  # characters kept / the page's characters
    "main_of_page",  # the region's characters / the page's
    "main_of_prose",  # the region's prose characters / the page's
    "kept_in_main",  # of the characters kept, the share inside the region
    "main_keep",  # the mean keep-probability in the region, weighted by characters
    "outside_keep",  # the same outside it
    "main_covered",  # of the region's characters, the share kept
)
KEPT_OF_PROSE_CAP = 2.0
# How an explanation names the page check, on the lines it dropped.
OUTSIDE_MAIN = "page_check_outside_main_region"


def line_pages(bounds: Sequence[int]) -> np.ndarray:
    """Each line's page in a batch whose pages start at ``bounds``."""
    return np.repeat(np.arange(max(len(bounds) - 1, 0)), np.diff(np.asarray(bounds, dtype=np.int64)))


def runs(flags: np.ndarray, bounds: Sequence[int]) -> list[tuple[int, int]]:
    """The runs ``(start, end)`` of consecutive lines where ``flags`` holds, cut at the page starts
    ``bounds`` (``[0, ..., n]``) and one line long or more."""
    flags = np.asarray(flags, dtype=bool)
    n = len(flags)
    page_start = np.zeros(n, dtype=bool)
    page_start[[int(bound) for bound in bounds[:-1] if int(bound) < n]] = True
    first, last = flags.copy(), flags.copy()
    first[1:] &= ~flags[:-1] | page_start[1:]
    last[:-1] &= ~flags[1:] | page_start[1:]
    return list(zip(np.flatnonzero(first).tolist(), (np.flatnonzero(last) + 1).tolist()))


def narrowing_inputs(
    decisions: Decisions, texts: Sequence[str], bounds: Sequence[int], prose: np.ndarray, in_main: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The page check's inputs (:data:`NARROWING_INPUTS`, one row per page) against the main region
    ``in_main`` (:func:`main_regions`), and which pages it applies to: those with something kept inside
    their main region and something kept outside it (narrowing never leaves a page empty). Compiled
    where the core is built (``cleaner._decide``, bit for bit :func:`reference_narrowing_inputs`)."""
    chars = np.fromiter(map(len, texts), dtype=float, count=len(texts))
    core = compiled("cleaner._decide")
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
    return replace(decisions, kept=kept, narrowed=pages.copy())


def check_pages(
    decisions: Decisions,
    texts: Sequence[str],
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
    regions = main_regions(decisions, texts, bounds, in_main)
    inputs, applies = narrowing_inputs(decisions, texts, bounds, prose, regions)
    if applies.any():
        applies &= logit(inputs) > 0
    titled = titles(applies) if titles is not None and applies.any() else None
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
    for page in np.flatnonzero(pages).tolist():
        start, end = int(bounds[page]), int(bounds[page + 1])
        inside = np.flatnonzero(regions[start:end])
        if not len(inside):
            continue
        top = start + int(inside[0])
        above = np.flatnonzero(titles[start:top] & decisions.kept[start:top])
        if len(above):
            first = start + int(above[-1])
            spared[first:top] |= decisions.kept[first:top] & prose[first:top]
    return spared
