"""The second pass's inputs: what the first pass thought of each line, and of the region around it.

The second pass decides between keeping and dropping (the first pass's view of which label a line
has stands); its inputs are the first pass's keep-probability of the line, as log-odds, and aggregated.
The article is usually one region of a page: a run of lines (text) or one element (HTML) where most
lines look like article text. A line's first-pass keep-probability, aggregated over its paragraph,
the lines around it, its page, its page's best run and (HTML) each of its nearest ancestors, tells the
second pass whether the line sits in such a region: a short line inside the article is kept with it,
a long paragraph in a sidebar of teasers is dropped with them.

Every mean is weighted by the lines' characters. :mod:`cleaner.features.reference` defines each
column line by line; this module computes them for a batch of pages with NumPy.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cleaner.features.layout import PageLayout
from cleaner.features.spans import DISTANCE_CAP, main_span
from cleaner.records import PageBatch

# The input holding the first pass's own log-odds of keeping the line.
FIRST_PASS_INPUT = "first_keep_logit"
# Lines on each side of a line in its windows.
WINDOWS = (3, 10)
# A line counts towards the best run by how far its keep-probability stands above this.
RUN_LEVEL = 0.5
# The ancestors (parent first) whose subtrees are aggregated over (HTML).
STACK_ANCESTORS = 4
# Keep-probabilities are bounded to [this, 1 - this] before their log-odds are taken.
LOGIT_BOUND = 1e-6
# In models with markup inputs, the first pass's log-odds enter the second pass capped to [-this,
# this] (keep-probabilities 0.076 to 0.924). Beyond, the first pass is sure, and on pages unlike those
# it learnt from it can be sure and wrong about hundreds of lines (a forum's posts at +7 dropped, an
# article at -8): capped, its certainty no longer outvotes what the line's ancestors say. Held out by
# corpus, the cap gained 0.001 over all pages (seven corpora of nine up, by up to 0.011; dragnet down
# 0.010). Text models have no ancestors to outvote it, and lost 0.004 with it: they keep it uncapped.
# A model records the cap it was trained with (model files before the cap: none).
FIRST_PASS_LOGIT_CAP = 2.5


# Inputs the second pass of earlier models read, still computed for those models (a model file names
# its inputs, so a model trained by an earlier version keeps working). page_kept_share, the share of
# the page's characters in lines above RUN_LEVEL, went because, beside page_keep, the nearly collinear
# pair took weights of about +-4 that cancelled on most pages and together decided whole pages on
# others; without it, HTML held out by corpus gained 0.002.
LEGACY_INPUTS = ("page_kept_share",)


def stack_names(markup: bool) -> list[str]:
    """The columns of :func:`stack_matrix` that new models read, in order."""
    names = [FIRST_PASS_INPUT, "block_keep", *(f"window{w}_keep" for w in WINDOWS), "page_keep"]
    names += ["in_best_run", "lines_to_best_run", "best_run_share"]
    if markup:
        for k in range(1, STACK_ANCESTORS + 1):
            names += [f"ancestor{k}_keep", f"ancestor{k}_holds"]
    return names


def known_stack_names(markup: bool) -> frozenset[str]:
    """Every column :func:`stack_matrix` can give: those of :func:`stack_names` and the legacy ones."""
    return frozenset(stack_names(markup)) | frozenset(LEGACY_INPUTS)


def keep_logit(keep: np.ndarray) -> np.ndarray:
    """The log-odds of the first pass's keep-probabilities (bounded: a probability of 0 or 1 is finite)."""
    bounded = np.clip(keep, LOGIT_BOUND, 1.0 - LOGIT_BOUND)
    return np.log(bounded / (1.0 - bounded))


def stack_matrix(
    keep: np.ndarray,
    batch: PageBatch,
    markup: bool,
    logit_cap: float | None = None,
    names: Sequence[str] | None = None,
) -> np.ndarray:
    """The second pass's input for a batch of pages: the first pass's keep-probabilities ``keep``, as
    log-odds (capped to ``[-logit_cap, logit_cap]``, unless None) and aggregated (see the module's
    docstring); the columns ``names`` (default :func:`stack_names`), in that order."""
    columns = _stack_columns(keep, batch, markup, logit_cap)
    chosen = stack_names(markup) if names is None else names
    n = len(keep)
    return np.column_stack([columns[name] for name in chosen]) if n else np.zeros((0, 0))


def _stack_columns(keep: np.ndarray, batch: PageBatch, markup: bool, logit_cap: float | None) -> dict[str, np.ndarray]:
    n = len(keep)
    layout = PageLayout(np.asarray(batch.bounds, dtype=np.int64), n)
    chars = np.fromiter(map(len, batch.texts), dtype=float, count=n)
    mass = chars * keep
    logit = keep_logit(keep)
    columns = {FIRST_PASS_INPUT: logit if logit_cap is None else np.clip(logit, -logit_cap, logit_cap)}
    # The paragraph: lines with consecutive numbers, within the page.
    numbers = np.asarray(batch.numbers, dtype=np.int64)
    starts = np.ones(n, dtype=bool)
    starts[1:] = np.diff(numbers) != 1
    starts |= layout.page_starts
    block = np.cumsum(starts) - 1
    columns["block_keep"] = _ratio(np.bincount(block, mass)[block], np.bincount(block, chars)[block])
    mass_sums, char_sums = _prefix(mass, layout), _prefix(chars, layout)
    index = np.arange(n)
    for width in WINDOWS:
        lo = np.maximum(index - width, layout.first)
        hi = np.minimum(index + width + 1, layout.end)
        columns[f"window{width}_keep"] = _ratio(mass_sums[hi + layout.page] - mass_sums[lo + layout.page],
                                                char_sums[hi + layout.page] - char_sums[lo + layout.page])  # fmt: skip
    page_mass, page_chars = _page_totals(mass, layout), _page_totals(chars, layout)
    columns["page_keep"] = _ratio(page_mass, page_chars)
    columns["page_kept_share"] = _ratio(_page_totals(np.where(keep >= RUN_LEVEL, chars, 0.0), layout), page_chars)
    columns["in_best_run"], columns["lines_to_best_run"], columns["best_run_share"] = _best_runs(
        chars * (keep - RUN_LEVEL), chars, layout
    )
    if markup and batch.markup is not None:
        ranges = batch.markup.ancestor_ranges
        for k in range(STACK_ANCESTORS):  # an ancestor at a time: a long page's temporaries stay small
            lo = np.where(ranges[:, k, 0] < 0, layout.first, ranges[:, k, 0] + layout.first) + layout.page
            hi = np.where(ranges[:, k, 1] < 0, layout.end, ranges[:, k, 1] + layout.first) + layout.page
            inside_mass = mass_sums[hi] - mass_sums[lo]
            columns[f"ancestor{k + 1}_keep"] = _ratio(inside_mass, char_sums[hi] - char_sums[lo])
            columns[f"ancestor{k + 1}_holds"] = _ratio(inside_mass, page_mass)
    elif markup:
        for k in range(STACK_ANCESTORS):
            columns[f"ancestor{k + 1}_keep"] = columns[f"ancestor{k + 1}_holds"] = np.zeros(n)
    return columns


def _ratio(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.divide(a, b, out=np.zeros(len(a)), where=b > 0)


def _prefix(values: np.ndarray, layout: PageLayout) -> np.ndarray:
    """Running sums page by page from a zero: page p's sum before its line j is at ``bounds[p] + p + j``."""
    out = np.zeros(len(values) + len(layout.sizes))
    bounds = layout.bounds.tolist()
    for page, (start, stop) in enumerate(zip(bounds[:-1], bounds[1:])):
        np.cumsum(values[start:stop], out=out[start + page + 1 : stop + page + 1])
    return out


def _page_totals(values: np.ndarray, layout: PageLayout) -> np.ndarray:
    return np.bincount(layout.page, values, minlength=len(layout.sizes))[layout.page]


def _best_runs(score: np.ndarray, chars: np.ndarray, layout: PageLayout) -> tuple[np.ndarray, ...]:
    """Whether each line is in its page's best run (the run of lines of highest total ``score``), how
    far from it it is (log, capped), and the share of the page's characters the run holds."""
    bounds = layout.bounds.tolist()
    values = score.tolist()
    spans = [main_span(values[first:end]) for first, end in zip(bounds[:-1], bounds[1:])]
    start = np.array([span[0] for span in spans], dtype=np.int64)[layout.page]
    end = np.array([span[1] for span in spans], dtype=np.int64)[layout.page]
    index = layout.index
    distance = np.where(index < start, start - index, np.where(index >= end, index - end + 1, 0))
    distance = np.minimum(np.where(start == end, DISTANCE_CAP, distance), DISTANCE_CAP)
    in_run = (distance == 0).astype(float)
    run_chars = _page_totals(chars * in_run, layout)
    return in_run, np.log1p(distance.astype(float)), _ratio(run_chars, _page_totals(chars, layout))
