"""Decision rules that read the page's markup, tried over held-out models and not kept (docs/experiments.md,
"Decision rules"). Each runs after the pipeline's own decisions, the models fixed:

    python bench/rules/markup_trials.py HELD_OUT [--trial NAME ...] [--corpus NAME ...]
        [--corpora ../shared/corpora] [--cache bench/results/cache]

HELD_OUT is a folder of held-out models (``training/build_models.py --held-out HELD_OUT``). Every corpus
page is cleaned as HTML by the models that never saw its corpus, as ``bench/compare_builds.py`` cleans
it, once with the pipeline as it is and once per trial; prints the per-corpus F1 (the benchmark's
shingle metric, four decimals), a row each. About half a minute a row for the nine corpora.

Rules over the decisions alone (no markup) are replayed faster by ``bench/replay_decisions.py``.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import numpy as np

# The row of the pipeline as it is, the trials' baseline.
BASELINE = "the pipeline as it is"
# A trial: the decisions of a batch (after the pipeline's own) -> the kept flag of each line.
Trial = Callable[[Any, Any], np.ndarray]


def same_shape(floor: float, min_kept: int = 1) -> Trial:
    """Repeated structure: a prose line whose block has the tag, depth and class/id hints of ``min_kept``
    kept prose lines of its page or more, kept from a keep-probability of ``floor`` (link density under
    0.3): a thread's posts are made as its first one is."""

    def trial(decisions: Any, batch: Any) -> np.ndarray:
        from cleaner.read.prose import prose_lines

        markup, kept = batch.markup, decisions.kept.copy()
        prose = prose_lines(batch.texts)
        for start, end in zip(batch.bounds[:-1], batch.bounds[1:]):
            shape = [(markup.tags[i], int(markup.depth[i]), markup.hints[i]) for i in range(start, end)]
            shapes: dict[tuple, int] = {}
            for i in range(start, end):
                if decisions.kept[i] and prose[i]:
                    shapes[shape[i - start]] = shapes.get(shape[i - start], 0) + 1
            for i in range(start, end):
                if (
                    not kept[i]
                    and prose[i]
                    and shapes.get(shape[i - start], 0) >= min_kept
                    and decisions.keep[i] >= floor
                    and markup.link_density[i] < 0.3
                ):
                    kept[i] = True
        return kept

    return trial


def short_between(floor: float, tags: frozenset[str] | None = None, figures: bool = True) -> Trial:
    """A jusText-like revision: a line of the main container between two kept lines kept from ``floor``
    (link density under 0.5); only lines of ``tags`` (None: any), and not figures' captions unless
    ``figures``."""

    def trial(decisions: Any, batch: Any) -> np.ndarray:
        markup, kept = batch.markup, decisions.kept.copy()
        for start, end in zip(batch.bounds[:-1], batch.bounds[1:]):
            for i in range(start + 1, end - 1):
                if decisions.kept[i] or not (decisions.kept[i - 1] and decisions.kept[i + 1]):
                    continue
                caption = markup.tags[i] == "figcaption" or "figure" in markup.ancestors[i]
                if (
                    (tags is None or markup.tags[i] in tags)
                    and markup.in_main[i]
                    and decisions.keep[i] >= floor
                    and markup.link_density[i] < 0.5
                    and (figures or not caption)
                ):
                    kept[i] = True
        return kept

    return trial


def inside_dropped(tags: frozenset[str], in_content: bool = False) -> Trial:
    """The kept lines inside an element of ``tags`` (``<nav>``, ``<aside>``, ``<footer>``: what the
    page marks as beside its content) dropped; only those also inside a ``<main>`` or ``<article>``
    when ``in_content``."""

    def trial(decisions: Any, batch: Any) -> np.ndarray:
        from cleaner.decide.content import CONTENT_TAGS
        from cleaner.read.blocks import lines_inside

        ancestors = batch.markup.ancestors
        beside = lines_inside(ancestors, tags)
        if in_content:
            beside &= lines_inside(ancestors, CONTENT_TAGS)
        return decisions.kept & ~beside

    return trial


def inside_minor_dropped(tags: frozenset[str], max_share: float) -> Trial:
    """The kept lines inside elements of ``tags`` dropped on the pages where those elements hold less
    than ``max_share`` of the page's prose characters (a reply form's posting guidelines, a login box:
    not a page that is one form around everything, as ASP.NET pages are)."""

    def trial(decisions: Any, batch: Any) -> np.ndarray:
        from cleaner.read.blocks import lines_inside
        from cleaner.read.prose import prose_lines

        inside = lines_inside(batch.markup.ancestors, tags)
        prose = np.fromiter(map(len, batch.texts), dtype=float, count=len(batch.texts)) * prose_lines(batch.texts)
        kept = decisions.kept.copy()
        for start, end in zip(batch.bounds[:-1], batch.bounds[1:]):
            total = prose[start:end].sum()
            if total and prose[start:end][inside[start:end]].sum() < max_share * total:
                kept[start:end] &= ~inside[start:end]
        return kept

    return trial


def title_heading_kept(reach: int) -> Trial:
    """The page's first title heading (an ``<h1>`` to ``<h6>`` line matching its title: the keys of
    ``read/titles.py``) kept when the model dropped it and a kept line follows within ``reach`` lines."""

    def trial(decisions: Any, batch: Any) -> np.ndarray:
        from cleaner.read.structure import HEADING, STRUCTURE_TAGS
        from cleaner.read.titles import title_lines

        kept = decisions.kept.copy()
        titles = title_lines(batch)
        if titles is None:
            return kept
        headings = np.fromiter((STRUCTURE_TAGS.get(tag) == HEADING for tag in batch.markup.tags), dtype=bool)
        for start, end in zip(batch.bounds[:-1], batch.bounds[1:]):
            found = np.flatnonzero(titles[start:end] & headings[start:end])
            if not len(found):
                continue
            title = start + int(found[0])
            after = np.flatnonzero(decisions.kept[title + 1 : end])
            if not kept[title] and len(after) and after[0] < reach:
                kept[title] = True
        return kept

    return trial


def footer_fallback_to_best_run() -> Trial:
    """Where the fallback kept a region that is all footer (every line inside a ``<footer>`` or under a
    footer hint: the copyright and licence lines of a page whose content is a list of links), the page's
    best run of lines instead (the fallback's choice without a container)."""

    def trial(decisions: Any, batch: Any) -> np.ndarray:
        from cleaner.decide.fallback import best_run

        kept = decisions.kept.copy()
        if decisions.kept_by_fallback is None:
            return kept
        markup = batch.markup
        footer = np.fromiter(
            ("footer" in ancestors or "footer" in hints for ancestors, hints in zip(markup.ancestors, markup.hints)),
            dtype=bool,
            count=len(batch.texts),
        )
        chars = np.fromiter(map(len, batch.texts), dtype=float, count=len(batch.texts))
        for start, end in zip(batch.bounds[:-1], batch.bounds[1:]):
            added = decisions.kept_by_fallback[start:end]
            if not added.any() or not footer[start:end][added].all():
                continue
            kept[start:end] &= ~added
            first, last = best_run(decisions.keep[start:end], chars[start:end])
            if first < last and not footer[start + first : start + last].all():
                kept[start + first : start + last] = True
        return kept

    return trial


def captions_raised(floor: float, figures: bool = False) -> Trial:
    """The kept lines of a ``<figcaption>`` (with ``figures``, any line inside a ``<figure>``) kept only
    from a keep-probability of ``floor``: every corpus's gold leaves photo captions and credits out."""

    def trial(decisions: Any, batch: Any) -> np.ndarray:
        markup = batch.markup
        caption = np.fromiter(
            (
                tag == "figcaption" or (figures and "figure" in ancestors)
                for tag, ancestors in zip(markup.tags, markup.ancestors)
            ),
            dtype=bool,
            count=len(batch.texts),
        )
        return decisions.kept & ~(caption & (decisions.keep < floor))

    return trial


# The threshold moved on the pages that declare no article (those the text view reads): their lines'
# smoothed keep-probabilities raised by this much before every rule reads them.
SHIFTS: dict[str, float] = {
    "pages without an article: threshold 0.05 lower": 0.05,
    "pages without an article: threshold 0.1 lower": 0.1,
    "pages without an article: threshold 0.05 higher": -0.05,
}

TRIALS: dict[str, Trial] = {
    "same shape from 0.05": same_shape(0.05),
    "same shape from 0.1": same_shape(0.1),
    "same shape from 0.15": same_shape(0.15),
    "same shape from 0.05, two kept": same_shape(0.05, 2),
    "same shape from 0.1, three kept": same_shape(0.1, 3),
    "short lines between kept ones from 0.05": short_between(0.05),
    "short lines between kept ones from 0.05, no captions": short_between(0.05, figures=False),
    "<p> lines between kept ones from 0.1": short_between(0.1, frozenset({"p"})),
    "kept lines inside <nav> dropped": inside_dropped(frozenset({"nav"})),
    "kept lines inside <aside> dropped": inside_dropped(frozenset({"aside"})),
    "kept lines inside <footer> dropped": inside_dropped(frozenset({"footer"})),
    "kept lines inside <nav>, <aside>, <footer> of <main>, <article> dropped": inside_dropped(
        frozenset({"nav", "aside", "footer"}), in_content=True
    ),
    "kept lines inside a <form> holding under half the prose dropped": inside_minor_dropped(frozenset({"form"}), 0.5),
    "kept lines inside a <form> holding under a fifth of the prose dropped": inside_minor_dropped(
        frozenset({"form"}), 0.2
    ),
    "title heading kept, a kept line within 10 lines after it": title_heading_kept(10),
    "title heading kept, a kept line within 25 lines after it": title_heading_kept(25),
    "a fallback region all footer: the best run instead": footer_fallback_to_best_run(),
    "<figcaption> lines kept from 0.7": captions_raised(0.7),
    "<figcaption> lines kept from 0.9": captions_raised(0.9),
    "<figcaption> lines never kept": captions_raised(1.01),
    "lines inside a <figure> kept from 0.7": captions_raised(0.7, figures=True),
}


@contextlib.contextmanager
def trial_applied(trial: Trial | None) -> Iterator[None]:
    """The pipeline's decisions followed by ``trial`` (none: the pipeline as it is), for HTML pages."""
    from cleaner import pipeline

    original = pipeline.decide_batch

    def decide_batch(probabilities: Any, batch: Any, model: Any, options: Any) -> Any:
        decisions = original(probabilities, batch, model, options)
        if batch.markup is None or options.threshold is not None:
            return decisions
        return replace(decisions, kept=trial(decisions, batch))

    if trial is not None:
        pipeline.decide_batch = decide_batch
    try:
        yield
    finally:
        pipeline.decide_batch = original


@contextlib.contextmanager
def shift_applied(shift: float) -> Iterator[None]:
    """The pipeline with the smoothed keep-probabilities of the lines of pages that declare no article
    raised by ``shift`` (the same as their threshold lowered by it, for every rule that reads them)."""
    from cleaner import pipeline
    from cleaner.decide import threshold
    from cleaner.model.text_view import viewed_lines

    original_decide_batch, original_smooth = pipeline.decide_batch, threshold.smooth_pages

    def decide_batch(probabilities: Any, batch: Any, model: Any, options: Any) -> Any:
        viewed = viewed_lines(batch)
        if batch.markup is None or options.threshold is not None or not viewed.any():
            return original_decide_batch(probabilities, batch, model, options)

        def smooth_pages(keep: np.ndarray, bounds: Any, smoothing: float) -> np.ndarray:
            smoothed = original_smooth(keep, bounds, smoothing)
            return np.where(viewed, np.minimum(smoothed + shift, 1.0), smoothed)

        threshold.smooth_pages = smooth_pages
        try:
            return original_decide_batch(probabilities, batch, model, options)
        finally:
            threshold.smooth_pages = original_smooth

    pipeline.decide_batch = decide_batch
    try:
        yield
    finally:
        pipeline.decide_batch = original_decide_batch


def applied(name: str) -> contextlib.AbstractContextManager[None]:
    """The pipeline with the trial ``name`` (a rule or a shift), or as it is for any other name."""
    return shift_applied(SHIFTS[name]) if name in SHIFTS else trial_applied(TRIALS.get(name))


def main() -> None:
    from held_out import add_held_out_arguments, print_rows  # this folder's, on the path as a script's

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_held_out_arguments(parser)
    parser.add_argument(
        "--trial", action="append", choices=sorted([*TRIALS, *SHIFTS]), help="Only this trial (repeatable)."
    )
    args = parser.parse_args()
    names = [BASELINE, *(args.trial or [*TRIALS, *SHIFTS])]
    systems, corpora = print_rows(args, names, applied, "trial")
    shifts = [BASELINE, *(name for name in SHIFTS if name in systems)]
    if len(shifts) > 1 and len(corpora) > 1:
        print_chosen_shift([systems[name] for name in shifts], corpora)


def print_chosen_shift(systems: list[Any], corpora: list[str]) -> None:
    """The threshold of the pages without an article as a build would learn it: for each corpus, the
    shift (none among them) with the best F1 on the other corpora, and that shift's pages of the corpus."""
    from cleaner.corpus.scoring import aggregate

    chosen_pages, cells, picks = [], [], []
    for corpus in corpora:
        others = [name for name in corpora if name != corpus]
        best = max(systems, key=lambda system: system.scores(others).f1)
        picks.append(f"{corpus}: {best.name}")
        chosen_pages += best.select(corpus)
        cells.append(best.scores(corpus).f1)
    pooled = aggregate((page.tp, page.fp, page.fn) for page in chosen_pages).f1
    print("| the threshold of pages without an article chosen on the other corpora | "
          + " | ".join(f"{cell:.4f}" for cell in [*cells, pooled]) + " |")  # fmt: skip
    print("\nchosen: " + "; ".join(picks))


if __name__ == "__main__":
    sys.exit(main())
