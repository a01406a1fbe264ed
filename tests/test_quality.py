"""Quality gate: the shipped models on the first pages of every public corpus, with pinned floors.

The shipped models are trained on every corpus page (training/build_models.py), so these pages were
seen in training: the floors guard against regressions, they are not held-out figures. Floors sit a
little under the figures measured with the models in models/ (in comments). Held-out figures, with
each corpus cleaned by a model trained without it, and the comparison with other extractors come
from `cleaner benchmark` (docs/benchmarks.md).
"""

from __future__ import annotations

import pytest

from cleaner import Cleaner, Options
from cleaner.corpus.pages import CORPORA, default_corpora_dir, iter_corpus_pages
from cleaner.corpus.scoring import aggregate, page_scores
from cleaner.read import segment_html
from cleaner.render import render_text

PAGES_PER_CORPUS = 12
# ScrapingHub shingle F1 over the gate's pages, per corpus (measured values in comments).
HTML_FLOORS = {
    "cleaneval": 0.86,  # 0.909
    "cleanportaleval": 0.95,  # 0.972
    "dragnet": 0.85,  # 0.875
    "l3s-gn1": 0.92,  # 0.966
    "readability": 0.94,  # 0.970
    "fundus": 0.93,  # 0.963
    "msv": 0.94,  # 0.975
    "googletrends2017": 0.70,  # 0.837
    "magichtml": 0.75,  # 0.781
}
TEXT_FLOORS = {
    "cleaneval": 0.84,  # 0.864
    "cleanportaleval": 0.92,  # 0.973
    "dragnet": 0.79,  # 0.838
    "l3s-gn1": 0.89,  # 0.942
    "readability": 0.88,  # 0.927
    "fundus": 0.91,  # 0.940
    "msv": 0.95,  # 0.983
    "googletrends2017": 0.66,  # 0.701
    "magichtml": 0.70,  # 0.754
}


@pytest.fixture(scope="module")
def gate_pages():
    root = default_corpora_dir()
    if not root.is_dir():
        pytest.skip(f"{root} is absent")
    chosen: dict[str, list] = {corpus: [] for corpus in CORPORA}
    for page in iter_corpus_pages(root, limit=PAGES_PER_CORPUS):
        chosen[page.corpus].append(page)
    return chosen


@pytest.fixture(scope="module")
def shipped() -> Cleaner:
    return Cleaner.load()


@pytest.mark.parametrize("corpus", CORPORA)
def test_html_mode_quality(corpus, gate_pages, shipped):
    scores = [page_scores(shipped.clean_html(page.html), page.gold) for page in gate_pages[corpus]]
    assert aggregate(scores).f1 >= HTML_FLOORS[corpus]


@pytest.mark.parametrize("corpus", CORPORA)
def test_text_mode_quality(corpus, gate_pages, shipped):
    options = Options(input_format="text")
    scores = [
        page_scores(shipped.clean(render_text(segment_html(page.html)), options), page.gold)
        for page in gate_pages[corpus]
    ]
    assert aggregate(scores).f1 >= TEXT_FLOORS[corpus]
