"""How the decide stage's rules after the threshold name themselves: the codes that
``Decisions.parts`` records on the lines a rule of :mod:`cleaner.decide.parts` changed, and the entry
an explanation (``--explain``) gives each, the rule's name with its parameter.
"""

from __future__ import annotations

import numpy as np

from cleaner.decide.asides import LEAD_IN_MAX_TEXT_CHARS, LEAD_IN_MIN_LINK_DENSITY
from cleaner.decide.content import CONTENT_FLOOR, CONTENT_SHARE
from cleaner.decide.groups import PRE_KEPT_SHARE
from cleaner.decide.threads import DISCUSSION_PROSE_FLOOR

# How an explanation names each rule, on the lines it changed.
KEPT_AS_GROUP = "main_container_part_kept_whole"
PRE_DECIDED_WHOLE = "preformatted_block_decided_whole"
SIBLING_KEPT = "paragraph_kept_with_its_kept_siblings"
OUTSIDE_CONTENT = "outside_main_or_article"
KEPT_IN_CONTENT = "main_or_article_kept_for_want_of_kept_lines"
TERM_KEPT = "definition_term_kept_with_its_definition"
TITLE_KEPT = "title_heading_kept_with_the_article"
LEDE_KEPT = "lede_kept_as_the_page_describes_it"
LEAD_IN_DROPPED = "related_story_lead_in_dropped"
SECTION_KEPT = "section_heading_kept_with_its_text"
BYLINE_DROPPED = "byline_under_the_title_dropped"
CAPTION_DROPPED = "picture_caption_dropped"
TIMESTAMP_DROPPED = "timestamp_dropped"
DISCUSSION_KEPT = "discussion_prose_kept"
REPLY_KEPT = "thread_reply_kept"
# The values of Decisions.parts.
(
    NOT_CHANGED,
    GROUP_KEPT,
    PRE_CHANGED,
    CONTENT_DROPPED,
    CONTENT_KEPT,
    TERM_ADDED,
    TITLE_ADDED,
    LEDE_ADDED,
    LEAD_IN,
    SECTION_ADDED,
    BYLINE,
    CAPTION,
    DISCUSSION_ADDED,
    REPLY_ADDED,
    SIBLING_ADDED,
    TIMESTAMP,
    TEXT_LEAD_IN,
) = range(17)
# Every explanation entry of these rules (the pipeline tells rules from features by them).
PART_NOTES = frozenset(
    {
        KEPT_AS_GROUP,
        PRE_DECIDED_WHOLE,
        SIBLING_KEPT,
        OUTSIDE_CONTENT,
        KEPT_IN_CONTENT,
        TERM_KEPT,
        TITLE_KEPT,
        LEDE_KEPT,
        LEAD_IN_DROPPED,
        SECTION_KEPT,
        BYLINE_DROPPED,
        CAPTION_DROPPED,
        TIMESTAMP_DROPPED,
        DISCUSSION_KEPT,
        REPLY_KEPT,
    }
)


def part_explanations(parts: np.ndarray, main_threshold: float | None) -> list[tuple[str, float] | None]:
    """Per line, the explanation entry of the rule of :mod:`cleaner.decide.parts` that changed it (None: none), with
    the rule's parameter (the main container's threshold, a share, a floor, a length) or 1."""
    entries: dict[int, tuple[str, float]] = {
        PRE_CHANGED: (PRE_DECIDED_WHOLE, PRE_KEPT_SHARE),
        SIBLING_ADDED: (SIBLING_KEPT, 1.0),
        CONTENT_DROPPED: (OUTSIDE_CONTENT, CONTENT_SHARE),
        CONTENT_KEPT: (KEPT_IN_CONTENT, CONTENT_FLOOR),
        TERM_ADDED: (TERM_KEPT, 1.0),
        TITLE_ADDED: (TITLE_KEPT, 1.0),
        LEDE_ADDED: (LEDE_KEPT, 1.0),
        LEAD_IN: (LEAD_IN_DROPPED, LEAD_IN_MIN_LINK_DENSITY),
        TEXT_LEAD_IN: (LEAD_IN_DROPPED, LEAD_IN_MAX_TEXT_CHARS),
        SECTION_ADDED: (SECTION_KEPT, 1.0),
        BYLINE: (BYLINE_DROPPED, 1.0),
        CAPTION: (CAPTION_DROPPED, 1.0),
        TIMESTAMP: (TIMESTAMP_DROPPED, 1.0),
        DISCUSSION_ADDED: (DISCUSSION_KEPT, DISCUSSION_PROSE_FLOOR),
        REPLY_ADDED: (REPLY_KEPT, DISCUSSION_PROSE_FLOOR),
    }
    if main_threshold is not None:  # the only way a part is kept as a group
        entries[GROUP_KEPT] = (KEPT_AS_GROUP, round(main_threshold, 3))
    return [entries.get(code) for code in parts.tolist()]
