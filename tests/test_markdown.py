"""The Markdown rendering: each structure (lists, tables, code, headings, quotes, breaks, links), tables
rebuilt from the kept rows, text passing through, the structure recorded by the segmenter without
changing its lines, and the words of the Markdown being exactly those of the plain output."""

from __future__ import annotations

import random
import re
from pathlib import Path

import numpy as np
import pytest

from cleaner import Cleaner, ModelError
from cleaner.core import compiled
from cleaner.read import read_html, read_page, structure
from cleaner.read.pieces import split_collapsed, split_linked
from cleaner.read.tags import BR
from cleaner.render import render_kept, render_markdown

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
WORD_RE = re.compile(r"\w+")
# What Markdown puts before a line's text: indents, quote marks, bullets and numbers (in either style).
_PREFIX_RE = re.compile(r"^(?:[ >]|[-*] |\d{1,9}[.)] )+")
_FENCE_RE = re.compile(r"^(?:[ >]|[-*] |\d{1,9}[.)] )*(`{3,})\s*$")
_NUMBER_RE = re.compile(r"\d{1,9}[.)] ")
# A backslash before ASCII punctuation escapes it (CommonMark): "\\_\\_\\_" is the text "___", one word.
_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")


def md(html: str, kept: list[bool] | None = None, **options) -> str:
    return render_markdown(read_html(html, links=options.get("links", False)), kept, **options)


def markdown_words(markdown: str) -> list[str]:
    """The words of a Markdown rendering, less the numbers of ordered list items (markers, not text)."""
    words: list[str] = []
    fence = None
    for line in markdown.split("\n"):
        found = _FENCE_RE.match(line)
        if found and (fence is None or found.group(1) == fence):
            fence = found.group(1) if fence is None else None
            line = _NUMBER_RE.sub("", line[: found.start(1)])
        elif fence is None and (prefix := _PREFIX_RE.match(line)):
            line = _NUMBER_RE.sub("", prefix.group()) + line[prefix.end() :]
        if fence is None:  # a code block's text is as written
            line = _ESCAPE_RE.sub(r"\1", line)
        words.extend(WORD_RE.findall(line))
    return words


# -- lists -------------------------------------------------------------------------------------------


def test_nested_lists_are_indented_under_their_item():
    html = "<ul><li>a<ul><li>b<ol><li>c</li><li>d</li></ol></li></ul></li><li>e</li></ul>"
    assert md(html) == "- a\n  - b\n    1. c\n    2. d\n- e\n"


def test_ordered_items_are_numbered_by_their_place_from_the_start():
    html = '<ol start="9"><li>nine</li><li>ten<ul><li>sub</li></ul></li></ol>'
    assert md(html) == "9. nine\n10. ten\n    - sub\n"


def test_a_list_directly_inside_a_list_is_nested():
    assert md("<ul><li>x</li><ul><li>inner</li></ul><li>y</li></ul>") == "- x\n  - inner\n- y\n"


def test_every_item_of_a_list_directly_inside_a_list_is_nested():
    html = "<ol><li>a</li><ol><li>x</li><li>y</li><li>z</li></ol><li>b</li></ol>"
    assert md(html) == "1. a\n   1. x\n   2. y\n   3. z\n2. b\n"
    # Two such lists in a row both go under the item before them, each apart from the list before it.
    html = "<ul><li>host<ul><li>child</li></ul></li><ul><li>first</li></ul><ul><li>second</li></ul></ul>"
    assert md(html) == "- host\n  - child\n  * first\n  - second\n"


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        # A list inside a list with no item to stand under starts where the list before it did.
        ("<ol><li>one</li></ol><ol><ol><li>x</li></ol><li>two</li></ol>", "1. one\n\n1) x\n1. two\n"),
        ("<li>orphan</li><li>too</li><ul><li>a</li><li>b</li></ul>", "- orphan\n\n- too\n\n* a\n* b\n"),
        ("<ul><li>a</li></ul><p>text</p><ul><li>b</li></ul>", "- a\n\ntext\n\n- b\n"),  # text ends a list
    ],
)
def test_lists_that_start_where_another_list_stood_take_the_other_markers(html, expected):
    assert md(html) == expected


def test_text_after_a_nested_list_continues_its_item():
    html = "<ol><li>two<ul><li>sub</li></ul>after</li><li>next</li></ol>"
    assert md(html) == "1. two\n   - sub\n\n   after\n2. next\n"


def test_an_item_whose_first_line_is_dropped_still_gets_its_marker():
    html = "<ul><li>first</li><li><p>dropped</p><p>kept</p></li></ul>"
    assert md(html, [True, False, True]) == "- first\n\n- kept\n"


def test_headings_inside_list_items():
    html = "<ul><li><h3>Title</h3><p>text</p></li><li>x</li></ul>"
    assert md(html) == "- ### Title\n\n  text\n\n- x\n"


# -- tables ------------------------------------------------------------------------------------------

TABLE = """<table><thead><tr><th>Name</th><th>Qty</th><th>Price</th></tr></thead>
<tbody><tr><td>Apple</td><td>3</td></tr>
<tr><td colspan="2">Total a|b</td><td>9</td></tr>
<tr><td rowspan="2">Pear</td><td>1</td><td>2</td></tr><tr><td>4</td><td>5</td></tr></tbody></table>"""


def test_a_table_with_missing_cells_colspans_and_rowspans():
    assert md(TABLE) == (
        "| Name | Qty | Price |\n"
        "| --- | --- | --- |\n"
        "| Apple | 3 |  |\n"
        "| Total a\\|b |  | 9 |\n"
        "| Pear | 1 | 2 |\n"
        "|  | 4 | 5 |\n"
    )


def test_cells_spanning_different_numbers_of_rows_free_their_columns_in_turn():
    html = (
        "<table><tr><td rowspan=3>a</td><td rowspan=2>b</td><td>c</td></tr>"
        "<tr><td>d</td></tr><tr><td>e</td><td>f</td></tr><tr><td>g</td><td>h</td><td>i</td></tr></table>"
    )
    assert md(html) == "| a | b | c |\n| --- | --- | --- |\n|  |  | d |\n|  | e | f |\n| g | h | i |\n"


def test_a_rowspan_ends_with_its_row_group():
    head = "<thead><tr><th rowspan=2>A</th><th>B</th></tr></thead>"
    body = "<tbody><tr><td rowspan=0>1</td><td>2</td></tr><tr><td>3</td></tr></tbody><tbody><tr><td>4</td><td>5</td></tr></tbody>"
    # rowspan=2 stops at the end of <thead>; rowspan=0 reaches the end of its <tbody>.
    assert md(f"<table>{head}{body}</table>") == ("| A | B |\n| --- | --- |\n| 1 | 2 |\n|  | 3 |\n| 4 | 5 |\n")


def test_the_columns_held_by_cells_from_above_are_bounded(monkeypatch):
    # Every row's first cell spans the rest of the table: past the bound, such a cell spans one row.
    monkeypatch.setattr(structure, "MAX_SPANNED_COLUMNS", 2)
    rows = "".join(f"<tr><td rowspan=65534>r{i}</td><td>c{i}</td></tr>" for i in range(4))
    assert md(f"<table>{rows}</table>") == (
        "| r0 | c0 |  |  |\n| --- | --- | --- | --- |\n|  | r1 | c1 |  |\n|  |  | r2 | c2 |\n|  |  | r3 | c3 |\n"
    )


def test_a_table_is_rebuilt_from_its_kept_rows():
    read = read_html(TABLE)
    assert read.texts == ["Name", "Qty", "Price", "Apple", "3", "Total a|b", "9", "Pear", "1", "2", "4", "5"]
    # The header row and the "Total" row dropped, the Apple row's quantity dropped: a row is kept when
    # any of its cells is, and a dropped cell is empty; the first kept row heads the table.
    kept = [False, False, False, True, False, False, False, True, True, False, False, True]
    assert render_markdown(read, kept) == "| Apple |  |  |\n| --- | --- | --- |\n| Pear | 1 |  |\n|  |  | 5 |\n"
    assert markdown_words(render_markdown(read, kept)) == WORD_RE.findall(render_kept(read.numbers, read.texts, kept))


def test_a_caption_comes_before_its_table():
    html = "<table><caption>Prices</caption><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>"
    assert md(html) == "Prices\n\n| a | b |\n| --- | --- |\n| c | d |\n"


@pytest.mark.parametrize(
    "html",
    [
        "<table><tr><td><p>Layout</p><p>two paragraphs</p></td><td>side</td></tr><tr><td>x</td><td>y</td></tr></table>",
        "<table><tr><td>one column</td></tr><tr><td>still one</td></tr></table>",
        "<table><tr><td>one row</td><td>of links</td></tr></table>",
        "<table><tr><td><ul><li>a list</li></ul></td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>",
    ],
)
def test_layout_tables_render_as_their_blocks(html):
    assert "|" not in md(html)


def test_a_table_inside_a_table_cell():
    html = (
        "<table><tr><td>outer<table><tr><td>i1</td><td>i2</td></tr><tr><td>i3</td><td>i4</td></tr></table>"
        "</td><td>o2</td></tr></table>"
    )
    assert md(html) == "outer\n\n| i1 | i2 |\n| --- | --- |\n| i3 | i4 |\n\no2\n"


# -- code, headings, quotes, breaks ------------------------------------------------------------------


def test_code_blocks_are_fenced_with_their_blank_lines():
    html = "<p>Code:</p><pre><code>def f():\n\n\n    return 1\n</code></pre>"
    assert md(html) == "Code:\n\n```\ndef f():\n\n\n    return 1\n```\n"


def test_a_fence_is_longer_than_the_backticks_inside():
    assert md("<pre>```\nx\n```</pre>") == "````\n```\nx\n```\n````\n"


def test_a_code_block_inside_a_list_item_is_indented():
    assert md("<ul><li><p>text</p><pre>a\n\nb</pre></li></ul>") == "- text\n\n  ```\n  a\n\n  b\n  ```\n"


def test_headings_by_level_and_broken_headings_stay_one():
    html = "<h1>One</h1><h2>Two<br>lines</h2><h6>Six #</h6>"
    assert md(html) == "# One\n\n## Two lines\n\n###### Six \\#\n"


def test_blockquotes_nested_and_holding_lists():
    html = "<blockquote><p>Quote</p><blockquote><p>nested</p></blockquote><p>back</p><ul><li>x</li></ul></blockquote>"
    assert md(html) == "> Quote\n>\n> > nested\n>\n> back\n>\n> - x\n"


def test_line_breaks_inside_a_paragraph_are_kept():
    assert md("<p>First<br>second<br><br>after a blank</p>") == "First\\\nsecond\n\nafter a blank\n"


def test_separate_blocks_are_separate_paragraphs():
    assert md("<div>a div</div><div>another</div>") == "a div\n\nanother\n"


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("# not a heading", "\\# not a heading"),
        ("1. not a list", "1\\. not a list"),
        ("2) nor this", "2\\) nor this"),
        ("- dash", "\\- dash"),
        ("***", "\\*\\*\\*"),
        ("====", "\\===="),
        ("> not quoted", "\\> not quoted"),
        ("&lt;div&gt; text", "\\<div> text"),
        ("[x]: y", "\\[x]: y"),
        ("1.5 million", "1.5 million"),
        ("plain", "plain"),
    ],
)
def test_text_that_would_start_a_markdown_block_is_escaped(text, escaped):
    assert md(f"<p>{text}</p>") == escaped + "\n"


def test_escaped_text_reads_as_the_words_it_escapes():
    html = "<p>One of the world's experts at _______. Fill the *blank*: snake_case.</p>"
    markdown = md(html)
    assert "\\_\\_" in markdown  # a run of underscores would read as emphasis
    assert markdown_words(markdown) == WORD_RE.findall(read_html(html).texts[0])


# -- links -------------------------------------------------------------------------------------------

LINKS = """<html><head><base href="/base/"></head><body>
<p>See <a href="rel.html">relative</a>, <a href="/abs">root</a>, <a href="https://x.org/a b(c)">full</a>,
<a href="#top">anchor</a>, <a href="javascript:void(0)">js</a>, <a>no href</a>, <a href="x"> spaced <b>bold</b> </a>end.</p>
<ul><li><a href="item">[item]</a></li></ul></body></html>"""


def test_links_are_resolved_against_the_base_href_and_the_url():
    assert md(LINKS, links=True, url="https://site.org/dir/page.html") == (
        "See [relative](https://site.org/base/rel.html), [root](https://site.org/abs), "
        "[full](https://x.org/a%20b%28c%29), anchor, js, no href, [spaced bold](https://site.org/base/x) end.\n"
        "\n"
        "- [\\[item\\]](https://site.org/base/item)\n"
    )


def test_links_resolve_against_the_url_without_a_base():
    html = '<p>A <a href="../up.html">link</a> and <a href="mailto:a@b.org">mail</a>.</p>'
    assert md(html, links=True, url="https://site.org/a/b/") == (
        "A [link](https://site.org/a/up.html) and [mail](mailto:a@b.org).\n"
    )
    assert md(html, links=True) == "A [link](../up.html) and [mail](mailto:a@b.org).\n"


def test_invalid_urls_leave_the_link_text():
    html = '<head><base href="http://[bad/"></head><p><a href="x">l</a> and <a href="http://[x">m</a></p>'
    assert md(html, links=True, url="http://[other") == "l and m\n"
    assert md(html, links=True, url="https://ok.org/") == "[l](https://ok.org/x) and m\n"


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>Yahoo!<a href=/fin>Finance</a></p>", "Yahoo\\![Finance](https://h.org/fin)\n"),  # not an image
        ("<p>foo *<a href=/x>link</a>* bar</p>", "foo \\*[link](https://h.org/x)\\* bar\n"),  # no emphasis
        (
            "<p>_<a href=/x>a</a>_ and ~<a href=/y>b</a>~</p>",
            "\\_[a](https://h.org/x)\\_ and \\~[b](https://h.org/y)\\~\n",
        ),
        ("<p>2 * <a href=/x>3</a></p>", "2 * [3](https://h.org/x)\n"),  # a lone star stays
    ],
)
def test_marks_beside_links_are_judged_by_the_links_brackets(html, expected):
    assert md(html, links=True, url="https://h.org/") == expected


def test_an_email_address_in_angle_brackets_is_no_autolink():
    assert md("<p>Message-id: &lt;2001.3C46@lyta.coker.com.au&gt;, &lt;+x@y.org&gt; and a &lt;3</p>") == (
        "Message-id: \\<2001.3C46@lyta.coker.com.au>, \\<+x@y.org> and a <3\n"
    )


def test_without_links_only_their_text():
    assert md(LINKS).startswith("See relative, root, full, anchor, js, no href, spaced bold end.\n")


def test_links_need_a_page_read_with_links():
    with pytest.raises(ValueError, match="links=True"):
        render_markdown(read_html(LINKS), links=True)


def test_links_in_table_cells():
    html = '<table><tr><td><a href="/a">x</a></td><td>y</td></tr><tr><td>z</td><td>w</td></tr></table>'
    assert md(html, links=True, url="http://h.org/") == "| [x](http://h.org/a) | y |\n| --- | --- |\n| z | w |\n"


# -- text input, edge cases --------------------------------------------------------------------------


def test_text_and_markdown_input_pass_through():
    text = "# Title\n\n- item one\n- item two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nBy someone\n"
    read = read_page(text)
    assert read.input_format == "text"
    assert render_markdown(read) == render_kept(read.numbers, read.texts, [True] * len(read.texts)) == text
    kept = [True, True, False, True, True, True, False]
    assert render_markdown(read, kept) == render_kept(read.numbers, read.texts, kept)


def test_nothing_kept_is_empty_and_the_mask_must_fit():
    read = read_html("<p>a</p><p>b</p>")
    assert render_markdown(read, [False, False]) == ""
    assert render_markdown(read_html("")) == ""
    with pytest.raises(ValueError, match="entries"):
        render_markdown(read, [True])


def test_the_markdown_parses_back_to_the_same_structure():
    markdown_it = pytest.importorskip("markdown_it")
    html = (
        "<h2>Title</h2><p>a<br>b</p><ol start=3><li>x<ul><li>y</li></ul></li><li>z</li></ol>"
        "<blockquote><p>q</p><ul><li>in quote</li></ul></blockquote>" + TABLE + "<pre>c\n\nd</pre><p>1. text</p>"
    )
    rendered = markdown_it.MarkdownIt("commonmark").enable("table").render(md(html))
    assert "<h2>Title</h2>" in rendered
    assert "<p>a<br />\nb</p>" in rendered
    assert '<ol start="3">\n<li>x\n<ul>\n<li>y</li>\n</ul>\n</li>\n<li>z</li>\n</ol>' in rendered
    assert "<blockquote>\n<p>q</p>\n<ul>\n<li>in quote</li>\n</ul>\n</blockquote>" in rendered
    assert rendered.count("<tr>") == 5 and "<th>Name</th>" in rendered and "<td>Total a|b</td>" in rendered
    assert "<pre><code>c\n\nd\n</code></pre>" in rendered
    assert "<p>1. text</p>" in rendered


# -- the segmenter's structure -----------------------------------------------------------------------


def test_the_structure_of_each_line():
    read = read_html('<ol start=2><li>a</li></ol><table><tr><th colspan=2>h</th></tr></table><base href="/x">')
    assert read.structure is not None
    (lst, item), (table, row, cell) = read.structure.frames
    assert lst[0] == "list" and lst[2] is True and item[0] == "li" and item[2] == 2
    assert table[0] == "table" and row[0] == "tr" and row[2] == 0
    assert cell[0] == "td" and cell[2:] == (0, 2, True)
    assert read.structure.tags == ["li", "th"] and read.structure.links is None and read.structure.base == "/x"


def test_split_linked_gives_the_lines_of_split_collapsed():
    # Against the compiled split where it is built: its own implementation of the rule (the reference
    # split_collapsed is split_linked without the links' targets).
    core = compiled("cleaner.read._pieces")
    collapse = split_collapsed if core is None else core.split_collapsed
    rng = random.Random(7)
    words = ["a", "bb", " ", "  c ", "\n", "d e", " f", "g ", BR, "", "\t"]
    for _ in range(2000):
        pieces = [rng.choice(words) for _ in range(rng.randint(1, 8))]
        links = sorted(rng.sample(range(len(pieces)), rng.randint(1, len(pieces))))
        refs = [(rng.randint(0, 2), rng.choice(["/u", None])) for _ in links]
        found, spans = split_linked(pieces, links, refs)
        assert found == collapse(pieces, links)
        assert len(spans) == len(found)
        for (text, _), line_spans in zip(found, spans):
            for start, end, href in line_spans:
                assert 0 <= start < end <= len(text) and href == "/u"
                assert not text[start].isspace() and not text[end - 1].isspace()


# -- corpus pages ------------------------------------------------------------------------------------


def corpus_pages(limit: int | None):
    from cleaner.corpus.pages import iter_corpus_pages

    if not CORPORA.is_dir():
        pytest.skip("the shared corpora are not there")
    return list(iter_corpus_pages(CORPORA, limit=limit, raw=True))


@pytest.fixture(scope="module")
def corpus_cleaner(request) -> Cleaner:
    """The shipped models, or (while they are being rebuilt and do not load) a model trained on the seeds."""
    try:
        return Cleaner.load()
    except ModelError:
        return request.getfixturevalue("small_cleaner")


def _markup_columns(read) -> list:
    markup = read.markup
    return [
        value.tolist() if isinstance(value, np.ndarray) else value
        for value in (getattr(markup, name) for name in markup.__dataclass_fields__)
    ]


def check_words(pages, cleaner: Cleaner) -> None:
    rng = random.Random(3)
    for page in pages:
        read = cleaner.read_page(page.html, links=True)
        document = cleaner.documents_of([read], metadata=False)[0]
        assert markdown_words(document.markdown) == WORD_RE.findall(document.text), page.id
        kept = [rng.random() < 0.5 for _ in read.texts]  # any mask: tables, lists and code cut anywhere
        plain = render_kept(read.numbers, read.texts, kept)
        assert markdown_words(render_markdown(read, kept)) == WORD_RE.findall(plain), page.id


def test_markdown_carries_the_words_of_the_plain_output(corpus_cleaner):
    check_words(corpus_pages(4), corpus_cleaner)


@pytest.mark.exhaustive
def test_markdown_carries_the_words_of_the_plain_output_on_every_page(corpus_cleaner):
    check_words(corpus_pages(None), corpus_cleaner)


def test_links_and_structure_leave_the_lines_and_markup_unchanged():
    for page in corpus_pages(4):
        plain, linked = read_html(page.html), read_html(page.html, links=True)
        assert (plain.numbers, plain.texts) == (linked.numbers, linked.texts), page.id
        assert _markup_columns(plain) == _markup_columns(linked), page.id
        assert plain.structure.frames == linked.structure.frames
        assert len(plain.structure.frames) == len(plain.texts) == len(plain.structure.owners)
        for line, spans in linked.structure.links.items():
            assert all(0 <= start < end <= len(linked.texts[line]) for start, end, _ in spans)
