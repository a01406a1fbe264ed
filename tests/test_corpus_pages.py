"""Guarantees checked on the pages of the public corpora: on every fourth page in the default run
(slow: about a minute), on every page with ``-m exhaustive`` (a few minutes).

- A page whose visible text holds 500 characters or more never comes out of the segmenter without a
  block: content hidden until scripts run, or served in <noscript>, is read when nothing else is.
- No single feature contributes more than 8 to any logit, on any line, in either pass of either
  shipped model (to any label's logit in the first pass, to the keep-or-drop log-odds in the second):
  no rare feature decides a line alone.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from lxml import etree, html

from cleaner import Cleaner
from cleaner.features import feature_matrix
from cleaner.read import read_html, read_text
from cleaner.records import PageBatch
from cleaner.render import render_lines
from cleaner.training.passes import MAX_CONTRIBUTION

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
VISIBLE_CHARS = 500
# Elements whose text a browser never shows, whatever the page (scripts, styles, templates).
_INVISIBLE = ("script", "style", "template")

# The default run checks every SAMPLE_STEP-th page of each corpus.
SAMPLE_STEP = 4

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not CORPORA.is_dir(), reason="the shared corpora are not there")]


@pytest.fixture(
    scope="module", params=[SAMPLE_STEP, pytest.param(1, marks=pytest.mark.exhaustive)], ids=["sample", "all"]
)
def pages(request):
    from cleaner.corpus.pages import iter_corpus_pages

    return [page for i, page in enumerate(iter_corpus_pages(CORPORA, raw=True)) if i % request.param == 0]


def visible_chars(page: str) -> int:
    """Characters of text lxml finds in the page, scripts, styles and templates aside."""
    try:
        root = html.document_fromstring(page.encode("utf-8", "replace"))
    except (etree.ParserError, ValueError):
        return 0
    etree.strip_elements(root, *_INVISIBLE, with_tail=False)
    return len("".join(root.text_content().split()))


def test_a_page_with_visible_text_has_blocks(pages):
    empty = [page.id for page in pages if not read_html(page.html).texts and visible_chars(page.html) >= VISIBLE_CHARS]
    assert empty == []


def test_no_single_feature_decides_a_line(pages):
    shipped = Cleaner.load()
    worst = 0.0
    for model, as_text in ((shipped.html_model, False), (shipped.text_model, True)):
        assert model is not None
        for page in pages:
            read = read_html(page.html, markup=not as_text)
            if as_text:
                read = read_text(render_lines(read.numbers, read.texts))
            if not read.texts:
                continue
            batch = PageBatch.of([read])
            matrix = feature_matrix(batch, model.settings.feature_sets, model.line_columns)
            largest = float(np.max(model.contributions(matrix, batch)))
            worst = max(worst, largest)
            assert largest <= MAX_CONTRIBUTION + 1e-9, (page.corpus, page.id, "text" if as_text else "html", largest)
    assert worst > 0
