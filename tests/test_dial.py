"""The threshold is one precision/recall dial (cleaner.decide.dial): a lower one never keeps less, a higher one
never keeps more, and the model's own threshold keeps what the default keeps, on every page the rules
act on (the fallback, the page check, the main container, the parts)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cleaner import Cleaner, Options
from cleaner.corpus.pages import default_corpora_dir, iter_corpus_pages
from cleaner.decide.dial import DROPPED_BY_DIAL, KEPT_BY_DIAL
from cleaner.pipeline import decide_pages

PAGES_PER_CORPUS = 6
DIALS = (0.02, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.98)


@pytest.fixture(scope="module")
def shipped() -> Cleaner:
    return Cleaner.load()


@pytest.fixture(scope="module")
def corpus_html() -> list[str]:
    root = default_corpora_dir()
    if not root.is_dir():
        pytest.skip(f"{root} is absent")
    return [page.html for page in iter_corpus_pages(root, limit=PAGES_PER_CORPUS)]


def kept(cleaner: Cleaner, html: str, threshold: float | None) -> np.ndarray:
    page = cleaner.read_page(html, Options(input_format="html"))
    return decide_pages([page], cleaner.html_model, Options(threshold=threshold)).kept


def test_the_dial_keeps_more_as_it_goes_down_and_the_models_threshold_keeps_the_default(shipped, corpus_html):
    model_threshold = shipped.html_model.threshold
    for html in corpus_html:
        default = kept(shipped, html, None)
        assert (kept(shipped, html, model_threshold) == default).all()
        previous = None
        for threshold in sorted({*DIALS, model_threshold}):
            now = kept(shipped, html, threshold)
            if previous is not None:
                assert not (now & ~previous).any(), f"a higher threshold ({threshold}) kept a line more"
            assert (now >= default).all() if threshold <= model_threshold else (now <= default).all()
            previous = now


def test_the_dial_says_what_it_kept_and_dropped(shipped, seed_text_files):
    text = seed_text_files["002"].read_text(encoding="utf-8")  # related links at 0.1-0.25, its story at 0.87+
    default = {r.number: r for r in shipped.classify(text, Options(input_format="text"))}
    for threshold, name in ((0.05, KEPT_BY_DIAL), (0.95, DROPPED_BY_DIAL)):
        results = shipped.classify(text, Options(input_format="text", threshold=threshold, explain=True))
        moved = [r for r in results if r.kept != default[r.number].kept]
        assert moved, f"the seed page has lines between the model's threshold and {threshold}"
        assert all(r.explanation[0] == (name, threshold) for r in moved)
        assert not any(
            r.explanation[:1] and r.explanation[0][0] in (KEPT_BY_DIAL, DROPPED_BY_DIAL)
            for r in results
            if r not in moved
        )


def test_a_page_that_fell_back_says_so_while_it_keeps_what_the_fallback_gave(shipped, monkeypatch):
    # With the share raised above 1, every page holding prose counts as one the model left (nearly)
    # empty, and keeps its best region.
    monkeypatch.setattr("cleaner.decide.fallback.FALLBACK_KEPT_SHARE", 2.0)
    example = (Path(__file__).resolve().parents[1] / "docs" / "example.html").read_bytes()
    default = shipped.article(example)
    assert default.fallback
    assert shipped.article(example, Options(threshold=0.05)).fallback  # a lower threshold keeps them all
    high = shipped.article(example, Options(threshold=0.999))
    assert not high.fallback and high.kept <= default.kept
