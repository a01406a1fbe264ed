"""The decide stage's last rules, for HTML pages (and, for text, the one that reads no markup:
:func:`text_rules`): the main container's prose kept from its lower threshold
(:func:`keep_main_prose`), and parts of a page that are kept or dropped whole.

A line-level model decides each line on its own, and a part of the article made of many short lines
can come out cut: a code listing with its last line dropped, a table of the article with half its
cells kept. Such parts are decided as one (:mod:`cleaner.decide.groups` says how): a run of
preformatted lines (:func:`decide_preformatted`), a list, table or code listing of the main container
(:func:`keep_main_groups`), a paragraph with its element's kept lines (:func:`keep_sibling_paragraphs`).

And the page's own marks of its content, the ``<main>`` and ``<article>`` elements, decide what lies
outside them (:func:`keep_to_content_elements`, :mod:`cleaner.decide.content`); a definition's term
goes with its definition (:func:`keep_terms_of_kept_definitions`); a related-story lead-in and a
picture's caption go (:func:`drop_lead_ins`, :func:`drop_captions`, :mod:`cleaner.decide.asides`);
the article's headline and lede go with the article, its byline goes, and a section heading goes
with its text (:mod:`cleaner.decide.head`); last, the timestamps of posts go (:func:`drop_timestamps`).

The rules only read what the other stages computed (the lines' tags, ancestors, link densities, main
container, keep-probabilities and the page's signals); this module applies them, in
:func:`html_rules`, and an explanation names the rule on each line it changed
(:func:`cleaner.decide.notes.part_explanations`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cleaner.decide.asides import caption_lines, lead_in_lines, timestamp_lines
from cleaner.decide.content import content_decisions
from cleaner.decide.groups import (
    PART_TAGS,
    announcing_lines,
    group_lines,
    main_group_lines,
    preformatted_kept,
    sibling_paragraph_lines,
)
from cleaner.decide.head import byline_lines, lede_lines, section_heading_lines, title_heading_lines
from cleaner.decide.notes import (
    BYLINE,
    CAPTION,
    CONTENT_DROPPED,
    CONTENT_KEPT,
    DISCUSSION_ADDED,
    GROUP_KEPT,
    LEAD_IN,
    LEDE_ADDED,
    NOT_CHANGED,
    PRE_CHANGED,
    REPLY_ADDED,
    SECTION_ADDED,
    SIBLING_ADDED,
    TERM_ADDED,
    TEXT_LEAD_IN,
    TIMESTAMP,
    TITLE_ADDED,
)
from cleaner.decide.threads import discussion_lines, discussion_pages, reply_lines
from cleaner.decide.threshold import Decisions
from cleaner.features.layout import line_pages
from cleaner.read.blocks import tags_in
from cleaner.read.prose import batch_prose
from cleaner.read.titles import title_lines
from cleaner.records import DEFAULT_KEEP, PageBatch

# A definition list's term (a <dt> line: an API's signature, a glossary's word, a menu item in a manual)
# is a short line that the model reads as a list of links or a menu, while its definition, prose, is
# kept: the term is kept with the definition that follows it. Held out by corpus, the models fixed:
# HTML 0.9144, level (l3s-gn1 -0.0001); on 498 pages of Python's documentation (bench/docs_pages.py
# --kind sphinx, shipped models), 0.880 -> 0.887 (recall 0.846 -> 0.854: Sphinx writes every function,
# class and constant as a <dt> signature above its description).
TERM_TAG = "dt"

# The labels whose lines the article's head and asides rules keep or drop (see html_rules).
BODY_LABEL, HEADING_LABEL, META_LABEL, RELATED_LABEL = "body", "heading", "meta", "related"


def html_rules(
    decisions: Decisions,
    labels: Sequence[str],
    batch: PageBatch,
    prose: np.ndarray | None,
    main_threshold: float | None,
    content_elements: bool = True,
    keep: Sequence[str] = DEFAULT_KEEP,
) -> Decisions:
    """The decide stage's last rules for a batch of HTML pages (:func:`text_rules` for lines without
    markup): with a ``main_threshold``, the main container's prose kept from it (:func:`keep_main_prose`,
    ``prose`` saying which lines are prose; the sentences announcing what follows them read with it:
    :func:`~cleaner.decide.groups.announcing_lines`), its lists, tables and code listings kept whole
    (:func:`keep_main_groups`) and its paragraphs whose element's other lines are kept
    (:func:`keep_sibling_paragraphs`); then the preformatted runs decided whole (:func:`decide_preformatted`);
    then, with ``content_elements``, what lies outside a page's ``<main>`` and ``<article>`` elements
    (:func:`keep_to_content_elements`); then the terms of kept definitions (:func:`keep_terms_of_kept_definitions`)
    the related-story lead-ins and picture captions among the kept lines (:func:`drop_lead_ins`,
    :func:`drop_captions`), and the article's head:
    the title heading above the kept text (:func:`keep_title_heading`) and the lede (:func:`keep_lede`);
    the headings of kept text (:func:`keep_section_headings`); last, the byline under the title
    (:func:`drop_bylines`) and the timestamps of posts (:func:`drop_timestamps`). A rule that keeps
    lines of a label (``heading``, ``body``) applies only when ``keep`` (the labels the user keeps)
    holds it, and one that drops them (``related``, ``meta``) only when it does not: the user's choice
    of labels stands.
    The pipeline and the model build (its figures) both finish with this."""
    markup = batch.markup
    if markup is None:
        return text_rules(decisions, batch, keep)
    if BODY_LABEL in keep:
        decisions = keep_discussion_prose(decisions, batch, prose)
    if main_threshold is not None:
        assert prose is not None
        # A sentence announcing a list or a listing is read with the prose here (see ANNOUNCING_MIN_WORDS).
        readable = prose | announcing_lines(batch.texts)
        decisions = keep_main_prose(decisions, labels, batch.bounds, readable, markup.in_main, main_threshold)
        decisions = keep_main_groups(decisions, batch, main_threshold)
        decisions = keep_sibling_paragraphs(decisions, labels, batch)
    decisions = decide_preformatted(decisions, batch.texts, batch.bounds, markup.tags)
    if content_elements:
        decisions = keep_to_content_elements(decisions, batch, prose)
    decisions = keep_terms_of_kept_definitions(decisions, batch.bounds, markup.tags)
    rules = (
        (drop_lead_ins, RELATED_LABEL not in keep),
        (drop_captions, META_LABEL not in keep),
        (keep_title_heading, HEADING_LABEL in keep),
        (keep_lede, BODY_LABEL in keep),
        (keep_section_headings, HEADING_LABEL in keep),
        (drop_bylines, META_LABEL not in keep),
        (drop_timestamps, META_LABEL not in keep),
    )
    for rule, applies in rules:
        if applies:
            decisions = rule(decisions, batch)
    return decisions


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
    allowed = ~_likeliest_in(decisions, labels, MAIN_EXCLUDED_LABELS)
    added = in_main & prose & allowed & (decisions.keep >= main_threshold) & ~decisions.kept & holds_kept[lines_of]
    return decisions.changed(kept=decisions.kept | added, kept_in_main=added)


def keep_main_groups(decisions: Decisions, batch: PageBatch, main_threshold: float) -> Decisions:
    """``decisions`` with the main container's lists, tables and code listings kept whole
    (:func:`~cleaner.decide.groups.main_group_lines`)."""
    markup = batch.markup
    assert markup is not None
    grouped = group_lines(markup.tags, markup.ancestors)
    added = main_group_lines(
        decisions.kept,
        decisions.keep,
        batch.texts,
        batch.bounds,
        markup.tags,
        grouped,
        markup.link_density,
        markup.in_main,
        main_threshold,
    )
    return _with_parts(decisions, decisions.kept | added, added, GROUP_KEPT)


def keep_sibling_paragraphs(decisions: Decisions, labels: Sequence[str], batch: PageBatch) -> Decisions:
    """``decisions`` with the main container's paragraphs whose element's other lines are all kept kept
    too (:func:`~cleaner.decide.groups.sibling_paragraph_lines`), but for those whose likeliest label is
    one of :data:`MAIN_EXCLUDED_LABELS`."""
    markup = batch.markup
    assert markup is not None
    candidates = ~_likeliest_in(decisions, labels, MAIN_EXCLUDED_LABELS)
    added = sibling_paragraph_lines(
        decisions.kept,
        candidates,
        batch.bounds,
        markup.tags,
        markup.link_density,
        markup.in_main,
        markup.ancestor_ranges[:, 0],
    )
    return _with_parts(decisions, decisions.kept | added, added, SIBLING_ADDED)


def decide_preformatted(
    decisions: Decisions, texts: Sequence[str], bounds: Sequence[int], tags: Sequence[str]
) -> Decisions:
    """``decisions`` with each run of preformatted lines decided whole
    (:func:`~cleaner.decide.groups.preformatted_kept`)."""
    kept = preformatted_kept(decisions.kept, texts, bounds, tags)
    return _with_parts(decisions, kept, kept != decisions.kept, PRE_CHANGED)


def _likeliest_in(decisions: Decisions, labels: Sequence[str], names: Sequence[str]) -> np.ndarray:
    """Per line: whether its likeliest label is one of ``names``."""
    wanted = np.zeros(len(labels), dtype=bool)
    wanted[[labels.index(label) for label in names if label in labels]] = True
    return wanted[decisions.probabilities.argmax(axis=1)]


def keep_to_content_elements(decisions: Decisions, batch: PageBatch, prose: np.ndarray | None = None) -> Decisions:
    """``decisions`` narrowed to the content each page of ``batch`` marks, or widened to it
    (:func:`~cleaner.decide.content.content_decisions`; ``prose`` says which lines are prose,
    computed when None); ``narrowed`` says which pages were narrowed, ``fallback`` which were widened."""
    found = content_decisions(decisions, batch, prose)
    if found is None:
        return decisions
    kept, narrowed, widened = found
    added, dropped = kept & ~decisions.kept, decisions.kept & ~kept
    decisions = decisions.changed(
        narrowed=narrowed | (decisions.narrowed if decisions.narrowed is not None else False),
        fallback=widened | (decisions.fallback if decisions.fallback is not None else False),
    )
    decisions = _with_parts(decisions, decisions.kept | added, added, CONTENT_KEPT)
    return _with_parts(decisions, decisions.kept & ~dropped, dropped, CONTENT_DROPPED)


def keep_discussion_prose(decisions: Decisions, batch: PageBatch, prose: np.ndarray | None) -> Decisions:
    """``decisions`` with the prose of the pages that declare a discussion, and of a thread's replies
    told by their markup, kept from the thread's floor (:func:`~cleaner.decide.threads.discussion_lines`,
    :func:`~cleaner.decide.threads.reply_lines`; ``prose``, which lines are prose, computed when None)."""
    assert batch.markup is not None
    pages = discussion_pages(batch)
    if not pages and not batch.markup.in_repeat.any():
        return decisions
    if prose is None:
        prose = batch_prose(batch)
    added = discussion_lines(decisions.kept, decisions.keep, prose, pages)
    decisions = _with_parts(decisions, decisions.kept | added, added, DISCUSSION_ADDED)
    added = reply_lines(decisions.kept, decisions.keep, prose, batch.markup, batch.bounds)
    return _with_parts(decisions, decisions.kept | added, added, REPLY_ADDED)


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


def text_rules(decisions: Decisions, batch: PageBatch, keep: Sequence[str] = DEFAULT_KEEP) -> Decisions:
    """The decide stage's last rules for lines without markup: the related-story lead-ins among the
    kept lines dropped (:func:`drop_lead_ins`), unless ``keep`` (the labels the user keeps) holds
    ``related``."""
    return decisions if RELATED_LABEL in keep else drop_lead_ins(decisions, batch)


def drop_lead_ins(decisions: Decisions, batch: PageBatch) -> Decisions:
    """``decisions`` without the kept lines that lead to another story
    (:func:`~cleaner.decide.asides.lead_in_lines`; by their length where the lines have no markup)."""
    link_density = batch.markup.link_density if batch.markup is not None else None
    dropped = lead_in_lines(decisions.kept, batch.texts, link_density)
    rule = LEAD_IN if link_density is not None else TEXT_LEAD_IN
    return _with_parts(decisions, decisions.kept & ~dropped, dropped, rule)


def drop_captions(decisions: Decisions, batch: PageBatch) -> Decisions:
    """``decisions`` without the kept picture captions (:func:`~cleaner.decide.asides.caption_lines`)."""
    assert batch.markup is not None
    markup = batch.markup
    dropped = caption_lines(decisions.kept, batch.texts, markup.tags, markup.ancestors, batch.bounds)
    return _with_parts(decisions, decisions.kept & ~dropped, dropped, CAPTION)


def keep_title_heading(decisions: Decisions, batch: PageBatch) -> Decisions:
    """``decisions`` with the heading nearest above each page's first kept line kept when it is the
    page's title (:func:`~cleaner.decide.head.title_heading_lines`)."""
    added = title_heading_lines(decisions.kept, batch)
    return _with_parts(decisions, decisions.kept | added, added, TITLE_ADDED)


def keep_section_headings(decisions: Decisions, batch: PageBatch) -> Decisions:
    """``decisions`` with the headings of kept text kept (:func:`~cleaner.decide.head.section_heading_lines`)."""
    added = section_heading_lines(decisions.kept, batch)
    return _with_parts(decisions, decisions.kept | added, added, SECTION_ADDED)


def drop_bylines(decisions: Decisions, batch: PageBatch) -> Decisions:
    """``decisions`` without the kept byline under each page's title (:func:`~cleaner.decide.head.byline_lines`)."""
    dropped = byline_lines(decisions.kept, batch)
    return _with_parts(decisions, decisions.kept & ~dropped, dropped, BYLINE)


def drop_timestamps(decisions: Decisions, batch: PageBatch) -> Decisions:
    """``decisions`` without the kept timestamps of posts and comments, out of the page's lists, tables
    and preformatted blocks (:func:`~cleaner.decide.asides.timestamp_lines`), but for its title lines."""
    assert batch.markup is not None
    dropped = timestamp_lines(decisions.kept, batch.texts, batch.markup.tags, batch.bounds, PART_TAGS)
    if dropped.any():  # a headline may end with its story's time
        pages = np.zeros(len(batch.bounds) - 1, dtype=bool)
        pages[line_pages(batch.bounds)[dropped]] = True
        titles = title_lines(batch, pages)
        if titles is not None:
            dropped &= ~titles
    return _with_parts(decisions, decisions.kept & ~dropped, dropped, TIMESTAMP)


def keep_lede(decisions: Decisions, batch: PageBatch) -> Decisions:
    """``decisions`` with each page's lede kept, the line under its first kept line that its
    description gives (:func:`~cleaner.decide.head.lede_lines`), unless the ``<main>``/``<article>``
    rule dropped it."""
    excluded = decisions.parts == CONTENT_DROPPED if decisions.parts is not None else None
    added = lede_lines(decisions.kept, batch, excluded)
    return _with_parts(decisions, decisions.kept | added, added, LEDE_ADDED)


def _with_parts(decisions: Decisions, kept: np.ndarray, changed: np.ndarray, rule: int) -> Decisions:
    """``decisions`` with ``kept``, the lines ``changed`` marked with ``rule`` in ``Decisions.parts``."""
    if not changed.any():
        return decisions
    parts = decisions.parts.copy() if decisions.parts is not None else np.full(len(kept), NOT_CHANGED, np.int8)
    parts[changed] = rule
    return decisions.changed(kept=kept, parts=parts)
