"""Metadata cases that once came out wrong: agencies' names, a photographer's credit, JSON-LD written
in the ways real pages write it, and a canonical URL relative to the page's <base href>."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner import extract
from cleaner.metadata.authors import author_names, byline_author

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
PROSE = "<p>A paragraph of the article, long enough to be kept as the article's text by the cleaner.</p>"


def page(head: str = "", body: str = "") -> str:
    return f"<html><head><title>A title</title>{head}</head><body><h1>A title</h1>{body}{PROSE}</body></html>"


@pytest.mark.parametrize(
    "value, names",
    [
        ("The Associated Press", ["The Associated Press"]),
        ("The New York Times", ["The New York Times"]),
        ("Los Angeles Times Staff", ["Los Angeles Times Staff"]),
        ("David Ferrara Las Vegas Review-Journal", ["David Ferrara"]),
        ("Jane Doe Staff writers", ["Jane Doe"]),
        ("Leonard Pitts Jr. Syndicated columnist", ["Leonard Pitts Jr."]),
        ("Jan Novák a Petr Svoboda", ["Jan Novák", "Petr Svoboda"]),
        ("Just a Geek", ["Just a Geek"]),
        ("Muhammad Fahrur Safi'i", ["Muhammad Fahrur Safi'i"]),
    ],
)
def test_author_names(value, names):
    assert author_names(value) == names


def test_a_photographers_credit_is_not_the_author():
    assert byline_author("By Ann Lee | Photos by Bob Roy") == ["Ann Lee"]


@pytest.mark.parametrize(
    "script, field, expected",
    [
        ('//<![CDATA[\n{"@type": "NewsArticle", "datePublished": "2024-03-03"}\n//]]>', "date", "2024-03-03"),
        ('/* <![CDATA[ */ {"@type": "NewsArticle", "datePublished": "2024-03-05"} /* ]]> */', "date", "2024-03-05"),
        ('{"@type": "NewsArticle", "datePublished": {"@value": "2024-03-03"}}', "date", "2024-03-03"),
        ('{"@type": "NewsArticle", "author": {"givenName": "Ann", "familyName": "Lee"}}', "author", "Ann Lee"),
        ('{"@type": "NewsArticle", "author": {"name": ["Ann Lee", "Bob Roy"]}}', "author", "Ann Lee; Bob Roy"),
        (
            '{"@type": "NewsArticle", "author": [[{"name": "Ann Lee"}], {"name": "Bob Roy"}]}',
            "author",
            "Ann Lee; Bob Roy",
        ),
        # A string cut in the middle of an emoji (JavaScript cuts in UTF-16 units): a lone surrogate, which
        # no UTF-8 output holds, read as U+FFFD; a whole pair is the emoji.
        ('{"@type": "NewsArticle", "headline": "A day at the river \\ud83d"}', "title", "A day at the river \ufffd"),
        ('{"@type": "NewsArticle", "headline": "River \\ud83d\\ude00"}', "title", "River \U0001f600"),
    ],
)
def test_jsonld_as_pages_write_it(script, field, expected):
    document = extract(page(head=f'<script type="application/ld+json">{script}</script>'))
    assert getattr(document, field) == expected


def test_a_lone_surrogate_in_jsonld_reaches_no_output():
    body = '{"@type": "NewsArticle", "headline": "A title \\ud83d", "articleBody": "Text \\udc00 and more."}'
    document = extract(page(head=f'<script type="application/ld+json">{body}</script>'))
    document.to_json().encode("utf-8")  # raised UnicodeEncodeError: the Spark job's writer failed the same way


def test_a_canonical_url_resolves_against_the_base():
    head = '<base href="http://other.org/dir/"><link rel="canonical" href="story/1">'
    assert extract(page(head=head), url="http://example.org/a").url == "http://other.org/dir/story/1"
    head = '<base href="/dir/"><link rel="canonical" href="story/1">'
    assert extract(page(head=head), url="http://example.org/a").url == "http://example.org/dir/story/1"


def test_the_comment_markers_pattern_matches_as_its_plain_form():
    # The plain form tried "[ \t]*" at every position of a run of blanks: time growing as the square of
    # the run's length, on a JSON-LD script that failed strict JSON.
    import random
    import re

    from cleaner.metadata.jsonld import _COMMENT_RE

    plain = re.compile(r"(?://|/\*)?[ \t]*(?:<!--|-->|<!\[CDATA\[|\]\]>)(?:[ \t]*\*/)?")
    pieces = [" ", "\t", "/", "*", "<!--", "-->", "<![CDATA[", "]]>", "x", "{", "//", "/*", "*/", "\n"]
    rng = random.Random(7)
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        assert _COMMENT_RE.sub("", text) == plain.sub("", text), repr(text)


def _text_by_xpath(element) -> str:
    """text_of's definition: every text node of the element outside scripts and styles."""
    from cleaner.metadata.tags import MAX_VALUE_CHARS

    parts = element.xpath(".//text()[not(ancestor::script) and not(ancestor::style)]")
    return " ".join(" ".join(str(part) for part in parts).split())[:MAX_VALUE_CHARS]


def test_text_of_reads_the_text_nodes_its_xpath_names():
    from lxml import html as lxml_html

    from cleaner.metadata.tags import text_of

    pages = [
        "<div>a<script>x</script>b<!-- c -->d<span>e<style>f</style>g<?pi x?>p</span>h</div>tail",
        "<div><p>" + "word " * 900 + "</p><p>" + "more " * 900 + "</p></div>",
        "<div>" + "<span class='date'>3 May" * 300 + "</div>",  # unclosed: nested 300 deep
        "<script>var a = 1;</script>",
    ]
    for page in pages:
        root = lxml_html.fromstring(page)
        for element in root.iter():
            if isinstance(element.tag, str):
                assert text_of(element) == _text_by_xpath(element)


@pytest.mark.skipif(not CORPORA.is_dir(), reason="needs ../shared/corpora")
def test_text_of_reads_as_its_xpath_on_corpus_pages():
    import gzip
    import json

    from lxml import html as lxml_html

    from cleaner.metadata.tags import text_of

    for path in sorted(CORPORA.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as rows:
            for _, line in zip(range(3), rows):
                root = lxml_html.fromstring(json.loads(line)["html"].encode("utf-8"))
                for element in root.iter():
                    if isinstance(element.tag, str):
                        assert text_of(element) == _text_by_xpath(element)
