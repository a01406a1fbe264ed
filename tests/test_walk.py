"""Reading a parsed tree instead of parsing again (cleaner/read/walk.py and its compiled equal
cleaner/read/_walk.pyx): the segments of a tree walk are those of a parse, field by field, on corpus
pages and generated tag soup; a page read with its metadata gives the same lines, and the same
metadata as a page parsed on its own; a tree the parser cut short is not read."""

from __future__ import annotations

import pytest
from hypothesis import given
from test_core import CORPORA, GENERATED, corpus_htmls, html_pages, segments_of

from cleaner import Cleaner, Options, core
from cleaner.document import html_metadata, tree_metadata
from cleaner.read import parse, read_html
from cleaner.read.segment import Segmenter
from cleaner.read.segments import Segments
from cleaner.read.walk import walk_tree

compiled_walk = core._built("cleaner.read._walk")
compiled_segment = core._built("cleaner.read._segment")
WALKS = [pytest.param(walk_tree, id="reference")]
if compiled_walk is not None:
    WALKS.append(pytest.param(compiled_walk.walk_tree, id="compiled"))
SAMPLE_STEP = 15


def walked(html: str | bytes, walk, reveal: bool = False, links: bool = False) -> dict | None:
    """Every field of the Segments the reference segmenter makes of a page's parsed tree."""
    root, whole = parse.parse_tree(html.encode("utf-8", "surrogatepass") if isinstance(html, str) else html)
    if root is None:
        return None
    assert whole
    found = walk(root, Segmenter(reveal, links))
    return {name: getattr(found, name) for name in Segments.__slots__}


def check_walk_is_the_parse(html: str, walk) -> None:
    # Both routes drop NUL characters before parsing (cleaner.read.parse); segments_of parses as given.
    html = html.replace("\x00", "")
    for reveal in (False, True):
        for links in (False, True):
            got = walked(html, walk, reveal, links)
            if got is None:  # no tree: the page is parsed for its lines as it is without one
                continue
            expected = segments_of(html, Segmenter, reveal, links)
            assert expected is not None
            for name, value in expected.items():
                assert got[name] == value, f"{name} (reveal={reveal}, links={links}) of {html[:300]!r}"


@pytest.mark.parametrize("walk", WALKS)
@GENERATED
@given(html_pages())
def test_a_walk_of_the_tree_gives_the_segments_of_a_parse_on_generated_html(walk, html):
    check_walk_is_the_parse(html, walk)


@pytest.mark.skipif(not CORPORA.is_dir(), reason="the shared corpora are not there")
@pytest.mark.parametrize("walk", WALKS)
@pytest.mark.parametrize("step", [SAMPLE_STEP, pytest.param(1, marks=pytest.mark.exhaustive)], ids=["sample", "all"])
def test_a_walk_of_the_tree_gives_the_segments_of_a_parse_on_corpus_pages(walk, step):
    for html in corpus_htmls(step):
        check_walk_is_the_parse(html, walk)


@pytest.mark.parametrize("walk", WALKS)
def test_text_cut_by_entities_and_comments_is_counted_whole_when_hidden(walk):
    # The parser hands "a &amp; b" over in three pieces, a tree holds it as one text: the hidden
    # characters counted are those of the run, either way.
    html = "<html><body><p>shown</p><div hidden>a &amp; b<!-- c --> and &lt;d&gt; </div></body></html>"
    check_walk_is_the_parse(html, walk)
    assert walked(html, walk)["hidden_chars"] == len("a & b and <d>")


def test_a_page_read_with_its_metadata_has_the_lines_and_metadata_of_two_parses():
    html = (
        "<html lang='de'><head><title>Der Titel | Seite</title>"
        "<meta property='og:site_name' content='Seite'><meta name='author' content='Eva Muster'></head>"
        "<body><nav><a href='/'>Start</a></nav><article><h1>Der Titel</h1>"
        "<p>Ein erster Absatz mit genug Worten, um ein Absatz zu sein, und noch etwas mehr.</p>"
        "<p>Ein zweiter Absatz, der auch lang genug ist, um gelesen zu werden, wie der erste.</p>"
        "</article></body></html>"
    )
    url = "https://example.org/artikel"
    once = read_html(html, tree_reader=lambda root: tree_metadata(root, url))
    apart = read_html(html)
    assert (once.numbers, once.texts) == (apart.numbers, apart.texts)
    assert once.markup.marks() == apart.markup.marks()
    assert once.from_tree == html_metadata(html, url)
    assert once.from_tree.author == "Eva Muster"
    cleaner = Cleaner.load()
    read = cleaner.read_page(html, Options(), metadata=True, url=url)
    assert read.from_tree == html_metadata(html, url)
    assert (
        cleaner.extract(html, url=url) == cleaner.documents_of([cleaner.read_page(html)], sources=[html], urls=[url])[0]
    )


def test_a_tree_cut_short_at_the_nesting_limit_is_not_read_for_lines():
    deep = "<html><body>" + "<div>" * 3000 + "deep text" + "</div>" * 3000 + "<p>after the deep part</p></body></html>"
    root, whole = parse.parse_tree(deep)
    assert root is not None and not whole
    read = read_html(deep, tree_reader=lambda root: root is not None)
    assert read.texts[-2:] == ["deep text", "after the deep part"]
    assert read.from_tree is True


@pytest.mark.skipif(compiled_walk is None or compiled_segment is None, reason="the compiled core is not built here")
def test_the_compiled_walk_feeds_the_compiled_segmenter_as_the_reference_walk_does():
    html = "<html><body><div class='post'><p>one <b>two</b> three</p><ul><li>four</li></ul></div></body></html>"
    root, _ = parse.parse_tree(html)
    expected = walk_tree(root, compiled_segment.Segmenter(False, True))
    got = compiled_walk.walk_tree(root, compiled_segment.Segmenter(False, True))
    for name in Segments.__slots__:
        assert getattr(got, name) == getattr(expected, name), name


@pytest.mark.parametrize("walk", WALKS)
def test_a_deep_tree_is_walked_whole(walk):
    # Nearly as deep as the parser builds trees: neither walk recurses.
    deep = "<html><body>" + "<div><span>a</span>" * 1900 + "deep text" + "</div>" * 1900 + "<p>after</p></body></html>"
    root, whole = parse.parse_tree(deep)
    assert whole
    check_walk_is_the_parse(deep, walk)
    assert walked(deep, walk)["text"][-2:] == ["adeep text", "after"]


def test_a_page_whose_title_swallowed_it_reads_the_same_with_its_tree():
    # The page read again without the unclosed <title> is no longer the tree: a later pass (here the
    # one that reveals hidden content, the page showing next to nothing) parses it, not the tree.
    hidden = '<div style="display:none">' + "<p>Hidden toolbar text, quite long enough to count.</p>" * 40 + "</div>"
    prose = "<p>Ein Absatz mit genug Worten, um ein Absatz zu sein, und noch etwas mehr dazu.</p>"
    html = f"<html><head><title>Broken title</head><body>{hidden}{prose}</body></html>"
    once = read_html(html, tree_reader=lambda root: tree_metadata(root))
    apart = read_html(html)
    assert (once.numbers, once.texts) == (apart.numbers, apart.texts)
    assert any("Ein Absatz" in text for text in once.texts)
