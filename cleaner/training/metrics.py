"""Precision, recall and F1: of the keep decision over labeled lines, and per label."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np


def precision_recall_f1(tp: float, fp: float, fn: float) -> tuple[float, float, float]:
    """Precision, recall and F1 from true positives, false positives and false negatives (0 where undefined)."""
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return precision, recall, f1(precision, recall)


def f1(precision: float, recall: float) -> float:
    """The harmonic mean of precision and recall (0 when both are 0)."""
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def keep_scores(kept: np.ndarray, truth: np.ndarray, weights: np.ndarray) -> dict[str, float]:
    """Precision, recall and F1 of the keep decision, weighting each line by ``weights``."""
    tp = float(weights[kept & truth].sum())
    fp = float(weights[kept & ~truth].sum())
    fn = float(weights[~kept & truth].sum())
    precision, recall, score = precision_recall_f1(tp, fp, fn)
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(score, 4)}


def label_report(truth: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> dict[str, Any]:
    """Per-label precision, recall, F1 and support, and the confusion matrix (rows: truth)."""
    index = {label: i for i, label in enumerate(labels)}
    matrix = np.zeros((len(labels), len(labels)), dtype=int)
    for t, p in zip(truth, predicted):
        matrix[index[t], index[p]] += 1
    per_label = {}
    for label, i in index.items():
        tp = float(matrix[i, i])
        precision, recall, score = precision_recall_f1(
            tp, float(matrix[:, i].sum()) - tp, float(matrix[i, :].sum()) - tp
        )
        per_label[label] = {
            "precision": round(float(precision), 4),
            "recall": round(float(recall), 4),
            "f1": round(float(score), 4),
            "support": int(matrix[i, :].sum()),
        }
    return {"labels": list(labels), "per_label": per_label, "confusion": matrix.tolist()}


def _page_counts(
    kept: np.ndarray, positive: np.ndarray, tokens: np.ndarray, pages: np.ndarray, gold: np.ndarray, shingle: int = 1
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """True positive, false positive and false negative tokens of each page (see :func:`page_averaged`),
    or with ``shingle`` n > 1, of word n-grams, estimated from the lines (:func:`_shingle_counts`)."""
    if shingle > 1:
        return _shingle_counts(kept, positive, tokens, pages, gold, shingle)
    n_pages = len(gold)
    tp = np.minimum(np.bincount(pages, tokens * (kept & positive), minlength=n_pages), gold)
    fp = np.bincount(pages, tokens * (kept & ~positive), minlength=n_pages)
    return tp, fp, gold - tp


def _shingle_counts(
    kept: np.ndarray, positive: np.ndarray, tokens: np.ndarray, pages: np.ndarray, gold: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """True positive, false positive and false negative word n-grams of each page, as the benchmark's
    shingle metric counts them, estimated from the lines: the kept text of a page of K tokens holds
    K - n + 1 n-grams, its gold text of G tokens G - n + 1; the right ones are those inside runs of
    kept lines of the gold (consecutive among the page's gold lines, the others skipped), a run of T
    tokens holding T - n + 1. Token counts miss what this sees: text kept in fragments (every other
    cell of a table, a sentence here and there) keeps tokens of the gold but few of its n-grams."""
    n_pages = len(gold)
    span = n - 1
    predicted = np.maximum(np.bincount(pages, tokens * kept, minlength=n_pages) - span, 0)
    wanted = np.maximum(gold - span, 0)
    lines = np.flatnonzero(positive)
    on, page = kept[lines], pages[lines]
    starts = np.ones(len(lines), dtype=bool)
    starts[1:] = (on[1:] != on[:-1]) | (page[1:] != page[:-1])
    run = np.cumsum(starts) - 1
    run_tokens = np.bincount(run, tokens[lines])
    run_on, run_page = on[starts], page[starts]
    right = np.maximum(run_tokens - span, 0) * run_on
    tp = np.minimum(np.minimum(np.bincount(run_page, right, minlength=n_pages), wanted), predicted)
    return tp, predicted - tp, wanted - tp


def page_f1s(
    kept: np.ndarray, positive: np.ndarray, tokens: np.ndarray, pages: np.ndarray, gold: np.ndarray, shingle: int = 1
) -> np.ndarray:
    """The F1 of the kept text of each page, in word tokens or n-grams (arguments as
    :func:`page_averaged`); a page with nothing wrong scores 1."""
    tp, fp, fn = _page_counts(kept, positive, tokens, pages, gold, shingle)
    denominator = 2 * tp + fp + fn
    scores = np.ones(len(gold))
    np.divide(2 * tp, denominator, out=scores, where=denominator > 0)
    return scores


def page_averaged(
    kept: np.ndarray, positive: np.ndarray, tokens: np.ndarray, pages: np.ndarray, gold: np.ndarray, shingle: int = 1
) -> dict[str, float]:
    """Precision, recall and F1 of the kept text as the corpus benchmark measures them, counted in word
    tokens (or with ``shingle`` n > 1, word n-grams, see :func:`_shingle_counts`): per page, precision
    over the pages that keep something, recall over the pages with gold text, each averaged over
    pages, and F1 of the two averages. ``pages`` is each line's page (an index into ``gold``, the gold
    tokens of each page); gold text no line carries counts as missed."""
    n_pages = len(gold)
    tp, fp, fn = _page_counts(kept, positive, tokens, pages, gold, shingle)
    predicted, wanted = tp + fp > 0, tp + fn > 0
    # A page with nothing wrong scores 1 either way (as the benchmark's reference implementation has it).
    perfect = (fp == 0) & (fn == 0)
    page_precision = np.where(perfect, 1.0, np.divide(tp, tp + fp, out=np.zeros(n_pages), where=predicted))
    page_recall = np.where(perfect, 1.0, np.divide(tp, tp + fn, out=np.zeros(n_pages), where=wanted))
    precision = float(page_precision[predicted].mean()) if predicted.any() else 0.0
    recall = float(page_recall[wanted].mean()) if wanted.any() else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1(precision, recall), 4)}
