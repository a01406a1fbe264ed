"""The decide stage's rules for the head of an HTML page's article: its headline and its lede kept,
its byline dropped; and the headings of its sections kept.

The model rates a line by its own look and its neighbours, and the article's head, set apart from
the story by a header band, a photo, a byline or share buttons, comes out dropped; yet the page names
it in its own head. The headline is the page's title (its <title>, Open Graph or JSON-LD headline,
as the page signals match them: :mod:`cleaner.read.titles`), and news sites write the lede, the
standfirst under the headline, as the page's description (``og:description``, the JSON-LD
``description``). Between them, or under the headline, the byline (the author's name, the date)
is kept with the headline and the story around it. A section heading is short and stands apart
from the text it heads, and is dropped with the menus it looks like while its text is kept. Each
rule finds such lines and returns them for :mod:`cleaner.decide.parts` to keep (or drop).
"""

from __future__ import annotations

import re

import numpy as np

from cleaner.features.patterns import BYLINE_WORDS, DATE, TERMINAL_END, TIME
from cleaner.read.blocks import tags_in
from cleaner.read.tags import HEADING_TAGS
from cleaner.read.titles import is_title, line_keys, page_description, page_keys, text_key, title_matches
from cleaner.records import PageBatch, PageSignals

# The article's headline: the heading nearest above a page's first kept line is kept when it is the
# page's title and not a link (a site's logo heading linking home can match a title's site-name
# part). Held out by corpus, the models fixed: HTML 0.9143 -> 0.9147 (170 pages moved, 128 up;
# fundus +0.0014, msv +0.0019, googletrends2017 +0.0009, cleanportaleval +0.0011; readability -0.0010
# and magichtml -0.0004, whose gold leaves headlines out on some sites). The last title line within
# ten lines above, heading or not: 0.9144 (magichtml -0.0032); the nearest heading even when it is a
# link: 0.9147, a blog's name kept as its headline.
TITLE_MAX_LINK_DENSITY = 0.5
# The lede: a dropped line within this many lines of a page's first kept line (the headline, after
# the rule above), and not one the <main>/<article> rule dropped (a site's tagline in its header
# repeats a description written for the whole site), whose words are the page's description, or hold
# it (a description cut short), the
# one holding at least half of the other's characters: a line of a few words inside a long
# description is a byline or a caption, a long line holding a short description a breadcrumb. The
# description must be a sentence or more (a title repeated as the description matches the headline's
# breadcrumb), the line not a link. Held out by corpus, the shipped build's models fixed: HTML 0.9139
# -> 0.9147 (fundus +0.0029, magichtml +0.0025, msv +0.0010, dragnet +0.0009, readability -0.0002;
# about 110 pages moved, the losses pages whose gold leaves the lede out and a blog whose description
# is its author's biography); the JSON-LD description before the <meta>s': 0.9146 (fundus -0.0014).
# Any kept line of the page as the anchor, not only the first: 0.9151, the gains fragments of short
# pages that happen to repeat their description; the lines below the first kept line only: 0.9146
# (fundus -0.0011, magichtml -0.0021: a lede above a first kept paragraph). With the rules of this
# version all in place, the lede is worth 0.0008 (fundus +0.0029, magichtml +0.0023; bench/rules/
# ablation.py). Words are counted two characters to a word in scripts written without spaces.
LEDE_REACH = 10
SPACED_WORD_CHARS = 12
LEDE_MIN_COVER = 0.5
LEDE_MIN_DESCRIPTION_WORDS = 10
LEDE_MIN_WORDS = 6
LEDE_MAX_LINK_DENSITY = 0.5
ELLIPSES = ("…", "...")


# A section heading: a heading the model dropped is kept when the line after it, not a heading, is
# kept, and so is a line at most this many lines before it (on its page): it heads kept text inside
# the kept article, not a block beside it. Held out by corpus, the shipped build's models fixed:
# HTML 0.9147 -> 0.9148 (googletrends2017 +0.0010, readability +0.0007, fundus +0.0005; dragnet
# -0.0001: a site's index of press releases whose excerpts the model keeps and the gold leaves out),
# 150 pages moved; synthetic pages of seven modern kinds (two sets, kept out of the repository):
# service pages +0.030 and documentation +0.014 on one set, the other level. A page of one line has no
# heading above a line.
SECTION_REACH = 10
SECTION_MAX_LINK_DENSITY = 0.5


def section_heading_lines(kept: np.ndarray, batch: PageBatch) -> np.ndarray:
    """Per line of ``batch`` (``kept`` saying which are kept): whether it is a heading not kept, under
    :data:`SECTION_MAX_LINK_DENSITY` link text, heading kept text (see :data:`SECTION_REACH`)."""
    markup = batch.markup
    assert markup is not None
    heading = tags_in(markup.tags, HEADING_TAGS)
    added = np.zeros(len(kept), dtype=bool)
    for start, end in zip(batch.bounds[:-1], batch.bounds[1:]):
        if end - start < 2:
            continue
        for line in (heading[start : end - 1] & ~kept[start : end - 1] & kept[start + 1 : end]).nonzero()[0]:
            line += start
            added[line] = (
                not heading[line + 1]
                and markup.link_density[line] < SECTION_MAX_LINK_DENSITY
                and bool(kept[max(line - SECTION_REACH, start) : line].any())
            )
    return added


# The byline: a kept line of at most this many characters, within this many lines below the page's
# first kept title line, that opens with a byline word of the features' word list ("By", "Von",
# "Par", "Photo", "Updated"...: BYLINE_WORDS) or holds a date or a time (the features' DATE and TIME)
# is dropped; a byline word opens a name ("By Jane", not "By 2050" or "Par ailleurs"), and no line
# that ends a sentence is a byline. Where the bylines found would hold this share of the page's kept
# characters (the title aside) or more, they are the page (release notes: a date on every line), and
# stay. Held out by corpus, the shipped build's models fixed: HTML 0.9148 either way, about 460 pages
# moved: l3s-gn1 +0.0031, magichtml +0.0033, cleanportaleval +0.0020, msv +0.0014, fundus +0.0009;
# dragnet -0.0026, whose gold keeps its blogs' "Posted by ... at 5:15 PM" lines. Words and dates of
# its own instead of the features' lists: about the same (l3s-gn1 +0.0027).
BYLINE_REACH = 6
BYLINE_MAX_CHARS = 80
BYLINE_MAX_SHARE = 0.5
BYLINE_SEPARATORS = " :\u00a0"
BYLINE_START_RE = re.compile(r"^\W{0,2}(?:" + BYLINE_WORDS + r")\b[\s:]", re.IGNORECASE)


def head_pages(kept: np.ndarray, batch: PageBatch) -> list[bool]:
    """Per page of ``batch`` (``kept`` saying which lines are kept): whether the rules for the article's
    head read it. A later part of a page cut into parts (``PageBatch.continued``) is not the page's
    head, and a title repeated there is a quote or a link, not the headline, unless no earlier part of
    its page keeps a line: the article then starts in it."""
    heads = []
    earlier_kept = False
    for page, (start, end) in enumerate(zip(batch.bounds[:-1], batch.bounds[1:])):
        continued = bool(batch.continued) and batch.continued[page]
        if not continued:
            earlier_kept = False
        heads.append(not earlier_kept)
        earlier_kept = earlier_kept or bool(kept[start:end].any())
    return heads


def byline_lines(kept: np.ndarray, batch: PageBatch) -> np.ndarray:
    """Per line of ``batch`` (``kept`` saying which are kept): whether it is a kept byline under its
    page's first kept title line (see :data:`BYLINE_REACH`), on the pages that hold their head
    (:func:`head_pages`)."""
    found = np.zeros(len(kept), dtype=bool)
    texts = batch.texts
    heads = head_pages(kept, batch)
    for page, (start, end) in enumerate(zip(batch.bounds[:-1], batch.bounds[1:])):
        title = _first_kept_title(kept, batch, page) if heads[page] else None
        if title is None:
            continue
        lines = [line for line in range(title + 1, min(end, title + 1 + BYLINE_REACH)) if kept[line]]
        bylines = [line for line in lines if _is_byline(texts[line])]
        if not bylines:
            continue
        kept_lines = (start + kept[start:end].nonzero()[0]).tolist()
        kept_chars = sum(len(texts[line]) for line in kept_lines if line != title)
        if sum(len(texts[line]) for line in bylines) < BYLINE_MAX_SHARE * kept_chars:
            found[bylines] = True
    return found


def _first_kept_title(kept: np.ndarray, batch: PageBatch, page: int) -> int | None:
    """The first kept line of page ``page`` of ``batch`` that is its title (the lines of
    :func:`~cleaner.read.titles.title_lines`, looked for among the kept lines only), or None."""
    signals = batch.signals[page]
    if signals == PageSignals():
        return None
    start, end = batch.bounds[page], batch.bounds[page + 1]
    titles, keys = page_keys(signals)[0], line_keys(batch)
    lines = (start + kept[start:end].nonzero()[0]).tolist()
    matches = title_matches([keys[line] for line in lines], titles)
    return next((line for line, match in zip(lines, matches) if match), None)


def _is_byline(text: str) -> bool:
    """Whether a line reads as a byline (see :data:`BYLINE_REACH`)."""
    if len(text) > BYLINE_MAX_CHARS or TERMINAL_END.search(text):
        return False
    opening = BYLINE_START_RE.match(text)
    if opening and text[opening.end() :].lstrip(BYLINE_SEPARATORS)[:1].isupper():  # "By Jane", not "By 2050"
        return True
    lower = text.lower()
    return DATE.search(lower) is not None or TIME.search(lower) is not None


def title_heading_lines(kept: np.ndarray, batch: PageBatch) -> np.ndarray:
    """Per line of ``batch`` (``kept`` saying which are kept): whether it is the heading nearest above
    its page's first kept line, the page's title (:func:`~cleaner.read.titles.is_title`) and under
    :data:`TITLE_MAX_LINK_DENSITY` link text, not kept yet, on the pages that hold their head
    (:func:`head_pages`)."""
    markup = batch.markup
    assert markup is not None
    heading = tags_in(markup.tags, HEADING_TAGS)
    added = np.zeros(len(kept), dtype=bool)
    heads = head_pages(kept, batch)
    for page, (start, end) in enumerate(zip(batch.bounds[:-1], batch.bounds[1:])):
        first_kept = kept[start:end].nonzero()[0] if heads[page] else ()
        above = heading[start : start + int(first_kept[0])].nonzero()[0] if len(first_kept) else ()
        if len(above):
            line = start + int(above[-1])
            added[line] = markup.link_density[line] < TITLE_MAX_LINK_DENSITY and is_title(
                batch.texts[line], batch.signals[page]
            )
    return added


def lede_lines(kept: np.ndarray, batch: PageBatch, excluded: np.ndarray | None = None) -> np.ndarray:
    """Per line of ``batch`` (``kept`` saying which are kept): whether it is its page's lede (see
    :data:`LEDE_REACH`), the first such line of the page, not kept yet nor ``excluded`` (lines an
    earlier rule dropped), on the pages that hold their head (:func:`head_pages`)."""
    markup = batch.markup
    assert markup is not None
    added = np.zeros(len(kept), dtype=bool)
    heads = head_pages(kept, batch)
    for page, (start, end) in enumerate(zip(batch.bounds[:-1], batch.bounds[1:])):
        first_kept = kept[start:end].nonzero()[0]
        if not len(first_kept) or not heads[page]:
            continue
        description = _description_key(page_description(batch.signals[page]))
        if _word_count(description) < LEDE_MIN_DESCRIPTION_WORDS:
            continue
        low = start + max(int(first_kept[0]) - LEDE_REACH, 0)
        high = min(start + int(first_kept[0]) + LEDE_REACH, end)
        for line, key in enumerate(line_keys(batch)[low:high], start=low):
            if kept[line] or (excluded is not None and excluded[line]):
                continue
            if _word_count(key) < LEDE_MIN_WORDS or markup.link_density[line] >= LEDE_MAX_LINK_DENSITY:
                continue
            if _covers(key, description) or _covers(description, key):
                added[line] = True
                break
    return added


def _word_count(key: str) -> int:
    """The words of a key; in a script written without spaces (Chinese, Japanese: a key whose words
    average more than :data:`SPACED_WORD_CHARS` characters), two characters to a word."""
    words = key.count(" ") + 1 if key else 0
    return len(key) // 2 if words and len(key) > SPACED_WORD_CHARS * words else words


def _description_key(description: str) -> str:
    """The key of a page's description; cut short with an ellipsis, without its last word, which may
    be cut too ("...the budget pass…")."""
    key = text_key(description)
    if description.rstrip().endswith(ELLIPSES):
        key = key.rpartition(" ")[0]
    return key


def _covers(part: str, whole: str) -> bool:
    """Whether the key ``part`` stands in the key ``whole`` word for word and holds at least
    :data:`LEDE_MIN_COVER` of its characters."""
    return len(part) >= LEDE_MIN_COVER * len(whole) and f" {part} " in f" {whole} "
