"""The decide stage's last rules, for HTML pages: the main container's prose kept from its lower
threshold (:func:`keep_main_prose`), and parts of a page that are kept or dropped whole.

A line-level model decides each line on its own, and a part of the article made of many short lines
can come out cut: a code listing with its last line dropped, a table of the article with half its
cells kept. Two parts are decided as one:

- a run of consecutive lines of preformatted text (``<pre>``: code, a poem, ASCII art) is kept when
  the lines kept hold most of its characters, and dropped otherwise (:func:`decide_preformatted`);
- a run of list items, table cells or preformatted lines inside the page's main container, standing
  between kept lines, is kept whole when the model rates it (its mean keep-probability, characters
  weighing) at least the container's lower threshold and it is not a block of links
  (:func:`keep_main_groups`).

And the page's own marks of its content, the ``<main>`` and ``<article>`` elements, decide what lies
outside them (:func:`keep_to_content_elements`); last, a definition's term goes with its definition
(:func:`keep_terms_of_kept_definitions`), and the article's headline with the article
(:func:`keep_title_heading`).

The rules only read what the other stages computed (the lines' tags, ancestors, link densities, main
container, keep-probabilities and the page's signals), and an explanation names the rule on each line
it changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from cleaner.decide import Decisions, line_pages, spared_lines
from cleaner.decide_head import lede_lines, section_heading_lines, title_heading_lines
from cleaner.decide_leadins import LEAD_IN_MIN_LINK_DENSITY, lead_in_lines
from cleaner.read.blocks import lines_inside, tags_in
from cleaner.read.prose import prose_lines
from cleaner.read.tags import MAIN_MARKS, PRE_TAGS
from cleaner.read.titles import title_lines
from cleaner.records import PageBatch
from cleaner.text_view import declares_article

# The block tags of list items, table cells and preformatted text: the article's steps, definitions,
# data tables and code listings.
GROUP_TAGS = frozenset({"li", "dt", "dd", "td", "th", *PRE_TAGS})
# A run of such lines is kept whole only with a kept line at most this many lines before it and one
# at most this many lines after it (on its page): the run lies inside the kept article, not beside it.
# A run that ends the main container (or the page) needs none after it: a list or a table closing the
# article (a recipe's ingredients, a reference page's table of error codes) has no text after it, and
# its last items, read beside the menus and footer that follow, went one by one. Held out by corpus,
# models fixed: 0.9139 either way (cleaneval -0.0001, l3s-gn1 -0.0002, msv -0.0001: a site's list of
# sections closing a container that holds the story); on synthetic articles in five CMS templates a
# list of five short items closing the article kept 35 of 75 items, now 66.
GROUP_REACH = 3
# ... and when less than this share of its characters are link text: a list of links in the article's
# container is a menu or a related-stories block, whatever the model's probability says.
GROUP_MAX_LINK_DENSITY = 0.3
# A run of preformatted lines is kept when the lines kept hold at least this share of its characters.
PRE_KEPT_SHARE = 0.5
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
# page. On a page that declares itself an article (og:type, JSON-LD: cleaner.text_view), its
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
# A definition list's term (a <dt> line: an API's signature, a glossary's word, a menu item in a manual)
# is a short line that the model reads as a list of links or a menu, while its definition, prose, is
# kept: the term is kept with the definition that follows it. Held out by corpus, the models fixed:
# HTML 0.9144, level (l3s-gn1 -0.0001); on 498 pages of Python's documentation (bench/docs_pages.py
# --kind sphinx, shipped models), 0.880 -> 0.887 (recall 0.846 -> 0.854: Sphinx writes every function,
# class and constant as a <dt> signature above its description).
TERM_TAG = "dt"

# How an explanation names each rule, on the lines it changed.
KEPT_AS_GROUP = "main_container_part_kept_whole"
PRE_DECIDED_WHOLE = "preformatted_block_decided_whole"
OUTSIDE_CONTENT = "outside_main_or_article"
KEPT_IN_CONTENT = "main_or_article_kept_for_want_of_kept_lines"
TERM_KEPT = "definition_term_kept_with_its_definition"
TITLE_KEPT = "title_heading_kept_with_the_article"
LEDE_KEPT = "lede_kept_as_the_page_describes_it"
LEAD_IN_DROPPED = "related_story_lead_in_dropped"
SECTION_KEPT = "section_heading_kept_with_its_text"
# The values of Decisions.parts.
NOT_CHANGED, GROUP_KEPT, PRE_CHANGED, CONTENT_DROPPED, CONTENT_KEPT, TERM_ADDED, TITLE_ADDED, LEDE_ADDED = range(8)
LEAD_IN, SECTION_ADDED = 8, 9
# Every explanation entry of these rules (the pipeline tells rules from features by them).
PART_NOTES = frozenset(
    {
        KEPT_AS_GROUP,
        PRE_DECIDED_WHOLE,
        OUTSIDE_CONTENT,
        KEPT_IN_CONTENT,
        TERM_KEPT,
        TITLE_KEPT,
        LEDE_KEPT,
        LEAD_IN_DROPPED,
        SECTION_KEPT,
    }
)


def html_rules(
    decisions: Decisions,
    labels: Sequence[str],
    batch: PageBatch,
    prose: np.ndarray | None,
    main_threshold: float | None,
    content_elements: bool = True,
) -> Decisions:
    """The decide stage's last rules for a batch of HTML pages (none for lines without markup): with a
    ``main_threshold``, the main container's prose kept from it (:func:`keep_main_prose`,
    ``prose`` saying which lines are prose) and its lists, tables and code listings kept whole
    (:func:`keep_main_groups`); then the preformatted runs decided whole (:func:`decide_preformatted`);
    then, with ``content_elements``, what lies outside a page's ``<main>`` and ``<article>`` elements
    (:func:`keep_to_content_elements`); then the terms of kept definitions (:func:`keep_terms_of_kept_definitions`)
    the related-story lead-ins among the kept lines (:func:`drop_lead_ins`), and the article's head:
    the title heading above the kept text (:func:`keep_title_heading`) and the lede (:func:`keep_lede`);
    last, the headings of kept text (:func:`keep_section_headings`).
    The pipeline and the model build (its figures) both finish with this."""
    markup = batch.markup
    if markup is None:
        return decisions
    if main_threshold is not None:
        assert prose is not None
        decisions = keep_main_prose(decisions, labels, batch.bounds, prose, markup.in_main, main_threshold)
        decisions = keep_main_groups(
            decisions, batch.texts, batch.bounds, markup.tags, markup.link_density, markup.in_main, main_threshold
        )
    decisions = decide_preformatted(decisions, batch.texts, batch.bounds, markup.tags)
    if content_elements:
        decisions = keep_to_content_elements(decisions, batch, prose)
    decisions = keep_terms_of_kept_definitions(decisions, batch.bounds, markup.tags)
    decisions = drop_lead_ins(decisions, batch)
    return keep_section_headings(keep_lede(keep_title_heading(decisions, batch), batch), batch)


def runs(flags: np.ndarray, bounds: Sequence[int]) -> list[tuple[int, int]]:
    """The runs ``(start, end)`` of consecutive lines where ``flags`` holds, cut at the page starts
    ``bounds`` (``[0, ..., n]``) and one line long or more."""
    flags = np.asarray(flags, dtype=bool)
    n = len(flags)
    page_start = np.zeros(n, dtype=bool)
    page_start[[int(bound) for bound in bounds[:-1] if int(bound) < n]] = True
    first, last = flags.copy(), flags.copy()
    first[1:] &= ~flags[:-1] | page_start[1:]
    last[:-1] &= ~flags[1:] | page_start[1:]
    return list(zip(np.flatnonzero(first).tolist(), (np.flatnonzero(last) + 1).tolist()))


# Inside an HTML page's main container the article's own lines are often ones the model hesitates on
# (a paragraph styled as a teaser, a list of steps, a short forum post): a prose line there is kept
# from a lower keep-probability, the model's ``main_threshold`` (``MAIN_THRESHOLD`` of the corpus
# build). Not the lines the model reads as captions and credits: they share the article's container,
# and some corpora's gold leaves them out (held out by corpus, with them: fundus -0.011).
MAIN_EXCLUDED_LABELS = ("meta",)
# How an explanation names this rule, on the lines it kept.
KEPT_IN_MAIN = "main_container_prose_above_main_threshold"


def keep_main_prose(
    decisions: Decisions,
    labels: Sequence[str],
    bounds: Sequence[int],
    prose: np.ndarray,
    in_main: np.ndarray,
    main_threshold: float,
) -> Decisions:
    """``decisions`` with the prose lines of each page's main container (``in_main``) kept from
    ``main_threshold`` on, on the pages that keep something there already, but for the lines whose
    likeliest label is one of :data:`MAIN_EXCLUDED_LABELS` (``kept_in_main`` says which were added)."""
    lines_of = line_pages(bounds)
    holds_kept = np.bincount(lines_of, decisions.kept & in_main, minlength=max(len(bounds) - 1, 0)) > 0
    excluded = [labels.index(label) for label in MAIN_EXCLUDED_LABELS if label in labels]
    allowed = ~np.isin(decisions.probabilities.argmax(axis=1), excluded) if excluded else True
    added = in_main & prose & allowed & (decisions.keep >= main_threshold) & ~decisions.kept & holds_kept[lines_of]
    return replace(decisions, kept=decisions.kept | added, kept_in_main=added)


def keep_main_groups(
    decisions: Decisions,
    texts: Sequence[str],
    bounds: Sequence[int],
    tags: Sequence[str],
    link_density: np.ndarray,
    in_main: np.ndarray,
    main_threshold: float,
) -> Decisions:
    """``decisions`` with the runs of list items, table cells and preformatted lines (``tags`` in
    :data:`GROUP_TAGS`) of each page's main container (``in_main``) kept whole where they stand between
    kept lines (within :data:`GROUP_REACH` lines each way; a run that ends the container or the page
    needs none after it), their link characters are under
    :data:`GROUP_MAX_LINK_DENSITY` of their characters, and their mean keep-probability reaches
    ``main_threshold``. A run is at least two lines, or one preformatted line (a one-line code
    listing); a list of one item is a line like any other."""
    grouped = tags_in(tags, GROUP_TAGS) & in_main
    kept = decisions.kept
    chars = np.fromiter(map(len, texts), dtype=float, count=len(texts))
    page_of = line_pages(bounds)
    added = np.zeros(len(texts), dtype=bool)
    for start, end in runs(grouped, bounds):
        total = float(chars[start:end].sum())
        if (end - start < 2 and tags[start] not in PRE_TAGS) or not total:
            continue
        page_start, page_end = int(bounds[page_of[start]]), int(bounds[page_of[start] + 1])
        closes = end == page_end or not in_main[end]
        between = kept[max(start - GROUP_REACH, page_start) : start].any() and (
            closes or kept[end : min(end + GROUP_REACH, page_end)].any()
        )
        linked = float((link_density[start:end] * chars[start:end]).sum()) / total
        rated = float((decisions.keep[start:end] * chars[start:end]).sum()) / total
        if between and linked < GROUP_MAX_LINK_DENSITY and rated >= main_threshold:
            added[start:end] = ~kept[start:end]
    return _with_parts(decisions, decisions.kept | added, added, GROUP_KEPT)


def decide_preformatted(
    decisions: Decisions, texts: Sequence[str], bounds: Sequence[int], tags: Sequence[str]
) -> Decisions:
    """``decisions`` with each run of preformatted lines (``tags`` in ``PRE_TAGS``) kept whole when its
    kept lines hold at least :data:`PRE_KEPT_SHARE` of its characters, dropped whole otherwise."""
    pre = tags_in(tags, PRE_TAGS)
    if not pre.any():
        return decisions
    kept = decisions.kept.copy()
    chars = np.fromiter(map(len, texts), dtype=float, count=len(texts))
    for start, end in runs(pre, bounds):
        total = float(chars[start:end].sum())
        if end - start > 1 and total:
            kept[start:end] = float(chars[start:end][kept[start:end]].sum()) >= PRE_KEPT_SHARE * total
    return _with_parts(decisions, kept, kept != decisions.kept, PRE_CHANGED)


def keep_to_content_elements(decisions: Decisions, batch: PageBatch, prose: np.ndarray | None = None) -> Decisions:
    """``decisions`` narrowed to the content each page of ``batch`` marks (the lines inside its
    :data:`CONTENT_TAGS` elements) where the page keeps at least :data:`CONTENT_SHARE` of its kept
    characters there (to its ``<article>`` elements alone where they hold that share themselves and the
    page marks more than them); on a page that keeps nothing there but lines elsewhere, those lines from
    :data:`CONTENT_FLOOR` on kept (only ``<main>``'s on a page that declares itself an article:
    :func:`~cleaner.text_view.declares_article`) and the page narrowed to them (``fallback`` says
    so), as on a page that keeps less than :data:`CONTENT_SPARSE_SHARE` of their characters, and (a
    listing) its <article> elements when it keeps none of them (:func:`_listed_articles`). What
    narrowing spares: the page's title lines and the kept prose between them and the content
    (:func:`~cleaner.decide.spared_lines`; ``prose`` says which lines are prose, computed when None).
    ``narrowed`` says which pages were narrowed."""
    assert batch.markup is not None
    ancestors = batch.markup.ancestors
    inside = lines_inside(ancestors, CONTENT_TAGS)
    if not inside.any():
        return decisions
    articles = lines_inside(ancestors, frozenset({ARTICLE_TAG}))
    bounds = batch.bounds
    chars = np.fromiter(map(len, batch.texts), dtype=float, count=len(batch.texts))
    kept = decisions.kept.copy()
    pages = np.zeros(len(bounds) - 1, dtype=bool)
    rescued = np.zeros_like(pages)
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
        return decisions
    widened = replace(decisions, kept=kept)
    prose = prose if prose is not None else prose_lines(batch.texts)
    spared = spared_lines(widened, bounds, prose, inside, title_lines(batch, pages), pages)
    outside = pages[line_pages(bounds)] & ~inside
    kept &= ~(outside & ~spared) if spared is not None else ~outside
    added, dropped = kept & ~decisions.kept, decisions.kept & ~kept
    decisions = replace(
        decisions,
        narrowed=pages | (decisions.narrowed if decisions.narrowed is not None else False),
        fallback=rescued | (decisions.fallback if decisions.fallback is not None else False),
    )
    decisions = _with_parts(decisions, decisions.kept | added, added, CONTENT_KEPT)
    return _with_parts(decisions, decisions.kept & ~dropped, dropped, CONTENT_DROPPED)


def _listed_articles(listed: np.ndarray, held: np.ndarray, chars: np.ndarray, within: float) -> np.ndarray | None:
    """The lines of a page's ``<article>`` elements inside its content (``listed``) when they are the
    listing the page is (see :data:`CONTENT_SHARE`): none of them kept (``held``), and more characters
    (``chars``) than the page keeps inside its content (``within``); else None."""
    if not listed.any() or (held & listed).any():
        return None
    return listed if float(chars[listed].sum()) > within else None


def keep_terms_of_kept_definitions(decisions: Decisions, bounds: Sequence[int], tags: Sequence[str]) -> Decisions:
    """``decisions`` with each dropped term of a definition list (a :data:`TERM_TAG` line) kept when the
    next line of its page, its definition (not another term), is kept."""
    term = tags_in(tags, frozenset({TERM_TAG}))
    if not term.any():
        return decisions
    kept = decisions.kept
    added = np.zeros(len(kept), dtype=bool)
    last_lines = np.asarray(bounds[1:], dtype=np.intp) - 1  # a page's last line has no next line on it
    added[:-1] = term[:-1] & ~kept[:-1] & kept[1:] & ~term[1:]
    added[last_lines[last_lines >= 0]] = False
    return _with_parts(decisions, kept | added, added, TERM_ADDED)


def drop_lead_ins(decisions: Decisions, batch: PageBatch) -> Decisions:
    """``decisions`` without the kept lines that lead to another story
    (:func:`~cleaner.decide_leadins.lead_in_lines`)."""
    assert batch.markup is not None
    dropped = lead_in_lines(decisions.kept, batch.texts, batch.markup.link_density)
    return _with_parts(decisions, decisions.kept & ~dropped, dropped, LEAD_IN)


def keep_title_heading(decisions: Decisions, batch: PageBatch) -> Decisions:
    """``decisions`` with the heading nearest above each page's first kept line kept when it is the
    page's title (:func:`~cleaner.decide_head.title_heading_lines`)."""
    added = title_heading_lines(decisions.kept, batch)
    return _with_parts(decisions, decisions.kept | added, added, TITLE_ADDED)


def keep_section_headings(decisions: Decisions, batch: PageBatch) -> Decisions:
    """``decisions`` with the headings of kept text kept (:func:`~cleaner.decide_head.section_heading_lines`)."""
    added = section_heading_lines(decisions.kept, batch)
    return _with_parts(decisions, decisions.kept | added, added, SECTION_ADDED)


def keep_lede(decisions: Decisions, batch: PageBatch) -> Decisions:
    """``decisions`` with each page's lede kept, the line near its first kept line that its
    description gives (:func:`~cleaner.decide_head.lede_lines`)."""
    added = lede_lines(decisions.kept, batch)
    return _with_parts(decisions, decisions.kept | added, added, LEDE_ADDED)


def _with_parts(decisions: Decisions, kept: np.ndarray, changed: np.ndarray, rule: int) -> Decisions:
    """``decisions`` with ``kept``, the lines ``changed`` marked with ``rule`` in ``Decisions.parts``."""
    if not changed.any():
        return decisions
    parts = decisions.parts.copy() if decisions.parts is not None else np.full(len(kept), NOT_CHANGED, np.int8)
    parts[changed] = rule
    return replace(decisions, kept=kept, parts=parts)


def part_explanations(parts: np.ndarray, main_threshold: float | None) -> list[tuple[str, float] | None]:
    """Per line, the explanation entry of the rule of this module that changed it (None: none): the
    main container's threshold for a part kept whole, the share of characters that decides a
    preformatted block, the share kept inside ``<main>`` and ``<article>`` that drops a line outside
    them, the floor from which their lines are kept for want of any, and 1 for a term kept with its
    definition or a title heading kept with the article."""
    entries: dict[int, tuple[str, float]] = {
        PRE_CHANGED: (PRE_DECIDED_WHOLE, PRE_KEPT_SHARE),
        CONTENT_DROPPED: (OUTSIDE_CONTENT, CONTENT_SHARE),
        CONTENT_KEPT: (KEPT_IN_CONTENT, CONTENT_FLOOR),
        TERM_ADDED: (TERM_KEPT, 1.0),
        TITLE_ADDED: (TITLE_KEPT, 1.0),
        LEDE_ADDED: (LEDE_KEPT, 1.0),
        LEAD_IN: (LEAD_IN_DROPPED, LEAD_IN_MIN_LINK_DENSITY),
        SECTION_ADDED: (SECTION_KEPT, 1.0),
    }
    if main_threshold is not None:  # the only way a part is kept as a group
        entries[GROUP_KEPT] = (KEPT_AS_GROUP, round(main_threshold, 3))
    return [entries.get(code) for code in parts.tolist()]
