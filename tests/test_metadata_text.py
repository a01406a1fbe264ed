"""cleaner.metadata read from text: titles without the site name, author names and bylines, dates
found in text (multilingual), and the labelled lines of plain-text pages."""

from __future__ import annotations

import pytest
from metadata_fixtures import DATA, TODAY, jsonld, page

from cleaner.metadata import (
    Metadata,
    find_date_in_text,
    metadata_from_html,
    metadata_from_lines,
    parse_date_value,
)
from cleaner.metadata.authors import author_names
from cleaner.metadata.dates import month_first
from cleaner.metadata.titles import clean_title

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


@pytest.mark.parametrize(
    "hidden",
    [
        '<p hidden>By Ann Hidden</p><p style="display:none">March 3, 2001</p>',
        '<p class="sr-only">By Ann Hidden</p><p class="d-none">March 3, 2001</p>',
        '<div aria-hidden="true"><p>By Ann Hidden</p><p>March 3, 2001</p></div>',
    ],
)
def test_a_byline_in_a_hidden_element_is_not_read(hidden):
    body = f"<h1>Bobby Bones got carried away</h1>{hidden}<p>By Daniel Montgomery</p><p>September 24, 2018</p>"
    meta = metadata_from_html(page("", body))
    assert (meta.author, meta.date) == ("Daniel Montgomery", "2018-09-24")


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
