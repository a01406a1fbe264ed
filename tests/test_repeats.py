"""A thread's replies told by their markup (cleaner.read.repeats): the posts of a forum thread are
elements of one class beside the opening post, which holds the page's densest container; a story's
comments are built apart from the story."""

from __future__ import annotations

import numpy as np
import pytest

from cleaner import Cleaner, Options
from cleaner.decide.notes import REPLY_ADDED, REPLY_KEPT, part_explanations
from cleaner.decide.parts import keep_discussion_prose
from cleaner.decide.threads import DISCUSSION_PROSE_FLOOR
from cleaner.decide.threshold import Decisions
from cleaner.read.blocks import html_blocks
from cleaner.read.repeats import class_signature, repeated_parts
from cleaner.records import PageBatch

OPENING = (
    "My combi boiler loses pressure every night, from 1.5 bar down to about 0.5 bar by the morning. There are"
    " no visible leaks on the radiators and the pipework under the boiler looks dry. What should I check first?"
)
REPLIES = (
    "The usual suspect is the pressure relief valve. Check the copper pipe that runs outside from the boiler.",
    "It could also be the expansion vessel. If its charge is low, the pressure swings between hot and cold.",
    "Thanks both. The pipe outside was dripping, so I have booked an engineer to replace the valve.",
)


def post(number: int, text: str) -> str:
    """A post as phpBB writes it: alternating bg1/bg2 classes, the profile beside the body."""
    return (
        f'<div id="p{number}" class="post has-profile bg{1 + number % 2}"><div class="inner">'
        f'<dl class="postprofile"><dt><a href="/u{number}">user{number}</a></dt><dd>Posts: 12</dd></dl>'
        f'<div class="postbody"><p class="author">by user{number} on Mon Jan 02, 2023</p>'
        f'<div class="content">{text}</div></div><ul class="post-buttons"><li><a href="#q">Quote</a></li>'
        '<li><a href="#r">Report this post</a></li><li><a href="#t">Thank the author</a></li></ul>'
        f'<div class="signature">Heating engineer, registered since 2004, Leeds</div></div></div><hr class="divider">'
    )


def page(body: str) -> str:
    return (
        "<html><head><title>Boiler pressure drops overnight</title></head><body>"
        '<ul class="navlinks"><li><a href="/">Board index</a></li><li><a href="/f1">Boilers</a></li></ul>'
        f'<div id="page-body">{body}</div><div class="footer"><p>Powered by a forum program.</p></div></body></html>'
    )


def repeated(source: str) -> dict[str, bool]:
    blocks = html_blocks(source)
    assert blocks.markup is not None
    return dict(zip(blocks.texts, blocks.markup.in_repeat.tolist()))


@pytest.mark.parametrize(
    ("classes", "signature"),
    [("post has-profile bg2", "post"), ("windowbg2", "windowbg"), ("  Message  ", "message"), (None, ""), ("", "")],
)
def test_an_element_s_kind_is_its_first_class_without_trailing_digits(classes, signature):
    assert class_signature(classes) == signature


def test_a_thread_s_replies_are_marked_beside_its_opening_post():
    # The opening post is long enough to be the page's densest container (a thread of long replies
    # has the thread as its densest container: its replies are then inside it).
    opening = "".join(f"<p>{OPENING}</p>" for _ in range(8))
    found = repeated(page(post(1, opening) + "".join(post(n, text) for n, text in enumerate(REPLIES, start=2))))
    assert not found[OPENING]
    assert all(found[text] for text in REPLIES)
    assert found["by user2 on Mon Jan 02, 2023"]  # the replies' lines, prose or not
    assert not found["Board index"] and not found["Powered by a forum program."]


def test_a_story_s_comments_are_not_marked():
    story = "".join(f"<p>{text}</p>" for text in (OPENING, *REPLIES[:2]))
    comments = "".join(f'<li class="comment"><p>{text}</p></li>' for text in REPLIES)
    found = repeated(page(f'<div class="story-body">{story}</div><ol class="comments">{comments}</ol>'))
    assert not any(found.values())


def test_one_post_is_no_thread():
    found = repeated(page(post(1, "".join(f"<p>{OPENING}</p>" for _ in range(8)))))
    assert not any(found.values())


def test_the_opening_post_and_one_reply_are_a_thread():
    found = repeated(page(post(1, "".join(f"<p>{OPENING}</p>" for _ in range(8))) + post(2, REPLIES[0])))
    assert found[REPLIES[0]] and not found[OPENING]


def test_replies_without_prose_are_not_enough():
    found = repeated(page(post(1, OPENING) + post(2, "Same here.") + post(3, "+1")))
    assert not any(found.values())


def test_no_densest_container_marks_nothing():
    # The columns the read stage passes when the page holds no prose at all.
    marked = repeated_parts(([0], [""]), np.array([1]), ([0], [0]), 0, np.zeros(0, dtype=bool))
    assert marked.shape == (0,)


SHORT_REPLY = "+1, same here"  # not prose: kept as it stands where the opening post's text does


def test_a_thread_s_replies_are_kept_from_the_discussion_floor():
    opening = "".join(f"<p>{OPENING}</p>" for _ in range(8))
    replies = (*REPLIES, SHORT_REPLY)
    source = page(post(1, opening) + "".join(post(n, f"<p>{text}</p>") for n, text in enumerate(replies, start=2)))
    batch = PageBatch.of([Cleaner.load().read_page(source, Options(input_format="html"))])
    for rating, kept in ((DISCUSSION_PROSE_FLOOR, True), (DISCUSSION_PROSE_FLOOR / 2, False)):
        # The model keeps the opening post's text and rates the rest at ``rating``.
        keep = np.where(np.array(batch.texts) == OPENING, 0.9, rating)
        decisions = keep_discussion_prose(Decisions(np.column_stack((keep, 1 - keep)), keep, keep >= 0.5), batch, None)
        chosen = dict(zip(batch.texts, decisions.kept.tolist()))
        assert all(chosen[text] is kept for text in replies)
        # A link; a signature and a profile line, not where the opening post holds its text.
        assert not chosen["Report this post"]
        assert not chosen["Heating engineer, registered since 2004, Leeds"] and not chosen["Posts: 12"]
    low = np.where(np.array(batch.texts) == OPENING, 0.9, 0.1)
    parts = keep_discussion_prose(Decisions(np.column_stack((low, 1 - low)), low, low >= 0.5), batch, None).parts
    assert {note for note in part_explanations(parts, None) if note} == {(REPLY_KEPT, DISCUSSION_PROSE_FLOOR)}
    assert np.count_nonzero(parts == REPLY_ADDED) == len(replies)
