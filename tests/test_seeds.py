"""The product promise on the seed pages, with the shipped model: the whole article, none of the noise.

The shipped model saw these pages in training (they are in training/seeds); test_training.py holds
models trained without a page's outlet to the same promise on unseen outlets.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner import Cleaner, Options
from cleaner.training.labeled import read_labeled_pages

SEEDS = Path(__file__).resolve().parent.parent / "training" / "seeds"
SHARED_SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"
PAGES = read_labeled_pages([SEEDS])
ARTICLE = {"body", "heading"}
# Labels whose every line must go: they are what users complain about when a cleaner keeps them.
ALWAYS_DROPPED = {"classified", "comment", "related"}


@pytest.fixture(scope="module")
def shipped() -> Cleaner:
    return Cleaner.load()


@pytest.mark.parametrize("page", PAGES, ids=[p.source for p in PAGES])
def test_shipped_model_keeps_the_article_and_drops_the_noise(shipped: Cleaner, page):
    results = shipped.process(page.original_text(), Options(input_format="text")).results
    assert [r.text for r in results] == list(page.lines)
    lost = [r.text for r, label in zip(results, page.labels) if label in ARTICLE and not r.kept]
    assert lost == [], "article text dropped"
    kept_noise = [(label, r.text) for r, label in zip(results, page.labels) if label in ALWAYS_DROPPED and r.kept]
    assert kept_noise == []
    menus = [r.kept for r, label in zip(results, page.labels) if label == "nav"]
    assert sum(menus) <= 1, "menus and prompts kept"


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason="../shared/seeds is absent")
def test_labeled_seeds_are_the_shared_seed_pages():
    for page in PAGES:
        original = (SHARED_SEEDS / page.source).read_bytes().decode("utf-8")
        assert page.original_text() == original
