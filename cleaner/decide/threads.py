"""The decide stage's rule for discussion pages: a thread's replies are its content.

On a news page the reader comments under the story are boilerplate, and the models learnt to drop
them: the article is one container, the comments a run of short posts with names and dates around
them. A forum thread, a question with its answers or a social post with its replies is built the
same way, but there the posts are what the page is for, and the models rate the replies as they rate
comments (0.05-0.3), while the page check narrows the page to the opening post, its densest container.

A page says what it is: forums, Q&A sites and social networks describe their threads to search
engines as schema.org ``DiscussionForumPosting``, ``QAPage`` or ``SocialMediaPosting`` in their
JSON-LD (news sites describe a story as a ``NewsArticle``, whatever its comments). On a page that
declares a discussion, every prose line the models rate at least :data:`DISCUSSION_PROSE_FLOOR` is
kept, the replies' text among them; the lines that are not prose (names, dates, vote counts,
"Reply" and "Share") stay as the model decided them. A thread that declares nothing but whose
opening post is built as its replies (:mod:`cleaner.read.repeats` marks them) keeps its replies'
prose from the same floor. Measured in docs/experiments.md.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cleaner.read.page_kind import declares_discussion
from cleaner.records import MarkupColumns, PageBatch

# On such a page a prose line is kept from this keep-probability. Held out by corpus, the models
# fixed: magichtml 0.8028 -> 0.8063 (21 pages declare a discussion there, 7 of 10 moved went up; no
# other corpus has one but a Tumblr post, unchanged); at 0.1, 0.8038; at 0.02, 0.8062; with every
# prose line, 0.8043 (a sidebar's rules and a community's description come in).
DISCUSSION_PROSE_FLOOR = 0.05
# A reply's line that is not prose ("Thanks, that fixed it", "+1") is kept from the same floor where it
# stands as the opening post's kept prose does: a block of the same tag at the same depth (a thread's
# posts lie at one depth, so their texts do), and not mostly link text (a "Reply" or "Quote" button).
# Held out by corpus, the models fixed: magichtml +0.0002 (3 threads up, 0.94 -> 0.98 two of them).
REPLY_MAX_LINK_DENSITY = 0.5


def discussion_pages(batch: PageBatch) -> list[tuple[int, int]]:
    """The line ranges (start, end) of the pages of ``batch`` that declare a discussion
    (:func:`declares_discussion`)."""
    bounds: Sequence[int] = np.asarray(batch.bounds).tolist()
    return [
        (start, end)
        for signals, start, end in zip(batch.signals, bounds[:-1], bounds[1:])
        if start < end and declares_discussion(signals)
    ]


def discussion_lines(
    kept: np.ndarray, keep: np.ndarray, prose: np.ndarray, pages: Sequence[tuple[int, int]]
) -> np.ndarray:
    """Per line: a dropped prose line (``prose``) of one of the discussion ``pages`` (line ranges, from
    :func:`discussion_pages`) whose keep-probability (``keep``) reaches :data:`DISCUSSION_PROSE_FLOOR`."""
    added = np.zeros(len(kept), dtype=bool)
    for start, end in pages:
        added[start:end] = prose[start:end] & (keep[start:end] >= DISCUSSION_PROSE_FLOOR) & ~kept[start:end]
    return added


def reply_lines(
    kept: np.ndarray, keep: np.ndarray, prose: np.ndarray, markup: MarkupColumns, bounds: Sequence[int]
) -> np.ndarray:
    """Per line: a dropped line of a thread's reply told by its markup (``markup.in_repeat``) whose
    keep-probability (``keep``) reaches :data:`DISCUSSION_PROSE_FLOOR`, when it is prose or stands in
    the reply where the opening post holds its kept prose (see :data:`REPLY_MAX_LINK_DENSITY`; pages
    by ``bounds``)."""
    replies = markup.in_repeat
    rated = replies & (keep >= DISCUSSION_PROSE_FLOOR) & ~kept
    added = rated & prose
    short = rated & ~prose & (markup.link_density < REPLY_MAX_LINK_DENSITY)
    if not short.any():
        return added
    # The opening post's kept prose: kept prose lines of the densest container outside the replies.
    text = kept & prose & markup.in_main & ~replies
    tags, depths = markup.tags, markup.depth.tolist()
    pages: list[int] = np.asarray(bounds).tolist()
    for start, end in zip(pages[:-1], pages[1:]):
        if short[start:end].any():
            slots = {(tags[line], depths[line]) for line in text[start:end].nonzero()[0].tolist()}
            for line in short[start:end].nonzero()[0].tolist():
                added[start + line] = (tags[start + line], depths[start + line]) in slots
    return added
