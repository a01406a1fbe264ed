"""The text view (cleaner/model/text_view.py): the text model's probabilities mixed into the HTML model's on
HTML pages that do not declare themselves articles, and only there."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from cleaner import Cleaner, Options
from cleaner.features import feature_matrix
from cleaner.model.text_view import (
    TEXT_VIEW,
    TEXT_VIEW_WEIGHT,
    can_view,
    text_view,
    viewed_lines,
    with_text_view,
)
from cleaner.read import read_html
from cleaner.read.page_kind import declares_article
from cleaner.records import PageBatch, PageSignals

PROSE = "<p>Le conseil municipal a voté le budget hier soir, après une séance de trois heures et demie.</p>"
MENU = "<ul><li><a href='/'>Accueil</a></li><li><a href='/sport'>Sport</a></li></ul>"


def page(head: str = "", body: str = MENU + PROSE * 3) -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


def ld(kind: str) -> str:
    return f'<script type="application/ld+json">{json.dumps({"@type": kind, "headline": "Budget"})}</script>'


@pytest.fixture(scope="module")
def shipped() -> Cleaner:
    return Cleaner.load()


@pytest.mark.parametrize(
    ("signals", "article"),
    [
        (PageSignals(), False),
        (PageSignals(page_type="website"), False),
        (PageSignals(page_type="product"), False),
        (PageSignals(page_type="article"), True),
        (PageSignals(page_type="article:section"), True),
        (PageSignals(jsonld=(json.dumps({"@type": "NewsArticle"}),)), True),
        (PageSignals(jsonld=(json.dumps({"@graph": [{"@type": "WebPage"}, {"@type": "BlogPosting"}]}),)), True),
        (PageSignals(jsonld=(json.dumps({"@type": "http://schema.org/Article"}),)), True),
        # A forum thread's posts are not an article; neither is a product or a page.
        (PageSignals(jsonld=(json.dumps({"@type": "DiscussionForumPosting"}),)), False),
        (PageSignals(jsonld=(json.dumps({"@type": ["Product", "WebPage"]}),)), False),
        (PageSignals(jsonld=("{not json",)), False),
    ],
)
def test_what_declares_an_article(signals, article):
    assert declares_article(signals) is article


def test_the_segmenter_reads_the_open_graph_type():
    assert read_html(page('<meta property="og:type" content=" Article ">')).signals.page_type == "article"
    assert read_html(page('<meta name="og:type" content="website"><meta property="og:type" content="article">')).signals.page_type == "website"  # fmt: skip
    assert read_html(page()).signals.page_type == ""


def test_only_html_pages_that_do_not_declare_an_article_are_viewed():
    pages = [read_html(page()), read_html(page(ld("NewsArticle"))), read_html(page(ld("Product")))]
    batch = PageBatch.of(pages)
    sizes = [len(p.texts) for p in pages]
    assert viewed_lines(batch).tolist() == [True] * sizes[0] + [False] * sizes[1] + [True] * sizes[2]
    text_page = PageBatch.one(["Une ligne.", "Une autre."], [1, 2])
    assert not viewed_lines(text_page).any()


def test_the_shipped_models_pair_up(shipped):
    assert shipped.html_model.view is shipped.text_model
    assert can_view(shipped.html_model, shipped.text_model)
    assert not can_view(shipped.text_model, shipped.text_model)
    assert Cleaner(None, shipped.html_model).html_model.view is None  # no text model, no view
    # The pairing is never saved: the model file is the one that was loaded.
    assert shipped.html_model.to_dict() == replace(shipped.html_model, view=None).to_dict()


def test_a_text_model_reading_other_features_is_no_view(shipped):
    other = replace(shipped.text_model, settings=replace(shipped.text_model.settings, window=3))
    assert not can_view(shipped.html_model, other)
    assert Cleaner(other, shipped.html_model).html_model.view is None


def test_the_view_reads_the_text_models_own_features(shipped):
    """The text model's columns are the first of the HTML model's: the view equals the text model
    reading the page's lines itself."""
    read = read_html(page())
    batch = PageBatch.of([read])
    html, text = shipped.html_model, shipped.text_model
    matrix = feature_matrix(batch, html.settings.feature_sets, html.line_columns)
    own = text.predict(feature_matrix(batch, text.settings.feature_sets, text.line_columns), batch)
    assert np.array_equal(text_view(matrix, batch, text), own)


def test_the_mix_weighs_the_text_view_on_viewed_lines_only(shipped):
    reads = [read_html(page()), read_html(page('<meta property="og:type" content="article">'))]
    batch = PageBatch.of(reads)
    html, text = shipped.html_model, shipped.text_model
    matrix = feature_matrix(batch, html.settings.feature_sets, html.line_columns)
    own = html.predict(matrix, batch)
    viewed = viewed_lines(batch)
    mixed = with_text_view(own, matrix, batch, text, viewed)
    expected = (1 - TEXT_VIEW_WEIGHT) * own[viewed] + TEXT_VIEW_WEIGHT * text_view(matrix, batch, text)[viewed]
    assert np.allclose(mixed[viewed], expected)
    assert np.array_equal(mixed[~viewed], own[~viewed])
    assert np.allclose(mixed.sum(axis=1), 1.0)
    # A page reads the same alone as in a batch (to the last bits, which batching may move).
    single = PageBatch.of(reads[:1])
    single_matrix = feature_matrix(single, html.settings.feature_sets, html.line_columns)
    alone = with_text_view(html.predict(single_matrix, single), single_matrix, single, text, viewed_lines(single))
    assert np.allclose(alone, mixed[: len(reads[0].texts)], rtol=0, atol=1e-12)


def test_explanations_say_when_the_view_was_read(shipped):
    viewed = shipped.classify_html(page(), Options(explain=True))
    assert all(result.explanation[0][0] == TEXT_VIEW for result in viewed)
    declared = shipped.classify_html(page(ld("NewsArticle")), Options(explain=True))
    assert all(name != TEXT_VIEW for result in declared for name, _ in result.explanation)
