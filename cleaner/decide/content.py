"""The decide stage's rule for the content a page marks itself (HTML): its ``<main>`` and
``<article>`` elements decide what lies outside them, and are kept for want of anything kept inside.

The rule only reads what the other stages computed (the lines' ancestors, the keep-probabilities,
the page's signals) and returns its result for :mod:`cleaner.decide.parts` to apply and explain.
"""

from __future__ import annotations

import numpy as np

from cleaner.decide.page_check import spared_lines
from cleaner.decide.threshold import Decisions
from cleaner.features.layout import line_pages
from cleaner.read.blocks import lines_inside, tags_in
from cleaner.read.page_kind import declares_article
from cleaner.read.prose import batch_prose
from cleaner.read.tags import MAIN_MARKS
from cleaner.read.titles import line_keys, title_lines, title_part_keys
from cleaner.records import PageBatch

# A page marks its content itself: <main> holds its dominant content and <article> a self-contained
# composition (the HTML standard's definitions; modern sites, documentation generators and forum
# software set them). The model reads them as two markup flags among many, learned on corpora that
# mostly predate the elements, and can keep a dialog or a sidebar beside them (mdBook's keyboard-help
# popup, hidden by a stylesheet, above every page; a cookie notice; a comment thread below the story),
# or only such lines and nothing inside them. When the lines kept inside a <main> or an <article> hold
# at least this share of the page's kept characters, the kept lines outside them go, but for the
# page's title lines and the prose between them and that content (as the page check spares them). The
# share guards against an element that holds a box beside the article (a <main> around a footer, on
# one googletrends2017 page). Held out by corpus, the models fixed: HTML 0.9123 -> 0.9142 (dragnet
# +0.0027, readability +0.0039, googletrends2017 +0.0063, magichtml +0.0104, fundus +0.0006, msv
# level; no corpus down), about the same for any share from 0.1 to 0.25 (at 0.5, readability gives back 0.0024).
# With <main> alone, 0.9126. On 55 pages of mdBook books (bench/docs_pages.py; gold: the text of
# <main>), shipped models: 0.762 -> 0.982 (trafilatura 0.841); at 0.5, 0.941: stub pages of a heading
# and a sentence, outweighed by the help popup, kept it.
CONTENT_SHARE = 0.25
ARTICLE_TAG = "article"
CONTENT_TAGS = MAIN_MARKS | {ARTICLE_TAG}
# The <article>s are the narrower mark: a <main> (or role="main") often wraps the whole page's middle,
# a forum's notice box, a donation appeal or a live feed beside the posts or the story. When the
# page's <article>s hold that share of its kept characters themselves and its <main> holds more than
# them, the kept lines outside the <article>s go, the same way. Held out by corpus, the models fixed:
# 0.9143 -> 0.9145 (magichtml +0.0031, readability +0.0023: the notice boxes of forum threads and a
# live feed inside a role="main" around the whole page; fundus +0.0002); 3 pages down, a <main> whose
# story lies beside its <article>s of teasers among them.
# When nothing inside them is kept but lines outside are, the lines of the page's <main> and <article>
# elements from this keep-probability on are kept instead (the lines the model does not rule out), and
# those outside go as above; a page where none reaches it is left alone, so the rule never empties a
# page. On a page that declares itself an article (og:type, JSON-LD: cleaner.model.text_view), its
# <article>s are not rescued, only its <main>: beside a story they are teasers or comments, and the
# kept lines outside them may be the story; on a listing or a thread they are the content. Held out
# by corpus, the models fixed: in <main>, two forum threads whose posts sit there lifted out of empty
# (magichtml +0.0039); in <article> too, 9 pages moved against <main> alone, 6 up (a Slashdot story in
# its <article> rather than its comment thread, four pages, 0.00 -> 0.72 to 0.85; a football team's
# page of news teasers; a forum thread) and 3 down (news pages whose teasers or comments are
# <article>s and whose story is not, 0.98 -> 0.84), which the declared article brings back. With no
# floor, HTML 0.9133 (the content's menus kept with it: readability -0.0087); at 0.1, 0.9140
# (googletrends2017 -0.0046).
CONTENT_FLOOR = 0.03
# The same when what is kept inside them is less than this share of their characters: a
# documentation index or a listing whose <main> is a heading, an introduction and a list of links,
# the list read as a menu. Held out by corpus, the models fixed: HTML 0.9145 -> 0.9147
# (googletrends2017 0.8375 -> 0.8426: a list of exchanges 0.00 -> 0.64, a wiki's disambiguation page
# +0.08; a magichtml blog stub 0.035 -> 0.003); at 0.07, the same 3 pages; at 0.15, 5 pages (a blog
# post 0.97 -> 0.28 among them); at 0.2, 16 pages and the corpora down. Python's documentation
# 0.932 -> 0.943 (0.949 at 0.15).
CONTENT_SPARSE_SHARE = 0.1
# And on a page that does not declare itself an article, when the lines kept inside its <main> are
# none of its <article>s and fewer characters than them: a tag archive or a category page, its
# heading and introduction kept, its <article>s, the listed posts (link-wrapped cards: a title and an
# excerpt, all link text), read as a related-stories block. Held out by corpus, the models fixed: no
# page moved; synthetic pages of seven modern kinds: a Ghost tag archive 0.22 -> 0.91, no other moved.

# On a page narrowed to its <article>s, the <main>'s own heading outside them that is a part of the
# page's title, however short, is the page's title as well (spared, and the introduction under it
# with it): a category or a tag archive's "Plumbing" (title "Plumbing – The Well House Blog") above
# its cards, a name too short to pass for a headline anywhere else on a page (one word matches
# menus). Held out by corpus, the models fixed: no page moved (any heading of the <main> instead of
# one that names the title: a forum's notice box kept above its posts, magichtml -0.0013); the
# synthetic tag archive keeps its heading and introduction.
MAIN_TITLE_TAGS = frozenset({"h1"})


def content_decisions(
    decisions: Decisions, batch: PageBatch, prose: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """What becomes of ``decisions`` narrowed to the content each page of ``batch`` marks (the lines inside its
    :data:`CONTENT_TAGS` elements) where the page keeps at least :data:`CONTENT_SHARE` of its kept
    characters there (to its ``<article>`` elements alone where they hold that share themselves and the
    page marks more than them); on a page that keeps nothing there but lines elsewhere, those lines from
    :data:`CONTENT_FLOOR` on kept (only ``<main>``'s on a page that declares itself an article:
    :func:`~cleaner.read.page_kind.declares_article`) and the page narrowed to them (``fallback`` says
    so), as on a page that keeps less than :data:`CONTENT_SPARSE_SHARE` of their characters, and (a
    listing) its <article> elements when it keeps none of them (:func:`_listed_articles`). What
    narrowing spares: the page's title lines (on a page narrowed to its ``<article>`` elements, its
    ``<main>``'s heading that names a part of its title too: :data:`MAIN_TITLE_TAGS`) and the kept
    prose between them and the content (:func:`~cleaner.decide.page_check.spared_lines`; ``prose``
    says which lines are prose, computed when None).
    Returns the lines kept, the pages narrowed and the pages whose content was kept for want of kept
    lines there; None when no page changes."""
    assert batch.markup is not None
    ancestors = batch.markup.ancestors
    inside = lines_inside(ancestors, CONTENT_TAGS)
    if not inside.any():
        return None
    articles = lines_inside(ancestors, frozenset({ARTICLE_TAG}))
    bounds = batch.bounds
    chars = batch.line_chars()
    kept = decisions.kept.copy()
    pages = np.zeros(len(bounds) - 1, dtype=bool)
    rescued = np.zeros_like(pages)
    to_articles = np.zeros_like(pages)
    for page, (start, end) in enumerate(zip(bounds[:-1], bounds[1:])):
        lines, held = inside[start:end], kept[start:end]
        total = float(chars[start:end][held].sum())
        if not lines.any() or not total:
            continue
        within = float(chars[start:end][held & lines].sum())
        rescuable = None
        if within >= CONTENT_SHARE * total:
            narrower = articles[start:end]
            in_articles = float(chars[start:end][held & narrower].sum())
            if in_articles >= CONTENT_SHARE * total and (lines & ~narrower).any():
                inside[start:end] = narrower
                within = in_articles
                to_articles[page] = True
            pages[page] = within < total  # nothing kept outside: nothing to do
            if within < CONTENT_SPARSE_SHARE * float(chars[start:end][lines].sum()):
                rescuable = lines & ~held
            elif not declares_article(batch.signals[page]):
                rescuable = _listed_articles(lines & articles[start:end], held, chars[start:end], within)
        elif not within:
            rescuable = lines
            if declares_article(batch.signals[page]):  # its <main> only, not its <article>s
                rescuable = lines_inside(ancestors[start:end], MAIN_MARKS)
        if rescuable is not None:
            floor = rescuable & (decisions.keep[start:end] >= CONTENT_FLOOR)
            if floor.any():
                kept[start:end] |= floor
                pages[page] = rescued[page] = True
    if not pages.any():
        return None
    widened = decisions.changed(kept=kept)
    prose = prose if prose is not None else batch_prose(batch)
    titles = title_lines(batch, pages)
    if titles is not None and to_articles.any():
        titles |= _main_titles(batch, to_articles, lines_inside(ancestors, MAIN_MARKS) & ~articles)
    spared = spared_lines(widened, bounds, prose, inside, titles, pages)
    outside = pages[line_pages(bounds)] & ~inside
    kept &= ~(outside & ~spared) if spared is not None else ~outside
    return kept, pages, rescued


def _main_titles(batch: PageBatch, pages: np.ndarray, main: np.ndarray) -> np.ndarray:
    """Per line of ``batch``: whether it is a :data:`MAIN_TITLE_TAGS` heading among the ``main`` lines
    of one of the ``pages`` whose key is a part of its page's title (:func:`title_part_keys`)."""
    assert batch.markup is not None
    owners = line_pages(batch.bounds)
    found = main & tags_in(batch.markup.tags, MAIN_TITLE_TAGS) & pages[owners]
    for line in found.nonzero()[0].tolist():
        found[line] = line_keys(batch)[line] in title_part_keys(batch.signals[owners[line]])
    return found


def _listed_articles(listed: np.ndarray, held: np.ndarray, chars: np.ndarray, within: float) -> np.ndarray | None:
    """The lines of a page's ``<article>`` elements inside its content (``listed``) when they are the
    listing the page is (see :data:`CONTENT_SHARE`): none of them kept (``held``), and more characters
    (``chars``) than the page keeps inside its content (``within``); else None."""
    if not listed.any() or (held & listed).any():
        return None
    return listed if float(chars[listed].sum()) > within else None
