"""Discussion pages (cleaner.decide.threads): on a page whose JSON-LD declares a forum thread, a
question with its answers or a social post, the replies' prose is kept from a low floor."""

from __future__ import annotations

import json

import numpy as np
import pytest

from cleaner import Cleaner, Options
from cleaner.decide.notes import DISCUSSION_ADDED, DISCUSSION_KEPT, part_explanations
from cleaner.decide.parts import html_rules, keep_discussion_prose
from cleaner.decide.threads import DISCUSSION_PROSE_FLOOR, discussion_pages
from cleaner.decide.threshold import Decisions
from cleaner.read.page_kind import declares_discussion
from cleaner.records import PageBatch, PageSignals

POSTS = (
    "My tomato seedlings grow tall and thin on the windowsill. What am I doing wrong here?",
    "They need far more light than a windowsill gives them in March, so try a cheap grow lamp.",
    "Also keep the room cooler at night, around sixteen degrees, and they will grow sturdier.",
)


def thread_page(jsonld: object | None) -> str:
    script = f'<script type="application/ld+json">{json.dumps(jsonld)}</script>' if jsonld is not None else ""
    posts = "".join(f'<div class="post"><span class="user">user{i}</span><p>{t}</p></div>' for i, t in enumerate(POSTS))
    return (
        f"<html><head><title>Leggy seedlings</title>{script}</head><body><h1>Leggy seedlings</h1>{posts}</body></html>"
    )


def batch_of(*pages: str) -> PageBatch:
    cleaner = Cleaner.load()
    return PageBatch.of([cleaner.read_page(page, Options(input_format="html")) for page in pages])


def decisions_of(keep: list[float], threshold: float = 0.5) -> Decisions:
    values = np.array(keep, dtype=float)
    return Decisions(np.column_stack((values, 1 - values)), values, values >= threshold)


@pytest.mark.parametrize(
    "jsonld",
    [
        {"@context": "https://schema.org", "@type": "DiscussionForumPosting", "headline": "Leggy seedlings"},
        {"@context": "https://schema.org", "@graph": [{"@type": "WebSite"}, {"@type": "QAPage"}]},
        [{"@type": "https://schema.org/SocialMediaPosting"}],
        {"@type": ["WebPage", "DiscussionForumPosting"]},
    ],
)
def test_a_page_declares_a_discussion_by_its_json_ld(jsonld):
    assert declares_discussion(PageSignals(jsonld=(json.dumps(jsonld),)))


@pytest.mark.parametrize(
    "jsonld",
    [
        None,
        {"@type": "NewsArticle", "comment": [{"@type": "Comment", "text": "Great story"}]},  # a story's comments
        {"@type": "BlogPosting"},
        "not json {",
    ],
)
def test_an_article_or_a_page_without_json_ld_is_no_discussion(jsonld):
    scripts = () if jsonld is None else (jsonld if isinstance(jsonld, str) else json.dumps(jsonld),)
    assert not declares_discussion(PageSignals(jsonld=scripts))


def test_the_replies_prose_is_kept_from_the_floor_on_a_discussion_page_only():
    thread = thread_page({"@type": "DiscussionForumPosting"})
    batch = batch_of(thread, thread_page(None))
    n = batch.bounds[1]
    assert discussion_pages(batch) == [(0, n)]
    # Per page: the heading and the user names (not prose) at 0.1, the opening post kept, the first
    # reply rated 0.2, the second below the floor.
    rated = {POSTS[0]: 0.9, POSTS[1]: 0.2, POSTS[2]: DISCUSSION_PROSE_FLOOR / 2}
    keep = [rated.get(text, 0.1) for text in batch.texts[:n]]
    found = keep_discussion_prose(decisions_of(keep * 2), batch, None)
    kept = [text for text, k in zip(batch.texts, found.kept.tolist()) if k]
    assert kept == [POSTS[0], POSTS[1], POSTS[0]]  # the second page, declaring nothing, keeps the opening post
    assert found.parts.tolist().count(DISCUSSION_ADDED) == 1
    assert part_explanations(found.parts, None)[batch.texts.index(POSTS[1])] == (
        DISCUSSION_KEPT,
        DISCUSSION_PROSE_FLOOR,
    )


def test_the_rule_keeps_no_body_when_the_user_keeps_none():
    batch = batch_of(thread_page({"@type": "QAPage"}))
    replies = np.isin(batch.texts, POSTS[1:])
    decisions = decisions_of([0.9 if text == POSTS[0] else 0.2 for text in batch.texts])
    for keep, added in ((("heading",), False), (("body", "heading"), True)):
        found = html_rules(decisions, ("body", "nav"), batch, None, None, False, keep)
        assert found.kept[replies].all() == added
