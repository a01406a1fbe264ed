"""The compiled model and decision steps (``features/_context.pyx``, ``model/_passes.pyx``,
``decide/_page_check.pyx``) against their references on what the shipped models really feed them:
corpus pages, as HTML and as text, alone and in batches. Bit for bit: a page's results must not
depend on which core runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from cores import both_cores

from cleaner import Cleaner, Options, core
from cleaner.decide.page_check import main_regions, narrowing_inputs
from cleaner.decide.threshold import decide
from cleaner.features.registry import feature_matrix
from cleaner.read.prose import prose_lines
from cleaner.records import PageBatch
from cleaner.render import render_lines

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
BATCH = 5  # pages a batch, beside each page alone

pytestmark = [
    pytest.mark.skipif(not CORPORA.is_dir(), reason="the shared corpora are not there"),
    pytest.mark.skipif(
        any(
            core._built(name) is None
            for name in ("cleaner.features._context", "cleaner.model._passes", "cleaner.decide._page_check")
        ),
        reason="the compiled core is not built",
    ),
]


def check_pages(monkeypatch: pytest.MonkeyPatch, limit: int | None) -> int:
    from cleaner.corpus.pages import iter_corpus_pages

    cleaner = Cleaner.load()
    html, text = Options(input_format="html"), Options(input_format="text")
    reads: dict[str, list] = {"html": [], "text": []}
    for page in iter_corpus_pages(CORPORA, limit=limit, raw=True):
        read = cleaner.models.read(page.html, html)
        reads["html"].append(read)
        reads["text"].append(cleaner.models.read(render_lines(read.numbers, read.texts), text))
    checked = 0
    for input_format, pages in reads.items():
        model = cleaner.models.for_html() if input_format == "html" else cleaner.models.for_text()
        groups = [[page] for page in pages] + [pages[i : i + BATCH] for i in range(0, len(pages), BATCH)]
        for group in groups:
            batch = PageBatch.of(group)
            if not len(batch.texts):
                continue
            matrix = feature_matrix(batch, model.settings.feature_sets, model.line_columns)
            logits, reference = both_cores(monkeypatch, lambda: model.logits(matrix))
            assert logits.tobytes() == reference.tobytes()
            predicted, expected = both_cores(monkeypatch, lambda: model.predict(matrix, batch))
            assert predicted.tobytes() == expected.tobytes()
            decisions = decide(
                model.predict(matrix, batch), model.labels, model.keep, model.threshold, model.smoothing, batch.bounds
            )
            prose = prose_lines(batch.texts)
            regions = main_regions(decisions, batch.line_chars(), batch.bounds, batch.in_main)
            (inputs, applies), (expected, expected_applies) = both_cores(
                monkeypatch, lambda: narrowing_inputs(decisions, batch.line_chars(), batch.bounds, prose, regions)
            )
            assert inputs.tobytes() == expected.tobytes()
            assert applies.tolist() == expected_applies.tolist()
            checked += 1
    return checked


def test_compiled_predictions_and_page_check_inputs_are_the_reference_on_corpus_pages(monkeypatch):
    assert check_pages(monkeypatch, limit=3) > 0


@pytest.mark.exhaustive
def test_compiled_predictions_and_page_check_inputs_are_the_reference_on_every_corpus_page(monkeypatch):
    assert check_pages(monkeypatch, limit=None) > 0
