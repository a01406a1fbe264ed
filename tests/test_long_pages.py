"""Pages of more than MAX_PAGE_LINES lines are classified in parts, each part read as a page of its own
(cleaner.pipeline.decide_pages, cleaner.records.PageBatch.cut)."""

from __future__ import annotations

import numpy as np
import pytest

import cleaner.pipeline as pipeline
from cleaner import Cleaner, Options
from cleaner.records import Markup, MarkupColumns, PageBatch

TEXT = Options(input_format="text")
PARAGRAPHS = [
    "The council voted on Tuesday to extend the tram line to the northern suburbs, a project that has been "
    "debated for more than a decade.",
    "Construction is expected to start next spring, and the first trams should run in 2027, according to "
    "the city's transport department.",
    "Opponents say the money would be better spent on buses, which can serve more neighbourhoods for the "
    "same cost, and they plan to appeal.",
]
MENU = ["Home", "News", "Sport", "Weather", "Sign in"]


@pytest.fixture(scope="module")
def shipped() -> Cleaner:
    return Cleaner.load()


def page_text(seed: int) -> str:
    """A page of text: a menu, paragraphs, and a footer, drawn from ``seed``."""
    draws = np.random.default_rng(seed)
    lines = [*MENU, ""]
    for _ in range(6):
        lines += [PARAGRAPHS[int(draws.integers(len(PARAGRAPHS)))], ""]
    lines += ["Share on Facebook", "Sign up for our newsletter", "© 2024 The Daily Tram. All rights reserved."]
    return "\n".join(lines) + "\n"


def non_blank(results) -> list:
    return [result for result in results if result.label != "-"]


def test_a_long_text_page_gets_the_decisions_of_its_parts_read_alone(shipped, monkeypatch):
    first, second = page_text(1), page_text(2)
    lines = len(non_blank(shipped.classify(first, TEXT)))
    assert lines == len(non_blank(shipped.classify(second, TEXT)))
    alone = non_blank(shipped.classify(first, TEXT)) + non_blank(shipped.classify(second, TEXT))
    monkeypatch.setattr(pipeline, "MAX_PAGE_LINES", lines)
    together = non_blank(shipped.classify(first + "\n" + second, TEXT))
    assert [r.text for r in together] == [r.text for r in alone]
    assert [r.keep_probability for r in together] == [r.keep_probability for r in alone]
    assert [r.kept for r in together] == [r.kept for r in alone]
    # Without the cut the page is read whole, and reads differently (the position features, say).
    monkeypatch.setattr(pipeline, "MAX_PAGE_LINES", 2 * lines)
    whole = non_blank(shipped.classify(first + "\n" + second, TEXT))
    assert [r.keep_probability for r in whole] != [r.keep_probability for r in alone]


def test_a_long_html_page_in_parts_keeps_its_article_and_explains_every_line(shipped, monkeypatch):
    menu = "".join(f'<li><a href="/{word}">{word}</a></li>' for word in MENU)
    body = "".join(f"<p>{text}</p>" for text in PARAGRAPHS * 20)
    html = f"<html><body><nav><ul>{menu}</ul></nav><article><h1>Trams</h1>{body}</article></body></html>"
    monkeypatch.setattr(pipeline, "MAX_PAGE_LINES", 17)
    results = shipped.classify_html(html, Options(explain=True))
    assert len(results) == len(MENU) + 1 + 60
    assert all(result.explanation for result in results)
    kept = shipped.clean_html(html)
    assert kept.count(PARAGRAPHS[0]) == 20


def test_a_cut_batch_reads_each_part_as_a_page():
    marks = [Markup("p", 0.0, 3, ancestor_ranges=((0, 10), (-1, -1))) for _ in range(10)]
    marks[7] = Markup("li", 0.0, 4, ancestor_ranges=((6, 9), (0, 10)))
    short = [Markup("p", 0.0, 2, ancestor_ranges=((0, 2),))] * 2
    batch = PageBatch(
        [f"line {i}" for i in range(12)],
        list(range(12)),
        MarkupColumns.concat([MarkupColumns.of(marks, 2), MarkupColumns.of(short, 2)]),
        [0, 10, 12],
    )
    assert batch.cut(10) == (batch, None)
    cut, owners = batch.cut(4)
    assert cut.bounds == [0, 3, 6, 10, 12]  # each page in parts of equal size, at most 4 lines
    assert owners == [0, 0, 0, 1]
    assert cut.texts is batch.texts
    ranges = cut.markup.ancestor_ranges
    # Ranges cut to the part, counted from its first line; the whole page stays the whole (part).
    assert ranges[0].tolist() == [[0, 3], [-1, -1]]
    assert ranges[7].tolist() == [[0, 3], [0, 4]]  # line 7, in the part of lines 6..9: (6, 9) and (0, 10)
    assert ranges[10].tolist() == [[0, 2], [-1, -1]]  # the second page, not cut, as it was
    assert cut.continued == (False, True, True, False)


def river_page(comments: int) -> str:
    """A thread under its headline, the headline repeated half-way down above a dated line (a date
    without a time of day: no timestamp, which cleaner.decide.asides drops anywhere)."""
    posts = [
        f"<p>Comment {i}: I think this is a good point and I agree with most of what was said.</p>"
        for i in range(comments)
    ]
    posts.insert(comments // 2, f"<h2>{RIVER}</h2><p>Last edited on 12 March 2024</p>")
    return f"<html><head><title>{RIVER}</title></head><body><article><h1>{RIVER}</h1>{''.join(posts)}</article></body></html>"


RIVER = "Why the river flooded the old town"


def test_the_head_rules_read_a_cut_pages_head_not_each_part(shipped, monkeypatch):
    # The byline rule drops a dated line under the page's first kept title line; in a later part the
    # repeated title is not the headline, and the line under it is decided as the model decides it.
    monkeypatch.setattr(pipeline, "MAX_PAGE_LINES", 40)
    results = shipped.classify_html(river_page(60), Options(explain=True))
    edited = next(result for result in results if result.text.startswith("Last edited"))
    assert edited.keep_probability > 0.5
    assert edited.kept
    assert all(name != "byline_under_the_title_dropped" for name, _ in edited.explanation)


def test_a_later_part_holds_the_head_when_no_earlier_part_keeps_a_line():
    from cleaner.decide.head import head_pages

    batch = PageBatch(
        [f"line {i}" for i in range(8)], list(range(8)), None, [0, 2, 4, 6, 8], continued=(False, True, True, False)
    )
    # Page one in three parts: its first part keeps nothing, so the second holds the head; not the third.
    kept = np.array([False, False, True, False, True, True, False, True])
    assert head_pages(kept, batch) == [True, True, False, True]
    assert head_pages(kept, PageBatch(batch.texts, batch.numbers, None, batch.bounds)) == [True] * 4
