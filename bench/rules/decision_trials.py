"""Decision rules tried on the held-out line results and not kept (docs/experiments.md, "Decision
rules"). Replay them with

    python bench/replay_decisions.py score RESULTS.jsonl.gz bench/rules/decision_trials.py

Each ``rule_*`` returns the kept flag of each line of a page (see ``bench/replay_decisions.py``).
"""

from __future__ import annotations

import numpy as np
from replay_decisions import ReplayPage

# The rules below touch only pages of at least this many lines.
MIN_LINES = 3


def comments_as_content(page: ReplayPage, outweigh: float) -> list[bool]:
    """Lines the model reads as comments kept with the article where they outweigh what is kept
    (``outweigh`` times its characters, and 200 characters at least): a thread's posts."""
    if "comment" not in page.labels or len(page.texts) < MIN_LINES:
        return page.kept
    kept = np.array(page.kept, dtype=bool)
    comments = (page.keep + page.probability("comment") >= page.threshold) & ~kept
    comment_chars = float((page.chars * comments).sum())
    if comment_chars >= 200 and comment_chars > outweigh * float((page.chars * kept).sum()):
        return (kept | comments).tolist()
    return page.kept


def rule_comments_outweigh_1(page: ReplayPage) -> list[bool]:
    return comments_as_content(page, 1.0)


def rule_comments_outweigh_3(page: ReplayPage) -> list[bool]:
    return comments_as_content(page, 3.0)


def split_threshold(keep: np.ndarray, chars: np.ndarray) -> float | None:
    """The cut between a page's keep-probabilities that best splits them in two (Otsu's method on
    their log-odds, each line weighing its characters); None when they are all equal."""
    p = np.clip(keep, 1e-4, 1 - 1e-4)
    logit = np.log(p / (1 - p))
    order = np.argsort(logit, kind="stable")
    x, w = logit[order], chars[order]
    below_w, below_x = np.cumsum(w)[:-1], np.cumsum(w * x)[:-1]
    total_w, total_x = w.sum(), (w * x).sum()
    above_w = total_w - below_w
    valid = (x[:-1] != x[1:]) & (below_w > 0) & (above_w > 0)
    if not valid.any():
        return None
    mean_below = below_x / np.where(below_w > 0, below_w, 1)
    mean_above = (total_x - below_x) / np.where(above_w > 0, above_w, 1)
    spread = np.where(valid, below_w * above_w * (mean_below - mean_above) ** 2, -1.0)
    at = int(np.argmax(spread))
    return float(1 / (1 + np.exp(-(x[at] + x[at + 1]) / 2)))


def own_threshold(page: ReplayPage, kept_share: float, unsure_below: float | None, floor: float = 0.05) -> list[bool]:
    """Where a page keeps less than ``kept_share`` of its text (and, with ``unsure_below``, no line
    reaches it: the model unsure of the whole page), its lines from the page's own split up are
    kept too (the split at ``floor`` at least, and only when below the model's threshold)."""
    if len(page.texts) < MIN_LINES:
        return page.kept
    chars, kept = page.chars, np.array(page.kept, dtype=bool)
    if (chars * kept).sum() >= kept_share * chars.sum():
        return page.kept
    if unsure_below is not None and page.keep.max() >= unsure_below:
        return page.kept
    cut = split_threshold(page.keep, chars)
    if cut is None or max(cut, floor) >= page.threshold:
        return page.kept
    return (kept | (page.keep >= max(cut, floor))).tolist()


def rule_own_threshold_all(page: ReplayPage) -> list[bool]:
    return own_threshold(page, 0.05, None)


def rule_own_threshold_unsure(page: ReplayPage) -> list[bool]:
    """No line at the model's own threshold: the choice that takes no new setting."""
    return own_threshold(page, 0.05, page.threshold)


def rule_own_threshold_below_07(page: ReplayPage) -> list[bool]:
    return own_threshold(page, 0.05, 0.7)


def rule_own_threshold_not_article(page: ReplayPage) -> list[bool]:
    """The best of the dozen tried: pages that do not declare an article, keeping under 30%, no line at 0.7."""
    if page.declares_article:
        return page.kept
    return own_threshold(page, 0.3, 0.7)


def rule_own_threshold_fallback(page: ReplayPage) -> list[bool]:
    """Pages that fell back to their best region, no line at 0.8."""
    if not page.fallback:
        return page.kept
    return own_threshold(page, 1.0, 0.8)
