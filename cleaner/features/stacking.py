"""The second pass's inputs: what the first pass thought of each line, and of the region around it.

The second pass decides between keeping and dropping (the first pass's view of which label a line
has stands); its inputs are the first pass's keep-probability of the line, as log-odds, and aggregated.
The article is usually one region of a page: a run of lines (text) or one element (HTML) where most
lines look like article text. A line's first-pass keep-probability, aggregated over its paragraph,
the lines around it, its page, its page's best run and (HTML) each of its nearest ancestors, tells the
second pass whether the line sits in such a region: a short line inside the article is kept with it,
a long paragraph in a sidebar of teasers is dropped with them.

Every mean is weighted by the lines' characters. :func:`cleaner.features.reference.stack_columns`
defines each column for a page; the compiled core (``features/_stack.pyx``) computes the same numbers
for a batch of pages, and :func:`stack_matrix` runs whichever core is in use.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cleaner.core import compiled
from cleaner.features.columns import Columns
from cleaner.features.stack_settings import LOGIT_BOUND, STACK_ANCESTORS, WINDOWS
from cleaner.records import PageBatch

# The input holding the first pass's own log-odds of keeping the line.
FIRST_PASS_INPUT = "first_keep_logit"
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
    # np.minimum of np.maximum is np.clip's result, at half its call's cost on a small page.
    bounded = np.minimum(np.maximum(keep, LOGIT_BOUND), 1.0 - LOGIT_BOUND)
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
    chosen = stack_names(markup) if names is None else names
    if not len(keep):
        return np.zeros((0, 0))
    return _stack_columns(keep, batch, markup, logit_cap).select(chosen)


# The columns the compiled core computes (all but the first pass's own log-odds), in its order.
COMPILED_COLUMNS: tuple[str, ...] = (
    "block_keep", *(f"window{w}_keep" for w in WINDOWS), "page_keep", "page_kept_share",
    "in_best_run", "lines_to_best_run", "best_run_share",
    *(f"ancestor{k}_{what}" for k in range(1, STACK_ANCESTORS + 1) for what in ("keep", "holds")),
)  # fmt: skip
# The first pass's log-odds, then the compiled core's columns; without the ancestors' for text (the
# compiled core gives them last).
_ALL_COLUMNS = (FIRST_PASS_INPUT, *COMPILED_COLUMNS)
_TEXT_COLUMNS = tuple(name for name in _ALL_COLUMNS if not name.startswith("ancestor"))
_BEST_RUN_AT = _ALL_COLUMNS.index("lines_to_best_run")
_CORE = "cleaner.features._stack"


def _stack_columns(keep: np.ndarray, batch: PageBatch, markup: bool, logit_cap: float | None) -> Columns:
    """Every column the second pass can read (without the ancestors' for text), as one matrix."""
    n = len(keep)
    ranges = batch.markup.ancestor_ranges if markup and batch.markup is not None else None
    core = compiled(_CORE)
    if core is None:
        columns = _reference_columns(keep, batch, ranges, logit_cap)
        matrix = np.column_stack([columns[name] for name in _ALL_COLUMNS])
    else:
        chars = batch.line_chars()
        numbers = np.asarray(batch.numbers, dtype=np.int64)
        matrix = np.empty((n, len(_ALL_COLUMNS)))
        matrix[:, 1:] = core.stack_columns(keep, chars, numbers, np.asarray(batch.bounds, dtype=np.int64), ranges)
        matrix[:, _BEST_RUN_AT] = np.log1p(matrix[:, _BEST_RUN_AT])
        logit = keep_logit(keep)
        matrix[:, 0] = logit if logit_cap is None else np.minimum(np.maximum(logit, -logit_cap), logit_cap)
    if not markup:
        return Columns(_TEXT_COLUMNS, matrix[:, : len(_TEXT_COLUMNS)])
    return Columns(_ALL_COLUMNS, matrix)


def _reference_columns(
    keep: np.ndarray, batch: PageBatch, ranges: np.ndarray | None, logit_cap: float | None
) -> dict[str, np.ndarray]:
    """The columns of :func:`reference.stack_columns`, page by page (the reference core)."""
    from cleaner.features import reference  # loaded by the reference core only

    n = len(keep)
    out = {name: np.zeros(n) for name in (FIRST_PASS_INPUT, *COMPILED_COLUMNS)}
    keep_list, numbers = keep.tolist(), np.asarray(batch.numbers).tolist()
    line_ranges = None if ranges is None else [tuple(map(tuple, row)) for row in ranges.tolist()]
    for first, end in zip(batch.bounds[:-1], batch.bounds[1:]):
        if end > first:
            page_ranges = None if line_ranges is None else line_ranges[first:end]
            found = reference.stack_columns(
                keep_list[first:end], batch.texts[first:end], numbers[first:end], page_ranges, logit_cap
            )
            for name, values in found.items():
                out[name][first:end] = values
    return out
