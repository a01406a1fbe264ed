"""The shipped models and the benchmark's held-out models, from the public corpora and the seeds.

For each mode, the features of every training line are computed once (:mod:`cleaner.corpus.dataset`).
Then, leaving one corpus out at a time (with every page of its sites), a first pass is fitted on the
rest: it gives the held-out corpus's lines their out-of-fold first-pass logits, and it is that corpus's
first pass in the benchmark. The second pass learns from those out-of-fold logits. Thresholds and
smoothing are chosen to maximise the page-averaged F1 of the kept text on held-out corpora: for the
shipped model on all of them, for a held-out model on the other corpora; so is the page check, fitted
on those held-out decisions. The main container's threshold (HTML) is a setting, :data:`MAIN_THRESHOLD`;
so is the text models' smoothing, :data:`TEXT_SMOOTHING`.
HTML decisions are taken as the shipped pair takes them: with the text view (:mod:`cleaner.model.text_view`),
each corpus's lines read by the text model held out from it.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

import numpy as np

from cleaner.corpus.dataset import SEEDS, ModeData
from cleaner.corpus.pages import CorpusPage
from cleaner.corpus.scoring import DEFAULT_N
from cleaner.decide.fallback import fall_back
from cleaner.decide.page_check import check_pages, main_regions, narrow, narrowing_inputs, spared_lines
from cleaner.decide.parts import html_rules
from cleaner.decide.threshold import Decisions, smooth_pages
from cleaner.errors import TrainingError
from cleaner.features import HTML_FEATURE_SETS, TEXT_FEATURE_SETS, FeatureSettings
from cleaner.model import Model, Narrowing, softmax
from cleaner.model.regression import keep_probability
from cleaner.model.text_view import TEXT_VIEW_WEIGHT, can_view, viewed_lines, with_text_view
from cleaner.read.titles import title_lines
from cleaner.records import DEFAULT_KEEP, LABELS
from cleaner.training.fit import SMOOTHING_GRID, choose_threshold, versions
from cleaner.training.metrics import keep_scores, page_averaged, page_f1s
from cleaner.training.passes import (
    fit_first,
    fit_first_arrays,
    fit_narrowing,
    fit_second,
    predict_with,
    with_second,
)

TEXT_SETTINGS = FeatureSettings(TEXT_FEATURE_SETS)
HTML_SETTINGS = FeatureSettings(HTML_FEATURE_SETS)
# Regularisation of the corpus models.
CORPUS_C = 1.0
# The keep-probability from which a prose line of the main container is kept (HTML). A setting, not a
# choice of the build: held out, 0.25 and 0.30 score within 0.0001 of each other, and choosing it on
# each fold's other corpora landed at the grid's floor, 0.10, on three folds of nine in one build of two
# alike ones, moving the held-out figures by 0.002 to 0.003 more than the change under test did.
MAIN_THRESHOLD = 0.3
# The smoothing of text models (HTML models choose theirs with the threshold). A setting too: the
# threshold and the smoothing trade off along a ridge, and the held-out text models' choice moved
# between 0.0 and 0.3 from fold to fold. Replayed on the held-out decisions of two builds, the
# held-out text models with smoothing set at 0.2 (what the shipped text model chose) scored 0.0014
# above those choosing it (pooled page F1 over the held-out pages, both builds).
TEXT_SMOOTHING = 0.2


def training_sample(pages: Iterable[CorpusPage], per_corpus: int | None = None) -> list[CorpusPage]:
    """Up to ``per_corpus`` pages of each corpus (all with None), in an order set by a hash of the page
    ids (the same every run)."""
    by_corpus: dict[str, list[CorpusPage]] = {}
    for page in pages:
        by_corpus.setdefault(page.corpus, []).append(page)
    chosen: list[CorpusPage] = []
    for corpus in sorted(by_corpus):
        ranked = sorted(by_corpus[corpus], key=lambda p: hashlib.sha256(p.id.encode("utf-8")).hexdigest())
        chosen += ranked[:per_corpus] if per_corpus is not None else ranked
    return chosen


def apart_from(names: Collection[str], pages: Iterable[tuple[str, str]]) -> Callable[[str, str], bool]:
    """Given the (corpus, site) of each page, whether a page (corpus, site) shares neither its corpus
    nor its site with the corpora ``names``: what a model held out from them may be trained on."""
    sites = {site for corpus, site in pages if corpus in names}
    return lambda corpus, site: corpus not in names and site not in sites


def without_corpora(pages: Iterable[CorpusPage], names: Collection[str]) -> list[CorpusPage]:
    """``pages`` but those of the corpora ``names`` and those of their sites in the other corpora, as
    :func:`corpus_folds` holds a corpus out."""
    pages = list(pages)
    apart = apart_from(names, [(page.corpus, page.site) for page in pages])
    return [page for page in pages if apart(page.corpus, page.site)]


@dataclass(frozen=True, eq=False)
class CorpusModels:
    """A mode's shipped model and its held-out models (one per corpus, trained without it)."""

    final: Model
    held_out: dict[str, Model]
    figures: dict[str, Any]


def corpus_folds(data: ModeData) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """(train, test) line masks: each corpus held out with every page of its sites, and the seeds
    (held out only to give them out-of-fold logits: they are never a test corpus)."""
    folds = {}
    for held in sorted(set(data.page_corpus)):
        train = data.page_mask(apart_from({held}, zip(data.page_corpus, data.page_site)))
        folds[held] = (train, data.page_mask(lambda c, s, held=held: c == held))
    return folds


def fit_corpus_models(
    data: ModeData,
    settings: FeatureSettings,
    description: str,
    trained_at: str,
    C: float = CORPUS_C,
    keep: Sequence[str] = DEFAULT_KEEP,
    jobs: int = 1,
    stacked: bool = True,
    views: Mapping[str, Model] | None = None,
) -> CorpusModels:
    """The shipped model (fitted on every line) and the held-out models of ``data``; HTML models with
    ``views``, the text models held out from each corpus, are chosen for with the text view."""
    prepared = data.prepared
    labels = [label for label in LABELS if label in set(prepared.y.tolist())]
    folds = corpus_folds(data)
    everything = np.ones(len(prepared.y), dtype=bool)
    # The shipped first pass, and one per fold fitted from scratch: a fold started from the model of
    # every line would keep a trace of the corpus it is held out from, which the benchmark would then
    # measure as partly seen.
    trains = [everything, *(train for train, _ in folds.values())]
    if jobs > 1:
        from joblib import Parallel, delayed

        arrays = (prepared.matrix, prepared.y, prepared.weights)
        fitted = Parallel(n_jobs=jobs)(delayed(fit_first_arrays)(*arrays, rows, settings, labels, C) for rows in trains)
    else:
        fitted = [fit_first(prepared, rows, settings, labels, C) for rows in trains]
    final_first, firsts = fitted[0], fitted[1:]
    fold_firsts = dict(zip(folds, firsts))
    oof_first = np.zeros((len(prepared.y), len(labels)))
    for held, (_, test) in folds.items():
        oof_first[test] = softmax(fold_firsts[held].logits(prepared.matrix))[test]
    # The held-out models: the corpus's first pass, a second pass that never saw the corpus either.
    fold_models: dict[str, Model] = {}
    oof = np.zeros((len(prepared.y), len(labels)))
    for held, (train, test) in folds.items():
        second = fit_second(fold_firsts[held], oof_first, prepared, train, C, keep) if stacked else None
        fold_models[held] = with_second(fold_firsts[held], second)
        oof[test] = predict_with(fold_models[held], prepared, oof_first)[test]
    if views:
        if not all(can_view(fold_models[corpus], text) for corpus, text in views.items() if corpus in fold_models):
            raise TrainingError("the text models cannot give these HTML models a text view (other features)")
        oof = _with_views(data, oof, views)
    keep_of = keep_probability(oof, labels, keep)
    # The pages scored and chosen on: the corpora's whole pages (not the seeds, not the windows).
    corpus_lines = ~np.isin(prepared.groups, [SEEDS]) & ~data.window_lines
    threshold, smoothing, page_figures = choose_by_pages(data, keep_of, corpus_lines)
    per_corpus = {}
    held_out: dict[str, Model] = {}
    for held, (_, test) in folds.items():
        if held == SEEDS:
            continue
        others = corpus_lines & ~test
        fold_threshold, fold_smoothing, _ = choose_by_pages(data, keep_of, others)
        fold_decisions = _decisions(data, oof, keep_of, fold_threshold, fold_smoothing)
        fold_narrowing = fit_page_check(data, fold_decisions, others, C)
        fold_checked = _narrowed(data, fold_decisions, fold_narrowing)
        fold_main = main_threshold(data, fold_threshold)
        held_out[held] = replace(
            fold_models[held],
            threshold=fold_threshold,
            smoothing=fold_smoothing,
            keep=tuple(keep),
            narrowing=fold_narrowing,
            main_threshold=fold_main,
        )
        fold_kept = _last_rules(data, fold_checked, labels, fold_main).kept
        per_corpus[held] = {
            **_page_scores(data, fold_kept, test & corpus_lines, data.line_pages()),
            "threshold": fold_threshold,
            "smoothing": fold_smoothing,
            "main_threshold": fold_main,
        }
    final_second = fit_second(final_first, oof_first, prepared, everything, C, keep) if stacked else None
    decisions = _decisions(data, oof, keep_of, threshold, smoothing)
    final_narrowing = fit_page_check(data, decisions, corpus_lines, C)
    checked = _narrowed(data, decisions, final_narrowing)
    main = main_threshold(data, threshold)
    kept = _last_rules(data, checked, labels, main).kept
    chars = np.fromiter((max(len(t.strip()), 1) for t in prepared.batch.texts), dtype=float, count=len(prepared.y))
    truth = np.isin(prepared.y, list(keep))
    figures = {
        "split": "leave one corpus out (and its sites); seeds always in training",
        "pages": page_figures,
        "pages_with_page_check": _page_scores(data, kept, corpus_lines, data.line_pages()),
        "pages_by_corpus": per_corpus,
        "keep_chars": keep_scores(kept[corpus_lines], truth[corpus_lines], chars[corpus_lines]),
        "labels_present": labels,
    }
    info = {
        "description": description,
        "trained_at": trained_at,
        "versions": versions(),
        "training_data": {
            "pages": sum(_pages_per_corpus(data).values()),
            "lines": int(len(prepared.y)),
            "pages_per_corpus": _pages_per_corpus(data),
            "pages_dropped_by_alignment": dict(sorted(data.dropped.items())),
            "label_counts": {label: int((prepared.y == label).sum()) for label in labels},
            "digest": _digest(data),
            **({"windows": int(data.page_window.sum())} if data.page_window.any() else {}),
        },
        "hyperparameters": {
            "C": C,
            "neighbours": settings.neighbours,
            "window": settings.window,
            **({"text_view_weight": TEXT_VIEW_WEIGHT} if views else {}),
        },
        "cross_validation": figures,
    }
    final = replace(
        with_second(final_first, final_second),
        threshold=threshold,
        smoothing=smoothing,
        keep=tuple(keep),
        info=info,
        narrowing=final_narrowing,
        main_threshold=main,
    )
    return CorpusModels(final, held_out, figures)


def _pages_per_corpus(data: ModeData) -> dict[str, int]:
    """The whole pages of each corpus (windows not counted)."""
    return dict(sorted(Counter(c for c, w in zip(data.page_corpus, data.page_window) if not w).items()))


def _with_views(data: ModeData, probabilities: np.ndarray, views: Mapping[str, Model]) -> np.ndarray:
    """The held-out HTML probabilities with the text view mixed in: each corpus's pages (consecutive in
    the data) read by the text model held out from that corpus."""
    prepared = data.prepared
    bounds = np.asarray(prepared.batch.bounds)
    corpora = np.asarray(data.page_corpus)
    out = probabilities.copy()
    for corpus, text in views.items():
        pages = np.flatnonzero(corpora == corpus)
        if not len(pages):
            continue
        first, last = int(pages[0]), int(pages[-1]) + 1
        assert last - first == len(pages), "a corpus's pages are consecutive in the data"
        rows = slice(int(bounds[first]), int(bounds[last]))
        batch = prepared.batch.pages(first, last)
        out[rows] = with_text_view(out[rows], prepared.matrix[rows], batch, text, viewed_lines(batch))
    return out


def choose_by_pages(data: ModeData, keep: np.ndarray, lines: np.ndarray) -> tuple[float, float, dict[str, float]]:
    """The smoothing and threshold that maximise the page-averaged F1 of the kept text on the pages of
    ``lines`` (a line mask covering whole pages; see :func:`~cleaner.training.fit.choose_threshold`)."""
    pages = data.line_pages()
    smoothings = (TEXT_SMOOTHING,) if data.prepared.batch.in_main is None else SMOOTHING_GRID
    bounds = data.prepared.batch.bounds
    return choose_threshold(keep, bounds, lambda kept: _page_scores(data, kept, lines, pages), smoothings)


def _page_scores(data: ModeData, kept: np.ndarray, lines: np.ndarray, pages: np.ndarray) -> dict[str, float]:
    """The page-averaged F1 of the kept text of the pages of ``lines``, in word n-grams as the benchmark
    counts it (:data:`~cleaner.corpus.scoring.DEFAULT_N`; estimated from the lines: word tokens would
    not see text kept in fragments, every other cell of a table)."""
    chosen_pages = np.unique(pages[lines])
    renumber = np.full(len(data.gold_tokens), -1)
    renumber[chosen_pages] = np.arange(len(chosen_pages))
    return page_averaged(
        kept[lines],
        data.positive[lines],
        data.line_tokens[lines],
        renumber[pages[lines]],
        data.gold_tokens[chosen_pages],
        DEFAULT_N,
    )


def _decisions(
    data: ModeData, probabilities: np.ndarray, keep: np.ndarray, threshold: float, smoothing: float
) -> Decisions:
    """The pipeline's decisions from (out-of-fold) label ``probabilities`` and their keep-probabilities
    ``keep``: smoothing, threshold, fallback."""
    batch = data.prepared.batch
    smoothed = smooth_pages(keep, batch.bounds, smoothing)
    decisions = Decisions(probabilities, smoothed, smoothed >= threshold)
    return fall_back(decisions, batch.line_chars(), batch.bounds, data.prose, batch.in_main)


def fit_page_check(data: ModeData, decisions: Decisions, lines: np.ndarray, C: float) -> Narrowing | None:
    """The page check, learnt from held-out ``decisions`` on the pages of ``lines``: on each page where
    it applies, did keeping only the kept lines of its main region raise the page's F1?"""
    batch = data.prepared.batch
    regions = main_regions(decisions, batch.line_chars(), batch.bounds, batch.in_main)
    inputs, applies = narrowing_inputs(decisions, batch.line_chars(), batch.bounds, data.prose, regions)
    spared = spared_lines(decisions, batch.bounds, data.prose, regions, title_lines(batch, applies), applies)
    narrowed = narrow(decisions, batch.bounds, regions, applies, spared)
    pages = data.line_pages()
    args = (data.positive, data.line_tokens, pages, data.gold_tokens, DEFAULT_N)
    gain = page_f1s(narrowed.kept, *args) - page_f1s(decisions.kept, *args)
    chosen = applies & np.isin(np.arange(len(applies)), pages[lines])
    return fit_narrowing(inputs[chosen], gain[chosen], C)


def _narrowed(data: ModeData, decisions: Decisions, narrowing: Narrowing | None) -> Decisions:
    """``decisions`` after the page check ``narrowing`` (as the pipeline applies it)."""
    batch = data.prepared.batch
    if narrowing is None:
        return decisions
    titles = partial(title_lines, batch)
    return check_pages(decisions, batch.line_chars(), batch.bounds, data.prose, batch.in_main, narrowing.logit, titles)


def main_threshold(data: ModeData, threshold: float) -> float | None:
    """The main container's threshold, :data:`MAIN_THRESHOLD`, for models of pages with containers
    (HTML) whose threshold is above it; None otherwise."""
    if data.prepared.batch.in_main is None or MAIN_THRESHOLD >= threshold:
        return None
    return MAIN_THRESHOLD


def _last_rules(data: ModeData, decisions: Decisions, labels: Sequence[str], main_threshold: float | None) -> Decisions:
    """``decisions`` after the HTML pages' last rules (:func:`~cleaner.decide.parts.html_rules`, as the
    pipeline applies them): the main container's, from ``main_threshold``, and the preformatted runs'."""
    return html_rules(decisions, labels, data.prepared.batch, data.prose, main_threshold)


def _digest(data: ModeData) -> str:
    """A fingerprint of the lines and labels, recorded in the model to say what it was trained on."""
    digest = hashlib.sha256()
    for text, label, group in zip(data.prepared.batch.texts, data.prepared.y.tolist(), data.prepared.groups.tolist()):
        digest.update(f"{group}\t{label}\t{text}\n".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()
