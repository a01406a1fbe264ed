"""The decide stage's rules for what a page sets inside its article without being the article:
related-story lead-ins (HTML and text), picture captions and timestamps (HTML).

News sites set links to their other stories between the paragraphs of an article, each a line of
its own that opens with a lead-in ("Read also:", "Lesen Sie auch:", "Lee también:", "Czytaj
także:") and links the other story's headline. Among the story's paragraphs, and often in a
``<p>`` of the story's own container, the model keeps them with the paragraphs around them. A kept
line that opens with one of the related-links phrases of the features' word list
(:data:`cleaner.features.patterns.RELATED_WORDS`), then a separator, and is mostly link text, is
dropped: it points away from the article. A picture's caption (``<figcaption>``) describes the
picture, not the story, and goes too, as does the timestamp that heads a post or a comment. The
rules return those lines for :mod:`cleaner.decide.parts` to drop.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from cleaner.decide.threshold import runs
from cleaner.features.patterns import RELATED_WORDS, TERMINAL_END, TIME
from cleaner.features.reference import dates
from cleaner.read.blocks import lines_inside, tags_in
from cleaner.records import line_chars

# The lead-in: at the start of the line (after a bullet or an arrow), one of the related-links
# phrases, then a colon, a bar, an arrow, a dash or an ellipsis ("Related: ...", "À lire aussi |
# ...", "Mehr zum Thema - ..."); a phrase with none after it is a heading or a word of the story.
LEAD_IN_RE = re.compile(r"^\W{0,3}(?:" + RELATED_WORDS + r")\s*(?:[:|»›>\-–—]|\.\.\.|…)", re.IGNORECASE)
# ... and the line this share of link text at least: the lead-in and a linked headline. Held out by
# corpus, the shipped build's models fixed: HTML 0.9147 either way (msv +0.0007, fundus +0.0003,
# cleanportaleval +0.0003; readability -0.0004), 25 pages moved, 20 up. The losses are pages whose
# gold keeps such lines (CNN's "Related: ..." in readability, some in dragnet); the gains those of
# the other corpora, whose gold leaves them out, as the news sets cleaner is judged on do.
LEAD_IN_MIN_LINK_DENSITY = 0.4
# Text without markup has no link text to measure: there, a lead-in line of at most this many
# characters (a lead-in and a headline, not a paragraph that opens with "Related:"). Held out by
# corpus, the text models fixed: text 0.8678 -> 0.8679 (25 pages moved, 20 up: msv +0.0006,
# cleanportaleval +0.0004, fundus +0.0001; dragnet -0.0001, whose gold keeps some); at 100, the same;
# with no cap, a story's paragraph that opens with "RELATED:" went (a dragnet page 0.96 -> 0.65).
LEAD_IN_MAX_TEXT_CHARS = 150


def lead_in_lines(kept: np.ndarray, texts: Sequence[str], link_density: Sequence[float] | None) -> np.ndarray:
    """Per line (``texts``, their ``link_density``; None for text without markup): whether it is kept
    (``kept``) and a related-story lead-in (:data:`LEAD_IN_RE`, :data:`LEAD_IN_MIN_LINK_DENSITY`, or
    :data:`LEAD_IN_MAX_TEXT_CHARS` without markup)."""
    found = np.zeros(len(texts), dtype=bool)
    if link_density is None:
        candidates = [line for line in kept.nonzero()[0].tolist() if len(texts[line]) <= LEAD_IN_MAX_TEXT_CHARS]
    else:
        candidates = (kept & (np.asarray(link_density) >= LEAD_IN_MIN_LINK_DENSITY)).nonzero()[0].tolist()
    for line in candidates:
        found[line] = LEAD_IN_RE.match(texts[line]) is not None
    return found


# A kept line inside a <figcaption> is dropped. Held out by corpus, the shipped build's models fixed,
# with the two guards below: HTML +0.0001 (fundus +0.0025, msv +0.0003; readability -0.0009,
# googletrends2017 -0.0006, magichtml -0.0011, whose gold keeps some captions); without the guards
# +0.0001 too (fundus +0.0037, magichtml level). The <figcaption> lines alone, not the lines inside
# one: fundus +0.0024; the lines whose class or id says caption too: -0.0006 (cleanportaleval
# -0.0087, dragnet -0.0020: those name the picture's frame, which holds the story).
CAPTION_TAG = "figcaption"
_CAPTION = frozenset({CAPTION_TAG})
# A caption is a line or two (a description and a credit): a run of more lines inside a <figcaption>
# is a story the markup put there (a <figcaption> left unclosed swallows the paragraphs after it up
# to its </figure>), and is left to the model. So is a page whose captions would take this share of
# its kept characters or more: the rule never empties a page.
CAPTION_MAX_LINES = 3
CAPTION_MAX_SHARE = 0.5


def caption_lines(
    kept: np.ndarray,
    texts: Sequence[str],
    tags: Sequence[str],
    ancestors: Sequence[frozenset[str]],
    bounds: Sequence[int],
) -> np.ndarray:
    """Per line of a batch (``texts``, their blocks' ``tags``, their ``ancestors``' tags; pages start
    at ``bounds``): whether it is kept (``kept``) and a caption, inside a :data:`CAPTION_TAG`."""
    inside = tags_in(tags, _CAPTION) | lines_inside(ancestors, _CAPTION)
    short = inside & kept
    for first, end in runs(inside, bounds):
        if end - first > CAPTION_MAX_LINES:
            short[first:end] = False
    return _short_of_pages(short, kept, texts, bounds, CAPTION_MAX_SHARE)


# A timestamp: a kept line of at most this many characters that holds a date and a time of day (the
# features' dates and TIME) and ends no sentence heads a post, a comment or a wire story ("Elena July
# 26, 2012 at 7:58 am", "强图打榜 2024-05-23 09:41:17", "Associated Press - 7/27/04 12:49:07 PM ET"):
# it is dropped wherever it stands (the byline rule reads the lines under the title only). Not in a
# list item, a table cell or a preformatted block (PART_TAGS): a schedule's rows, a log's lines. Nor
# where the timestamps would hold this share of the page's kept characters: the rule never empties a
# page. Held out by corpus, the models fixed: HTML 0.9165 -> 0.9169 (121 pages moved, 97 up;
# magichtml +0.0045: a film site's comment headers, 0.28 -> 0.98; l3s-gn1 +0.0010, fundus and msv
# +0.0003; cleaneval -0.0003, readability -0.0002, dragnet -0.0001, whose gold keeps some). With the
# title lines too, a headline that ends with its time went (l3s-gn1 -0.0002); with numeric and
# day-first dates only (the DATE pattern alone), 0.9167; in the parts as well, a log in a <pre>
# went (readability -0.0008); a time alone, without a date, about 0.9168 but cleaneval and
# readability -0.0011 each ("Posted by X at 09:41 PM", which cleaneval's gold keeps), and opening
# hours are a service page's content. The byline rule reading dates the same way: 0.9167 (dragnet
# -0.0009, whose gold keeps its blogs' "Posted ... July 26, 2012" under the title).
TIMESTAMP_MAX_CHARS = 80
TIMESTAMP_MAX_SHARE = 0.5


def timestamp_lines(
    kept: np.ndarray, texts: Sequence[str], tags: Sequence[str], bounds: Sequence[int], parts: frozenset[str]
) -> np.ndarray:
    """Per line of a batch (``texts``, their blocks' ``tags``; pages start at ``bounds``): whether it
    is kept (``kept``) and a timestamp (see :data:`TIMESTAMP_MAX_CHARS`), not in one of the ``parts``
    (the tags of list items, table cells and preformatted blocks)."""
    found = np.zeros(len(texts), dtype=bool)
    for line in (kept & ~tags_in(tags, parts)).nonzero()[0].tolist():
        text = texts[line]
        if len(text) <= TIMESTAMP_MAX_CHARS and _is_timestamp(text):
            found[line] = True
    return _short_of_pages(found, kept, texts, bounds, TIMESTAMP_MAX_SHARE)


def _short_of_pages(
    found: np.ndarray, kept: np.ndarray, texts: Sequence[str], bounds: Sequence[int], share: float
) -> np.ndarray:
    """``found`` but on the pages (starting at ``bounds``) where its lines hold ``share`` of the kept
    characters or more: a rule that drops them never takes most of a page."""
    found = found.copy()
    for start, end in zip(bounds[:-1], bounds[1:]):
        lines = found[start:end]
        if lines.any():
            chars = line_chars(texts[start:end])
            if chars[lines].sum() >= share * chars[kept[start:end]].sum():
                lines[:] = False
    return found


def _is_timestamp(text: str) -> bool:
    """Whether a short line reads as a timestamp: a date and a time, and no sentence's end."""
    lower = text.lower()
    return TERMINAL_END.search(text) is None and TIME.search(lower) is not None and dates(lower) > 0
