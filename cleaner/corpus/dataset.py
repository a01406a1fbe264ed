"""One mode's training data from aligned corpus pages and the hand-labeled seeds: the pages as a batch,
each line's label, weight and group (its corpus), and what the page-level figures need.

Weights: a line weighs by the square root of its characters (the metric counts words, not lines), and
every corpus weighs as much as any other in all (dragnet's 1,381 pages do not drown fundus's 187);
the seeds weigh as one corpus. A page of more than :data:`FULL_WEIGHT_LINES` lines weighs as much as
one of that many lines: the page, not the line, is what the figures average over, and a forum
thread's thousand lines would otherwise outweigh ten articles.

Windows (text mode, when the build asks for them: ``--windows``): a few short runs of each corpus
page's lines are fitted on as pages of their own, beside the page (:func:`page_windows`). Without them
the model never sees a page of two to twelve lines, and its page-level features (the page's length,
its share of prose) on a fragment lie outside what it learnt from: a lone "Accueil" after a paragraph
is kept at 0.96. Windows are fitted on, never scored: the thresholds, the page check and the figures
are the whole pages'. Measured (docs/benchmarks.md, "Fragments"), they trade the article text kept in
fragments against the boilerplate dropped from them, as their mix sets, and cost whole pages a
little: the shipped models are built without them.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from cleaner.corpus.align import MIN_AGREEMENT
from cleaner.corpus.aligned import AlignedPage
from cleaner.corpus.pages import align_tokens
from cleaner.features import FeatureSettings
from cleaner.features.layout import line_pages
from cleaner.features.markup import ANCESTOR_SHARES
from cleaner.read.prose import prose_lines
from cleaner.records import BLANK_LABEL, DEFAULT_KEEP, MarkupColumns, PageBatch, ReadPage
from cleaner.training.labeled import LabeledPage
from cleaner.training.passes import Prepared

SEEDS = "seeds"
# The seeds' share of the weight, against 1 for each corpus.
SEED_WEIGHT = 1.0
# Pages with more lines than this weigh as much as a page of this many lines (their lines share it).
FULL_WEIGHT_LINES = 100
# The range of the windows' lengths in lines.
WINDOW_LINES = (2, 12)


@dataclass(frozen=True, eq=False)
class ModeData:
    """A mode's labeled lines, prepared for fitting, and per page: corpus, site, id and gold tokens."""

    prepared: Prepared
    page_corpus: list[str]
    page_site: list[str]
    page_id: list[str]
    gold_tokens: np.ndarray
    """Per page: word tokens of the gold text (recall is measured against it)."""
    line_tokens: np.ndarray
    """Per line: its word tokens."""
    positive: np.ndarray
    """Per line: labelled as kept text (body or heading)."""
    page_window: np.ndarray
    """Per page: a window of a corpus page (fitted on, never scored), not a whole page."""
    dropped: Counter = field(default_factory=Counter)
    """Pages left out, by corpus: their alignment with the gold was too poor to label from."""

    @cached_property
    def prose(self) -> np.ndarray:
        """Per line: reads as prose (:func:`cleaner.read.prose.is_prose`)."""
        texts = self.prepared.batch.texts
        return prose_lines(texts)

    @cached_property
    def window_lines(self) -> np.ndarray:
        """Per line: belongs to a window, not to a whole page."""
        return self.page_window[self.line_pages()]

    def line_pages(self) -> np.ndarray:
        return line_pages(self.prepared.batch.bounds)

    def page_mask(self, keep) -> np.ndarray:  # keep(corpus, site) -> bool
        """Which lines belong to pages that satisfy ``keep(corpus, site)``."""
        allowed = np.array([keep(c, s) for c, s in zip(self.page_corpus, self.page_site)], dtype=bool)
        return allowed[self.line_pages()] if len(allowed) else np.zeros(0, dtype=bool)


def build_mode_data(
    aligned: Sequence[AlignedPage],
    mode: str,
    settings: FeatureSettings,
    seeds: Sequence[LabeledPage] = (),
    min_agreement: float = MIN_AGREEMENT,
    keep: Sequence[str] = DEFAULT_KEEP,
    windows: int = 0,
) -> ModeData:
    """The labeled lines of ``mode`` ("text" or "html") from aligned pages (those that align with their
    gold well enough), plus the seeds (as text; without markup in HTML mode), and in text mode
    ``windows`` windows of each corpus page, each right after its page."""
    pages: list[ReadPage] = []
    labels: list[str] = []
    corpus, site, ident, gold, window = [], [], [], [], []
    dropped: Counter = Counter()
    for page in seeds:
        lines = list(page.lines)
        content = [i for i, line in enumerate(lines) if line.strip() and page.labels[i] != BLANK_LABEL]
        texts = [lines[i] for i in content]
        markup = MarkupColumns.of([None] * len(texts), ANCESTOR_SHARES) if mode == "html" else None
        pages.append(ReadPage([i + 1 for i in content], texts, markup, mode))
        labels += [page.labels[i] for i in content]
        corpus.append(SEEDS)
        site.append(f"seed:{page.outlet}")
        ident.append(page.source)
        gold.append(sum(len(align_tokens(lines[i])) for i in content if page.labels[i] in keep))
        window.append(False)
    for page in aligned:
        if (page.text_agreement if mode == "text" else page.html_agreement) < min_agreement:
            dropped[page.corpus] += 1
            continue
        if mode == "html":
            pages.append(page.html)
            labels += page.html_labels
        else:
            content = [i for i, line in enumerate(page.text_lines) if line.strip()]
            pages.append(ReadPage([i + 1 for i in content], [page.text_lines[i] for i in content], None, "text"))
            labels += [page.text_labels[i] for i in content]
        corpus.append(page.corpus)
        site.append(page.site)
        ident.append(page.id)
        gold.append(page.gold_tokens)
        window.append(False)
        if mode == "text":
            for lines in text_windows(page, windows, keep):
                numbers = [i - lines[0] + 1 for i in lines]  # a fragment's first line is its line 1
                pages.append(ReadPage(numbers, [page.text_lines[i] for i in lines], None, "text"))
                labels += [page.text_labels[i] for i in lines]
                corpus.append(page.corpus)
                site.append(page.site)
                ident.append(f"{page.id}#{lines[0]}-{lines[-1]}")
                gold.append(sum(len(align_tokens(page.text_lines[i])) for i in lines if page.text_labels[i] in keep))
                window.append(True)
    batch = PageBatch.of(pages)
    sizes = np.diff(np.asarray(batch.bounds))
    line_corpus = np.repeat(np.array(corpus, dtype=object), sizes)
    prepared = Prepared.of(batch, labels, corpus_line_weights(batch.texts, line_corpus, sizes), line_corpus, settings)
    tokens = np.fromiter((len(align_tokens(text)) for text in batch.texts), dtype=float, count=len(batch.texts))
    positive = np.isin(np.asarray(labels), list(keep))
    windowed = np.asarray(window, dtype=bool)
    return ModeData(prepared, corpus, site, ident, np.asarray(gold, dtype=float), tokens, positive, windowed, dropped)


def text_windows(page: AlignedPage, count: int, keep: Sequence[str] = DEFAULT_KEEP) -> list[list[int]]:
    """``count`` windows of the non-blank lines of ``page``'s text rendering (:func:`page_windows`), each
    as the indices of its lines in ``page.text_lines``."""
    content = [i for i, line in enumerate(page.text_lines) if line.strip()]
    article = [n for n, i in enumerate(content) if page.text_labels[i] in keep]
    return [content[start:end] for start, end in page_windows(page.id, len(content), count, article)]


def page_windows(
    page_id: str, lines: int, count: int, article: Sequence[int] = (), around: int | None = None
) -> list[tuple[int, int]]:
    """``count`` runs of a page's ``lines`` lines, as (start, end) line indices, each of
    :data:`WINDOW_LINES` lines (none longer than the page less a line). The first ``around`` of them
    (half, rounded up, with None) hold a line of ``article`` (the indices of the page's article lines;
    a scraper's fragment is mostly article text with what surrounds it), the others lie anywhere, as
    do all of them on a page without article lines. The same for the same page every run (drawn from
    a hash of its id)."""
    low, high = WINDOW_LINES
    if count <= 0 or lines <= low:
        return []
    around = (count + 1) // 2 if around is None else around
    seed = int.from_bytes(hashlib.sha256(page_id.encode("utf-8")).digest()[:8], "little")
    draws = np.random.default_rng(seed)
    found = []
    for turn in range(count):
        size = int(draws.integers(low, min(high, lines - 1) + 1))
        if turn < around and len(article):
            anchor = int(article[int(draws.integers(0, len(article)))])
            start = int(draws.integers(max(0, anchor - size + 1), min(anchor, lines - size) + 1))
        else:
            start = int(draws.integers(0, lines - size + 1))
        found.append((start, start + size))
    return found


def corpus_line_weights(texts: Sequence[str], line_corpus: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Square root of each line's characters, scaled so that each corpus sums to 1 (the seeds to
    :data:`SEED_WEIGHT`), then scaled down on pages of more than :data:`FULL_WEIGHT_LINES` lines (of
    ``sizes``, the pages' line counts, in order) by that many over their lines.

    Every line is fitted: the scaling gives the fits what a sample of :data:`FULL_WEIGHT_LINES` lines
    of each big page would give on average, without the sample's noise (another sample moved the
    held-out figures by 0.0015 overall, up to 0.004 on a corpus: docs/experiments.md, "Rebuild noise")."""
    weights = np.sqrt(np.fromiter((max(len(text.strip()), 1) for text in texts), dtype=float, count=len(texts)))
    for name in set(line_corpus.tolist()):
        mask = line_corpus == name
        weights[mask] *= (SEED_WEIGHT if name == SEEDS else 1.0) / weights[mask].sum()
    return weights * np.repeat(np.minimum(1.0, FULL_WEIGHT_LINES / np.maximum(sizes, 1)), sizes)
