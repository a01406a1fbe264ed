"""The ScrapingHub article-extraction-benchmark metric: precision, recall and F1 over word 4-gram shingles.

Reproduces ``string_shingle_matching`` and ``metrics_from_tp_fp_fns`` of the reference implementation,
https://github.com/scrapinghub/article-extraction-benchmark/blob/master/evaluate.py (commit 11b407d):

* tokens are ``re.findall(r"\\w+", text)`` (Unicode word characters, so any language works);
* a page's shingles are the multiset of its token n-grams (n = 4); a text of 1..n-1 tokens has one
  shorter shingle holding all its tokens, an empty text has none;
* per page, with the multisets of true and predicted shingles, tp = Σ min(true, pred),
  fp = Σ max(0, pred - true), fn = Σ max(0, true - pred), then (tp, fp, fn) is divided by its sum
  (when the sum is positive) "so that longer texts do not have more weight";
* precision = mean over the pages with tp + fp > 0 (non-empty prediction) of the page precision,
  recall = mean over the pages with tp + fn > 0 (non-empty gold) of the page recall, and
  F1 = 2PR / (P + R) of those two means (not the mean of per-page F1s);
* page precision is 1 when fp = fn = 0, 0 when tp = fp = 0, else tp / (tp + fp); page recall alike.

One deliberate difference, asked for by this project: tokens are lower-cased by default (the reference
compiles its regex with ``re.IGNORECASE``, which does not change the tokens, so it is case-sensitive).
Pass ``lowercase=False`` for the reference's exact numbers. Where the reference would fail (a mean over no
pages, or P + R = 0) this module returns 0.0.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from cleaner.training.metrics import f1

# Shingle length of the reference benchmark.
DEFAULT_N = 4
# The reference tokenizer: runs of Unicode word characters (letters, digits, underscore of any script).
TOKEN_RE = re.compile(r"\w+")

TpFpFn = tuple[float, float, float]


@dataclass(frozen=True, slots=True)
class Scores:
    """Benchmark scores over a set of pages."""

    precision: float
    recall: float
    f1: float
    pages: int
    """Number of pages aggregated (including those that count for only one of precision and recall)."""


def tokenize(text: str, *, lowercase: bool = True) -> list[str]:
    """The reference tokens of ``text``: ``\\w+`` runs, lower-cased unless ``lowercase=False``."""
    if not text:
        return []
    return TOKEN_RE.findall(text.lower() if lowercase else text)


def shingle_counts(text: str, n: int = DEFAULT_N, *, lowercase: bool = True) -> Counter[tuple[str, ...]]:
    """Multiset of the token n-grams of ``text``; a text shorter than ``n`` tokens gives one shorter shingle."""
    tokens = tokenize(text, lowercase=lowercase)
    if not tokens:
        return Counter()
    if len(tokens) <= n:
        return Counter((tuple(tokens),))
    return Counter(zip(*(tokens[i:] for i in range(n))))


def page_scores(predicted: str, gold: str, n: int = DEFAULT_N, *, lowercase: bool = True) -> TpFpFn:
    """(tp, fp, fn) of ``predicted`` against ``gold`` shingles, normalised to sum to 1 (all 0 if both are empty)."""
    return shingle_overlap(
        shingle_counts(predicted, n, lowercase=lowercase), shingle_counts(gold, n, lowercase=lowercase)
    )


def shingle_overlap(predicted: Counter[tuple[str, ...]], gold: Counter[tuple[str, ...]]) -> TpFpFn:
    """:func:`page_scores` from the two texts' shingle multisets: a shingle counts as many times as it
    stands in both."""
    tp = fp = 0
    for key, predicted_count in predicted.items():
        gold_count = gold.get(key, 0)
        if predicted_count > gold_count:
            tp += gold_count
            fp += predicted_count - gold_count
        else:
            tp += predicted_count
    fn = sum(gold.values()) - tp
    total = tp + fp + fn
    if total == 0:
        return (0.0, 0.0, 0.0)
    return (tp / total, fp / total, fn / total)


def precision_score(tp: float, fp: float, fn: float) -> float:
    """Page precision as in the reference: 1 if nothing is wrong, 0 if nothing was predicted right."""
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def recall_score(tp: float, fp: float, fn: float) -> float:
    """Page recall as in the reference: 1 if nothing is wrong, 0 if no gold shingle was found."""
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def f1_score(tp: float, fp: float, fn: float) -> float:
    """F1 of one page's precision and recall (0 when both are 0)."""
    return f1(precision_score(tp, fp, fn), recall_score(tp, fp, fn))


def page_f1(predicted: str, gold: str, n: int = DEFAULT_N) -> float:
    """F1 of ``predicted`` against ``gold`` on one page."""
    return f1_score(*page_scores(predicted, gold, n))


def aggregate(scores: Iterable[TpFpFn]) -> Scores:
    """Benchmark precision, recall and F1 over pages, from their :func:`page_scores`.

    Precision is averaged over the pages with a non-empty prediction, recall over the pages with a
    non-empty gold text, and F1 is the harmonic mean of those two averages, as in the reference.
    """
    precisions: list[float] = []
    recalls: list[float] = []
    pages = 0
    for tp, fp, fn in scores:
        pages += 1
        if tp + fp > 0:
            precisions.append(precision_score(tp, fp, fn))
        if tp + fn > 0:
            recalls.append(recall_score(tp, fp, fn))
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    return Scores(precision=precision, recall=recall, f1=f1(precision, recall), pages=pages)
