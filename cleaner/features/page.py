"""The feature sets read within a page (fast implementation): a line's position, whether it repeats
another, and where it stands relative to the page's long, punctuated text (the article, usually).

They run over a whole batch of pages with the pages' bounds (:class:`~cleaner.features.layout.PageLayout`):
a page gets the same rows in a batch as alone.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from cleaner.features.counts import log_count, ratio
from cleaner.features.layout import PageLayout
from cleaner.features.textbatch import TextBatch
from cleaner.read.prose import CJK_CHARS_PER_WORD, PROSE_MIN_WORDS

# Position features saturate: beyond this many lines from an edge, distance says little.
DISTANCE_CAP = 50
# In the text-mode "main span" (the run of lines most dense in good text), other text costs this much
# per character against good text: low enough for a short heading or caption inside the article to
# stay in the span, high enough for a menu or a block of ads to end it.
MAIN_SPAN_PENALTY = 0.4


def _runs(flags: np.ndarray, page_starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each position, the id of the run of equal consecutive ``flags`` it belongs to (a run
    ends where a page does), and run lengths."""
    if not len(flags):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    change = np.ones(len(flags), dtype=bool)
    change[1:] = flags[1:] != flags[:-1]
    run_id = np.cumsum(change | page_starts) - 1
    return run_id, np.bincount(run_id)


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


def _distance_to_span(layout: PageLayout, score: np.ndarray) -> np.ndarray:
    """Lines from each line to its page's main span (:func:`main_span` of ``score``), 0 inside it,
    ``DISTANCE_CAP`` at most and on a page without one."""
    values = score.tolist()
    bounds = layout.bounds.tolist()
    spans = [main_span(values[first:end]) for first, end in zip(bounds[:-1], bounds[1:])]
    start = np.array([span[0] for span in spans], dtype=np.int64)[layout.page]
    end = np.array([span[1] for span in spans], dtype=np.int64)[layout.page]
    index = layout.index
    distance = np.where(index < start, start - index, np.where(index >= end, index - end + 1, 0))
    distance = np.where(start == end, DISTANCE_CAP, distance)
    return np.minimum(distance, DISTANCE_CAP).astype(float)


def position(page: TextBatch, counts: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    layout = page.layout()
    index = layout.index.astype(float)
    chars = counts["chars"]
    running, total = layout.sums(chars)
    before = running - chars
    # In text input, a jump in line numbers means blank lines: a paragraph break.
    gap_before = np.ones(page.n, dtype=bool)
    gap_before[1:] = np.diff(page.numbers) > 1
    gap_before |= layout.page_starts
    gap_after = np.ones(page.n, dtype=bool)  # a page's last line is followed by the next page's first
    gap_after[:-1] = gap_before[1:]
    block_id = np.cumsum(gap_before) - 1
    block_lines = np.bincount(block_id)[block_id]
    block_chars = np.bincount(block_id, weights=chars)[block_id]
    page_lines = np.array([math.log1p(size) for size in layout.sizes.tolist()])[layout.page]
    return {
        "relative_position": index / np.maximum(layout.size - 1, 1),
        "relative_char_position": before / np.where(total == 0, 1.0, total),
        "lines_from_start": log_count(np.minimum(index, DISTANCE_CAP)),
        "lines_from_end": log_count(np.minimum((layout.size - 1) - index, DISTANCE_CAP)),
        "blank_before": gap_before.astype(float),
        "blank_after": gap_after.astype(float),
        "log_block_lines": log_count(block_lines),
        "log_block_chars": log_count(block_chars),
        "log_page_lines": page_lines,
    }


def repetition_keys(page: TextBatch) -> list[str]:
    """Each line with its white space collapsed and its case folded: ``" ".join(t.split()).casefold()``.

    A line is case-folded by the page's lower-casing unless it holds a character that folds otherwise
    (the scan's ``folds``), and folding neither makes nor removes white space, so it can come first; only the
    lines whose white space is not already single spaces between words are re-spaced.
    """
    if not page.n:
        return []
    keys = list(page.lower_lines())
    for i in np.flatnonzero(page.flagged("folds")).tolist():
        keys[i] = page.texts[i].casefold()
    for i in np.flatnonzero(page.flagged("respace")).tolist():
        keys[i] = " ".join(keys[i].split())
    return keys


def repetition(page: TextBatch, counts: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    layout = page.layout()
    n = page.n
    keys = repetition_keys(page)
    # Each line's key as the index of its first line in the batch, then (that, page) pairs as numbers:
    # np.unique gives each pair's first line (its sort is stable), the first occurrence on the page.
    seen: dict[str, int] = {}
    key_id = np.fromiter(map(seen.setdefault, keys, range(n)), dtype=np.int64, count=n)
    if len(layout.sizes) == 1:
        first_index = key_id  # one page: its first line is the batch's
    else:
        _, first, inverse = np.unique(layout.page * n + key_id, return_index=True, return_inverse=True)
        first_index = first[inverse]
    occurrences = np.bincount(first_index, minlength=n)[first_index]
    # A line's key is a proper prefix of the next one's (on the same page): the next starts with it and is longer.
    lengths = np.fromiter(map(len, keys), dtype=np.int64, count=n)
    starts_next = np.fromiter(map(str.startswith, keys[1:], keys[:-1]), dtype=bool, count=max(n - 1, 0))
    same_page = ~layout.page_starts[1:]
    prefix = (starts_next & same_page & (lengths[:-1] > 0) & (lengths[1:] > lengths[:-1])).astype(float)
    return {
        "repeated": (occurrences > 1).astype(float),
        "repeat_of_earlier": (first_index != np.arange(n)).astype(float),
        "prefix_of_next": np.concatenate((prefix, [0.0])) if n else np.zeros(0),
        "extends_previous": np.concatenate(([0.0], prefix)) if n else np.zeros(0),
    }


def page_context(page: TextBatch, counts: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Where the line stands relative to its page's long, punctuated text (the article, usually)."""
    layout = page.layout()
    chars, words = counts["chars"], counts["words"]
    # Prose, as cleaner.read.prose.is_prose defines it.
    cjk_words = page.column("cjk") // CJK_CHARS_PER_WORD
    good = (words + cjk_words >= PROSE_MIN_WORDS) & page.flagged("good_punct")
    good_chars = np.where(good, chars, 0.0)
    running, total_good = layout.sums(good_chars)
    _, total_chars = layout.sums(chars)
    before = running - good_chars
    some = total_good > 0
    run_id, run_lengths = _runs(good, layout.page_starts)
    run_chars = np.bincount(run_id, weights=good_chars)[run_id] if page.n else np.zeros(0)
    distance = _distance_to_span(layout, good_chars - MAIN_SPAN_PENALTY * np.where(good, 0.0, chars))
    to_previous, to_next = _distance_to_good(layout, good)
    return {
        "good": good.astype(float),
        "good_share_before": ratio(before, total_good),
        "good_share_after": ratio(total_good - before - good_chars, total_good),
        "good_run_share": np.where(good & some, ratio(run_chars, total_good), 0.0),
        "good_run_lines": np.where(good, log_count(run_lengths[run_id]), 0.0) if page.n else np.zeros(0),
        "lines_to_next_good": log_count(np.minimum(to_next, DISTANCE_CAP)),
        "lines_to_previous_good": log_count(np.minimum(to_previous, DISTANCE_CAP)),
        "in_main_span": (distance == 0).astype(float),
        "lines_to_main_span": log_count(distance),
        "page_good_share": total_good / np.where(total_chars == 0, 1.0, total_chars),
    }


def _distance_to_good(layout: PageLayout, good: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lines from each line back to the nearest good line at or before it, and on to the nearest at
    or after it, on its page; ``DISTANCE_CAP`` where there is none."""
    index = np.arange(len(good))
    good_index = np.flatnonzero(good)
    if not len(good_index):
        return np.full(len(good), DISTANCE_CAP), np.full(len(good), DISTANCE_CAP)
    after = np.searchsorted(good_index, index, side="left")
    next_good = good_index[np.minimum(after, len(good_index) - 1)]
    to_next = np.where((after < len(good_index)) & (next_good < layout.end), next_good - index, DISTANCE_CAP)
    at_or_before = np.searchsorted(good_index, index, side="right") - 1
    previous_good = good_index[np.maximum(at_or_before, 0)]
    found = (at_or_before >= 0) & (previous_good >= layout.first)
    return np.where(found, index - previous_good, DISTANCE_CAP), to_next
