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

from cleaner.records import PageBatch, PageSignals

# The schema.org types (as cleaner.metadata.jsonld writes them: lower case, no vocabulary prefix) by
# which a page declares itself a discussion: a forum thread, a question with its answers, a post of a
# social network with its replies.
DISCUSSION_TYPES = frozenset({"discussionforumposting", "qapage", "socialmediaposting"})
# On such a page a prose line is kept from this keep-probability. Held out by corpus, the models
# fixed: magichtml 0.8028 -> 0.8063 (21 pages declare a discussion there, 7 of 10 moved went up; no
# other corpus has one but a Tumblr post, unchanged); at 0.1, 0.8038; at 0.02, 0.8062; with every
# prose line, 0.8043 (a sidebar's rules and a community's description come in).
DISCUSSION_PROSE_FLOOR = 0.05


def declares_discussion(signals: PageSignals) -> bool:
    """Whether a page's JSON-LD declares it a discussion (one of :data:`DISCUSSION_TYPES`)."""
    return bool(signals.schema_types & DISCUSSION_TYPES)


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


def reply_lines(kept: np.ndarray, keep: np.ndarray, prose: np.ndarray, replies: np.ndarray) -> np.ndarray:
    """Per line: a dropped prose line (``prose``) of a thread's reply told by its markup (``replies``:
    :attr:`~cleaner.records.MarkupColumns.in_repeat`) whose keep-probability (``keep``) reaches
    :data:`DISCUSSION_PROSE_FLOOR`."""
    return replies & prose & (keep >= DISCUSSION_PROSE_FLOOR) & ~kept
