"""What a page says it is, in the signals its markup gives: an article, or a discussion.

Pages describe themselves to search engines and social networks: an ``og:type`` of "article", a
schema.org type in their JSON-LD (``NewsArticle``, ``BlogPosting``; ``DiscussionForumPosting``,
``QAPage``, ``SocialMediaPosting`` for threads). The text view (:mod:`cleaner.model.text_view`) and
the decide stage's rules for ``<main>``/``<article>`` content and for discussions
(:mod:`cleaner.decide.content`, :mod:`cleaner.decide.threads`) read the page's kind from here.
"""

from __future__ import annotations

from cleaner.records import PageSignals

# The og:type of an article page ("article", or the older "article:..." forms).
ARTICLE_PAGE_TYPE = "article"
# The schema.org types (as cleaner.metadata.jsonld writes them: lower case, no vocabulary prefix) by
# which a page declares itself a discussion: a forum thread, a question with its answers, a post of a
# social network with its replies.
DISCUSSION_TYPES = frozenset({"discussionforumposting", "qapage", "socialmediaposting"})


def declares_article(signals: PageSignals) -> bool:
    """Whether the page says it is an article: its ``og:type``, or a schema.org article in its JSON-LD."""
    if signals.page_type.startswith(ARTICLE_PAGE_TYPE):
        return True
    if not signals.jsonld:
        return False
    from cleaner.metadata.jsonld import ARTICLE_TYPES  # the metadata package loads on first use

    # The article types of the metadata reader, but for the posts of a forum or a social network:
    # their pages are threads, not articles (cleaner.decide.threads).
    return bool(signals.schema_types & (ARTICLE_TYPES - DISCUSSION_TYPES))


def declares_discussion(signals: PageSignals) -> bool:
    """Whether a page's JSON-LD declares it a discussion (one of :data:`DISCUSSION_TYPES`)."""
    return bool(signals.schema_types & DISCUSSION_TYPES)
