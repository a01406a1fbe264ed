"""Pages their scripts render in the browser, fetched without running them: a shell that shows (nearly)
nothing, and the article in the page's JSON-LD. That article is read as part of the page
(cleaner.read.structured), and the results say so; a page that shows its article is read as it is."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from cleaner import Cleaner
from cleaner.cli import app
from cleaner.read import read_html, segment_html
from cleaner.read.structured import structured_article

PARAGRAPHS = [
    "A big storm hit the coast on Monday, flooding streets and cutting power to thousands of homes.",
    "Officials said the damage was the worst in a decade, and that repairs would take weeks.",
    "Residents were told to stay indoors while crews cleared fallen trees from the main roads.",
    "Schools will stay closed until Wednesday, the mayor said in a statement on Monday evening.",
]
SHELL = "<header><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></header><div id='root'></div>"
FOOTER = "<footer><p>© 2025 Daily News. All rights reserved.</p></footer>"


def page(
    body: str = SHELL + FOOTER, article_body: str = "\n\n".join(PARAGRAPHS), headline: str = "Storm hits coast"
) -> str:
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": headline, "articleBody": article_body}
    # "</" escaped, as pages escape it: a "</script>" in the text would end the script.
    escaped = json.dumps(data).replace("</", "<\\/")
    script = f'<script type="application/ld+json">{escaped}</script>'
    return f"<!DOCTYPE html><html><head><title>{headline} | Daily News</title>{script}</head><body>{body}</body></html>"


def texts(html: str | bytes) -> list[str]:
    return [line.text for line in segment_html(html)]


def test_a_shell_page_is_read_with_the_article_its_data_gives():
    found = texts(page())
    assert found[found.index("Storm hits coast") :][:5] == ["Storm hits coast", *PARAGRAPHS]
    assert found.index("Storm hits coast") < found.index("Home News")  # at the start of the body
    assert "© 2025 Daily News. All rights reserved." in found
    assert read_html(page()).signals.from_data
    # As str and as bytes alike, and with no <body> tag to put it after.
    assert texts(page().encode()) == found
    assert texts(page().replace("<body>", "").replace("</body>", ""))[:5] == ["Storm hits coast", *PARAGRAPHS]


def test_the_cleaned_article_is_the_data_s_article_and_says_so():
    cleaner = Cleaner.load()
    article = cleaner.article(page().encode())
    assert article.from_data and all(paragraph in article.text for paragraph in PARAGRAPHS)
    assert "Home" not in article.text and "All rights reserved" not in article.text
    assert cleaner.process(page().encode()).from_data
    assert cleaner.extract(page()).from_data


def test_a_page_that_shows_its_article_is_read_as_it_is():
    shown = SHELL + "<article>" + "".join(f"<p>{text}</p>" for text in PARAGRAPHS) + "</article>" + FOOTER
    assert texts(page(shown)) == texts(page(shown, article_body=""))
    assert not read_html(page(shown)).signals.from_data
    # A teaser shown with the whole article in the data (a paywall): a quarter of it or more is shown.
    teaser = SHELL + f"<article><h1>Storm hits coast</h1><p>{PARAGRAPHS[0]}</p></article>"
    assert not read_html(page(teaser)).signals.from_data
    # Data shorter than an article (a description, a teaser) is not read in.
    assert not read_html(page(article_body=PARAGRAPHS[0])).signals.from_data
    assert not read_html(page(article_body="")).signals.from_data


def test_markup_in_the_data_s_article_is_taken_out():
    marked = "".join(f"<p>{text}</p>" for text in PARAGRAPHS[:2]) + PARAGRAPHS[2] + "<br/>" + PARAGRAPHS[3]
    found = texts(page(article_body=marked + "<script>alert(1)</script>"))
    assert found[:4] == ["Storm hits coast", *PARAGRAPHS[:3]]
    assert found[4] == PARAGRAPHS[3] + " alert(1)"
    assert not any("<" in text for text in found)
    # Text that looks like markup once decoded stays text: the article is escaped.
    assert structured_article([json.dumps({"@type": "Article", "articleBody": "a &lt; b " * 100})], 0).count("<p>") == 1


def test_the_data_is_only_read_when_the_page_shows_little():
    scripts = [json.dumps({"@type": "Article", "headline": "H", "articleBody": "word " * 200})]
    assert structured_article(scripts, 0).startswith("<article><h1>H</h1><p>word word")
    assert structured_article(scripts, 249) != "" and structured_article(scripts, 250) == ""
    assert structured_article([json.dumps({"@type": "Article", "articleBody": 12})], 0) == ""
    assert structured_article(["{not json"], 0) == ""


def test_the_json_output_says_where_the_article_came_from(tmp_path):
    path = tmp_path / "shell.html"
    path.write_text(page(), encoding="utf-8")
    result = CliRunner().invoke(app, ["clean", "--format", "json", str(path)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["from_data"] is True
