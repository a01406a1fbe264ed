"""Training and held-out evaluation on the public corpora.

Every page is rendered and aligned once (the text model sees the page as a plain-text dump made
by one of several HTML-to-text tools; the HTML model sees the segmenter's blocks with their
markup). Features are stateless, so each data set is featurized once; the leave-one-corpus-out
folds then only refit the logistic regression. No page and no site is on both sides of a split.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cleaner.corpus.align import MIN_AGREEMENT, align_lines
from cleaner.corpus.pages import CorpusPage
from cleaner.corpus.render import RENDERERS
from cleaner.decide import smooth_pages
from cleaner.features import HTML_FEATURE_SETS, TEXT_FEATURE_SETS, FeatureSettings
from cleaner.features.layout import page_boundaries
from cleaner.model import Model
from cleaner.read import read_html
from cleaner.read.lines import split_lines
from cleaner.records import DEFAULT_KEEP, LABELS, Line
from cleaner.render import render_lines
from cleaner.training.dataset import Dataset, featurize, line_chars, line_weights
from cleaner.training.fit import choose_decision, fit_lines, versions
from cleaner.training.metrics import keep_scores

HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
TEXT_SETTINGS = FeatureSettings(TEXT_FEATURE_SETS)
HTML_SETTINGS = FeatureSettings(HTML_FEATURE_SETS)
# Regularisation of the corpus models.
CORPUS_C = 1.0
# The hand-labeled seed pages are few (about 130 lines) against ~150,000 corpus lines, yet they are
# the product's home ground (French news with classifieds and comment prompts) and the only source
# of the classified and meta labels: each seed line weighs this many corpus lines.
SEED_EMPHASIS = 25.0
# Training pages taken from each corpus: enough for the line classifier (a few hundred thousand
# lines in all) and it keeps a fit within minutes on two cores. Every page is still a test page.
TRAIN_PAGES_PER_CORPUS = 300


def training_sample(pages: Iterable[CorpusPage], per_corpus: int | None = TRAIN_PAGES_PER_CORPUS) -> list[CorpusPage]:
    """Up to ``per_corpus`` pages of each corpus, picked by a hash of the page id (stable across runs)."""
    by_corpus: dict[str, list[CorpusPage]] = {}
    for page in pages:
        by_corpus.setdefault(page.corpus, []).append(page)
    chosen: list[CorpusPage] = []
    for corpus in sorted(by_corpus):
        ranked = sorted(by_corpus[corpus], key=lambda p: hashlib.sha256(p.id.encode("utf-8")).hexdigest())
        chosen += ranked[:per_corpus] if per_corpus is not None else ranked
    return chosen


# The plain-text renderings the text model learns from, so that it does not learn one tool's layout.
TEXT_RENDERERS = tuple(RENDERERS)


@dataclass
class AlignedPage:
    """One corpus page turned into labeled lines for both models."""

    id: str
    corpus: str
    site: str
    renderer: str
    text_lines: list[Line]
    text_labels: list[str]
    text_agreement: float
    html_lines: list[Line]
    html_labels: list[str]
    html_agreement: float


def _heading_labels(lines: Sequence[str], labels: Sequence[str], heading_texts: set[str]) -> list[str]:
    """Main lines that are headings of the page (h1-h6 blocks) become ``heading``."""
    return [
        "heading" if label == "body" and " ".join(line.split()) in heading_texts else label
        for line, label in zip(lines, labels)
    ]


def align_page(page: CorpusPage, renderer: str) -> AlignedPage:
    """Render ``page`` for both models and label its lines against the gold text."""
    read = read_html(page.html)
    html_lines = list(map(Line, read.numbers, read.texts, read.markup.marks()))  # type: ignore[union-attr]
    html_texts = read.texts
    html_alignment = align_lines(html_texts, page)
    heading_texts = {
        " ".join(line.text.split())
        for line in html_lines
        if line.markup is not None and line.markup.tag in HEADING_TAGS
    }
    if renderer == "cleaner":  # the segmentation in hand, rendered
        text = render_lines(read.numbers, read.texts)
    else:
        text = "\n".join(RENDERERS[renderer](page.html))
    text_lines = [Line(number, line) for number, line in enumerate(split_lines(text), start=1)]
    text_alignment = align_lines([line.text for line in text_lines], page)
    return AlignedPage(
        id=page.id,
        corpus=page.corpus,
        site=page.site,
        renderer=renderer,
        text_lines=text_lines,
        text_labels=_heading_labels([ln.text for ln in text_lines], text_alignment.labels, heading_texts),
        text_agreement=text_alignment.agreement,
        html_lines=html_lines,
        html_labels=_heading_labels(html_texts, html_alignment.labels, heading_texts),
        html_agreement=html_alignment.agreement,
    )


def _align_indexed(index: int, page: CorpusPage) -> AlignedPage:
    renderers = TEXT_RENDERERS
    # Round-robin over the renderers by page: deterministic, and every tool's layout is seen.
    return align_page(page, renderers[index % len(renderers)])


def align_pages(pages: Sequence[CorpusPage], *, jobs: int = 1) -> list[AlignedPage]:
    if jobs == 1:
        return [_align_indexed(i, page) for i, page in enumerate(pages)]
    from joblib import Parallel, delayed

    return Parallel(n_jobs=jobs, batch_size=8)(delayed(_align_indexed)(i, page) for i, page in enumerate(pages))


@dataclass
class CorpusData:
    """A data set of aligned pages for one mode, with each page's corpus and site."""

    data: Dataset
    page_corpus: list[str] = field(default_factory=list)
    page_site: list[str] = field(default_factory=list)
    dropped: Counter = field(default_factory=Counter)

    def page_mask(self, keep: Callable[[str, str], bool]) -> np.ndarray:
        """Rows of the lines whose page satisfies ``keep(corpus, site)``."""
        allowed = np.array([keep(c, s) for c, s in zip(self.page_corpus, self.page_site)], dtype=bool)
        pages = np.fromiter((line.page for line in self.data.lines), dtype=np.int64, count=len(self.data.lines))
        return allowed[pages] if len(allowed) else np.zeros(0, dtype=bool)


def build_corpus_data(
    aligned: Iterable[AlignedPage],
    mode: str,
    seeds: Dataset | None = None,
    min_agreement: float = MIN_AGREEMENT,
    seed_emphasis: float = SEED_EMPHASIS,
) -> CorpusData:
    """Labeled lines of one mode (``"text"`` or ``"html"``) from aligned pages, plus the hand-labeled seeds."""
    out = CorpusData(Dataset())
    if seeds is not None:
        out.data.extend(seeds, emphasis=seed_emphasis)
        # Seed pages are their own corpus ("seeds") and sites (their outlets): never a test page here.
        outlets = {line.page: group for line, group in zip(seeds.lines, seeds.groups)}
        out.page_corpus += ["seeds"] * len(seeds.sources)
        out.page_site += [f"seed:{outlets.get(i, i)}" for i in range(len(seeds.sources))]
    for page in aligned:
        agreement = page.text_agreement if mode == "text" else page.html_agreement
        if agreement < min_agreement:
            out.dropped[page.corpus] += 1
            continue
        lines, labels = (page.text_lines, page.text_labels) if mode == "text" else (page.html_lines, page.html_labels)
        if mode == "text":
            lines = [Line(line.number, line.text, None, 0) for line in lines]
        out.data.add_page(lines, labels, page.corpus, page.id)
        out.page_corpus.append(page.corpus)
        out.page_site.append(page.site)
    return out


@dataclass
class Fitted:
    """Features of a whole data set, computed once, and the arrays the fits share."""

    corpus: CorpusData
    settings: FeatureSettings
    X: np.ndarray
    y: np.ndarray
    weights: np.ndarray
    pages: np.ndarray
    truth: np.ndarray
    chars: np.ndarray

    @classmethod
    def prepare(cls, corpus: CorpusData, settings: FeatureSettings, keep: Sequence[str] = DEFAULT_KEEP) -> Fitted:
        data = corpus.data
        y = np.array(data.labels)
        return cls(
            corpus=corpus,
            settings=settings,
            X=featurize(data, settings),
            y=y,
            weights=line_weights(data),
            pages=np.fromiter((line.page for line in data.lines), dtype=np.int64, count=len(data.lines)),
            truth=np.isin(y, list(keep)),
            chars=line_chars(data),
        )

    def fit(self, rows: np.ndarray, C: float = CORPUS_C) -> tuple[Any, Any]:
        return fit_lines(self.X[rows], self.y[rows], self.weights[rows], C)

    def keep_probability(self, scaler, classifier, rows: np.ndarray, keep: Sequence[str] = DEFAULT_KEEP) -> np.ndarray:
        probabilities = classifier.predict_proba(scaler.transform(self.X[rows]))
        columns = [list(classifier.classes_).index(label) for label in keep if label in classifier.classes_]
        return probabilities[:, columns].sum(axis=1)


def held_out_corpora(fitted: Fitted, corpora: Sequence[str], C: float = CORPUS_C, jobs: int = 1) -> dict[str, Any]:
    """Leave-one-corpus-out: for each corpus, a model trained without it (and without its sites),
    plus the model trained on everything (key ``None``).

    Returns the fitted estimators and the out-of-fold keep-probabilities of every held-out line;
    these also choose thresholds without looking at the corpus being tested.
    """
    corpus = fitted.corpus
    masks: dict[str | None, tuple[np.ndarray, np.ndarray]] = {}
    for held in corpora:
        held_sites = {s for c, s in zip(corpus.page_corpus, corpus.page_site) if c == held}
        train_rows = corpus.page_mask(lambda c, s, held=held, sites=held_sites: c != held and s not in sites)
        masks[held] = (train_rows, corpus.page_mask(lambda c, s, held=held: c == held))
    everything = np.ones(len(fitted.y), dtype=bool)
    masks[None] = (everything, np.zeros_like(everything))
    fits = _fit_all(fitted, [train for train, _ in masks.values()], C, jobs)
    oof = np.full(len(fitted.y), np.nan)
    folds: dict[str | None, Any] = {}
    for (held, (train, test)), (scaler, classifier) in zip(masks.items(), fits):
        if test.any():
            oof[test] = fitted.keep_probability(scaler, classifier, test)
        folds[held] = {"scaler": scaler, "classifier": classifier, "train_lines": int(train.sum())}
    return {"folds": folds, "oof": oof}


def _fit_all(fitted: Fitted, masks: list[np.ndarray], C: float, jobs: int) -> list[tuple[Any, Any]]:
    if jobs == 1:
        return [fitted.fit(rows, C) for rows in masks]
    from joblib import Parallel, delayed

    return Parallel(n_jobs=jobs)(
        delayed(fit_lines)(fitted.X[rows], fitted.y[rows], fitted.weights[rows], C) for rows in masks
    )


def fold_model(fitted: Fitted, held: str, folds: dict[str, Any]) -> Model:
    """The fold's model, with a threshold chosen on the other corpora's out-of-fold predictions."""
    oof = folds["oof"]
    chosen = ~np.isnan(oof) & fitted.corpus.page_mask(lambda c, s: c != held)
    threshold, smoothing, _ = choose_decision(
        oof[chosen], fitted.truth[chosen], page_bounds_of(fitted.pages[chosen]), fitted.chars[chosen]
    )
    fold = folds["folds"][held]
    return Model.from_estimators(
        fitted.settings,
        fold["scaler"],
        fold["classifier"],
        threshold=threshold,
        smoothing=smoothing,
        info={"description": f"held-out model for {held}", "train_lines": fold["train_lines"]},
    )


def final_model(fitted: Fitted, folds: dict[str, Any], description: str, trained_at: str, C: float = CORPUS_C) -> Model:
    # C only names the regularisation the folds were fitted with, for the record.
    """The shipped model: fit on everything, threshold from all out-of-fold predictions."""
    corpus, data = fitted.corpus, fitted.corpus.data
    oof = folds["oof"]
    chosen = ~np.isnan(oof)
    threshold, smoothing, figures = choose_decision(
        oof[chosen], fitted.truth[chosen], page_bounds_of(fitted.pages[chosen]), fitted.chars[chosen]
    )
    kept = smooth_pages(oof[chosen], page_bounds_of(fitted.pages[chosen]), smoothing) >= threshold
    everything = folds["folds"][None]
    scaler, classifier = everything["scaler"], everything["classifier"]
    labels = [label for label in LABELS if label in set(data.labels)]
    info = {
        "description": description,
        "trained_at": trained_at,
        "versions": versions(),
        "training_data": {
            "pages": len(data.sources),
            "lines": len(data.lines),
            "pages_per_corpus": dict(sorted(Counter(corpus.page_corpus).items())),
            "pages_dropped_by_alignment": dict(sorted(corpus.dropped.items())),
            "label_counts": data.label_counts(),
            "digest": data.digest(),
        },
        "hyperparameters": {"C": C, "neighbours": fitted.settings.neighbours, "window": fitted.settings.window},
        "cross_validation": {
            "split": "leave one corpus out (and its sites); seeds always in training",
            "keep_chars": figures,
            "keep_lines": keep_scores(kept, fitted.truth[chosen], np.ones(int(chosen.sum()))),
            "labels_present": labels,
        },
    }
    return Model.from_estimators(
        fitted.settings, scaler, classifier, threshold=threshold, smoothing=smoothing, info=info
    )


def page_bounds_of(pages: np.ndarray) -> list[int]:
    """Where each run of equal page ids starts in ``pages``, and the end."""
    return page_boundaries(pages).tolist()
