"""cleaner.metadata: page metadata from JSON-LD, <meta> tags, <time> elements, titles and bylines.

Hand-written fixtures per source and per precedence rule, broken metadata (junk dates, JSON-LD that is
not JSON, wrong types), multilingual dates, title site-name stripping, plain-text lines; and a floor
on title accuracy over the Fundus pages of the shared corpora (skipped when they are absent).
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
import unicodedata
from pathlib import Path

import lxml.html
import pytest
from lxml import etree

from cleaner.metadata import (
    Metadata,
    extract_metadata,
    find_date_in_text,
    metadata_from_html,
    metadata_from_lines,
    parse_date_value,
)
from cleaner.metadata.authors import author_names
from cleaner.metadata.dates import month_first
from cleaner.metadata.jsonld import load_jsonld, read_jsonld
from cleaner.metadata.titles import clean_title

DATA = Path(__file__).resolve().parent / "data" / "metadata"
CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
GOLD = Path(__file__).resolve().parents[1] / "bench" / "data" / "metadata_gold.json"
# A fixed "today" for the date functions, so that tests do not age.
TODAY = dt.date(2026, 11, 29)
# Measured on the 187 Fundus pages when the package was written: titles 0.888, and on the Fundus pages
# of bench/data/metadata_gold.json authors 0.96 (55 pages) and dates 0.98 (61). The floors leave room for
# small changes.
FUNDUS_TITLE_FLOOR = 0.85
FUNDUS_AUTHOR_FLOOR = 0.9
FUNDUS_DATE_FLOOR = 0.93


def page(head: str = "", body: str = "", lang: str | None = None) -> str:
    """A small HTML page around the given head and body markup."""
    lang_attribute = f' lang="{lang}"' if lang else ""
    return f"<!DOCTYPE html><html{lang_attribute}><head>{head}</head><body>{body}</body></html>"


def jsonld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


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


# --------------------------------------------------------------------------------------------------
# Titles without the site name


@pytest.mark.parametrize(
    ("title", "site", "url", "heading", "expected"),
    [
        ("Brand in Berlin | Berliner Morgenpost", ("Berliner Morgenpost",), None, None, "Brand in Berlin"),
        ("Berliner Morgenpost - Brand in Berlin", ("Berliner Morgenpost",), None, None, "Brand in Berlin"),
        (
            "Brand in Berlin – Panorama – derStandard.at",
            (),
            "https://www.derstandard.at/story/1",
            None,
            "Brand in Berlin",
        ),
        ("Brand in Berlin :: Panorama :: Zeitung", (), None, None, "Brand in Berlin"),
        ("Brand in Berlin · Zeitung", (), None, None, "Brand in Berlin"),
        ("Brand in Berlin — Zeitung", (), None, None, "Brand in Berlin"),
        ("COVID-19 cases rise in Jean-Luc's town", (), None, None, "COVID-19 cases rise in Jean-Luc's town"),
        # The heading settles which parts are the headline.
        (
            "Fire - smoke over the city - Daily News",
            (),
            None,
            "Fire - smoke over the city",
            "Fire - smoke over the city",
        ),
        # A long trailing part is part of the headline, not a site name.
        (
            "Review - A long and winding road through the mountains",
            (),
            None,
            None,
            "Review - A long and winding road through the mountains",
        ),
        ("Only a title", ("Site",), None, None, "Only a title"),
        ("", (), None, None, None),
    ],
)
def test_clean_title(title, site, url, heading, expected):
    assert clean_title(title, site, url, heading) == expected


def test_jsonld_and_open_graph_headlines_keep_their_dashes():
    head = (
        jsonld({"@type": "NewsArticle", "headline": "Vädjar efter attackerna – ”kritiskt”"})
        + '<meta property="og:site_name" content="Aftonbladet">'
    )
    assert metadata_from_html(page(head)).title == "Vädjar efter attackerna – ”kritiskt”"
    head = '<meta property="og:title" content="Fire in Berlin – heavy smoke | Morgenpost">'
    head += '<meta property="og:site_name" content="Morgenpost">'
    assert metadata_from_html(page(head)).title == "Fire in Berlin – heavy smoke"


def test_title_element_loses_its_site_part():
    head = "<title>Fire in Berlin - Heavy smoke over Lichterfelde - Panorama - Morgenpost</title>"
    body = "<h1>Fire in Berlin - Heavy smoke over Lichterfelde</h1>"
    assert metadata_from_html(page(head, body)).title == "Fire in Berlin - Heavy smoke over Lichterfelde"


def test_a_title_that_is_only_the_site_name_is_skipped():
    head = '<meta property="og:title" content="Example News"><meta property="og:site_name" content="Example News">'
    assert metadata_from_html(page(head, "<h1>The story</h1>")).title == "The story"


# --------------------------------------------------------------------------------------------------
# Authors


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("By John Smith and Jane Doe", ["John Smith", "Jane Doe"]),
        ("John Smith, Staff Writer", ["John Smith"]),
        ("Dan Friedman, AdWords Product Manager", ["Dan Friedman"]),
        ("Leonard Pitts Jr. Syndicated columnist", ["Leonard Pitts Jr."]),
        ("Reuters, Thorsten Kramer", ["Reuters", "Thorsten Kramer"]),
        (
            "Christian Unger, Tobias Köberlein und Laura Wagener",
            ["Christian Unger", "Tobias Köberlein", "Laura Wagener"],
        ),
        ("Von Seb Dumitru, Lille 05.08.2024, 20:59 Uhr", ["Seb Dumitru"]),
        ("Par Jean Dupont, le 12 mars 2021", ["Jean Dupont"]),
        ("by randfish on November 13, 2010", ["randfish"]),
        ("Associated Press Published 1:18 AM EDT Sep 25, 2018", ["Associated Press"]),
        ("Victoria Craw and wires", ["Victoria Craw"]),
        ("John A Smith", ["John A Smith"]),
        ("박상우 기자", ["박상우"]),
        ("https://www.facebook.com/someone", []),
        ("@handle", []),
        ("No Primary Author", []),
        ('data-track-gtm="Byline" href=', []),
        ("", []),
        (None, []),
    ],
)
def test_author_names(value, expected):
    assert author_names(value) == expected


def test_site_name_as_author_gives_way_to_the_byline():
    head = '<meta name="author" content="n-tv NACHRICHTEN"><meta property="og:site_name" content="n-tv NACHRICHTEN">'
    body = "<h1>Headline here</h1><p>Von Seb Dumitru, Lille 05.08.2024, 20:59 Uhr</p><p>Text.</p>"
    assert metadata_from_html(page(head, body)).author == "Seb Dumitru"


def test_byline_elements():
    body = (
        '<div class="related"><span class="author">By Someone Else</span></div>'
        "<article><h1>The headline</h1>"
        '<div class="byline">By <a href="/a">Jane Doe</a> and <a href="/j">John Roe</a><span>Staff writers</span></div>'
        "</article>"
    )
    assert metadata_from_html(page(body=body)).author == "Jane Doe; John Roe"
    body = '<h1>T</h1><span itemprop="author" itemscope><span itemprop="name">Jane Doe</span></span>'
    assert metadata_from_html(page(body=body)).author == "Jane Doe"
    body = '<h1>T</h1><a rel="author" href="/jane">Jane Doe</a>'
    assert metadata_from_html(page(body=body)).author == "Jane Doe"


def test_yoast_written_by_label():
    head = '<meta name="twitter:label1" content="Written by"><meta name="twitter:data1" content="Jane Doe">'
    assert metadata_from_html(page(head)).author == "Jane Doe"


# --------------------------------------------------------------------------------------------------
# Bylines written in the page (no structured metadata)


def test_old_page_byline_and_date():
    meta = metadata_from_html((DATA / "old_byline.html").read_text(encoding="utf-8"))
    assert meta.title == "Concern over destroyed embryos"
    assert meta.author == "Laura Clout"
    # Not the header's current date, the "Last Updated" date, the date in the text or the comment's.
    assert meta.date == "2007-12-30"


def test_blog_post_with_layout_classes():
    meta = metadata_from_html((DATA / "blog_post.html").read_text(encoding="utf-8"))
    assert meta.author == "A Thrifty Mrs"
    assert meta.date == "2012-10-26"


def test_a_utc_timestamp_gives_way_to_the_date_shown():
    head = '<meta property="article:published_time" content="2018-09-25T04:02:23+00:00">'
    body = "<h1>Bobby Bones got carried away</h1><p>By Daniel Montgomery</p><p>September 24, 2018 9:02PM</p>"
    assert metadata_from_html(page(head, body)).date == "2018-09-24"
    # At midday UTC no time zone moves the day: a date in the text is about something else.
    head = '<meta property="article:published_time" content="2018-09-25T12:02:23+00:00">'
    assert metadata_from_html(page(head, body)).date == "2018-09-25"


# --------------------------------------------------------------------------------------------------
# Dates


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("12 March 2021", None, "2021-03-12"),
        ("March 12, 2021", None, "2021-03-12"),
        ("Sept. 3, 2021", None, "2021-09-03"),
        ("Monday, March 8th, 2021 at 3pm", None, "2021-03-08"),
        ("12th of March 2021", None, "2021-03-12"),
        ("Fri, 12 Mar 2021 10:00:00 +0000", None, "2021-03-12"),
        ("2021-03-12T10:00:00+01:00", None, "2021-03-12"),
        ("2021/03/12", None, "2021-03-12"),
        ("2021. 3. 12. 12:52", None, "2021-03-12"),
        ("12.03.2021", None, "2021-03-12"),
        ("12.3.2021, 14:00 Uhr", "de", "2021-03-12"),
        ("12-03-2021", "en", "2021-03-12"),
        # "/" dates: day first, except in US English (and English without a region).
        ("12/03/2021", None, "2021-03-12"),
        ("12/03/2021", "en-GB", "2021-03-12"),
        ("12/03/2021", "fr", "2021-03-12"),
        ("12/03/2021", "en", "2021-12-03"),
        ("12/03/2021", "en-US", "2021-12-03"),
        ("3/25/2021", "en-GB", "2021-03-25"),
        ("25/03/2021", "en", "2021-03-25"),
        ("31/02/2021", None, None),
        ("le 1er avril 2021", "fr", "2021-04-01"),
        ("12 février 2021", None, "2021-02-12"),
        ("12 fevrier 2021", None, "2021-02-12"),
        ("12. März 2021", "de", "2021-03-12"),
        ("12. Jänner 2021", "de-AT", "2021-01-12"),
        ("12 de marzo de 2021", "es", "2021-03-12"),
        ("23 de septiembre, 2021", None, "2021-09-23"),
        ("12 marzo 2021", "it", "2021-03-12"),
        ("12 de março de 2021", "pt", "2021-03-12"),
        ("12 maart 2021", "nl", "2021-03-12"),
        ("12 marca 2021", "pl", "2021-03-12"),
        ("6 maja 2024, 09:43", "pl", "2024-05-06"),
        ("12 mars 2021", "sv", "2021-03-12"),
        ("12. marts 2021", "da", "2021-03-12"),
        ("12. desember 2021", "no", "2021-12-12"),
        ("12. maaliskuuta 2021", "fi", "2021-03-12"),
        ("12. března 2021", "cs", "2021-03-12"),
        ("12 Mart 2021 Cuma", "tr", "2021-03-12"),
        ("2021. március 12.", "hu", "2021-03-12"),
        ("12 martie 2021", "ro", "2021-03-12"),
        ("13 Mei 2024, 18:13 WIB", "id", "2024-05-13"),
        ("12 марта 2021 г.", "ru", "2021-03-12"),
        ("12 Μαρτίου 2021", "el", "2021-03-12"),
        ("2021年3月12日 20:00", "ja", "2021-03-12"),
        ("2024年05月17日08:59", "zh", "2024-05-17"),
        ("2021년 3월 12일", "ko", "2021-03-12"),
        ("March 2021", None, None),
        ("Mayor 12 2021", None, None),
        ("no date here", None, None),
    ],
)
def test_find_date_in_text(text, language, expected):
    assert find_date_in_text(text, language, today=TODAY) == expected


def test_find_date_in_text_prefers_the_publication_date():
    text = "Updated 14 March 2021, first published 12 March 2021"
    assert find_date_in_text(text, today=TODAY) == "2021-03-12"
    assert find_date_in_text("Aktualisiert am 14.03.2021", today=TODAY) == "2021-03-14"
    assert find_date_in_text("Publié le 12/03/2021 - mis à jour le 13/03/2021", "fr", today=TODAY) == "2021-03-12"


def test_find_date_in_text_rejects_implausible_dates():
    assert find_date_in_text("1 January 1970", today=TODAY) is None
    assert find_date_in_text("0000-00-00", today=TODAY) is None
    assert find_date_in_text("30 November 2026", today=TODAY) == "2026-11-30"  # a day of time-zone slack
    assert find_date_in_text("2 December 2026", today=TODAY) is None
    assert find_date_in_text("x" * 100_000, today=TODAY) is None


def test_parse_date_value_types():
    assert parse_date_value("2021-03-12", today=TODAY) == "2021-03-12"
    assert parse_date_value("  20210312T101500Z ", today=TODAY) == "2021-03-12"
    for junk in (None, 20210312, ["2021-03-12"], {"date": "2021-03-12"}, "", "0000-00-00"):
        assert parse_date_value(junk, today=TODAY) is None


def test_month_first_languages():
    assert month_first("en") and month_first("en-US") and month_first("EN_us")
    assert not month_first("en-GB") and not month_first("de") and not month_first(None)


# --------------------------------------------------------------------------------------------------
# Plain text: labelled lines


def test_metadata_from_lines():
    lines = [
        ("Menu", "boilerplate"),
        ("The headline of the story", "heading"),
        ("By Jane Doe and John Roe", "meta"),
        ("Published 12 March 2021, updated 14 March 2021", "meta"),
        ("A second heading", "heading"),
        ("Body text mentioning 1 April 2021.", "content"),
    ]
    meta = metadata_from_lines(lines)
    assert (meta.title, meta.author, meta.date) == ("The headline of the story", "Jane Doe; John Roe", "2021-03-12")
    assert (meta.url, meta.language, meta.site_name, meta.description) == (None, None, None, None)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Par Jean Dupont, le 12 mars 2021", "Jean Dupont"),
        ("Von Anna Berger | 12.03.2021", "Anna Berger"),
        ("Por María García", "María García"),
        ("Di Mario Rossi, 12 marzo 2021", "Mario Rossi"),
        ("Door Jan de Vries", "Jan de Vries"),
        ("Av Anna Svensson", "Anna Svensson"),
        ("Autor: Jan Novák", "Jan Novák"),
        ("Written by Jane Doe", "Jane Doe"),
        ("Da quando il governo ha deciso", None),
        ("By the way, this is not a byline", None),
        ("12 March 2021", None),
    ],
)
def test_bylines_in_lines(line, expected):
    assert metadata_from_lines([(line, "meta")]).author == expected


def test_metadata_from_lines_skips_malformed_items():
    lines = [None, ("only one",), (1, "meta"), ("Title", None), ("The title", "heading"), ("3/12/2021", "meta")]
    meta = metadata_from_lines(lines, language="en-US")  # type: ignore[arg-type]
    assert (meta.title, meta.date) == ("The title", "2021-03-12")
    assert metadata_from_lines([]) == Metadata()


# --------------------------------------------------------------------------------------------------
# Hostile pages


def test_deeply_nested_and_huge_pages():
    byline = "<h1>Deep title</h1><p>By Jane Doe</p><p>12 March 2021</p>"
    # Deeper than Python's recursion limit: nothing here recurses over the tree.
    meta = metadata_from_html(page(body="<div>" * 1500 + byline + "</div>" * 1500))
    assert (meta.title, meta.author, meta.date) == ("Deep title", "Jane Doe", "2021-03-12")
    # Deeper than libxml2 keeps: the content is lost, without an error.
    assert isinstance(metadata_from_html(page(body="<div>" * 20000 + byline + "</div>" * 20000)), Metadata)
    big_attribute = '<meta name="author" content="' + "A" * 1_000_000 + '">'
    assert metadata_from_html(page(big_attribute)).author is None
    many_times = "".join(f'<time datetime="2021-03-{day:02d}">x</time>' for day in range(1, 29)) * 200
    assert metadata_from_html(page(body="<article><h1>T</h1>" + many_times + "</article>")).date == "2021-03-01"


# --------------------------------------------------------------------------------------------------
# Real pages


def _normalise_title(text: str | None) -> str:
    text = re.sub(r"[\"'“”„‟«»‘’‚‛`´‹›「」『』]", "", unicodedata.normalize("NFKC", text or ""))
    return " ".join(text.split()).casefold()


@pytest.fixture(scope="module")
def fundus_pages() -> list[dict]:
    path = CORPORA / "fundus.jsonl.gz"
    if not path.is_file():
        pytest.skip("the shared corpora are not there")
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


@pytest.fixture(scope="module")
def fundus_metadata(fundus_pages) -> dict[str, Metadata]:
    return {page["id"]: metadata_from_html(page["html"], page["url"]) for page in fundus_pages}


def test_fundus_title_accuracy(fundus_pages, fundus_metadata):
    right = sum(
        _normalise_title(fundus_metadata[page["id"]].title) == _normalise_title(page["gold"].split("\n", 1)[0])
        for page in fundus_pages
    )
    assert right / len(fundus_pages) >= FUNDUS_TITLE_FLOOR


def test_fundus_author_and_date_accuracy(fundus_metadata):
    gold = [entry for entry in json.loads(GOLD.read_text(encoding="utf-8"))["pages"] if entry["corpus"] == "fundus"]
    authors = dates = author_total = date_total = 0
    for entry in gold:
        meta = fundus_metadata[entry["id"]]
        if "author" in entry:
            author_total += 1
            authors += {name.casefold() for name in (meta.author or "").split("; ")} == {
                name.casefold() for name in entry["author"].split("; ")
            }
        if "date" in entry:
            date_total += 1
            dates += meta.date == entry["date"]
    assert author_total > 30 and date_total > 30
    assert authors / author_total >= FUNDUS_AUTHOR_FLOOR
    assert dates / date_total >= FUNDUS_DATE_FLOOR
