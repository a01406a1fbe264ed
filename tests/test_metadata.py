"""cleaner.metadata: page metadata from JSON-LD, <meta> tags, <time> elements and <title>: the API,
each source and its precedence rules, broken metadata (junk dates, JSON-LD that is not JSON, wrong
types). Titles, authors, bylines, dates in text and plain-text lines: tests/test_metadata_text.py;
hostile pages and the accuracy floors over the Fundus pages: tests/test_metadata_pages.py."""

from __future__ import annotations

import lxml.html
import pytest
from lxml import etree
from metadata_fixtures import DATA, jsonld, page

from cleaner.metadata import (
    Metadata,
    extract_metadata,
    metadata_from_html,
)
from cleaner.metadata.jsonld import load_jsonld, read_jsonld

# --------------------------------------------------------------------------------------------------
# The API


def test_metadata_is_a_frozen_record_with_a_dict_view():
    meta = Metadata(title="T", date="2021-03-12")
    assert meta.to_dict() == {
        "title": "T",
        "author": None,
        "date": "2021-03-12",
        "language": None,
        "url": None,
        "site_name": None,
        "description": None,
    }
    with pytest.raises(AttributeError):
        meta.title = "other"  # type: ignore[misc]


def test_a_page_with_nothing_gives_all_none():
    assert metadata_from_html(page(body="<p>Just text.</p>")) == Metadata()


@pytest.mark.parametrize("html", [None, "", "   ", b"", b"\x00\x01\x02\xff\xfe", "<html", "<<<>>>", "\x00" * 10, 42])
def test_broken_inputs_never_raise(html):
    meta = metadata_from_html(html)  # type: ignore[arg-type]
    assert isinstance(meta, Metadata)


def test_extract_metadata_accepts_trees_elements_and_none():
    html = page("<title>Hello world</title>", "<div><h1>Hello world</h1><p>x</p></div>")
    tree = etree.fromstring(html, etree.HTMLParser())
    assert extract_metadata(tree).title == "Hello world"
    assert extract_metadata(tree.getroottree()).title == "Hello world"
    # Any element of the tree stands for the whole page.
    assert extract_metadata(tree.find(".//p")).title == "Hello world"
    assert extract_metadata(lxml.html.document_fromstring(html)).title == "Hello world"
    assert extract_metadata(None) == Metadata()


def test_bytes_are_decoded_by_their_declared_charset():
    html = page('<meta charset="iso-8859-1"><title>Caf\xe9 \xe0 Paris</title>').encode("latin-1")
    assert metadata_from_html(html).title == "Café à Paris"
    assert metadata_from_html("<title>Zoë</title>".encode("utf-8-sig")).title == "Zoë"
    # As the page reader decodes it (cleaner.read.decode): the Latin-1 label means windows-1252.
    quoted = page('<meta charset="iso-8859-1"><title>\u201cQuoted\u201d costs \u20ac5</title>').encode("cp1252")
    assert metadata_from_html(quoted).title == "\u201cQuoted\u201d costs \u20ac5"


def test_results_are_deterministic():
    html = (DATA / "graph_article.html").read_text(encoding="utf-8")
    assert len({metadata_from_html(html, "https://zeitung.example/x") for _ in range(3)}) == 1


# --------------------------------------------------------------------------------------------------
# JSON-LD


def test_jsonld_graph_with_id_references():
    html = (DATA / "graph_article.html").read_text(encoding="utf-8")
    meta = metadata_from_html(html, url="https://zeitung.example/politik/neue-bruecke-123?ref=rss")
    assert meta.title == "Neue Brücke eröffnet – jetzt mit Radweg"
    assert meta.author == "Anna Berger; Jan Novak"
    # datePublished (12th) wins over article:published_time (11th), dateModified and the header's date.
    assert meta.date == "2021-03-12"
    assert meta.language == "de"
    assert meta.url == "https://zeitung.example/politik/neue-bruecke-123"
    assert meta.site_name == "Beispiel Zeitung"
    assert meta.description == "Nach drei Jahren Bauzeit ist die Brücke offen."


@pytest.mark.parametrize(
    ("author", "expected"),
    [
        ("Jane Doe", "Jane Doe"),
        ({"@type": "Person", "name": "Jane Doe"}, "Jane Doe"),
        ([{"@type": "Person", "name": "Jane Doe"}, {"@type": "Person", "name": "John Roe"}], "Jane Doe; John Roe"),
        ({"@type": "Organization", "name": "Reuters"}, "Reuters"),
        # People are kept over the newsroom listed beside them.
        ([{"@type": "Organization", "name": "Reuters"}, {"@type": "Person", "name": "Jane Doe"}], "Jane Doe"),
        (["Jane Doe", "Jane Doe"], "Jane Doe"),
        ({"@type": "Person", "name": ["Jane Doe"]}, "Jane Doe"),
        (42, None),
        ({"@type": "Person"}, None),
    ],
)
def test_jsonld_author_forms(author, expected):
    html = page(jsonld({"@type": "NewsArticle", "headline": "H", "author": author}))
    assert metadata_from_html(html).author == expected


def test_jsonld_lists_types_and_prefixes():
    data = [
        {"@type": "BreadcrumbList", "name": "Home"},
        {"@type": ["http://schema.org/ReportageNewsArticle"], "name": "The report", "datePublished": "2020-05-01"},
    ]
    meta = metadata_from_html(page(jsonld(data)))
    assert (meta.title, meta.date) == ("The report", "2020-05-01")


def test_jsonld_article_beats_video_and_page_nodes():
    data = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "VideoObject", "name": "Clip", "uploadDate": "2019-01-01"},
            {"@type": "WebPage", "name": "Page name", "inLanguage": {"@type": "Language", "alternateName": "fr"}},
            {"@type": "BlogPosting", "headline": "The post", "datePublished": "2020-02-02"},
        ],
    }
    meta = metadata_from_html(page(jsonld(data)))
    assert (meta.title, meta.date, meta.language) == ("The post", "2020-02-02", "fr")


def test_jsonld_related_articles_in_an_item_list_are_not_the_page():
    data = {"@type": "ItemList", "itemListElement": [{"@type": "NewsArticle", "headline": "Other story"}]}
    html = page(jsonld(data) + "<title>Real story</title>")
    assert metadata_from_html(html).title == "Real story"


def test_jsonld_modified_date_only_when_nothing_else():
    data = {"@type": "Article", "headline": "H", "dateModified": "2021-04-01"}
    assert metadata_from_html(page(jsonld(data))).date == "2021-04-01"
    data["datePublished"] = "2021-03-01"
    assert metadata_from_html(page(jsonld(data))).date == "2021-03-01"


@pytest.mark.parametrize(
    "script",
    [
        '{"@type": "NewsArticle", "headline": "Repaired", "datePublished": "2021-03-12",}',
        '<!-- {"@type": "NewsArticle", "headline": "Repaired", "datePublished": "2021-03-12"} -->',
        '{"@type": "NewsArticle", "headline": "Repaired\tagain", "datePublished": "2021-03-12"}'.replace(
            "again", "\x01"
        ),
        '{"@type": "NewsArticle", "headline": "Repaired", "datePublished": "2021-03-12"};',
        '{"@type": "WebSite", "name": "x"}{"@type": "NewsArticle", "headline": "Repaired", "datePublished": "2021-03-12"}',
    ],
)
def test_jsonld_lenient_repair(script):
    html = page(f'<script type="application/ld+json">{script}</script>')
    meta = metadata_from_html(html)
    assert meta.title.startswith("Repaired")
    assert meta.date == "2021-03-12"


@pytest.mark.parametrize(
    "script",
    [
        "",
        "   ",
        "not json at all",
        '{"@type": "NewsArticle", "headline": ',
        "[]",
        "{}",
        "null",
        '"just a string"',
        '{"@type": "NewsArticle", "headline": 12, "datePublished": ["junk"], "author": {"name": 5}}',
        "[" * 5000 + "]" * 5000,
    ],
)
def test_unreadable_or_empty_jsonld_falls_back_to_the_tags(script):
    head = (
        f'<script type="application/ld+json">{script}</script>'
        '<meta property="og:title" content="From the tags">'
        '<meta property="article:published_time" content="2021-03-12T10:00:00Z">'
    )
    meta = metadata_from_html(page(head))
    assert (meta.title, meta.date) == ("From the tags", "2021-03-12")


def test_huge_jsonld_values_are_ignored():
    data = {"@type": "NewsArticle", "headline": "x" * 5000, "description": "d" * 5000}
    meta = metadata_from_html(page(jsonld(data) + "<title>Short title</title>"))
    assert meta.title == "Short title"
    assert meta.description is None


def test_load_jsonld_gives_up_silently():
    assert load_jsonld("{broken") == []
    assert load_jsonld("x" * 3_000_000) == []
    assert read_jsonld(["{broken", "[1, 2, 3]", '"s"']).title is None


def test_jsonld_entities_and_mojibake_are_repaired():
    data = {"@type": "NewsArticle", "headline": "Kohberger&#8217;s lawyers &quot;agree&quot;", "author": "Ana SanciÃ³n"}
    meta = metadata_from_html(page(jsonld(data)))
    assert meta.title == 'Kohberger’s lawyers "agree"'
    assert meta.author == "Ana Sanción"


# --------------------------------------------------------------------------------------------------
# <meta>, <link>, <time>, <title>, <h1>


def test_open_graph_and_twitter_tags():
    head = (
        '<meta property="og:title" content="OG title">'
        '<meta name="twitter:title" content="Twitter title">'
        '<meta property="og:description" content="OG description">'
        '<meta property="og:url" content="https://example.com/story">'
        '<meta property="og:site_name" content="Example">'
        '<meta property="og:locale" content="en_GB">'
        '<meta property="article:author" content="https://www.facebook.com/someone">'
        '<meta name="author" content="Jane Doe">'
        "<title>Title element | Example</title>"
    )
    meta = metadata_from_html(page(head))
    assert meta.to_dict() == {
        "title": "OG title",
        "author": "Jane Doe",
        "date": None,
        "language": "en",
        "url": "https://example.com/story",
        "site_name": "Example",
        "description": "OG description",
    }


def test_twitter_title_when_no_open_graph():
    head = '<meta name="twitter:title" content="Twitter title"><title>Title element</title>'
    assert metadata_from_html(page(head)).title == "Twitter title"


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ('<meta name="date" content="2021-03-12">', "2021-03-12"),
        ('<meta name="DC.date.issued" content="2021-03-12">', "2021-03-12"),
        ('<meta name="pubdate" content="20210312">', "2021-03-12"),
        ('<meta property="og:published_time" content="Fri, 12 Mar 2021 10:00:00 +0000">', "2021-03-12"),
        ('<meta name="sailthru.date" content="March 12, 2021">', "2021-03-12"),
        ('<meta itemprop="datePublished" content="2021-03-12T10:00:00+01:00">', "2021-03-12"),
    ],
)
def test_meta_date_names(tag, expected):
    assert metadata_from_html(page(tag)).date == expected


def test_article_published_time_beats_other_meta_names_and_time_elements():
    head = (
        '<meta name="date" content="2021-01-01">'
        '<meta property="article:published_time" content="2021-03-12T10:00:00+01:00">'
    )
    body = '<article><time datetime="2021-02-02">2 Feb</time></article>'
    assert metadata_from_html(page(head, body)).date == "2021-03-12"


def test_modified_time_only_when_nothing_else():
    head = '<meta property="article:modified_time" content="2021-04-01T10:00:00+01:00">'
    assert metadata_from_html(page(head)).date == "2021-04-01"
    body = '<article><h1>T</h1><time datetime="2021-03-12T09:00">12 March</time></article>'
    assert metadata_from_html(page(head, body)).date == "2021-03-12"


def test_time_elements():
    body = (
        '<header><span class="today"><time datetime="2026-11-28">today</time></span></header>'
        '<div class="teaser"><time datetime="2020-01-01">other story</time></div>'
        '<article><h1>T</h1><time itemprop="datePublished" datetime="2021-03-12T08:00:00Z">12.03.2021</time>'
        '<time itemprop="dateModified" datetime="2021-03-15">15.03.2021</time></article>'
        '<div class="comments"><time datetime="2021-03-13">comment</time></div>'
    )
    assert metadata_from_html(page(body=body)).date == "2021-03-12"
    body = '<article><h1>T</h1><p class="meta">Posted <time datetime="2021-03-12">12 March 2021</time></p></article>'
    assert metadata_from_html(page(body=body)).date == "2021-03-12"


def test_candidates_are_looked_for_only_when_a_field_is_missing(monkeypatch):
    # The page's own elements are walked for date and author candidates only when its structured
    # data and <meta> fall short, once; the metadata is the same either way.
    from cleaner.metadata import tags as tag_module
    from cleaner.metadata.other_text import OtherText

    body = '<article><h1>T</h1><p class="byline">By Jane Doe</p><time datetime="2021-03-12">12 March</time></article>'
    declared = jsonld({"@type": "NewsArticle", "headline": "T", "author": "Jane Doe", "datePublished": "2021-03-12"})
    root = etree.fromstring(page(declared, body), etree.HTMLParser())
    tags = tag_module.read_tags(root)
    assert tags.candidates() == tag_module.find_candidates(root, OtherText(root))
    assert tags.candidates().dates == [("2021-03-12", 1), ("By Jane Doe", 2)]
    assert tags.candidates().authors == ["By Jane Doe"]

    walks = []
    find = tag_module.find_candidates
    monkeypatch.setattr(tag_module, "find_candidates", lambda *args: walks.append(1) or find(*args))
    found = metadata_from_html(page(declared, body))
    assert (found.author, found.date, walks) == ("Jane Doe", "2021-03-12", [])
    found = metadata_from_html(page(body=body))
    assert (found.author, found.date, walks) == ("Jane Doe", "2021-03-12", [1])


def test_date_in_the_url():
    html = page("<title>T</title>")
    assert metadata_from_html(html, "https://example.com/2021/03/12/story/").date == "2021-03-12"
    assert metadata_from_html(html, "https://example.com/news/2021-03-12-story.html").date == "2021-03-12"
    assert metadata_from_html(html, "https://example.com/2021/03/story").date is None


@pytest.mark.parametrize(
    "junk",
    [
        "0000-00-00",
        "0000-00-00T00:00:00Z",
        "1970-01-01",
        "1899-12-31",
        "2099-01-01",
        "not a date",
        "2021-13-45",
        "",
        "1615543200",
    ],
)
def test_junk_dates_are_skipped_for_the_next_source(junk):
    head = (
        jsonld({"@type": "NewsArticle", "headline": "H", "datePublished": junk})
        + f'<meta property="article:published_time" content="{junk}">'
        + '<meta name="dc.date" content="2021-03-12">'
    )
    assert metadata_from_html(page(head)).date == "2021-03-12"


def test_only_junk_dates_give_none():
    head = jsonld({"@type": "NewsArticle", "headline": "H", "datePublished": "0000-00-00"})
    assert metadata_from_html(page(head)).date is None


@pytest.mark.parametrize(
    ("lang_markup", "expected"),
    [
        ('<html lang="de-AT">', "de"),
        ('<html lang="en_US">', "en"),
        ('<html lang="PT-br">', "pt"),
        ('<html lang="zh-Hans-CN">', "zh"),
        ('<html><head><meta http-equiv="content-language" content="fr-CA">', "fr"),
        ('<html lang="*"><head><meta property="og:locale" content="es_ES">', "es"),
        ('<html lang="x"><head>' + jsonld({"@type": "NewsArticle", "inLanguage": "it-IT"}), "it"),
        ('<html lang="es-419">', "es"),
        ('<html lang="ja-JP-u-ca-japanese">', "ja"),  # an extension
        ('<html lang="en-x-private">', "en"),  # a private part
        ('<html lang="und"><head><meta property="og:locale" content="pl_PL">', "pl"),  # undetermined: none
        ('<html><head><meta http-equiv="content-language" content="UTF-8">', None),  # a charset, no language
        ('<html lang="Japanese"><head><meta property="og:locale" content="ja_JP">', "ja"),
        ("<html>", None),
    ],
)
def test_language_is_the_primary_subtag(lang_markup, expected):
    assert metadata_from_html(lang_markup + "<title>T</title></head><body></body></html>").language == expected


def test_canonical_url_resolved_against_the_given_url():
    head = '<link rel="canonical" href="/news/story-1"><meta property="og:url" content="https://other.example/x">'
    meta = metadata_from_html(page(head), url="https://example.com/news/story-1?utm=rss")
    assert meta.url == "https://example.com/news/story-1"
    assert metadata_from_html(page("<title>T</title>"), url="https://example.com/a").url == "https://example.com/a"
    assert metadata_from_html(page('<link rel="canonical" href="javascript:void(0)">')).url is None


def test_title_falls_back_to_the_first_h1():
    assert metadata_from_html(page(body="<h1>  The   headline </h1><h1>Second</h1>")).title == "The headline"
