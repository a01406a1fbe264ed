"""The ScrapingHub article-extraction-benchmark metric, on examples computed by hand."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from cleaner.corpus.scoring import (
    Scores,
    aggregate,
    f1_score,
    page_f1,
    page_scores,
    precision_score,
    recall_score,
    shingle_counts,
    tokenize,
)

approx = pytest.approx


def test_tokens_are_lowercased_unicode_words():
    assert tokenize("Hello, World! It's 2024_x") == ["hello", "world", "it", "s", "2024_x"]
    assert tokenize("Árvíztűrő tükörfúrógép — naïve café") == ["árvíztűrő", "tükörfúrógép", "naïve", "café"]
    assert tokenize("Kosovo?s future") == tokenize("Kosovo’s future") == ["kosovo", "s", "future"]
    assert tokenize("") == []
    assert tokenize("Hello World", lowercase=False) == ["Hello", "World"]


def test_shingles_are_token_4grams():
    assert shingle_counts("The cat sat on the mat") == Counter(
        {("the", "cat", "sat", "on"): 1, ("cat", "sat", "on", "the"): 1, ("sat", "on", "the", "mat"): 1}
    )
    # repeated 4-grams are counted
    assert shingle_counts("x y z w x y z w")[("x", "y", "z", "w")] == 2
    assert sum(shingle_counts("x y z w x y z w").values()) == 5


def test_short_texts_make_one_shorter_shingle():
    assert shingle_counts("Hello, World!") == Counter({("hello", "world"): 1})
    assert shingle_counts("a b c d") == Counter({("a", "b", "c", "d"): 1})
    assert shingle_counts("") == Counter()
    assert shingle_counts("  -- !! ") == Counter()
    assert shingle_counts("a b c", n=2) == Counter({("a", "b"): 1, ("b", "c"): 1})


def test_page_scores_identical_and_disjoint():
    assert page_scores("The cat sat on the mat.", "the CAT sat, on the mat") == (1.0, 0.0, 0.0)
    # 3 predicted shingles, 3 gold shingles, none shared: tp 0, fp 3, fn 3 → normalised by 6
    assert page_scores("a b c d e f", "u v w x y z") == approx((0.0, 0.5, 0.5))


def test_page_scores_partial():
    # gold shingles abcd bcde cdef; predicted abcd bcde: tp 2, fp 0, fn 1 → / 3
    tp, fp, fn = page_scores("a b c d e", "a b c d e f")
    assert (tp, fp, fn) == approx((2 / 3, 0.0, 1 / 3))
    assert precision_score(tp, fp, fn) == 1.0
    assert recall_score(tp, fp, fn) == approx(2 / 3)
    assert f1_score(tp, fp, fn) == approx(0.8)
    assert page_f1("a b c d e", "a b c d e f") == approx(0.8)


def test_page_scores_count_repeated_shingles():
    # gold has xyzw twice (and yzwx zwxy wxyz once); prediction has xyzw once: tp 1, fp 0, fn 4
    assert page_scores("x y z w", "x y z w x y z w") == approx((0.2, 0.0, 0.8))
    # extra copies in the prediction are false positives
    assert page_scores("x y z w x y z w", "x y z w") == approx((0.2, 0.8, 0.0))


def test_page_scores_empty_sides():
    assert page_scores("", "") == (0.0, 0.0, 0.0)
    assert page_scores("", "some gold text here") == (0.0, 0.0, 1.0)
    assert page_scores("some predicted text", "") == (0.0, 1.0, 0.0)
    # the reference's conventions: nothing wrong → 1, nothing right → 0
    assert precision_score(0.0, 0.0, 0.0) == recall_score(0.0, 0.0, 0.0) == 1.0
    assert precision_score(0.0, 0.0, 1.0) == 0.0  # nothing predicted
    assert recall_score(0.0, 1.0, 0.0) == 0.0  # no gold
    assert page_f1("", "") == 1.0
    assert page_f1("", "gold") == 0.0


def test_case_sensitivity_is_optional():
    assert page_scores("Foo Bar", "foo bar") == (1.0, 0.0, 0.0)
    assert page_scores("Foo Bar", "foo bar", lowercase=False) == approx((0.0, 0.5, 0.5))


def test_aggregate_averages_precision_and_recall_over_their_own_pages():
    pages = [
        (1.0, 0.0, 0.0),  # perfect: P 1, R 1
        (0.0, 0.0, 1.0),  # empty prediction: no precision, R 0
        (0.0, 1.0, 0.0),  # empty gold: P 0, no recall
        (0.5, 0.5, 0.0),  # P 0.5, R 1
        (0.0, 0.0, 0.0),  # both empty: counts for neither
    ]
    scores = aggregate(pages)
    precision = (1 + 0 + 0.5) / 3
    recall = (1 + 0 + 1) / 3
    assert scores.precision == approx(precision)
    assert scores.recall == approx(recall)
    assert scores.f1 == approx(2 * precision * recall / (precision + recall))  # F1 of the means
    assert scores.pages == 5


def test_aggregate_of_generated_pages_and_of_nothing():
    gold = ["the quick brown fox jumps over the lazy dog", "lorem ipsum dolor sit amet consectetur"]
    predicted = ["the quick brown fox jumps", "lorem ipsum dolor sit amet consectetur adipiscing elit"]
    scores = aggregate(page_scores(p, g) for p, g in zip(predicted, gold))
    # page 1: gold 6 shingles, predicted 2, all shared → P 1, R 1/3; page 2: gold 3, predicted 5 → P 3/5, R 1
    assert scores.precision == approx((1 + 3 / 5) / 2)
    assert scores.recall == approx((1 / 3 + 1) / 2)
    assert aggregate([]) == Scores(precision=0.0, recall=0.0, f1=0.0, pages=0)


def test_scores_are_frozen():
    scores = aggregate([(1.0, 0.0, 0.0)])
    with pytest.raises(AttributeError):
        scores.f1 = 0.5  # type: ignore[misc]


def test_shingle_counts_from_lines_match_the_benchmark_s_on_the_kept_text():
    # Lines of distinct words: the n-grams of the kept text against those of the gold (the page's
    # positive lines, joined) count exactly what the estimate from lines and tokens counts, as long as
    # no line outside the gold is kept between two of it (its n-grams across the join would be wrong
    # ones the estimate takes for right).
    from cleaner.training.metrics import _shingle_counts

    def shingles(words: list[str]) -> Counter:
        return Counter(zip(*(words[i:] for i in range(4))))

    rng = np.random.default_rng(0)
    for _ in range(200):
        n_lines = int(rng.integers(1, 12))
        tokens = rng.integers(1, 7, size=n_lines)
        words = [[f"w{line}_{k}" for k in range(count)] for line, count in enumerate(tokens)]
        positive = rng.random(n_lines) < 0.7
        kept = positive & (rng.random(n_lines) < 0.7)
        gold_words = [w for line in np.flatnonzero(positive) for w in words[line]]
        kept_words = [w for line in np.flatnonzero(kept) for w in words[line]]
        if len(gold_words) <= 4 or len(kept_words) <= 4:
            continue  # the benchmark counts a text of n words or fewer as one n-gram
        gold, predicted = shingles(gold_words), shingles(kept_words)
        tp = sum((gold & predicted).values())
        expected = (tp, sum(predicted.values()) - tp, sum(gold.values()) - tp)
        found = _shingle_counts(kept, positive, tokens, np.zeros(n_lines, dtype=int), np.array([len(gold_words)]), 4)
        assert tuple(int(x[0]) for x in found) == expected
