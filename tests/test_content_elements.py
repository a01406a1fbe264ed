"""A page's <main> and <article> elements decide what lies outside them
(cleaner.decide.parts.keep_to_content_elements)."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from cleaner import Cleaner, Options
from cleaner.decide.content import CONTENT_FLOOR, CONTENT_SHARE, CONTENT_SPARSE_SHARE, CONTENT_TAGS
from cleaner.decide.notes import CONTENT_DROPPED, CONTENT_KEPT, KEPT_IN_CONTENT, OUTSIDE_CONTENT
from cleaner.decide.parts import keep_to_content_elements
from cleaner.decide.threshold import Decisions
from cleaner.records import PageBatch

HELP = """<div id="help-popup"><h2>Keyboard shortcuts</h2>
<p>Press the left or right arrow to navigate between chapters of the book.</p>
<p>Press S or / to search in the book, and Escape to close the search bar.</p>
<p>Press ? to show this help, and press it again to hide this help.</p></div>"""

# The popup's heading and paragraphs, each a line of the page.
HELP_LINES = re.findall(r"<(?:h2|p)>(.*?)</", HELP)

BOOK_PAGE = f"""<!DOCTYPE html><html lang="en"><head><title>Configuring the build - The Widget Book</title></head>
<body>{HELP}
<nav><ul><li><a href="/">Introduction</a></li><li><a href="/build">Configuring the build</a></li></ul></nav>
<main>
<h1>Configuring the build</h1>
<p>The build reads its settings from a file at the root of the project, written in a simple format of keys and values.</p>
<p>Each setting has a default, so that a project without the file builds as well, with the defaults of the release.</p>
<p>Settings given on the command line override the file's: a CI job changes one setting without editing the file.</p>
</main></body></html>"""

ARTICLE = [
    "Configuring the build",
    "The build reads its settings from a file at the root of the project, written in a simple format of keys and values.",
    "Each setting has a default, so that a project without the file builds as well, with the defaults of the release.",
    "Settings given on the command line override the file's: a CI job changes one setting without editing the file.",
]


def as_article(html: str) -> str:
    return html.replace("<main>", "<article>").replace("</main>", "</article>")


def as_role(html: str) -> str:
    """``html`` with its <main> an element of ARIA's role="main", as Sphinx's themes write it."""
    return html.replace("<main>", '<div class="body" role="main">').replace("</main>", "</div>")


def batch_of(html: str) -> PageBatch:
    return PageBatch.of([Cleaner.load().read_page(html, Options(input_format="html"))])


def decisions_of(keep: list[float], threshold: float = 0.5) -> Decisions:
    values = np.array(keep, dtype=float)
    return Decisions(np.column_stack((values, 1 - values)), values, values >= threshold)


@pytest.mark.parametrize(
    "page", [BOOK_PAGE, as_article(BOOK_PAGE), as_role(BOOK_PAGE)], ids=["main", "article", "role"]
)
def test_the_kept_lines_outside_go_when_main_or_article_holds_the_kept_text(page):
    article = Cleaner.load().article(page, Options(input_format="html"))
    assert article.text.strip().split("\n\n") == ARTICLE
    assert article.narrowed
    explained = Cleaner.load().classify_html(page, Options(explain=True))
    dropped = [line for line in explained if line.explanation and line.explanation[0][0] == OUTSIDE_CONTENT]
    assert dropped and all(not line.kept and line.text in HELP_LINES for line in dropped)
    # The rule is part of narrowing: turned off with it, the popup's lines the model keeps come back.
    assert "Press" in Cleaner.load().clean(page, Options(input_format="html", narrow=False))


def lines_of(batch: PageBatch, *words: str) -> list[int]:
    return [i for i, text in enumerate(batch.texts) if any(word in text for word in words)]


@pytest.mark.parametrize(
    "page", [BOOK_PAGE, as_article(BOOK_PAGE), as_role(BOOK_PAGE)], ids=["main", "article", "role"]
)
def test_rules_over_synthetic_decisions(page):
    batch = batch_of(page)
    n = len(batch.texts)
    inside = [i for i, ancestors in enumerate(batch.markup.ancestors) if CONTENT_TAGS & ancestors]
    assert [batch.texts[i] for i in inside] == ARTICLE
    popup = lines_of(batch, "Press")

    # Most kept text inside <main>: the popup's kept lines go, marked.
    keep = [0.0] * n
    for i in [*inside, *popup]:
        keep[i] = 0.9
    found = keep_to_content_elements(decisions_of(keep), batch)
    assert np.flatnonzero(found.kept).tolist() == inside
    assert found.parts[popup].tolist() == [CONTENT_DROPPED] * len(popup)
    assert found.narrowed.tolist() == [True] and not found.fallback.any()

    # Nothing inside <main> kept: its lines from the floor on are kept instead, the popup's go.
    keep = [0.0] * n
    for i in popup:
        keep[i] = 0.9
    for i in inside:
        keep[i] = CONTENT_FLOOR + 0.01
    found = keep_to_content_elements(decisions_of(keep), batch)
    assert np.flatnonzero(found.kept).tolist() == inside
    assert found.parts[inside].tolist() == [CONTENT_KEPT] * len(inside)
    assert found.fallback.tolist() == [True] and found.narrowed.tolist() == [True]

    # ... but never an empty page: with <main>'s lines all below the floor, the page is left alone.
    for i in inside:
        keep[i] = CONTENT_FLOOR / 2
    assert keep_to_content_elements(decisions_of(keep), batch).kept.tolist() == decisions_of(keep).kept.tolist()

    # A little of the kept text inside <main> and most outside: a box in <main>, left alone.
    keep = [0.0] * n
    for i in popup:
        keep[i] = 0.9
    keep[inside[0]] = 0.9
    assert keep_to_content_elements(decisions_of(keep), batch).parts is None


NOTICE = """<div class="notice"><h2>Our yearly survey is open</h2>
<p>Tell us how you use the widgets: the survey takes five minutes and closes at the end of the month.</p></div>"""


@pytest.mark.parametrize("main", ["main", "role"])
def test_the_articles_inside_main_are_the_narrower_mark(main):
    # A forum's <main> holds a notice box above the thread; the posts are its <article>s.
    thread = BOOK_PAGE.replace("<main>", f"<main>{NOTICE}<article>").replace("</main>", "</article></main>")
    page = thread if main == "main" else as_role(thread)
    batch = batch_of(page)
    posts, notice = lines_of(batch, "build", "setting")[1:], lines_of(batch, "survey")  # [0]: the menu's link
    assert [batch.texts[i] for i in posts] == ARTICLE
    keep = [0.9 if i in posts or i in notice else 0.0 for i in range(len(batch.texts))]
    found = keep_to_content_elements(decisions_of(keep), batch)
    assert np.flatnonzero(found.kept).tolist() == posts
    assert found.parts[notice].tolist() == [CONTENT_DROPPED] * len(notice)
    # <article>s holding less than the share of the kept text (teasers beside the story): <main> stands.
    keep = [0.9 if i in notice else 0.0 for i in range(len(batch.texts))]
    keep[posts[0]] = 0.9
    assert len(ARTICLE[0]) < CONTENT_SHARE * sum(len(batch.texts[i]) for i in [*notice, posts[0]])
    found = keep_to_content_elements(decisions_of(keep), batch)
    assert found.kept.tolist() == decisions_of(keep).kept.tolist()


def test_a_main_of_links_whose_heading_alone_is_kept_keeps_its_list():
    # A documentation index: a heading, an introduction, and the chapters below as a list of links.
    chapters = "".join(f"<li><a href='/lib/m{n}.html'>module{n} - Tools for task {n}</a></li>" for n in range(30))
    page = BOOK_PAGE.replace(
        "<main>", '<div role="main"><h1>Importing modules</h1><p>The modules of this chapter:</p><ul>'
    ).replace("</main>", f"{chapters}</ul></div>")
    batch = batch_of(page)
    intro, entries = lines_of(batch, "Importing", "this chapter"), lines_of(batch, "Tools for task")
    keep = [0.9 if i in intro else 0.1 if i in entries else 0.0 for i in range(len(batch.texts))]
    kept_chars = sum(len(batch.texts[i]) for i in intro)
    content_chars = sum(len(text) for text, a in zip(batch.texts, batch.markup.ancestors) if CONTENT_TAGS & a)
    assert kept_chars < CONTENT_SPARSE_SHARE * content_chars
    found = keep_to_content_elements(decisions_of(keep), batch)
    assert found.kept[entries].all() and found.parts[entries].tolist() == [CONTENT_KEPT] * len(entries)
    assert found.fallback.tolist() == [True]
    # Entries the model rules out (below the floor) stay dropped.
    keep = [CONTENT_FLOOR / 2 if i in entries else k for i, k in enumerate(keep)]
    assert not keep_to_content_elements(decisions_of(keep), batch).kept[entries].any()
    # A page that keeps its share of the content (the story, not a heading) is narrowed only.
    keep = [0.9 if i in intro or i in entries[:8] else 0.1 if i in entries else 0.0 for i in range(len(batch.texts))]
    found = keep_to_content_elements(decisions_of(keep), batch)
    assert found.kept.tolist() == decisions_of(keep).kept.tolist() and found.parts is None


def test_the_title_above_main_is_spared():
    page = BOOK_PAGE.replace("<main>\n<h1>Configuring the build</h1>", "<h1>Configuring the build</h1>\n<main>")
    batch = batch_of(page)
    keep = [0.9 if ("Press" in text or "build" in text or "setting" in text) else 0.0 for text in batch.texts]
    keep[lines_of(batch, "Configuring the build")[0]] = 0.0  # the menu's link to this page
    found = keep_to_content_elements(decisions_of(keep), batch)
    kept = [batch.texts[i] for i in np.flatnonzero(found.kept)]
    assert kept == ARTICLE


@pytest.mark.parametrize("html", [BOOK_PAGE.replace("<main>", "<div>").replace("</main>", "</div>")])
def test_a_page_without_main_or_article_is_left_alone(html):
    batch = batch_of(html)
    keep = [0.9] * len(batch.texts)
    assert keep_to_content_elements(decisions_of(keep), batch).parts is None


def test_explanations_name_the_floor_for_main_kept_for_want_of_kept_lines():
    from cleaner.decide.notes import part_explanations

    parts = np.array([0, CONTENT_KEPT, CONTENT_DROPPED], dtype=np.int8)
    entries = part_explanations(parts, None)
    assert entries[0] is None
    assert entries[1] == (KEPT_IN_CONTENT, CONTENT_FLOOR)
    assert entries[2][0] == OUTSIDE_CONTENT


def test_explained_rules_read_as_rules_with_their_values(tmp_path):
    from typer.testing import CliRunner

    from cleaner.cli import app

    path = tmp_path / "book.html"
    path.write_text(BOOK_PAGE, encoding="utf-8")
    runner = CliRunner()
    tsv = runner.invoke(app, ["clean", "--explain", str(path)])
    assert tsv.exit_code == 0, tsv.output
    popup = [
        row
        for row in tsv.stdout.splitlines()
        if row.endswith("to search in the book, and Escape to close the search bar.")
    ]
    assert popup and popup[0].split("\t")[4].startswith(f"{OUTSIDE_CONTENT}={CONTENT_SHARE:g}; ")
    jsonl = runner.invoke(app, ["clean", "--explain", "-f", "jsonl", str(path)])
    records = [json.loads(line) for line in jsonl.stdout.splitlines()]
    why = next(r["explanation"] for r in records if r["text"].startswith("Press S"))
    assert why[0] == {"rule": OUTSIDE_CONTENT, "value": CONTENT_SHARE}
    assert {"feature", "weight"} in [set(entry) for entry in why]


@pytest.mark.parametrize("page", [BOOK_PAGE, as_article(BOOK_PAGE)], ids=["main", "article"])
def test_the_rule_never_empties_a_page_nor_drops_a_line_inside_the_content(page):
    batch = batch_of(page)
    inside = np.array([bool({"main", "article"} & ancestors) for ancestors in batch.markup.ancestors])
    rng = np.random.default_rng(0)
    for _ in range(300):
        keep = rng.choice([0.0, 0.01, 0.05, 0.4, 0.6, 0.9], size=len(batch.texts)).tolist()
        before = decisions_of(keep)
        after = keep_to_content_elements(before, batch)
        assert after.kept.any() or not before.kept.any()
        assert not (before.kept & ~after.kept & inside).any()  # only lines outside the content go
        added = after.kept & ~before.kept
        assert (inside[added]).all() and (np.asarray(keep)[added] >= CONTENT_FLOOR).all()


@pytest.mark.parametrize("element", ["main", "article"])
def test_a_page_that_declares_an_article_is_rescued_in_its_main_only(element):
    # Beside a story, <article>s are teasers or comments: the lines kept outside them may be the story.
    page = BOOK_PAGE.replace("<head>", '<head><meta property="og:type" content="article">')
    batch = batch_of(page if element == "main" else as_article(page))
    popup = lines_of(batch, "Press")
    keep = [0.9 if i in popup else CONTENT_FLOOR + 0.01 for i in range(len(batch.texts))]
    before = decisions_of(keep)
    found = keep_to_content_elements(before, batch)
    if element == "main":
        assert found.fallback.tolist() == [True] and not found.kept[popup].any()
    else:
        assert found.parts is None and found.kept.tolist() == before.kept.tolist()


CARD = """<article class="post-card"><a class="post-card-content-link" href="/{n}/">
<h2 class="post-card-title">{title}</h2><div class="post-card-excerpt">{excerpt}</div></a></article>"""
CARDS = [
    (
        "How to revive a neglected sourdough starter",
        "Left in the fridge for months? Three days of feeding bring it back.",
    ),
    ("The beginner's guide to baker's percentages", "Hydration as a percentage scales any recipe, wet or stiff."),
    (
        "Rye sourdough: a dense, tangy loaf",
        "Rye behaves differently from wheat: why not to knead it, how long to rest it.",
    ),
]
TAG_PAGE = f"""<!DOCTYPE html><html lang="en"><head><title>Tag: Sourdough - Crumb</title></head>
<body><nav><a href="/">Home</a> <a href="/recipes/">Recipes</a></nav><main>
<h1>Tag: Sourdough</h1><p>Everything we have written about baking with wild yeast.</p>
{"".join(CARD.format(n=n, title=t, excerpt=e) for n, (t, e) in enumerate(CARDS))}
</main><footer><a href="/privacy/">Privacy</a></footer></body></html>"""


@pytest.mark.parametrize("declared", [False, True], ids=["listing", "declared-article"])
def test_the_articles_of_a_listing_are_kept_when_none_of_them_is(declared):
    # A tag archive: its heading and introduction kept, its <article>s, link-wrapped cards, dropped as
    # related stories. They are what the page lists, unless the page says it is an article (teasers).
    page = TAG_PAGE.replace("<head>", '<head><meta property="og:type" content="article">') if declared else TAG_PAGE
    batch = batch_of(page)
    cards = [i for i, ancestors in enumerate(batch.markup.ancestors) if "article" in ancestors]
    assert len(cards) == 2 * len(CARDS)
    keep = [0.9 if batch.texts[i].startswith(("Tag:", "Everything")) else 0.2 for i in range(len(batch.texts))]
    before = decisions_of(keep)
    found = keep_to_content_elements(before, batch)
    if declared:
        assert found.kept.tolist() == before.kept.tolist()
    else:
        assert found.kept[cards].all() and found.fallback.tolist() == [True]
        assert [batch.texts[i] for i in np.flatnonzero(found.kept & ~before.kept)] == [
            text for card in CARDS for text in card
        ]
    # One card kept: the page keeps what it chose among them.
    keep[cards[0]] = keep[cards[1]] = 0.9
    assert keep_to_content_elements(decisions_of(keep), batch).kept[cards[2:]].sum() == 0


@pytest.mark.parametrize("heading", ["Sourdough", "Notice"])
def test_a_listing_narrowed_to_its_articles_keeps_the_heading_that_names_its_title(heading):
    # A category page: "Sourdough" (title "Sourdough - Crumb") and its introduction stand in <main>
    # above the cards it lists. Narrowed to the cards, the page keeps them as its title; a heading
    # that names no part of the title (a notice box's) goes with its box.
    page = TAG_PAGE.replace("<title>Tag: Sourdough - Crumb", "<title>Sourdough - Crumb")
    page = page.replace("<h1>Tag: Sourdough</h1>", f"<h1>{heading}</h1>")
    batch = batch_of(page)
    head = lines_of(batch, heading, "Everything")
    cards = [i for i, ancestors in enumerate(batch.markup.ancestors) if "article" in ancestors]
    keep = [0.9 if i in head or i in cards else 0.0 for i in range(len(batch.texts))]
    found = keep_to_content_elements(decisions_of(keep), batch)
    assert found.kept[cards].all() and found.narrowed.tolist() == [True]
    assert found.kept[head].tolist() == [heading == "Sourdough"] * len(head)
