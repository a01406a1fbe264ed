"""The markup the HTML segmenter gives each line (cleaner.read): tag, depth and ancestors, class and
id hints in several languages, block sizes and ancestor shares, the main container."""

from __future__ import annotations

import pytest
from html_fixtures import ARTICLE_PAGE, PROSE, PROSE_2, PROSE_3, line_with, markup

from cleaner.read import segment_html
from cleaner.read.tags import HINT_WORDS, hints_of

# --- markup ---------------------------------------------------------------------------------------


def test_tag_depth_and_ancestors():
    lines = segment_html("<html><body><div><ul><li>item</li></ul></div><p>para</p></body></html>")
    item, para = lines
    assert markup(item).tag == "li"
    assert markup(item).depth == 4
    assert markup(item).ancestors == frozenset({"html", "body", "div", "ul"})
    assert markup(para).depth == 2
    assert markup(para).ancestors == frozenset({"html", "body"})


@pytest.mark.parametrize("reference", [False, True])
def test_a_table_list_quote_or_code_in_a_figure_is_not_read_as_inside_it(reference, monkeypatch):
    # WordPress's block editor wraps every table and pull quote in a <figure>: read as inside it, as a
    # caption is, the models dropped them whole. Both segmenters read it so.
    if reference:
        monkeypatch.setenv("CLEANER_REFERENCE", "1")
    lines = segment_html(
        "<html><body><figure class='wp-block-table'><table><tr><td>cell</td></tr></table>"
        "<figcaption>caption</figcaption></figure>"
        "<figure><ul><li>item<figure><figcaption>inner caption</figcaption></figure></li></ul></figure>"
        "<figure class='highlight'><pre>code</pre></figure>"
        "<figure><blockquote>quoted</blockquote></figure></body></html>"
    )
    inside = {line.text: "figure" in markup(line).ancestors for line in lines}
    assert inside == {
        "cell": False,
        "caption": True,
        "item": False,
        "inner caption": True,
        "code": False,
        "quoted": False,
    }


def test_hints_come_from_class_and_id_of_the_block_and_its_ancestors():
    page = """<div id="mainContent"><section class="user-comments"><span class="x">
    <p class="byline">By me</p></span></section></div><div class="subheader">plain</div>
    <div class="relatedArticles promo_box">rel</div>"""
    lines = segment_html(page)
    assert markup(line_with(lines, "By me")).hints == frozenset({"article", "comment", "byline"})
    # Whole tokens only: "subheader" is not "header".
    assert markup(line_with(lines, "plain")).hints == frozenset()
    # camelCase and underscores split.
    assert markup(line_with(lines, "rel")).hints == frozenset({"related", "article", "promo"})


def test_hint_vocabulary_maps_to_the_documented_hints():
    assert set(HINT_WORDS.values()) == {
        "comment",
        "share",
        "related",
        "promo",
        "nav",
        "footer",
        "header",
        "sidebar",
        "byline",
        "caption",
        "tags",
        "cookie",
        "subscribe",
        "article",
    }
    assert HINT_WORDS["disqus"] == "comment"
    assert HINT_WORDS["masthead"] == "header"
    assert HINT_WORDS["gdpr"] == "cookie"


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("artikel-kommentare", "comment"),
        ("werbung-top", "promo"),
        ("bildunterschrift", "caption"),
        ("relacionadas", "related"),
        ("aboTeaser", "subscribe"),
        ("autor-datum", "byline"),
    ],
)
def test_class_words_of_other_languages_give_the_hints_of_their_english_kin(value, hint):
    assert hint in hints_of(value)


def test_a_page_builders_component_word_is_no_hint():
    assert "sidebar" not in hints_of("elementor-element elementor-widget elementor-widget-text-editor")
    assert "sidebar" in hints_of("widget widget_recent_entries") and "sidebar" in hints_of("elementor sidebar")
    assert "header" in hints_of("elementor elementor-location-header")


def test_a_posts_taxonomy_terms_are_no_hints():
    # WordPress's post wrapper names the post's categories and tags: its subjects, not its role.
    wrapper = "post-9749 post type-post hentry category-social-media category-video tag-passion tag-widgets"
    assert hints_of(wrapper) == hints_of("post-9749 post type-post hentry") == frozenset({"article"})
    assert hints_of("archive category-news category-sport") == hints_of("archive")
    assert hints_of("hentry p1 post publish author-kgs category-news") == hints_of("hentry p1 post publish")
    assert hints_of("entry-category-management entry-author-bobsutton") == frozenset()
    # A taxonomy class standing alone is the element's role: the post's tag list, a tag cloud, its
    # author's box (two author classes are no subjects).
    assert "tags" in hints_of("tag-links") and "tags" in hints_of("entry-meta tag-cloud")
    assert "byline" in hints_of("author-bio author-box")


def test_block_chars_and_ancestor_shares():
    page = f"<html><body><div><p>{PROSE}</p><p>short</p></div><p>tail</p></body></html>"
    lines = segment_html(page)
    prose = line_with(lines, PROSE)
    tail = line_with(lines, "tail")
    # The parent div holds both of its paragraphs' characters.
    assert markup(prose).block_chars == len(PROSE) + len("short")
    assert markup(tail).block_chars == len(PROSE) + len("short") + len("tail")
    # div and body hold all the prose; html spans body's lines (a wrapper: passed over), and no other.
    assert markup(prose).ancestor_shares == (1.0, 1.0, 0.0, 0.0)
    assert markup(tail).ancestor_shares == (1.0, 0.0, 0.0, 0.0)


def test_ancestor_shares_split_between_containers():
    page = f"<body><div id='a'><p>{PROSE}</p></div><div id='b'><p>{PROSE_2}</p></div></body>"
    first, second = segment_html(page)
    total = len(PROSE) + len(PROSE_2)
    assert markup(first).ancestor_shares[0] == pytest.approx(len(PROSE) / total)
    assert markup(second).ancestor_shares[0] == pytest.approx(len(PROSE_2) / total)
    assert markup(first).ancestor_shares[1] == pytest.approx(1.0)


def test_in_main_marks_the_article_container():
    lines = segment_html(ARTICLE_PAGE)
    in_main = {line.text for line in lines if markup(line).in_main}
    assert in_main == {"Tram line to reach the north", "By Jane Doe", PROSE, PROSE_2, PROSE_3}
    for text in ("Home", "Most read", "Mayor resigns", "Privacy"):
        assert not markup(line_with(lines, text)).in_main
    assert markup(line_with(lines, "Home")).hints == frozenset({"header", "nav"})


def test_in_main_leaves_out_reader_comments():
    comments = "".join(
        f"<li class='comment'><p>{sentence}</p></li>" for sentence in (PROSE, PROSE_2, PROSE_3, PROSE, PROSE_2)
    )
    page = f"""<body><div id="page"><div class="post"><h1>Title</h1><p>{PROSE}</p><p>{PROSE_3}</p></div>
    <ol id="comments">{comments}</ol></div><div class="sidebar"><a href="#">x</a></div></body>"""
    lines = segment_html(page)
    assert sum(markup(line).in_main for line in lines) == 3
    assert all(markup(line).in_main for line in lines[:3])


def test_a_page_with_little_prose_finds_its_main_container_by_its_text_outside_links():
    # A roster: no prose at all, the table holds the page's text outside links.
    rows = "".join(f"<tr><td>{n}</td><td>Player {n}</td><td>6 ft 2</td></tr>" for n in range(10))
    menu = "<ul class='menu'><li><a href='#'>Home</a></li><li><a href='#'>Roster</a></li></ul>"
    lines = segment_html(f"<body>{menu}<div class='roster'><table>{rows}</table></div><p>Contact</p></body>")
    assert all(markup(line).in_main for line in lines if line.text.startswith("Player"))
    assert not any(markup(line).in_main for line in lines if line.text in ("Home", "Roster", "Contact"))
    # Shares are of prose: none here.
    assert all(markup(line).ancestor_shares == (0.0, 0.0, 0.0, 0.0) for line in lines)


def test_links_alone_mean_no_main():
    lines = segment_html("<ul><li><a href='#'>Home</a></li><li><a href='#'>News</a></li></ul>")
    assert not any(markup(line).in_main for line in lines)
