"""The pipeline: read a page once, cut it into lines, compute their features, predict their labels,
decide what to keep, render.

    page = read_page(data, ...)                              # read: sniff, decode, lines or HTML blocks
    matrix = feature_matrix(PageBatch.of([page]), ...)       # features
    probabilities = model.predict(matrix, batch)             # model (and its second pass)
    decisions = decide(probabilities, ...)                   # decide: smoothing, threshold
    render_kept(page.numbers, page.texts, decisions.kept)    # render

:func:`decide_pages` runs the middle stages for a batch of pages at once (a page gets the same
results in a batch as alone); :func:`articles` and :func:`classified` finish them as text or as a
result per line. :class:`Models` says which model reads which page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import partial

import numpy as np

from cleaner.blas import one_blas_thread
from cleaner.core import CoreChoice
from cleaner.decide.dial import DROPPED_BY_DIAL, KEPT_BY_DIAL, with_dial
from cleaner.decide.fallback import KEPT_BY_FALLBACK, fall_back
from cleaner.decide.notes import NOT_CHANGED, PART_NOTES, part_explanations
from cleaner.decide.page_check import OUTSIDE_MAIN, check_pages, main_regions, narrowing_inputs
from cleaner.decide.parts import KEPT_IN_MAIN, html_rules
from cleaner.decide.threshold import Decisions, decide
from cleaner.errors import ModelError
from cleaner.features import feature_matrix
from cleaner.model import Model
from cleaner.model.regression import keep_probability
from cleaner.model.text_view import TEXT_VIEW, can_view, text_view, viewed_lines, with_text_view
from cleaner.options import Options, checked_options
from cleaner.read import TreeReader, read_html, read_page
from cleaner.read.prose import batch_prose
from cleaner.read.titles import title_lines
from cleaner.records import PageBatch, ReadPage
from cleaner.render import render_kept
from cleaner.results import Article, LineResult, Page

# A page of more lines is classified in parts of at most this many lines, each read as a page of its
# own (its position, context and region features, its second pass and its decisions within the
# part): what a page costs in memory then stops growing with its lines, at about 2 KB a line (its
# feature matrix, the scans beside it, the two passes' products). Ten times the longest corpus page
# (2,753 lines): a page of prose cut here is 2 MB of text or more; pages of hundreds of thousands of
# one-word blocks (4 MB of HTML, 1 GB whole) are what it bounds.
MAX_PAGE_LINES = 20_000
# The entries of an explanation that name a decision rule (or the text view) with the value it
# decided by: a threshold, a share, the page check's log-odds, the text model's keep-probability. The
# other entries are features, with their contributions to the line's log-odds.
RULE_NOTES = frozenset(
    {
        TEXT_VIEW,
        KEPT_BY_FALLBACK,
        OUTSIDE_MAIN,
        KEPT_IN_MAIN,
        *PART_NOTES,
        KEPT_BY_DIAL,
        DROPPED_BY_DIAL,
    }
)


@dataclass(frozen=True, eq=False)
class Models:
    """The models of a cleaner: one for text, one for HTML (either may be missing, not both). A text
    model serves HTML too, reading the page's blocks as a text dump would show them (no markup)."""

    text: Model | None
    html: Model | None = None

    def __post_init__(self) -> None:
        if self.text is None and self.html is None:
            raise ModelError("a Cleaner needs at least one model")
        if self.html is not None:
            # The HTML model reads its pages with the text model's view beside its own (cleaner.model.text_view),
            # this pair's text model or none (a model given paired with another drops that one).
            view = self.text if self.text is not None and can_view(self.html, self.text) else None
            if self.html.view is not view:
                object.__setattr__(self, "html", replace(self.html, view=view))

    def for_text(self) -> Model:
        if self.text is None:
            raise ModelError("this model was trained on HTML features; it cannot clean plain text")
        return self.text

    def for_html(self) -> Model:
        model = self.html or self.text
        assert model is not None  # __post_init__ requires one of them
        return model

    def for_page(self, page: ReadPage) -> Model:
        return self.for_html() if page.input_format == "html" else self.for_text()

    def read(
        self, data: str | bytes, options: Options, *, links: bool = False, tree_reader: TreeReader | None = None
    ) -> ReadPage:
        """The read stage for these models: markup only for a model that reads it (``links`` and
        ``tree_reader`` as for :func:`cleaner.read.read_page`). Raises :class:`OptionsError` for bad
        options before any work, and TypeError for options that are not an :class:`Options`."""
        options = checked_options(options)
        markup = self.for_html().settings.uses_markup
        page = read_page(data, options.input_format, markup=markup, links=links, tree_reader=tree_reader)
        if page.input_format == "text":
            self.for_text()  # a text page needs a text model: refused before any work
        return page

    def read_html(self, data: str | bytes) -> ReadPage:
        return read_html(data, markup=self.for_html().settings.uses_markup)


def decide_pages(pages: Sequence[ReadPage], model: Model, options: Options) -> Decisions:
    """Features, model and decisions for the lines of ``pages`` (all read for ``model``), one page after
    the other; a page of more than :data:`MAX_PAGE_LINES` lines in parts."""
    decisions, _, owners = _decide_parts(pages, model, options)
    return decisions if owners is None else decisions.of_pages(owners, len(pages))


def _decide_parts(
    pages: Sequence[ReadPage], model: Model, options: Options
) -> tuple[Decisions, PageBatch, list[int] | None]:
    """:func:`decide_pages`'s decisions with a long page's parts as pages of their own, the batch read
    so, and each part's page (None when no page was cut)."""
    batch, owners = PageBatch.of(pages).cut(MAX_PAGE_LINES)
    with CoreChoice():
        with one_blas_thread():
            if owners is None:
                probabilities = label_probabilities(batch, model)
            else:  # a part at a time: a long page's feature matrix is the largest thing it would hold
                probabilities = np.concatenate([label_probabilities(part, model) for part in batch.each_page()])
        return decide_batch(probabilities, batch, model, options), batch, owners


def label_probabilities(batch: PageBatch, model: Model) -> np.ndarray:
    """The label probabilities of the batch's lines (the text view mixed in where it reads): the features
    and model stages, as :func:`decide_pages` runs them (under one BLAS thread)."""
    matrix = feature_matrix(batch, model.settings.feature_sets, model.line_columns)
    probabilities = model.predict(matrix, batch)
    if model.view is not None:
        probabilities = with_text_view(probabilities, matrix, batch, model.view, viewed_lines(batch))
    return probabilities


def decide_batch(probabilities: np.ndarray, batch: PageBatch, model: Model, options: Options) -> Decisions:
    """The decisions for a batch of pages from ``model``'s label ``probabilities`` of their lines:
    threshold and smoothing, then the fallback, the page check, the main container's lower threshold,
    the parts of an HTML page decided whole and its ``<main>`` and ``<article>`` elements (see
    :func:`decide_pages`); last, an explicit threshold moves what they decided (:mod:`cleaner.decide.dial`)."""
    options = checked_options(options)
    decisions = _decide_by_rules(probabilities, batch, model, options)
    if options.threshold is None:
        return decisions
    return with_dial(decisions, options.threshold, model.threshold, batch.bounds)


def _decide_by_rules(probabilities: np.ndarray, batch: PageBatch, model: Model, options: Options) -> Decisions:
    """:func:`decide_batch` at the model's threshold, before the user's dial."""
    smoothing = model.smoothing if options.smoothing is None else options.smoothing
    decisions = decide(probabilities, model.labels, options.keep, model.threshold, smoothing, batch.bounds)
    narrowing = model.narrowing if options.narrow else None
    main_threshold = model.main_threshold if options.narrow and batch.in_main is not None else None
    if not options.fallback and narrowing is None and main_threshold is None:
        return html_rules(decisions, model.labels, batch, None, None, options.narrow, options.keep)
    prose, chars = batch_prose(batch), batch.line_chars()
    if options.fallback:
        decisions = fall_back(decisions, chars, batch.bounds, prose, batch.in_main)
    if narrowing is not None:
        titles = partial(title_lines, batch)
        decisions = check_pages(decisions, chars, batch.bounds, prose, batch.in_main, narrowing.logit, titles)
    return html_rules(decisions, model.labels, batch, prose, main_threshold, options.narrow, options.keep)


def articles(pages: Sequence[ReadPage], model: Model, options: Options) -> list[Article]:
    """The kept text of each page (all read for ``model``), classified together."""
    decisions = decide_pages(pages, model, options)
    kept = decisions.kept
    out = []
    start = 0
    for index, page in enumerate(pages):
        end = start + len(page.texts)
        mask = kept[start:end]
        count = int(mask.sum())
        text = render_kept(page.numbers, page.texts, mask.tolist())
        fallback, narrowed = decisions.page_flags(index)
        dropped = end - start - count
        from_data = page.signals.from_data
        out.append(Article(text, count, dropped, page.input_format, page.replaced, fallback, narrowed, from_data))
        start = end
    return out


def classified(page: ReadPage, model: Model, options: Options, *, probabilities: bool = True) -> Page:
    """A result per line of ``page`` (read for ``model``); blank lines of a text get the label ``-``.

    With ``probabilities=False`` the results' ``probabilities`` dicts are left empty (label,
    keep-probability and decision are the same): for callers that only need the decisions.
    """
    options = checked_options(options)
    decisions, batch, owners = _decide_parts([page], model, options)
    labels = model.labels
    # Python floats and ints once per page, not numpy scalars once per line: the same values.
    best_of = decisions.probabilities.argmax(axis=1).tolist() if page.texts else []
    explain = None
    if options.explain and page.texts:
        # The rules are explained as they decided, before the dial moved their decisions.
        ruled = decisions if decisions.dialled is None else decisions.changed(kept=decisions.kept ^ decisions.dialled)
        explain = _dial_explanations(_explanations(batch, model, best_of, ruled, options.keep), decisions, options)
    kept_of = decisions.kept.tolist()
    keep_of = decisions.keep.tolist()
    rows = decisions.probabilities.tolist() if probabilities else None
    results = [
        LineResult(
            number,
            text,
            labels[best_of[row]],
            round(keep_of[row], 4),
            kept_of[row],
            dict(zip(labels, [round(p, 4) for p in rows[row]])) if rows is not None else {},
            explain[row] if explain is not None else (),
        )
        for row, (number, text) in enumerate(zip(page.numbers, page.texts))
    ]
    if page.lines is not None:  # a text page: every line gets a result, blank ones too
        by_number = dict(zip(page.numbers, results))
        results = [
            by_number.get(number) or LineResult(number, text, "-", 0.0, False)
            for number, text in enumerate(page.lines, start=page.first_line)
        ]
    fallback, narrowed = (decisions if owners is None else decisions.of_pages(owners, 1)).page_flags(0)
    return Page(results, page.input_format, page.replaced, fallback, narrowed, page.signals.from_data)


def _model_explanations(
    batch: PageBatch, model: Model, best: list[int], keep: Sequence[str]
) -> list[tuple[tuple[str, float], ...]]:
    """The model's reasons for each line of ``batch`` (see :func:`_explanations`)."""
    matrix = feature_matrix(batch, model.settings.feature_sets, model.line_columns)
    found = model.explain(matrix, batch, best)
    if model.view is not None and viewed_lines(batch).all():
        view = keep_probability(text_view(matrix, batch, model.view), model.labels, keep)
        found = [((TEXT_VIEW, round(float(p), 3)), *why) for why, p in zip(found, view.tolist())]
    return found


def _dial_explanations(
    found: list[tuple[tuple[str, float], ...]], decisions: Decisions, options: Options
) -> list[tuple[tuple[str, float], ...]]:
    """The explanations with the user's dial named first on the lines it kept or dropped, with its threshold."""
    if decisions.dialled is None or options.threshold is None:
        return found
    threshold = round(options.threshold, 3)
    return [
        ((KEPT_BY_DIAL if kept else DROPPED_BY_DIAL, threshold), *why) if dialled else why
        for why, dialled, kept in zip(found, decisions.dialled.tolist(), decisions.kept.tolist())
    ]


def _explanations(
    batch: PageBatch, model: Model, best: list[int], decisions: Decisions, keep: Sequence[str]
) -> list[tuple[tuple[str, float], ...]]:
    """For each line, the inputs that weighed most towards its label (the wide input matrix is only
    built to explain). A line the page check dropped says so first, with the check's log-odds; a line
    kept as part of its page's best region by the fallback, with the threshold it was below; a line
    kept as prose of the main container, with the container's threshold; a line of a page read with
    the text view, with the text model's keep-probability. ``batch``: the page as :func:`_decide_parts`
    read it, ``decisions`` its decisions there."""
    found: list[tuple[tuple[str, float], ...]] = []
    for part in batch.each_page():  # a page's parts one at a time, as they were predicted
        found += _model_explanations(part, model, best[len(found) : len(found) + len(part.texts)], keep)
    if decisions.kept_by_fallback is not None:
        entry = (KEPT_BY_FALLBACK, round(model.threshold, 3))
        by_fallback = (decisions.kept_by_fallback & decisions.kept).tolist()
        found = [(entry, *why) if added else why for why, added in zip(found, by_fallback)]
    if decisions.kept_in_main is not None and model.main_threshold is not None:
        entry = (KEPT_IN_MAIN, round(model.main_threshold, 3))
        found = [(entry, *why) if added else why for why, added in zip(found, decisions.kept_in_main.tolist())]
    if decisions.parts is not None:
        entries = part_explanations(decisions.parts, model.main_threshold)
        found = [(entry, *why) if entry is not None else why for why, entry in zip(found, entries)]
    if model.narrowing is None or decisions.narrowed is None or not decisions.narrowed.any():
        return found
    sizes = np.diff(batch.bounds)  # each page's (or part's) lines
    narrowed = np.repeat(decisions.narrowed, sizes)
    prose = batch_prose(batch)
    regions = main_regions(decisions, batch.line_chars(), batch.bounds, batch.in_main)
    # The lines the check dropped: above the threshold, outside the region and no longer kept (only the
    # preformatted runs' rule drops a line too; what the check spared is still kept). It decided with
    # them still kept.
    dropped = (decisions.keep >= model.threshold) & ~regions & ~decisions.kept & narrowed
    if decisions.parts is not None:  # a line dropped with its preformatted run says so instead
        dropped &= decisions.parts == NOT_CHANGED
    before = decisions.changed(kept=decisions.kept | dropped)
    inputs, _ = narrowing_inputs(before, batch.line_chars(), batch.bounds, prose, regions)
    # The check's log-odds for each line's page (a part of a long page, for its lines).
    logits = np.repeat([round(logit, 3) for logit in model.narrowing.logit(inputs).tolist()], sizes).tolist()
    return [((OUTSIDE_MAIN, logit), *why) if out else why for why, out, logit in zip(found, dropped.tolist(), logits)]
