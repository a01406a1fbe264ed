"""Site boilerplate (cleaner.site): lines a host repeats on many of its pages, counted in bounded memory
(pass 1) and dropped from the cleaned text unless the model is confident they are article text (pass 2);
in the library, the crawl reader, the command line (folders, JSON Lines, WARC) and the Spark job."""

from __future__ import annotations

import importlib.util
import json
import os
import random
import shutil
import sys
from pathlib import Path

import pytest
from crawl_warcs import gzip_members, response, write
from typer.testing import CliRunner

from cleaner import Cleaner, LineResult
from cleaner.cli import app
from cleaner.crawl import count_crawl, iter_cleaned
from cleaner.render import render_results
from cleaner.site import (
    SiteBoilerplate,
    SiteCounts,
    SiteRules,
    clean_site_pages,
    line_key,
    normalise_line,
    own_heading,
    page_title,
    site_host,
)

runner = CliRunner()
MENU = ["Home", "World news", "Sport and leisure", "Subscribe to our newsletter for the best stories, every morning."]
FOOTER = "Copyright 2024 Example News. All rights reserved."
TOPICS = ["river", "harbour", "orchard", "bridge", "market", "library"]


def article(number: int) -> list[str]:
    """Two paragraphs no other page has (no digit either: digits are masked)."""
    topic = TOPICS[number]
    return [
        f"The {topic} was the talk of the town all week, as people gathered to see what the storm had left.",
        f"Nobody remembered the {topic} looking like this, said an old resident who had lived beside it for decades.",
    ]


def title(number: int) -> str:
    return f"What happened at the {TOPICS[number]} this week"


def html_page(number: int) -> str:
    menu = "".join(f"<li><a href='/{i}'>{item}</a></li>" for i, item in enumerate(MENU))
    body = "".join(f"<p>{text}</p>" for text in article(number))
    teasers = "".join(f"<li><a href='/s/{i}'>{title(i)}</a></li>" for i in range(3))  # pages 0-2 everywhere
    return (
        f"<html><head><title>{title(number)} | Example News</title></head><body><nav><ul>{menu}</ul></nav>"
        f"<article><h1>{title(number)}</h1>{body}</article>"
        f"<aside><h2>Most read</h2><ul>{teasers}</ul></aside><footer><p>{FOOTER}</p></footer></body></html>"
    )


def site_pages() -> list[tuple[str, str]]:
    return [("example.com", html_page(number)) for number in range(len(TOPICS))]


def result(number: int, text: str, label: str = "body", probability: float = 0.6, kept: bool = True) -> LineResult:
    return LineResult(number, text, label, probability, kept)


@pytest.fixture(scope="module")
def cleaner() -> Cleaner:
    return Cleaner.load()


def invoke(*args, input=None):
    got = runner.invoke(app, ["clean", *map(str, args)], input=input)
    assert got.exception is None or isinstance(got.exception, SystemExit), repr(got.exception)
    return got


# -- lines and hosts ------------------------------------------------------------------------------


def test_lines_are_compared_case_folded_spaces_collapsed_digits_masked():
    assert normalise_line("  Page 3 of 12\t NEXT ") == "page 0 of 00 next"
    assert line_key("© 2023 Example  News") == line_key("© 2024 example news")
    assert line_key("Home") != line_key("About")
    assert line_key("   ") is None and line_key("") is None
    assert 0 <= line_key("Home") < 2**64  # type: ignore[operator]


def test_hosts():
    assert site_host("https://www.Example.com:8080/a?b") == "example.com"
    assert site_host("http://news.example.co.uk/") == "news.example.co.uk"
    assert site_host(None) is None and site_host("not a url") is None and site_host("http://[::1") is None


def test_page_title():
    assert page_title("<html><head><TITLE>A &amp; B\n | Site</TITLE>") == "A & B | Site"
    assert page_title(b"<title lang='fr'>\xc3\xa9t\xc3\xa9</title>") == "été"
    assert page_title("<p>no title</p>") is None


# -- pass 1: counts -------------------------------------------------------------------------------


def test_a_line_counts_once_per_page_and_the_rule_needs_share_and_pages():
    counts = SiteCounts()
    counts.add_page("a.com", ["Home", "Home", "home ", "First story"])
    counts.add_page("a.com", ["Home", "Second story"])
    assert counts.count("a.com", "HOME") == 2 and counts.pages("a.com") == 2
    assert counts.boilerplate().hosts == {}  # fewer than 3 pages: nothing is boilerplate yet
    counts.add_page("a.com", ["Home", "Third story"])
    counts.add_page("a.com", ["Menu", "Fourth story"])
    counts.add_page("b.com", ["Home"])
    found = counts.boilerplate()
    assert found.is_boilerplate("a.com", "home") and not found.is_boilerplate("a.com", "First story")
    assert not found.is_boilerplate("b.com", "Home")  # another host's lines are its own
    assert SiteRules().needed(4) == 3 and SiteRules().needed(10) == 5 and SiteRules(share=0.3).needed(10) == 3
    assert counts.boilerplate(SiteRules(share=1.0)).hosts == {}  # "Home" is on 3 of 4 pages


def test_memory_stays_bounded_and_the_common_lines_are_still_found():
    rng = random.Random(7)
    common = [f"Common line {word}" for word in ("alpha", "beta", "gamma", "delta")]
    counts = SiteCounts(max_lines=1000, max_lines_per_host=300, max_hosts=50)
    biggest = 0
    for page in range(400):
        lines = [f"unique line {page} {i} {rng.random()}".replace(".", "x") for i in range(40)]
        lines = [line.translate(str.maketrans("0123456789", "abcdefghij")) for line in lines]  # no digits
        lines += [line for line in common if rng.random() < 0.7]  # each on about 70% of the pages
        counts.add_page("big.example", lines)
        counts.add_page(f"host{page}.example", [f"only page of host {page}"])  # 400 hosts, 50 kept at most
        biggest = max(biggest, len(counts))
        assert counts.hosts <= 50
    assert biggest <= 1000 and len(counts) <= 1000
    assert len(counts) == sum(len(lines) for _, _, lines in counts.items())  # what is held is what is counted
    assert all(len(lines) <= 300 for _, _, lines in counts.items())
    found = counts.boilerplate()
    assert found.hosts["big.example"] == frozenset(map(line_key, common))
    for line in common:  # counts are lower bounds of the pages a line is on
        assert 0.5 * 400 <= counts.count("big.example", line) <= 400


def test_the_cap_in_all_evicts_the_least_frequent_from_every_host():
    counts = SiteCounts(max_lines=200, max_lines_per_host=150)
    for page in range(30):
        for host in ("a.com", "b.com", "c.com"):
            texts = ["Shared footer line", *(f"{host} story {chr(97 + page)} line {chr(97 + i)}" for i in range(20))]
            counts.add_page(host, texts)
            assert len(counts) <= 200
    found = counts.boilerplate()
    assert all(found.is_boilerplate(host, "Shared footer line") for host in ("a.com", "b.com", "c.com"))
    assert len(found) == 3


def test_counts_are_deterministic_and_merge_in_order():
    pages = [("x.com", [f"Line {chr(97 + i % 7)}", "Menu", f"story {chr(97 + i)}"]) for i in range(20)]

    def count(chunks: int) -> SiteCounts:
        total = SiteCounts(max_lines=12)
        for start in range(0, len(pages), chunks):
            part = SiteCounts(max_lines=12)
            for host, texts in pages[start : start + chunks]:
                part.add_page(host, texts)
            total.merge(part)
        return total

    assert list(count(5).items()) == list(count(5).items())
    assert count(5).boilerplate() == count(5).boilerplate()
    assert count(1).boilerplate().is_boilerplate("x.com", "menu")


# -- pass 2: the rule -----------------------------------------------------------------------------


def test_repeated_lines_dropped_unless_confident_headings_always():
    table = SiteBoilerplate({"a.com": frozenset(map(line_key, ["Home", "Signed up? Read more", "Most read"]))})
    results = [
        result(1, "Home", "nav", 0.7),
        result(2, "The article's own title", "heading", 0.95),
        result(3, "A paragraph of the article, long and punctuated.", "body", 0.97),
        result(4, "Signed up? Read more", "body", 0.95),  # confident: stays
        result(5, "Most read", "heading", 0.95),  # a repeated heading goes, however confident
        result(6, "Home", "nav", 0.2, kept=False),  # not kept anyway
    ]
    filtered = table.filter("a.com", results)
    assert [r.kept for r in filtered] == [False, True, True, True, False, False]
    assert [r.label for r in filtered] == [r.label for r in results]  # only the decision changes
    assert table.filter("other.com", results) == results
    assert render_results(filtered) == "The article's own title\nA paragraph of the article, long and punctuated.\n" + (
        "Signed up? Read more\n"
    )


def test_a_title_in_the_teasers_is_dropped_there_and_kept_as_its_own_pages_heading():
    headline = "Storm hits the coast overnight"
    table = SiteBoilerplate({"a.com": frozenset({line_key(headline)})})
    own = [result(1, headline, "heading", 0.8), result(2, "Body text.", "body", 0.9), result(4, headline, "heading")]
    filtered = table.filter("a.com", own, title=f"{headline} | A News")
    assert [r.kept for r in filtered] == [True, True, False]  # the heading stays, its teaser on its own page goes
    other = [result(1, "Another story altogether", "heading", 0.8), result(3, headline, "heading", 0.8)]
    assert [r.kept for r in table.filter("a.com", other, title="Another story altogether | A News")] == [True, False]
    # Without a title, the page's first kept heading is its own.
    assert own_heading(own, None) == 0 and own_heading(other, None) == 0
    assert own_heading([result(1, "News", "heading"), result(2, headline, "body")], f"{headline} - News") == 1


def test_a_synthetic_site_keeps_articles_and_drops_menu_footer_and_teasers(cleaner):
    pages = site_pages()
    texts = clean_site_pages(pages, cleaner)
    counts = SiteCounts()
    for host, page in pages:
        counts.add_page(host, cleaner.read_page(page).texts)
    boilerplate = counts.boilerplate()
    for line in [*MENU, FOOTER, title(0), title(1), title(2), "Most read"]:
        assert boilerplate.is_boilerplate("example.com", line), line
    for number, text in enumerate(texts):
        lines = text.splitlines()
        for paragraph in article(number):
            assert paragraph in lines
        assert lines.count(title(number)) == 1  # its own heading, not the teaser
        assert not set(lines) & {*MENU, FOOTER, "Most read", *(title(i) for i in range(3) if i != number)}
        # What clean gives, minus lines: the same lines in the same order.
        plain = cleaner.clean(pages[number][1]).splitlines()
        assert [line for line in plain if line and line in lines] == [line for line in lines if line]


# -- the crawl reader, the command line, Spark ----------------------------------------------------


def site_crawl(tmp_path: Path, name: str = "site.warc.gz") -> Path:
    rows = [response(f"http://www.example.com/{i}", html_page(i).encode()) for i in range(len(TOPICS))]
    return write(tmp_path / name, gzip_members(rows))


def test_crawl_pages_minus_site_boilerplate(tmp_path, cleaner):
    crawl = site_crawl(tmp_path)
    boilerplate = count_crawl(crawl).boilerplate()
    assert set(boilerplate.hosts) == {"example.com"}
    pages = list(iter_cleaned(crawl, site=boilerplate))
    plain = list(iter_cleaned(crawl))
    assert all(page.site_dropped is not None and "site_dropped" in page.to_dict() for page in pages)
    assert "site_dropped" not in plain[0].to_dict()
    for number, (page, before) in enumerate(zip(pages, plain)):
        assert page.text == clean_site_pages(site_pages(), cleaner)[number]
        assert page.lines_kept == before.lines_kept - page.site_dropped
        assert page.lines_dropped == before.lines_dropped + page.site_dropped


@pytest.mark.parametrize("jobs", [1, 2])
def test_command_line_on_a_crawl_a_folder_and_json_lines(tmp_path, cleaner, jobs):
    expected = clean_site_pages(site_pages(), cleaner)
    crawl = site_crawl(tmp_path)
    result = invoke(crawl, "--site-boilerplate", "--jobs", jobs, "--no-summary")
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["text"] for line in result.stdout.splitlines()] == expected
    # A folder per site: the host is the folder.
    folder = tmp_path / "pages" / "example.com"
    folder.mkdir(parents=True)
    for number, (_, page) in enumerate(site_pages()):
        (folder / f"{number}.html").write_text(page)
    (tmp_path / "pages" / "lonely.html").write_text(html_page(0))  # another folder: another site
    out = tmp_path / "out"
    result = invoke(tmp_path / "pages", "-o", out, "--site-boilerplate", "--jobs", jobs, "--no-summary")
    assert result.exit_code == 0, result.output
    assert [(out / "example.com" / f"{n}.txt").read_text() for n in range(len(TOPICS))] == expected
    assert (out / "lonely.txt").read_text() == cleaner.clean(html_page(0))
    # JSON Lines: the host of the url field, else the file.
    records = tmp_path / "pages.jsonl"
    rows = [{"url": f"https://example.com/{n}", "html": page} for n, (_, page) in enumerate(site_pages())]
    records.write_text("".join(json.dumps(row) + "\n" for row in rows))
    result = invoke(records, "--jsonl-field", "html", "--site-boilerplate", "--jobs", jobs, "--no-summary")
    assert [json.loads(line)["html"] for line in result.stdout.splitlines()] == expected
    without_url = tmp_path / "nourl.jsonl"
    without_url.write_text("".join(json.dumps({"html": row["html"]}) + "\n" for row in rows))
    result = invoke(without_url, "--jsonl-field", "html", "--site-boilerplate", "--no-summary")
    assert [json.loads(line)["html"] for line in result.stdout.splitlines()] == expected


def test_command_line_summary_and_refusals(tmp_path):
    crawl = site_crawl(tmp_path)
    result = invoke(crawl, "--site-boilerplate")
    first = result.stderr.splitlines()[0]
    assert first.startswith("site boilerplate: ") and "repeated by 1 site " in first
    assert "as site boilerplate); 0 errors" in result.stderr
    refused = invoke("-", "--site-boilerplate", input="text")
    assert refused.exit_code == 1 and "standard input cannot be one of them" in refused.stderr
    tiny = invoke(crawl, "--site-boilerplate", "--site-max-lines", "2", "--no-summary")
    assert tiny.exit_code == 0  # a tiny table finds little, but runs


@pytest.mark.skipif(
    importlib.util.find_spec("pyspark") is None or shutil.which("java") is None,
    reason="Spark needs pyspark and a Java runtime",
)
def test_spark_job_drops_what_the_library_drops(tmp_path):
    from pyspark.sql import SparkSession

    from cleaner.spark import JobSettings, run_job

    crawl = site_crawl(tmp_path)
    saved = {key: os.environ.get(key) for key in ("PYSPARK_PYTHON", "PYSPARK_DRIVER_PYTHON", "SPARK_LOCAL_IP")}
    os.environ.update(PYSPARK_PYTHON=sys.executable, PYSPARK_DRIVER_PYTHON=sys.executable, SPARK_LOCAL_IP="127.0.0.1")
    active = SparkSession.getActiveSession()
    spark = active or SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false").getOrCreate()
    try:
        settings = JobSettings(site_boilerplate=True, partitions=2)
        result = run_job(
            spark, [str(crawl), str(site_crawl(tmp_path, "again.warc.gz"))], str(tmp_path / "out"), settings
        )
    finally:
        if active is None:
            spark.stop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    counts = count_crawl(crawl)
    count_crawl(tmp_path / "again.warc.gz", counts)
    assert result.site == counts.boilerplate()
    got = [json.loads(line) for part in sorted((tmp_path / "out").glob("part-*")) for line in part.open()]
    files = [crawl, tmp_path / "again.warc.gz"]  # the job's records: files in the order given
    want = [page.to_dict() for path in files for page in iter_cleaned(path, site=counts.boilerplate())]
    assert [{key: value for key, value in record.items() if key != "file"} for record in got] == want
