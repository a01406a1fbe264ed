"""The keys a page's titles give its lines (``cleaner.read.titles``): the whole title, and the
headline without the site's or section's name, however the two are joined."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.read import read_html
from cleaner.read.titles import line_keys, page_description, page_keys, text_key, title_lines
from cleaner.records import PageBatch, PageSignals, ReadPage


def title_keys(title: str) -> frozenset[str]:
    return page_keys(PageSignals(title))[0]


@pytest.mark.parametrize(
    ("title", "headline"),
    [
        ("Tram line reaches the north | City News", "Tram line reaches the north"),
        (
            "Who Is In Your Top 3 Mentalists Of All Time? • MAGICIANSANDMAGIC.COM",
            "Who is in your top 3 mentalists of all time?",
        ),
        ("Remove ?page from query string (Solved)", "Remove ?page from query string"),
        ("为什么有些有钱人还努力工作_百度知道", "为什么有些有钱人还努力工作"),
        ("李强在新疆调研时强调 彰显特色优势 提高开放水平-新华网", "李强在新疆调研时强调 彰显特色优势 提高开放水平"),
        ("City News: Tram line reaches the north of the city", "Tram line reaches the north of the city"),
    ],
)
def test_the_headline_is_a_key_whatever_joins_it_to_the_site_name(title: str, headline: str):
    keys = title_keys(title)
    assert text_key(headline) in keys
    assert text_key(title) in keys


@pytest.mark.parametrize(
    ("title", "not_a_key"),
    [
        # The site's or section's name is the smaller part: menus and logos repeat it.
        ("Who Is In Your Top 3 Mentalists Of All Time? • MAGICIANSANDMAGIC.COM", "MAGICIANSANDMAGIC.COM"),
        ("为什么有些有钱人还努力工作_百度知道", "百度知道"),
        ("Tram line reaches the north | City News", "City News"),
        # A title is cut where punctuation joins two words, not between the words of a sentence.
        ("Who Is In Your Top 3 Mentalists Of All Time? • MAGICIANSANDMAGIC.COM", "Who is in your top 3 mentalists"),
        # A part too short to name a story.
        ("News_Home", "News"),
    ],
)
def test_what_is_not_a_title_key(title: str, not_a_key: str):
    assert text_key(not_a_key) not in title_keys(title)


def test_underscores_separate_words():
    assert text_key("Headline_Site_Section") == "headline site section"


def test_title_lines_marks_each_page_s_own_title_and_nothing_in_plain_text():
    def page(title: str, heading: str) -> str:
        return (
            f"<html><head><title>{title} | City News</title></head><body><h1>{heading}</h1>"
            "<div><p>The tram line reached the northern districts on Monday, two years late.</p></div></body></html>"
        )

    first = read_html(page("Tram line reaches the north", "Tram line reaches the north"), markup=True)
    second = read_html(page("Herons return", "Tram line reaches the north"), markup=True)
    found = title_lines(PageBatch.of([first, second]))
    assert found is not None
    assert found.tolist() == [True, False, False, False]
    text = ReadPage([1], ["Tram line reaches the north"], None, "text")
    assert title_lines(PageBatch.of([text])) is None
    # Only the pages asked for are looked at.
    only_second = title_lines(PageBatch.of([first, first]), np.array([False, True]))
    assert only_second is not None and only_second.tolist() == [False, False, True, False]


def test_the_page_description_is_its_first_trusted_meta_else_its_json_ld():
    jsonld = '<script type="application/ld+json">{"@type": "NewsArticle", "description": "From JSON-LD."}</script>'
    metas = (
        '<meta name="description" content="From the name.">'
        '<meta property="og:description" content="  From   Open Graph. ">'
        '<meta property="og:description" content="A second one.">'
    )

    def described(head: str) -> str:
        return page_description(read_html(f"<html><head>{head}</head><body><p>Text.</p></body></html>").signals)

    assert described(metas + jsonld) == "From Open Graph."
    assert described('<meta name="description" content="From the name.">' + jsonld) == "From the name."
    assert described(jsonld) == "From JSON-LD."
    assert described('<meta name="og:description" content="">') == ""


def test_a_batch_makes_its_line_keys_once_and_its_parts_share_them():
    first = read_html(
        "<title>Rain in Spain</title><h1>Rain in Spain</h1><p>It rains, mostly on the plain.</p>", markup=True
    )
    second = read_html("<title>Ünïcode Straße</title><p>Ünïcode Straße!</p><p>Zweite Zeile hier.</p>", markup=True)
    batch = PageBatch.of([first, second])
    assert line_keys(batch.pages(1, 2)) == [text_key(text) for text in second.texts]  # made for the part alone
    keys = line_keys(batch)
    assert keys == [text_key(text) for text in batch.texts]
    assert line_keys(batch) is keys
    part = batch.pages(1, 2)
    assert part.derived["keys"] == keys[len(first.texts) :]  # taken from the batch's, not made again
    assert line_keys(batch.cut(1)[0]) is keys  # the same lines, cut into parts of a line


def _headline_ends_joined(title: str) -> list[str]:
    """What ``_headline_ends`` gives, written out: every end joined, then those long enough kept."""
    from cleaner.read.titles import _WORD_RE, is_headline

    folded = title.casefold()
    words = list(_WORD_RE.finditer(folded))
    cuts = [n for n in range(1, len(words)) if not folded[words[n - 1].end() : words[n].start()].isspace()]
    texts = [word.group() for word in words]
    ends = [" ".join(texts[:n]) for n in cuts] + [" ".join(texts[n:]) for n in cuts]
    whole = sum(map(len, texts)) + len(texts) - 1
    return [end for end in ends if 2 * len(end) >= whole and is_headline(end)]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["a", "Ab", "news", "Héllo", "标题网站", "x9", " ", "-", " | ", "_", ":", "..."]), max_size=24
    )
)
def test_headline_ends_are_the_ends_joined_and_filtered(parts: list[str]):
    """The ends of a title are measured before they are joined: the same keys, in the same order."""
    from cleaner.read.titles import _headline_ends

    title = "".join(parts)
    assert _headline_ends(title) == _headline_ends_joined(title)
