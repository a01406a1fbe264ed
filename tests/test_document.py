"""extract(): the article with its metadata, as a Document; bad metadata is never an error; the metadata
benchmark's table."""

from __future__ import annotations

import gzip
import json

import pytest

import cleaner
from cleaner import Cleaner, Document, Options
from cleaner.corpus.metadata_eval import evaluate_metadata
from cleaner.document import html_metadata, page_metadata
from cleaner.read import read_page

ARTICLE = """<html lang="en-GB"><head><title>Big news | The Daily</title>
<meta charset="windows-1252">
<link rel="canonical" href="/news/big-news">
<meta name="description" content="What happened.">
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "Big news", "author": {"@type": "Person", "name": "Jane Roe"},
 "datePublished": "2021-03-04T10:00:00+01:00", "publisher": {"@type": "Organization", "name": "The Daily"}}</script>
</head><body><nav><a href="/">Home</a> | <a href="/news">News</a></nav>
<article><h1>Big news \u2013 caf\u00e9</h1>
<p>This is the first paragraph of the article, and it is long enough to be prose for the model.</p>
<ul><li>First point of the list, with <a href="/x">a link</a> here.</li><li>Second point of the list.</li></ul>
<p>Another paragraph of the article follows here, with words and sentences in it.</p></article></body></html>"""

BYLINE_TEXT = """Big news about the town

By Jane Roe
March 4, 2021

This is the first paragraph of the article, and it is long enough to be prose for the model.
Another sentence of the article follows here, with words in it.
"""

FIELDS = [
    "text",
    "markdown",
    "title",
    "author",
    "date",
    "language",
    "url",
    "site_name",
    "description",
    "lines_kept",
    "lines_dropped",
    "fallback",
    "narrowed",
    "from_data",
    "input_format",
]


def test_extract_html_with_json_ld(small_cleaner):
    document = small_cleaner.extract(ARTICLE, url="https://daily.example/news/1?ref=x")
    assert isinstance(document, Document)
    assert (document.title, document.author, document.date) == ("Big news", "Jane Roe", "2021-03-04")
    assert (document.language, document.url) == ("en", "https://daily.example/news/big-news")
    assert (document.site_name, document.description) == ("The Daily", "What happened.")
    assert document.text == small_cleaner.clean(ARTICLE)
    assert document.markdown == small_cleaner.markdown(ARTICLE)
    article = small_cleaner.article(ARTICLE)
    assert (document.lines_kept, document.lines_dropped, document.fallback) == (
        article.kept,
        article.dropped,
        article.fallback,
    )
    assert document.input_format == "html"


def test_extract_reads_bytes_as_the_reader_decodes_them(small_cleaner):
    data = ARTICLE.replace("Big news", "Caf\u00e9 news").encode("cp1252")
    document = small_cleaner.extract(data)
    assert document.title == "Caf\u00e9 news"
    assert document.url is None  # a relative canonical URL, and no URL to resolve it against
    assert document.text == small_cleaner.clean(data)


def test_extract_with_links_writes_absolute_links(small_cleaner):
    options = Options(threshold=0.0)  # keep every line
    document = small_cleaner.extract(ARTICLE, options, url="https://daily.example/news/1", links=True)
    assert "[a link](https://daily.example/x)" in document.markdown
    assert "[a link]" not in small_cleaner.extract(ARTICLE, options).markdown


def test_extract_text_with_a_byline(small_cleaner):
    document = small_cleaner.extract(BYLINE_TEXT)
    assert document.input_format == "text"
    assert document.markdown == document.text == small_cleaner.clean(BYLINE_TEXT)
    assert document.language is None and document.site_name is None
    page = small_cleaner.process(BYLINE_TEXT, probabilities=False)
    assert document.lines_kept == sum(result.kept for result in page.results)
    # The text's metadata comes from the labels the model gives its lines.
    read = read_page(BYLINE_TEXT)
    labels = ["heading", "meta", "meta", "body", "body"]
    meta = page_metadata(read, labels, url="https://t.example/")
    assert (meta.title, meta.author, meta.date, meta.url) == (
        "Big news about the town",
        "Jane Roe",
        "2021-03-04",
        "https://t.example/",
    )


def test_to_dict_and_json_give_null_for_what_is_missing(small_cleaner):
    document = small_cleaner.extract("<p>Just one short line.</p>")
    assert list(document.to_dict()) == FIELDS
    decoded = json.loads(document.to_json())
    assert decoded["title"] is None and decoded["author"] is None and decoded["date"] is None
    assert decoded["url"] is None and decoded["lines_kept"] + decoded["lines_dropped"] == 1


@pytest.mark.parametrize(
    "head",
    [
        '<script type="application/ld+json"></script>',
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>',
        '<script type="application/ld+json">not json at all</script>',
        '<script type="application/ld+json">[1, null, "x", {"author": 5, "datePublished": ["?"]}]</script>',
        '<script type="application/ld+json">{"@type": "Article", "datePublished": "yesterday-ish",'
        ' "author": {"name": null}}</script>',
        '<meta property="article:published_time" content="99/99/9999"><meta name="date" content="0000-00-00">',
        '<meta name="author" content=""><meta property="og:title" content="   ">',
        '<link rel="canonical" href="http://[bad">',
    ],
)
def test_bad_metadata_is_never_an_error(small_cleaner, head):
    page = f"<html><head>{head}</head><body><p>Some text of a page, long enough to read.</p></body></html>"
    document = small_cleaner.extract(page, url="https://x.example/a")
    assert document.date is None
    assert document.author is None
    json.loads(document.to_json())


@pytest.mark.parametrize("data", ["", "   ", b"", b"\x00\x00", "<html></html>", b"<p>\xff\xfe broken</p>", 42])
def test_html_metadata_of_nothing(data):
    meta = html_metadata(data, "https://x.example/")
    assert meta.title is None and meta.author is None and meta.date is None


def test_documents_batch_as_extract_does(small_cleaner):
    pages = [ARTICLE, BYLINE_TEXT, ARTICLE.encode("utf-8")]
    urls = ["https://daily.example/1", None, None]
    batch = list(small_cleaner.documents(pages, urls=urls))
    assert batch == [small_cleaner.extract(page, url=url) for page, url in zip(pages, urls)]
    bare = list(small_cleaner.documents(pages, markdown=False, metadata=False))
    assert [document.text for document in bare] == [document.text for document in batch]
    assert all(document.markdown is None and document.title is None for document in bare)


def test_the_module_entry_points_exist():
    assert callable(cleaner.extract) and callable(cleaner.markdown)
    assert Cleaner.extract.__doc__ and Cleaner.markdown.__doc__


def test_the_metadata_benchmark_table(tmp_path):
    pages = [
        {"id": "p1", "corpus": "fundus", "url": None, "gold": "Big news\nbody", "html": ARTICLE},
        {"id": "p2", "corpus": "fundus", "url": None, "gold": "Other title\nbody", "html": ARTICLE},
    ]
    with gzip.open(tmp_path / "fundus.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.writelines(json.dumps(page) + "\n" for page in pages)
    gold = tmp_path / "gold.json"
    entries = [
        {"split": "dev", "corpus": "fundus", "id": "p1", "author": "Jane Roe", "date": "2021-03-04"},
        {"split": "heldout", "corpus": "fundus", "id": "p2", "author": "John Doe"},
    ]
    gold.write_text(json.dumps({"pages": entries}), encoding="utf-8")
    scores = evaluate_metadata(tmp_path, gold, ("cleaner",), errors=True)
    assert scores.accuracy("cleaner", "title") == 0.5
    assert scores.accuracy("cleaner", "author", "dev") == 1.0
    assert scores.accuracy("cleaner", "author", "heldout") == 0.0
    assert scores.accuracy("cleaner", "date") == 1.0 and scores.pages[("date", "all")] == 1
    assert len(scores.errors) == 2
    table = scores.format()
    assert table.splitlines()[0].split() == ["field", "split", "pages", "cleaner"]
    assert ["author", "heldout", "1", "0.000"] in [line.split() for line in table.splitlines()]
