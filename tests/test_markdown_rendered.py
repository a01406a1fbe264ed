"""The Markdown shows the page's text: rendered by a CommonMark parser (with GitHub's tables and
strikethrough), it reads as the plain output, word for word, whatever characters the text holds
(cleaner.render.escape)."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given
from markdown_it import MarkdownIt
from test_core import CORPORA, GENERATED, corpus_htmls, html_pages

from cleaner.read import read_html
from cleaner.render import render_kept, render_markdown
from cleaner.render.escape import escape_inline

PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])
_BLOCK_TAG_RE = re.compile(r"</?(?:p|li|ul|ol|h\d|blockquote|pre|code|table|thead|tbody|tr|td|th|hr)\b[^>]*>|<br />")
_TAG_RE = re.compile(r"<[^>]+>")


def shown(markdown: str) -> list[str]:
    """The words a reader sees of rendered Markdown (list numbers aside: they are markers)."""
    rendered = PARSER.render(markdown)
    text = html.unescape(_TAG_RE.sub("", _BLOCK_TAG_RE.sub(" ", rendered)))
    return text.split()


def plain_and_markdown(page: str, links: bool = False) -> tuple[list[str], list[str]]:
    read = read_html(page, links=links)
    plain = render_kept(read.numbers, read.texts, [True] * len(read.texts))
    return plain.split(), shown(render_markdown(read, links=links, url="https://example.org/dir/page"))


@pytest.mark.parametrize(
    "text",
    [
        "a *b* c and **d** and _e_ and ~~f~~ and `g` here",
        "&lt;span&gt; and &lt;box that turns words into electrons&gt; &amp;nbsp;x and &amp;amp;",
        "back\\slash \\- y and \\~45 and C:\\path\\",
        "[not](a link) and ![nor](an image) and [1] and [x][y]",
        "snake_case and 2 * 3 and a < b and AT&amp;T and x_1 and *",
        "_regularly_ and __init__ and *args",
        "_ _ _",
        "-- -",
        "--- -",
        "__ _",
        "* * *",
        "# not a heading",
        "12. not a list",
        "| a | b |",
    ],
)
def test_a_paragraph_reads_as_written(text):
    plain, markdown = plain_and_markdown(f"<html><body><p>{text}</p><p>After.</p></body></html>")
    assert markdown == plain


@pytest.mark.parametrize(
    "page",
    [
        "<p>a | b<br>-|-</p>",
        "<p>Price: 5 | Size: 3<br>|---|---|</p>",
        "<p>back\\<br>slash</p>",
        "<h2>#</h2><h2>###</h2><h3>C#</h3><h3>Issue #</h3>",
        "<ul><li><a href='/a'>back\\</a> and <a href='x\\'>this</a> and <a href='/b&#x0C;c'>that</a></li></ul>",
        "<table><tr><td>a *b*</td><td>c | d</td></tr><tr><td>&lt;e&gt;</td><td>f_</td></tr></table>",
        "<ul><li>intro<ol start=3><li>x</li><li>y</li></ol></li></ul>",
        "<ol><li>Science</li> &gt; <li>Space</li></ol>",
        "<p>See:</p><ul><ol><ul><li>one</li><li>two</li></ul></ol></ul>",
        "<p>[Update<br>]: fixed</p><ul><li>[1<br>]: http://example.com</li></ul>",
        "<ol start=10><li>a</li>text<ul><li>x</li></ul></ol><ol start=10><li>a</li><p>text</p><ul><li>x</li></ul></ol>",
    ],
)
@pytest.mark.parametrize("links", [False, True])
def test_breaks_headings_tables_and_links_read_as_written(page, links):
    plain, markdown = plain_and_markdown(f"<html><body>{page}</body></html>", links)
    assert markdown == plain


def test_escapes_are_only_where_markup_would_be():
    assert escape_inline("snake_case, 2 * 3, a < b, AT&T, x_1") == "snake_case, 2 * 3, a < b, AT&T, x_1"
    assert escape_inline("*b* <i> &amp; [a](b) `c`") == "\\*b\\* \\<i> \\&amp; [a\\](b) \\`c\\`"
    assert escape_inline("[a] b", link_text=True) == "\\[a\\] b"


@GENERATED
@given(html_pages())
def test_generated_pages_read_as_written(page):
    plain, markdown = plain_and_markdown(page)
    assert markdown == plain


@pytest.mark.skipif(not CORPORA.is_dir(), reason="needs ../shared/corpora")
@pytest.mark.parametrize("links", [False, True])
def test_corpus_pages_read_as_written(links):
    for page in corpus_htmls(25):
        plain, markdown = plain_and_markdown(page, links)
        assert markdown == plain


def test_a_list_right_inside_a_list_goes_under_its_last_item():
    page = "<html><body><ol><li>a</li><ul><li>u</li></ul><li>b</li></ol></body></html>"
    markdown = render_markdown(read_html(page))
    assert markdown == "1. a\n   - u\n2. b\n"
    assert PARSER.render(markdown).count("<ol>") == 1  # one list, "u" nested under "a"


def test_an_item_after_text_standing_in_a_nested_list_is_not_run_into_it():
    # "loose text" stands in the <ul> outside its items, written as a paragraph: the next item, numbered
    # 2, needs a blank line, or CommonMark reads "2. b" as the paragraph's words (cleaneval-final/453).
    page = "<html><body><ol><li>a</li><ul><li>u</li><br>loose text</ul><li>b</li></ol></body></html>"
    plain, seen = plain_and_markdown(page)
    assert seen == plain


@pytest.mark.parametrize(
    "page, expected",
    [
        ("<ol reversed><li>a</li><li>b</li><li>c</li></ol>", "3. a\n2. b\n1. c\n"),
        ("<ol><li value=5>five</li><li>six</li></ol>", "5. five\n6. six\n"),
        ("<ol reversed><li>a<ol><li>x</li><li>y</li></ol></li><li>b</li></ol>", "2. a\n   1. x\n   2. y\n1. b\n"),
        ("<ol start=0><li>a</li><li>b</li></ol>", "1. a\n2. b\n"),
    ],
)
def test_list_numbers_are_the_pages(page, expected):
    assert render_markdown(read_html(f"<html><body>{page}</body></html>")) == expected


@pytest.mark.parametrize(
    "page, kept, lists",
    [
        ("<ul><li>a</li></ul><ul><li>b</li></ul><ul><li>c</li></ul>", None, 3),
        ("<ol><li>a</li></ol><ol start=7><li>b</li></ol>", None, 2),
        ("<ul><li>a</li></ul><p>x</p><ul><li>b</li></ul>", [True, False, True], 2),
        ("<ul><li>a<ul><li>x</li></ul><ul><li>y</li></ul></li></ul>", None, 3),
    ],
)
def test_adjacent_lists_stay_apart(page, kept, lists):
    # A blank line does not part two lists in Markdown: the second takes the other markers.
    markdown = render_markdown(read_html(f"<html><body>{page}</body></html>"), kept)
    rendered = PARSER.render(markdown)
    assert rendered.count("<ul>") + rendered.count("<ol") == lists
    assert 'start="7"' in rendered or "7" not in page
