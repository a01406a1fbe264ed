"""The decide stage's last rules, for HTML pages: parts of a page that are kept or dropped whole.

A line-level model decides each line on its own, and a part of the article made of many short lines
can come out cut: a code listing with its last line dropped, a table of the article with half its
cells kept. Two parts are decided as one:

- a run of consecutive lines of preformatted text (``<pre>``: code, a poem, ASCII art) is kept when
  the lines kept hold most of its characters, and dropped otherwise (:func:`decide_preformatted`);
- a run of list items, table cells or preformatted lines inside the page's main container, standing
  between kept lines, is kept whole when the model rates it (its mean keep-probability, characters
  weighing) at least the container's lower threshold and it is not a block of links
  (:func:`keep_main_groups`).

Both rules only read what the other stages computed (the lines' tags, link densities, main container
and keep-probabilities), and an explanation names the rule on each line it changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from cleaner.decide import Decisions, keep_main_prose, line_pages
from cleaner.read.tags import PRE_TAGS
from cleaner.records import PageBatch

# The block tags of list items, table cells and preformatted text: the article's steps, definitions,
# data tables and code listings.
GROUP_TAGS = frozenset({"li", "dt", "dd", "td", "th", *PRE_TAGS})
# A run of such lines is kept whole only with a kept line at most this many lines before it and one
# at most this many lines after it (on its page): the run lies inside the kept article, not beside it.
GROUP_REACH = 3
# ... and when less than this share of its characters are link text: a list of links in the article's
# container is a menu or a related-stories block, whatever the model's probability says.
GROUP_MAX_LINK_DENSITY = 0.3
# A run of preformatted lines is kept when the lines kept hold at least this share of its characters.
PRE_KEPT_SHARE = 0.5

# How an explanation names each rule, on the lines it changed.
KEPT_AS_GROUP = "main_container_part_kept_whole"
PRE_DECIDED_WHOLE = "preformatted_block_decided_whole"
# The values of Decisions.parts.
NOT_CHANGED, GROUP_KEPT, PRE_CHANGED = 0, 1, 2


def html_rules(
    decisions: Decisions,
    labels: Sequence[str],
    batch: PageBatch,
    prose: np.ndarray | None,
    main_threshold: float | None,
) -> Decisions:
    """The decide stage's last rules for a batch of HTML pages (none for lines without markup): with a
    ``main_threshold``, the main container's prose kept from it (:func:`~cleaner.decide.keep_main_prose`,
    ``prose`` saying which lines are prose) and its lists, tables and code listings kept whole
    (:func:`keep_main_groups`); then the preformatted runs decided whole (:func:`decide_preformatted`).
    The pipeline and the model build (its figures) both finish with this."""
    markup = batch.markup
    if markup is None:
        return decisions
    if main_threshold is not None:
        assert prose is not None
        decisions = keep_main_prose(decisions, labels, batch.bounds, prose, markup.in_main, main_threshold)
        decisions = keep_main_groups(
            decisions, batch.texts, batch.bounds, markup.tags, markup.link_density, markup.in_main, main_threshold
        )
    return decide_preformatted(decisions, batch.texts, batch.bounds, markup.tags)


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


def keep_main_groups(
    decisions: Decisions,
    texts: Sequence[str],
    bounds: Sequence[int],
    tags: Sequence[str],
    link_density: np.ndarray,
    in_main: np.ndarray,
    main_threshold: float,
) -> Decisions:
    """``decisions`` with the runs of list items, table cells and preformatted lines (``tags`` in
    :data:`GROUP_TAGS`) of each page's main container (``in_main``) kept whole where they stand between
    kept lines (within :data:`GROUP_REACH` lines each way), their link characters are under
    :data:`GROUP_MAX_LINK_DENSITY` of their characters, and their mean keep-probability reaches
    ``main_threshold``. A run is at least two lines, or one preformatted line (a one-line code
    listing); a list of one item is a line like any other."""
    grouped = np.fromiter((tag in GROUP_TAGS for tag in tags), dtype=bool, count=len(tags)) & in_main
    kept = decisions.kept
    chars = np.fromiter(map(len, texts), dtype=float, count=len(texts))
    page_of = line_pages(bounds)
    added = np.zeros(len(texts), dtype=bool)
    for start, end in runs(grouped, bounds):
        total = float(chars[start:end].sum())
        if (end - start < 2 and tags[start] not in PRE_TAGS) or not total:
            continue
        page_start, page_end = int(bounds[page_of[start]]), int(bounds[page_of[start] + 1])
        between = (
            kept[max(start - GROUP_REACH, page_start) : start].any()
            and kept[end : min(end + GROUP_REACH, page_end)].any()
        )
        linked = float((link_density[start:end] * chars[start:end]).sum()) / total
        rated = float((decisions.keep[start:end] * chars[start:end]).sum()) / total
        if between and linked < GROUP_MAX_LINK_DENSITY and rated >= main_threshold:
            added[start:end] = ~kept[start:end]
    return _with_parts(decisions, decisions.kept | added, added, GROUP_KEPT)


def decide_preformatted(
    decisions: Decisions, texts: Sequence[str], bounds: Sequence[int], tags: Sequence[str]
) -> Decisions:
    """``decisions`` with each run of preformatted lines (``tags`` in ``PRE_TAGS``) kept whole when its
    kept lines hold at least :data:`PRE_KEPT_SHARE` of its characters, dropped whole otherwise."""
    pre = np.fromiter((tag in PRE_TAGS for tag in tags), dtype=bool, count=len(tags))
    if not pre.any():
        return decisions
    kept = decisions.kept.copy()
    chars = np.fromiter(map(len, texts), dtype=float, count=len(texts))
    for start, end in runs(pre, bounds):
        total = float(chars[start:end].sum())
        if end - start > 1 and total:
            kept[start:end] = float(chars[start:end][kept[start:end]].sum()) >= PRE_KEPT_SHARE * total
    return _with_parts(decisions, kept, kept != decisions.kept, PRE_CHANGED)


def _with_parts(decisions: Decisions, kept: np.ndarray, changed: np.ndarray, rule: int) -> Decisions:
    """``decisions`` with ``kept``, the lines ``changed`` marked with ``rule`` in ``Decisions.parts``."""
    if not changed.any():
        return decisions
    parts = decisions.parts.copy() if decisions.parts is not None else np.full(len(kept), NOT_CHANGED, np.int8)
    parts[changed] = rule
    return replace(decisions, kept=kept, parts=parts)


def part_explanations(parts: np.ndarray, main_threshold: float | None) -> list[tuple[str, float] | None]:
    """Per line, the explanation entry of the rule of this module that changed it (None: neither): the
    main container's threshold for a part kept whole, the share of characters that decides a
    preformatted block."""
    entries: dict[int, tuple[str, float]] = {PRE_CHANGED: (PRE_DECIDED_WHOLE, PRE_KEPT_SHARE)}
    if main_threshold is not None:  # the only way a part is kept as a group
        entries[GROUP_KEPT] = (KEPT_AS_GROUP, round(main_threshold, 3))
    return [entries.get(code) for code in parts.tolist()]
