"""The HTML segmenter (cleaner.read): reading order, blocks, links, what is skipped, rendering, broken
pages and generated tag soup. The markup of lines: tests/test_html_markup.py; decoding and sniffing a
page's bytes: tests/test_html_decode.py."""

from __future__ import annotations

import pytest
from html_fixtures import ARTICLE_PAGE, PROSE, markup, texts
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.errors import InputError
from cleaner.read import segment_html
from cleaner.read.parse import segment
from cleaner.records import Line
from cleaner.render import render_text

# --- reading order, blocks and inline elements ---------------------------------------------------


def test_reading_order_follows_the_document():
    page = """<html><body><h1>Title</h1><div><p>first</p><div><p>second</p></div></div>
    <ul><li>third</li><li>fourth</li></ul><table><tr><td>fifth</td><td>sixth</td></tr></table>
    <p>seventh</p></body></html>"""
    assert texts(page) == ["Title", "first", "second", "third", "fourth", "fifth", "sixth", "seventh"]


def test_inline_elements_join_their_block():
    page = "<p>A <b>bold</b>, <i>italic</i> and <a href='#'>linked</a> <span>word</span><code>x</code>.</p>"
    assert texts(page) == ["A bold, italic and linked wordx."]


def test_text_directly_in_a_div_mixed_with_blocks_is_its_own_line():
    lines = segment_html("<div>before <b>bold</b><p>inside</p>after</div>")
    assert [line.text for line in lines] == ["before bold", "inside", "after"]
    assert [markup(line).tag for line in lines] == ["div", "p", "div"]
    # Numbered as in the plain-text rendering: a paragraph sets itself apart with blank lines.
    assert [line.number for line in lines] == [1, 3, 5]


def test_whitespace_is_collapsed_and_entities_decoded():
    page = "<p>  Fish\n\t&amp;   chips&nbsp;&nbsp;&mdash; &#8364;5  </p><p>   </p><p>\n</p>"
    assert texts(page) == ["Fish & chips — €5"]


def test_br_splits_a_block_into_lines():
    lines = segment_html("<p>Line one<br>Line two<br/><br>\n Line <b>three</b><br></p><p>next</p>")
    assert [line.text for line in lines] == ["Line one", "Line two", "Line three", "next"]
    # Consecutive lines of one block; <br><br> leaves a blank line; a new paragraph too.
    assert [line.number for line in lines] == [1, 2, 4, 6]
    assert {markup(line).tag for line in lines} == {"p"}


def test_pre_keeps_its_source_lines():
    page = "<pre>def f(x):\n    return x + 1\n\n# done</pre><p>after   the   code</p>"
    lines = segment_html(page)
    assert [line.text for line in lines] == ["def f(x):", "    return x + 1", "# done", "after the code"]
    assert [line.number for line in lines] == [1, 2, 4, 6]
    assert markup(lines[1]).tag == "pre"


# --- link density ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "text", "density"),
    [
        ("<p>Hello <a href='#'>world</a></p>", "Hello world", 5 / 11),
        ("<p><a href='#'>Home page</a></p>", "Home page", 1.0),
        ("<p>No links here</p>", "No links here", 0.0),
        ("<p><a href='#'>Home</a> | <a href='#'>News</a></p>", "Home | News", 8 / 11),
        # A collapsed space counts as link text when its whitespace run starts inside the link.
        ("<p>Read <a href='#'>more </a>  here</p>", "Read more here", 5 / 14),
        ("<li>\n  <a href='#'>\n  Sport  \n</a>\n</li>", "Sport", 1.0),
        ("<p>x<a href='#'><b>bold link</b></a>y</p>", "xbold linky", 9 / 11),
    ],
)
def test_link_density_is_exact(page: str, text: str, density: float):
    (line,) = segment_html(page)
    assert line.text == text
    assert markup(line).link_density == pytest.approx(density)


def test_link_density_per_br_line():
    lines = segment_html("<p><a href='#'>all link</a><br>no link</p>")
    assert [markup(line).link_density for line in lines] == [1.0, 0.0]


# --- what is skipped ------------------------------------------------------------------------------


def test_scripts_styles_and_non_text_elements_are_skipped_but_their_tail_kept():
    page = """<html><head><title>T</title><meta name="x" content="y"></head><body>
    <p>one<script>document.write("<p>no</p>")</script> two</p>
    <style>.x { color: red }</style><noscript>Enable JavaScript</noscript>
    <template><p>tpl</p></template><svg><text>svg text</text></svg>
    <form><select><option>Choice</option></select><button>Click</button><textarea>typed</textarea>
    <input value="v"> label</form><iframe>frame text</iframe><object>obj</object>
    </body></html>"""
    assert texts(page) == ["one two", "label"]


@pytest.mark.parametrize(
    "hidden",
    [
        "<div hidden>secret</div>",
        "<p aria-hidden='true'>secret</p>",
        "<span aria-hidden='TRUE'>secret</span>",
        "<span style='display:none'>secret</span>",
        "<div style='color: red; DISPLAY : none'>secret</div>",
        "<div style='visibility: hidden'><p>secret</p></div>",
        "<dialog><p>secret</p></dialog>",
        "<template><p>secret</p></template>",
        "<template shadowrootmode-not='open'><p>secret</p></template>",
        "<div class='hidden'><p>secret</p></div>",
        "<div class='modal fade d-none'>secret</div>",
        "<span class='visually-hidden'>secret</span>",
        "<span class='icon sr-only'>secret</span>",
        "<div class='newsletter is-hidden'>secret</div>",
        "<div class='s-popover' role='tooltip'>secret</div>",
        "<span role=' Tooltip '>secret</span>",
        "<div class='ui modal small report'><p>secret</p></div>",
        "<div class='modal fade' id='login'><p>secret</p></div>",
        "<div class='offcanvas offcanvas-start'>secret</div>",
        "<div class='ng-hide'>secret</div>",
    ],
)
def test_hidden_elements_are_skipped(hidden: str):
    assert texts(f"<body><p>before</p>{hidden}<p>after</p></body>") == ["before", "after"]


def test_hidden_content_is_read_when_it_is_the_page():
    """Forum software serving its posts in <noscript>, a framework hiding its page until its scripts run
    or rendering it from a <template>: left out, that content would leave the page (nearly) empty, so
    it is read."""
    post = "<p>Un message du forum, assez long pour que la page en dépende entièrement.</p>"
    assert texts(f"<body><p>Menu</p><noscript>{post * 3}</noscript></body>") == ["Menu"] + [post[3:-4]] * 3
    wrapper = f"<body><div id='app' style='display:none'><h1>Titre</h1>{post * 2}</div><p>Chargement</p></body>"
    assert texts(wrapper) == ["Titre", post[3:-4], post[3:-4], "Chargement"]
    # A page its scripts render from a template.
    rendered = f"<body><p>Menu</p><template id='page'><main><h1>Titre</h1>{post * 2}</main></template></body>"
    assert texts(rendered) == ["Menu", "Titre", post[3:-4], post[3:-4]]
    # Not a closed dialog: a long consent prompt does not make a short page's hidden menus its content.
    consent = "<p>Nous et nos partenaires utilisons des cookies pour mesurer l'audience du site.</p>" * 8
    short = f"<body><p>Menu</p><div hidden><p>Sous-menu</p></div><dialog>{consent}</dialog></body>"
    assert texts(short) == ["Menu"]
    # Where the visible text holds its own against the hidden one, hidden stays hidden.
    assert texts(f"<body>{post * 2}<div hidden>{post}</div></body>") == [post[3:-4]] * 2


def test_streamed_react_segments_are_read():
    """React sends what was not ready with the page's first bytes in <div hidden id="S:..."> and moves it
    into place at once: a browser shows it."""
    page = "<body><p>Menu</p><template id='B:0'></template><div hidden id='S:0'><p>Article</p></div></body>"
    assert texts(page) == ["Menu", "Article"]
    assert texts("<body><p>Menu</p><div hidden id='S:1a'><p>Article</p></div></body>") == ["Menu", "Article"]
    assert texts("<body><p>Menu</p><div hidden id='S:0-menu'><p>Dialog</p></div></body>") == ["Menu"]


def test_hidden_text_behind_a_paywall_is_read():
    """A paywall hides the rest of the article from readers without a subscription; the page holds it,
    and news corpora's gold keeps it. The paywall's own prompt (a dialog, a banner) stays hidden, as
    does hidden content of any other name."""
    start = "<p>Le début de l'article, visible de tous, plus long que ce qui est caché.</p>"
    rest = "<p>La suite de l'article, cachée aux lecteurs sans abonnement.</p>"
    for wall in ("class='paywall' hidden", "class='article-body isPaywalled' style='display:none'", "id='paywall'"):
        assert texts(f"<body>{start}<div {wall} hidden>{rest}</div></body>") == [start[3:-4], rest[3:-4]]
    for other in ("class='paywall-dialog'", "class='paywall_banner'", "class='article-content'", "class='wall'"):
        assert texts(f"<body>{start}<div {other} hidden>{rest}</div></body>") == [start[3:-4]]


def test_declarative_shadow_roots_are_read():
    """Web components rendered on the server put their content in a <template> that declares a shadow
    root; a browser renders it in place. Left out, a page built of them would come out empty."""
    for declared in ("shadowrootmode='open'", "shadowrootmode='closed'", "shadowroot='open'", "SHADOWROOTMODE=open"):
        page = f"<body><p>Menu</p><my-article><template {declared}><h1>Title</h1><p>Body</p></template></my-article></body>"
        assert texts(page) == ["Menu", "Title", "Body"]


def test_visible_look_alikes_are_kept():
    page = "<p aria-hidden='false'>a</p><div style='display:block'>b</div><dialog open>c</dialog>"
    assert texts(page) == ["a", "b", "c"]
    # An opened modal, and classes that merely name one, are shown.
    page = "<div class='modal show'>a</div><div class='ui active modal'>b</div><div class='modal-body'>c</div>"
    page += "<div class='uk-modal uk-open'>d</div>"
    assert texts(page) == ["a", "b", "c", "d"]


def test_classes_that_hide_only_on_some_screens_are_visible():
    """A hiding class with one that shows the element from some screen width on (Tailwind's "md:block",
    Bootstrap's "d-lg-flex") is seen by a reader on a wide screen; a class that merely names hiding is
    not one that hides."""
    shown = ["hidden md:block", "d-none d-lg-flex", "hide visible-md", "hidden-xs", "not-hidden", "unhide", "Hidden"]
    page = "".join(f"<p class='{value}'>{index}</p>" for index, value in enumerate(shown))
    assert texts(page) == [str(index) for index in range(len(shown))]


def test_a_hidden_body_is_still_read():
    # Anti-flicker snippets hide the whole body until scripts have run: the page is not empty.
    assert texts("<html><body style='visibility:hidden'><p>text</p></body></html>") == ["text"]


def test_signs_that_link_within_the_page_and_edit_links_are_not_text():
    """Documentation and wiki software put controls beside each heading: a link to the heading itself
    shown as a sign (Sphinx and MkDocs ¶, rustdoc §, a #, an icon) and MediaWiki's "[edit]"; footnotes
    and references link to each other with signs (*, †, ^)."""
    page = (
        "<h1>Installing<a class='headerlink' href='#installing' title='Link to this heading'>¶</a></h1>"
        "<h2 id='usage'>Usage <a href='#usage' class='mark'>#</a></h2>"
        "<h3><a class='anchor' aria-label='Permalink' href=' #api'><svg><path d='M0'/></svg></a>API</h3>"
        "<h2><span class='mw-headline'>History</span><span class='mw-editsection'>"
        "<span class='mw-editsection-bracket'>[</span><a href='/w/index.php?action=edit&amp;section=1'>edit</a>"
        "<span class='mw-editsection-bracket'>]</span></span></h2>"
        "<div class='mw-heading'><h2>Legacy</h2><span class='mw-editsection'>[<a href='?action=edit'>edit</a>]</span></div>"
    )
    assert texts(page) == ["Installing", "Usage", "API", "History", "Legacy"]
    # Links within the page that hold words or numbers are text; signs alone are not, but in code.
    page = (
        "<h2><a href='#faq'>FAQ</a> <a href='#faq'>1.2</a></h2><p>A note<a href='#fn1'>*</a> and C#<a href='#r'>[1]</a>.</p>"
        "<dl><dt>os.error<a class='headerlink' href='#os.error'>¶</a></dt></dl><pre>a <a href='#op'>+</a> b</pre>"
    )
    assert texts(page) == ["FAQ 1.2", "A note and C#[1].", "os.error", "a + b"]
    spaced = (
        "<h2><a href='#i'>Ion</a><a href='#i'> </a><a href='#i'>Beam</a></h2><h2>Title<a href='#t'> ¶ </a>More</h2>"
    )
    assert texts(spaced) == ["Ion Beam", "Title More"]
    # The links recorded for Markdown stay those of the text left.
    linked = segment(b"<h2><a href='#x'>Self</a> <a href='#x'>\xc2\xb6</a> and <a href='/y'>other</a></h2>", links=True)
    assert linked.text == ["Self and other"] and linked.links == {0: ((0, 4, "#x"), (9, 14, "/y"))}


def test_comments_and_processing_instructions_are_not_text():
    assert texts("<p>a<!-- comment -->b<?php echo 1; ?>c</p><!-- <p>x</p> -->") == ["abc"]


# --- rendering ------------------------------------------------------------------------------------


def test_render_text_separates_paragraphs_but_not_list_items_or_br_lines():
    page = """<h1>Title</h1><p>One<br>Two</p><ul><li>a</li><li>b</li></ul><div>x</div><div>y</div>
    <table><tr><td>c1</td><td>c2</td></tr></table><p>end</p>"""
    assert render_text(segment_html(page)) == "Title\n\nOne\nTwo\n\na\nb\n\nx\ny\n\nc1\nc2\n\nend\n"


def test_numbers_are_the_line_numbers_of_the_rendering():
    lines = segment_html(ARTICLE_PAGE)
    numbers = [line.number for line in lines]
    assert numbers[0] == 1
    assert all(b > a for a, b in zip(numbers, numbers[1:]))
    rendered = render_text(lines).split("\n")
    assert all(rendered[line.number - 1] == line.text for line in lines)
    assert len(rendered) == numbers[-1] + 1  # the final newline


def test_separate_lists_and_tables_are_separate_paragraphs():
    page = "<ul><li>a</li><li>b<ul><li>nested</li></ul></li></ul><ul><li>c</li></ul><table><tr><td>d</td></tr></table>"
    assert render_text(segment_html(page)) == "a\nb\nnested\n\nc\n\nd\n"


def test_render_text_of_nothing_and_of_plain_lines():
    assert render_text([]) == ""
    assert render_text([Line(1, "a"), Line(2, ""), Line(3, "b")]) == "a\n\nb\n"
    # A subset of lines (the kept ones): a blank line where lines were left out.
    assert render_text([Line(1, "a"), Line(2, "b"), Line(7, "c")]) == "a\nb\n\nc\n"


# --- broken and degenerate pages ------------------------------------------------------------------


def test_unclosed_tags():
    assert texts("<p>One<p>Two<div>Three<ul><li>Four<li>Five") == ["One", "Two", "Three", "Four", "Five"]


def test_stray_end_tags():
    assert texts("<p>a</div>b</span></p></p>c</td>") == ["ab", "c"]


def test_no_body():
    assert texts("<html><p>in html</p></html>") == ["in html"]
    assert texts("just some text") == ["just some text"]


def test_unclosed_title_swallowing_the_page_is_recovered():
    filler = "<div>" + "x " * 600 + "</div>"
    page = f"<html><head><title>Broken<meta name=a></head><body>{filler}<p>{PROSE}</p></body></html>"
    assert PROSE in texts(page)


def test_a_closed_textarea_holding_markup_swallows_nothing():
    # A comment form's template or an embed code: the page is read once, the textarea's text is not content.
    template = "<textarea>" + "<div><p>A comment template.</p></div>" * 40 + "</textarea>"
    page = f"<html><head><title>Page</title></head><body><p>{PROSE}</p>{template}<p>After the form.</p></body></html>"
    assert texts(page) == [PROSE, "After the form."]


@pytest.mark.parametrize(
    "page",
    [
        "",
        "   \n\t  ",
        b"",
        "<html><frameset><frame src='a.html'><frame src='b.html'></frameset></html>",
        "<script>var a = 1;</script><style>p {}</style>",
        "<html><head><title>Only a title</title></head><body></body></html>",
        "<!-- only a comment -->",
        "<html><body><img src='a.png'><br><hr></body></html>",
    ],
)
def test_pages_without_text_give_no_lines(page: str | bytes):
    assert segment_html(page) == []


def test_deeply_nested_elements_do_not_recurse():
    depth = 100_000
    page = "<html><body>" + "<div>" * depth + "deep text" + "</div>" * depth + "<p>after</p></body></html>"
    lines = segment_html(page)
    assert [line.text for line in lines] == ["deep text", "after"]
    assert markup(lines[0]).depth == depth + 1
    assert markup(lines[0]).ancestors == frozenset({"html", "body", "div"})


# --- robustness -----------------------------------------------------------------------------------

_TAGS = ["p", "div", "a", "b", "br", "pre", "li", "ul", "table", "td", "script", "title", "textarea", "head", "body"]
_ATTRIBUTES = ["", " hidden", " class='comment main'", " style='display:none'", " id=navBar", " href=x"]
_PIECES = st.one_of(
    st.builds(lambda tag, attribute: f"<{tag}{attribute}>", st.sampled_from(_TAGS), st.sampled_from(_ATTRIBUTES)),
    st.builds(lambda tag: f"</{tag}>", st.sampled_from(_TAGS)),
    st.text(max_size=12),
    st.sampled_from(["&amp;", "&nbsp;", "<!--", "-->", "\n", "  ", "word word word word word word word word, "]),
)


def _check_invariants(lines: list[Line]) -> None:
    numbers = [line.number for line in lines]
    assert numbers == sorted(set(numbers))
    assert not numbers or numbers[0] == 1
    for line in lines:
        assert line.text.strip() and line.text == line.text.rstrip()
        assert 0.0 <= markup(line).link_density <= 1.0
        assert len(markup(line).ancestor_shares) == 4
        assert all(0.0 <= share <= 1.0 for share in markup(line).ancestor_shares)
    rendered = render_text(lines).split("\n")
    assert all(rendered[line.number - 1] == line.text for line in lines)


@settings(max_examples=150, derandomize=True, deadline=None)
@given(st.lists(_PIECES, max_size=40))
def test_any_markup_segments_without_error(parts: list[str]):
    _check_invariants(segment_html("".join(parts)))


@settings(max_examples=150, derandomize=True, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_a_str_page_reads_as_its_utf8_bytes(page: str):
    """A str is encoded once for the parser: the same lines as its UTF-8 bytes, lone surrogates
    replaced as a str's always are."""
    assert segment_html(page) == segment_html(page.encode("utf-8"))
    with_surrogate = page + "<p>lone \ud800 surrogate</p>"
    assert segment_html(with_surrogate) == segment_html(with_surrogate.replace("\ud800", "\ufffd").encode("utf-8"))


@settings(max_examples=100, derandomize=True, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_segment_or_raise_input_error(data: bytes):
    try:
        lines = segment_html(data)
    except InputError:
        return
    _check_invariants(lines)


def test_an_unclosed_title_in_autf8_page():
    body = "<p>Un paragraphe de l'article, assez long pour compter.</p>" * 40
    page = f"<html><head><title>Sans fin</head><body>{body}<div>😀 fin</div></body></html>"
    from_bytes = segment_html(page.encode("utf-8"))
    assert from_bytes == segment_html(page)
    assert len(from_bytes) > 1 and from_bytes[-1].text == "😀 fin"


def test_a_read_html_page_pickles():
    """Read pages go between processes (batches, the model build): everything they hold pickles."""
    import pickle

    from cleaner.read import read_html

    page = read_html(b"<ol start='3'><li>One</li></ol><table><tr><td colspan='2'>Cell</td></tr></table><p>Text.</p>")
    again = pickle.loads(pickle.dumps(page))
    assert again.texts == page.texts and again.structure is not None
