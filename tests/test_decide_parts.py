"""Parts of an HTML page decided whole (cleaner.decide.parts): a run of preformatted lines, a list or
table of the main container standing between kept lines, a definition's term with its definition,
and the article's head (its title heading and lede) above the kept text."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from cleaner import Cleaner, Options
from cleaner.decide.dial import DROPPED_BY_DIAL
from cleaner.decide.groups import group_lines, main_group_lines, sibling_paragraph_lines
from cleaner.decide.notes import (
    BYLINE,
    BYLINE_DROPPED,
    CAPTION,
    CAPTION_DROPPED,
    GROUP_KEPT,
    KEPT_AS_GROUP,
    LEAD_IN,
    LEAD_IN_DROPPED,
    LEDE_ADDED,
    LEDE_KEPT,
    PRE_CHANGED,
    PRE_DECIDED_WHOLE,
    SECTION_ADDED,
    SECTION_KEPT,
    TERM_ADDED,
    TERM_KEPT,
    TITLE_ADDED,
    TITLE_KEPT,
    part_explanations,
)
from cleaner.decide.parts import (
    decide_preformatted,
    drop_bylines,
    drop_captions,
    drop_lead_ins,
    keep_lede,
    keep_section_headings,
    keep_terms_of_kept_definitions,
    keep_title_heading,
)
from cleaner.decide.threshold import Decisions, runs
from cleaner.records import PageBatch


def decisions_of(keep: list[float], threshold: float = 0.5) -> Decisions:
    values = np.array(keep, dtype=float)
    return Decisions(np.column_stack((values, 1 - values)), values, values >= threshold)


def test_runs_are_cut_at_page_starts():
    flags = np.array([1, 1, 0, 1, 1, 1, 1, 0, 1], dtype=bool)
    assert runs(flags, [0, 9]) == [(0, 2), (3, 7), (8, 9)]
    assert runs(flags, [0, 5, 9]) == [(0, 2), (3, 5), (5, 7), (8, 9)]
    assert runs(np.zeros(0, dtype=bool), [0]) == []


def group_case(keep, tags, links=None, in_main=None, bounds=None, threshold=0.3, texts=None, ancestors=None):
    n = len(keep)
    texts = texts or ["x" * 20] * n
    links = np.zeros(n) if links is None else np.array(links, dtype=float)
    in_main = np.ones(n, dtype=bool) if in_main is None else np.array(in_main, dtype=bool)
    grouped = group_lines(tags, ancestors or [frozenset()] * n)
    decisions = decisions_of(keep)
    added = main_group_lines(
        decisions.kept, decisions.keep, texts, bounds or [0, n], tags, grouped, links, in_main, threshold
    )
    parts = np.where(added, GROUP_KEPT, 0) if added.any() else None
    return replace(decisions, kept=decisions.kept | added, parts=parts)


def test_a_table_between_kept_lines_is_kept_whole():
    tags = ["p", "td", "td", "td", "p"]
    found = group_case([0.9, 0.45, 0.25, 0.35, 0.9], tags)
    assert found.kept.tolist() == [True] * 5
    assert found.parts.tolist() == [0, GROUP_KEPT, GROUP_KEPT, GROUP_KEPT, 0]


@pytest.mark.parametrize(
    "change",
    [
        {"keep": [0.9, 0.2, 0.2, 0.3, 0.9]},  # rated below the container's threshold (mean 0.23)
        {"keep": [0.9, 0.45, 0.25, 0.35, 0.1]},  # nothing kept after it: it ends the article
        {"links": [0, 0.5, 0.5, 0.2, 0]},  # mostly links: a menu in the container
        {"in_main": [1, 1, 0, 1, 1]},  # one cell outside the container: two runs of one line
        {"tags": ["p", "td", "p", "td", "p"]},  # single items are lines like any other
        {"bounds": [0, 2, 5]},  # the run crosses a page start: one line on the first, none kept before the rest
    ],
)
def test_a_group_is_left_alone_unless_rated_inside_the_kept_article_and_not_links(change):
    case = {"keep": [0.9, 0.45, 0.25, 0.35, 0.9], "tags": ["p", "td", "td", "td", "p"], **change}
    found = group_case(**case)
    assert found.kept.tolist() == [k >= 0.5 for k in case["keep"]]
    assert found.parts is None


@pytest.mark.parametrize(
    "case",
    [
        {"keep": [0.9, 0.45, 0.25, 0.35], "tags": ["p", "li", "li", "li"]},  # the page ends with it
        {"keep": [0.9, 0.45, 0.25, 0.35, 0.1], "tags": ["p", "li", "li", "li", "p"], "in_main": [1, 1, 1, 1, 0]},
    ],
)
def test_a_group_that_ends_the_container_needs_no_kept_line_after_it(case):
    # A list or table closing the article (ingredients, a table of error codes) has no text after it.
    found = group_case(**case)
    assert found.kept.tolist()[:4] == [True] * 4 and found.parts.tolist()[1:4] == [GROUP_KEPT] * 3


@pytest.mark.parametrize(
    ("keep", "in_main", "added"),
    [
        ([0.9, 0.45, 0.25, 0.35, 0.1], [1, 1, 1, 1, 1], True),
        ([0.4, 0.45, 0.25, 0.35, 0.1], [1, 1, 1, 1, 1], False),  # the announcing line is dropped
        ([0.9, 0.45, 0.25, 0.35, 0.1], [1, 0, 0, 0, 1], False),  # the list lies outside the container
    ],
)
def test_a_list_that_a_kept_heading_or_colon_announces_needs_no_kept_line_after_it(keep, in_main, added):
    # The list is followed by a dropped paragraph (a heading would end its section: see below).
    texts = ["We advise employers on:", "contracts", "redundancies", "works councils", "Call us for a quote"]
    found = group_case(keep, ["p", "li", "li", "li", "p"], in_main=in_main, texts=texts)
    assert found.kept[1:4].all() == added
    plain = group_case(keep, ["p", "li", "li", "li", "p"], in_main=in_main, texts=["We advise employers", *texts[1:]])
    assert not plain.kept[1:4].any()
    headed = group_case(keep, ["h3", "li", "li", "li", "p"], in_main=in_main, texts=["Key features", *texts[1:]])
    assert headed.kept[1:4].all() == added


@pytest.mark.parametrize(
    ("change", "added"),
    [
        ({}, True),  # a manual page's options, up to the next section's heading (dropped)
        ({"keep": [0.9, 0.2, 0.2, 0.3, 0.1]}, False),  # rated under the container's threshold, not announced
        ({"tags": ["p", "li", "li", "li", "p"]}, False),  # a dropped paragraph after it: no section ends
        ({"links": [0, 0.5, 0.5, 0.5, 0]}, False),  # a block of links ending the section: a menu
    ],
)
def test_a_list_that_ends_its_section_needs_no_kept_line_after_it(change, added):
    case = {"keep": [0.9, 0.45, 0.25, 0.35, 0.1], "tags": ["p", "li", "li", "li", "h2"], **change}
    found = group_case(**case)
    assert found.kept[1:4].all() == added and found.kept[1:4].any() == added


def test_paragraphs_in_list_items_and_data_table_cells_are_grouped_as_the_items():
    # A loose list (<li><p>...</p></li>) and a data table whose cells hold paragraphs, as Sphinx writes them.
    tags = ["p", "p", "p", "h3", "p", "p", "li", "pre"]
    ancestors = [
        frozenset({"body", "li", "ul"}),
        frozenset({"body", "td", "tr", "tbody", "table"}),
        frozenset({"body", "td", "tr", "table"}),  # a layout table: no <thead> or <tbody> written
        frozenset({"body", "li", "ul"}),  # a heading in an item is a heading
        frozenset({"body", "dd", "dl"}),
        frozenset({"body", "div"}),
        frozenset({"body", "ul"}),
        frozenset({"body"}),
    ]
    assert group_lines(tags, ancestors).tolist() == [True, True, False, False, True, False, True, True]
    keep = [0.9, 0.3, 0.25, 0.35, 0.9]
    loose = [frozenset({"body"}), *[frozenset({"body", "ul", "li"})] * 3, frozenset({"body"})]
    found = group_case(keep, ["p"] * 5, ancestors=loose)
    assert found.kept.tolist() == [True] * 5 and found.parts.tolist()[1:4] == [GROUP_KEPT] * 3
    assert group_case(keep, ["p"] * 5).parts is None


@pytest.mark.parametrize(
    ("first", "last_keep", "added"),
    [
        ("Specifications", 0.9, True),  # announced by a kept heading and followed by kept text
        ("Specifications", 0.1, False),  # announced only: the rating decides (0.18, under 0.3)
        ("Measured in 2024", 0.9, False),  # followed only: the rating decides
    ],
)
def test_a_run_announced_and_followed_by_kept_text_is_kept_whatever_its_rating(first, last_keep, added):
    texts = [first, "Volume", "40 L", "Weight", "1.2 kg", "Our verdict: a sturdy pack for long weekends."]
    tags = ["h3" if first == "Specifications" else "p", "th", "td", "th", "td", "p"]
    in_main = [1, 1, 1, 1, 1, 1, 0]
    found = group_case([0.9, 0.2, 0.15, 0.2, 0.15, last_keep, 0.1], [*tags, "p"], in_main=in_main, texts=[*texts, "x"])
    assert found.kept[1:5].all() == added and (found.parts is not None) == added


def sibling_case(kept, parents, tags=None, candidates=None, links=None, in_main=None, bounds=None):
    n = len(kept)
    return sibling_paragraph_lines(
        np.array(kept, dtype=bool),
        np.ones(n, dtype=bool) if candidates is None else np.array(candidates, dtype=bool),
        bounds or [0, n],
        tags or ["p"] * n,
        np.zeros(n) if links is None else np.array(links, dtype=float),
        np.ones(n, dtype=bool) if in_main is None else np.array(in_main, dtype=bool),
        np.array(parents, dtype=np.int64).reshape(n, 2),
    ).tolist()


def test_a_paragraph_whose_element_s_other_lines_are_kept_is_kept():
    # A post: its author line (dropped, outside the post's body), then two paragraphs in one element.
    parents = [(0, 3), (1, 3), (1, 3)]
    assert sibling_case([False, True, False], parents) == [False, False, True]
    assert sibling_case([False, False, False], parents) == [False, False, False]  # nothing kept beside it
    assert sibling_case([True, True, False], [(0, 1), (1, 2), (2, 3)]) == [False] * 3  # alone in its element
    assert sibling_case([True, True, False], [(-1, -1)] * 3) == [False] * 3  # the page's own lines


@pytest.mark.parametrize(
    "change",
    [
        {"tags": ["p", "p", "div"]},  # not a paragraph
        {"links": [0, 0, 0.5]},  # link text: "Read more"
        {"in_main": [1, 1, 0]},  # outside the main container
        {"candidates": [1, 1, 0]},  # read as a caption or credit by the model
    ],
)
def test_a_sibling_paragraph_is_left_alone_unless_a_plain_paragraph_of_the_main_container(change):
    assert sibling_case([True, True, False], [(0, 3)] * 3, **change) == [False] * 3
    assert sibling_case([True, True, False], [(0, 3)] * 3) == [False, False, True]


def test_sibling_paragraphs_are_read_page_by_page():
    # Two pages of three lines; parents count from each page's first line.
    kept = [True, True, False, False, True, False]
    parents = [(0, 3)] * 3 + [(0, 3)] * 3
    assert sibling_case(kept, parents, bounds=[0, 3, 6]) == [False, False, True, False, False, False]


def test_a_short_closing_line_of_a_forum_post_is_kept():
    post = (
        '<div class="post"><p>That was it. It read zero. Pumped it up to 28 psi and the cycling stopped, '
        "and the pressure now holds steady between the cut-in and cut-out points.</p><p>Thanks!</p></div>"
    )
    article = "".join(
        f"<p>Paragraph {i} of the question explains the set-up of the well pump, the tank and the filter.</p>"
        for i in range(4)
    )
    html = f"<html><body><main><h1>Pump keeps short cycling</h1>{article}{post}</main></body></html>"
    results = Cleaner.load().process(html, Options(explain=True)).results
    thanks = next(line for line in results if line.text == "Thanks!")
    assert thanks.kept, thanks


def test_a_code_listing_of_one_line_is_a_part_too():
    found = group_case([0.9, 0.35, 0.9], ["p", "pre", "p"])
    assert found.kept.tolist() == [True, True, True] and found.parts.tolist() == [0, GROUP_KEPT, 0]
    assert group_case([0.9, 0.35, 0.9], ["p", "li", "p"]).parts is None


def test_a_kept_line_within_reach_counts_but_not_one_further():
    # GROUP_REACH lines before the run: two dropped lines between it and the kept line 0, then three.
    near = group_case([0.9, 0.1, 0.1, 0.4, 0.4, 0.9], ["p", "p", "p", "li", "li", "p"])
    assert near.kept[3:5].all()
    far = group_case([0.9, 0.1, 0.1, 0.1, 0.4, 0.4, 0.9], ["p", "p", "p", "p", "li", "li", "p"])
    assert not far.kept[4:6].any()


def test_a_preformatted_run_follows_the_most_of_its_characters():
    texts = ["a" * 10, "b" * 30, "c" * 10, "d" * 10, "e" * 5]
    tags = ["p", "pre", "pre", "pre", "pre"]
    kept = decide_preformatted(decisions_of([0.9, 0.6, 0.4, 0.4, 0.4]), texts, [0, 5], tags)
    assert kept.kept.tolist() == [True] * 5  # 30 of 55 characters kept
    assert kept.parts.tolist() == [0, 0, PRE_CHANGED, PRE_CHANGED, PRE_CHANGED]
    dropped = decide_preformatted(decisions_of([0.9, 0.4, 0.6, 0.6, 0.4]), texts, [0, 5], tags)
    assert dropped.kept.tolist() == [True, False, False, False, False]  # 20 of 55 kept
    alone = decide_preformatted(decisions_of([0.9, 0.4]), texts[:2], [0, 2], ["p", "pre"])
    assert alone.parts is None and alone.kept.tolist() == [True, False]
    # Pages of a batch are decided apart: two runs of one line each.
    apart = decide_preformatted(decisions_of([0.6, 0.4]), ["x", "y"], [0, 1, 2], ["pre", "pre"])
    assert apart.kept.tolist() == [True, False]


def test_a_term_is_kept_with_its_kept_definition():
    tags = ["dt", "dd", "dt", "dd", "dt", "dt", "dd", "dt"]
    keep = [0.1, 0.9, 0.1, 0.2, 0.1, 0.1, 0.8, 0.1]
    decided = keep_terms_of_kept_definitions(decisions_of(keep), [0, 8], tags)
    # Kept: the terms before a kept definition (one term of two before the third); not the term before
    # a dropped definition, nor the page's last line.
    assert decided.kept.tolist() == [True, True, False, False, False, True, True, False]
    assert decided.parts.tolist() == [TERM_ADDED, 0, 0, 0, 0, TERM_ADDED, 0, 0]
    # A term ending its page is not kept for the next page's first line.
    apart = keep_terms_of_kept_definitions(decisions_of([0.1, 0.9]), [0, 1, 2], ["dt", "p"])
    assert apart.kept.tolist() == [False, True] and apart.parts is None
    unchanged = decisions_of([0.1, 0.9])
    assert keep_terms_of_kept_definitions(unchanged, [0, 2], ["p", "p"]) is unchanged


def test_a_term_kept_with_its_definition_says_so():
    assert part_explanations(np.array([0, TERM_ADDED]), None) == [None, (TERM_KEPT, 1.0)]
    assert part_explanations(np.array([TITLE_ADDED]), None) == [(TITLE_KEPT, 1.0)]


STORY = (
    "The council approved the new budget on Tuesday after a debate that lasted well into the night.",
    "Spending on schools rises by four percent, while the roads budget stays where it was last year.",
)


def titled_page(header: str, title: str = "Council approves the new budget | The Daily Example") -> str:
    body = "".join(f"<p>{line}</p>" for line in STORY)
    return (
        f"<html><head><title>{title}</title></head><body>{header}"
        f"<ul><li><a href='/share'>Share</a></li><li><a href='/print'>Print</a></li></ul>"
        f"<p>By Jane Doe, 12 May 2024</p>{body}</body></html>"
    )


def title_case(header: str, **page) -> list[str]:
    """The lines :func:`keep_title_heading` keeps of a page whose story alone is kept."""
    batch = PageBatch.of([Cleaner.load().read_page(titled_page(header, **page), Options(input_format="html"))])
    keep = [0.9 if text in STORY else 0.1 for text in batch.texts]
    found = keep_title_heading(decisions_of(keep), batch)
    kept = [batch.texts[i] for i in np.flatnonzero(found.kept)]
    assert kept[-2:] == list(STORY)
    if len(kept) > 2:
        assert found.parts.tolist().count(TITLE_ADDED) == 1
    return kept[:-2]


def test_the_title_heading_above_the_kept_text_is_kept():
    assert title_case("<h1>Council approves the new budget</h1>") == ["Council approves the new budget"]
    # Nearest above the story: a section heading between the title and the story stops it.
    assert title_case("<h1>Council approves the new budget</h1><h2>Local news</h2>") == []
    # Not the page's title, or a link (a logo heading linking home matches a title's site-name part).
    assert title_case("<h1>Council meets again</h1>") == []
    assert (
        title_case("<h1><a href='/'>The Daily Example Newspaper</a></h1>", title="Budget | The Daily Example Newspaper")
        == []
    )
    assert title_case("<h1>The Daily Example Newspaper</h1>", title="Budget | The Daily Example Newspaper") == [
        "The Daily Example Newspaper"
    ]
    # A title line that is no heading is left to the model.
    assert title_case("<div>Council approves the new budget</div>") == []


LEDE = "Spending on schools rises, roads stay level: the council's budget passed after a long night of debate."


def lede_case(lede: str, description: str = LEDE, lede_tag: str = "p") -> list[str]:
    """The lines :func:`keep_lede` adds on a page whose headline and story are kept, its lede below
    the headline and a byline (``lede`` as written there, in a ``lede_tag``)."""
    meta = f'<meta property="og:description" content="{description}">' if description else ""
    html = titled_page(f"<h1>Council approves the new budget</h1><{lede_tag}>{lede}</{lede_tag}>").replace(
        "<head>", f"<head>{meta}"
    )
    batch = PageBatch.of([Cleaner.load().read_page(html, Options(input_format="html"))])
    keep = [0.9 if text in STORY or text.startswith("Council") else 0.1 for text in batch.texts]
    found = keep_lede(decisions_of(keep), batch)
    added = np.flatnonzero(found.kept & ~decisions_of(keep).kept)
    if len(added):
        assert found.parts[added].tolist() == [LEDE_ADDED] * len(added)
    return [batch.texts[i] for i in added]


def test_the_lede_the_page_describes_is_kept():
    assert lede_case(LEDE) == [LEDE]
    # A description cut short, or a line that is part of a longer description: the same lede.
    assert lede_case(LEDE, description=LEDE[:70] + "…") == [LEDE]
    assert lede_case(LEDE.split(" after")[0], description=LEDE) == [LEDE.split(" after")[0]]
    assert part_explanations(np.array([LEDE_ADDED]), None) == [(LEDE_KEPT, 1.0)]


def test_a_line_is_no_lede_unless_it_is_most_of_a_described_sentence():
    assert lede_case(LEDE, description="") == []
    assert lede_case(LEDE, description="Council approves the new budget") == []  # a title, not a lede
    assert lede_case("Spending on schools rises, roads stay level", description=LEDE) == []  # a fragment
    assert lede_case(f"<a href='/budget'>{LEDE}</a>") == []  # a link: a teaser of the story elsewhere
    unrelated = "The mayor opened a new library in the north of the town on Saturday, with a reading."
    assert lede_case(unrelated) == []


@pytest.mark.parametrize(
    ("line", "dropped"),
    [
        ("Lesen Sie auch: <a href='/s'>Bahnstreik: Diese Züge fahren trotzdem</a>", True),
        ("» Czytaj także: <a href='/s'>Inflacja w Polsce. Nowe dane GUS</a>", True),
        ("SEE ALSO | <a href='/s'>The council's last budget, line by line</a>", True),
        ("Related: <a href='/s'>Rich are paying more in taxes</a>", True),
        # No separator after the phrase: a heading or the story's own words.
        ("Lee también <a href='/s'>La ley de vivienda, artículo por artículo</a>", False),
        # Mostly the story's words, a link inside: the story.
        (
            "Related: the council's budget also <a href='/s'>funds</a> two new schools and the repair of the roads.",
            False,
        ),
        ("The minister said: <a href='/s'>read the statement</a>", False),
    ],
)
def test_a_kept_related_story_lead_in_is_dropped(line, dropped):
    html = titled_page("<h1>Council approves the new budget</h1>").replace(
        f"<p>{STORY[1]}</p>", f"<p>{line}</p><p>{STORY[1]}</p>"
    )
    batch = PageBatch.of([Cleaner.load().read_page(html, Options(input_format="html"))])
    lead = [batch.texts.index(STORY[1]) - 1]  # the line just above the story's second paragraph
    keep = [0.9 if text in STORY else 0.1 for text in batch.texts]
    keep[lead[0]] = 0.9
    found = drop_lead_ins(decisions_of(keep), batch)
    assert found.kept[lead[0]] == (not dropped)
    assert found.kept[[batch.texts.index(text) for text in STORY]].all()
    if dropped:
        assert found.parts[lead[0]] == LEAD_IN
        assert part_explanations(found.parts, None)[lead[0]][0] == LEAD_IN_DROPPED


SECTION_PAGE = """<html><body><p>{0}</p><h2>How the money is spent</h2><p>{1}</p>
<h3>More from the council</h3><h4>Other news</h4><p>Bins are collected a day later next week.</p>
<h2><a href="/elsewhere">Read our guide to the council</a></h2><p>{1}</p></body></html>"""


def test_a_heading_of_kept_text_is_kept():
    batch = PageBatch.of([Cleaner.load().read_page(SECTION_PAGE.format(*STORY), Options(input_format="html"))])
    texts = batch.texts
    keep = [0.9 if text in STORY or text.startswith("Bins") else 0.1 for text in texts]
    found = keep_section_headings(decisions_of(keep), batch)
    added = [texts[i] for i in np.flatnonzero(found.kept & ~decisions_of(keep).kept)]
    # Not a heading above another heading, nor a link.
    assert added == ["How the money is spent", "Other news"]
    assert part_explanations(found.parts, None)[texts.index("Other news")] == (SECTION_KEPT, 1.0)
    assert found.parts[texts.index("Other news")] == SECTION_ADDED
    # Nothing kept above it within reach: a heading of a block beside the article, left to the model.
    keep = [0.9 if text == STORY[1] else 0.1 for text in texts]
    assert not keep_section_headings(decisions_of(keep), batch).kept[texts.index("How the money is spent")]


@pytest.mark.parametrize(
    ("byline", "dropped"),
    [
        ("By Jane Doe, BBC, Washington", True),
        ("Von Max Mustermann", True),
        ("12.05.2024, 14:36 Uhr", True),
        ("Updated: 3 May 2024", True),
        # Not a byline's opening word, no date: the story's first short line.
        ("The vote was close.", False),
        # A date in a line longer than a byline: the story.
        ("On 12.05.2024 the council met for the last time before the summer, and voted on the budget.", False),
    ],
)
def test_the_byline_under_the_title_is_dropped(byline, dropped):
    html = (
        f"<html><head><title>Council approves the new budget</title></head><body>"
        f"<h1>Council approves the new budget</h1><p>{byline}</p>"
        + "".join(f"<p>{line}</p>" for line in STORY)
        + "</body></html>"
    )
    batch = PageBatch.of([Cleaner.load().read_page(html, Options(input_format="html"))])
    found = drop_bylines(decisions_of([0.9] * len(batch.texts)), batch)
    line = batch.texts.index(byline)
    assert found.kept.tolist() == [True] * line + [not dropped] + [True] * (len(batch.texts) - line - 1)
    if dropped:
        assert found.parts[line] == BYLINE
        assert part_explanations(found.parts, None)[line] == (BYLINE_DROPPED, 1.0)


def test_a_byline_is_only_looked_for_under_a_kept_title():
    html = "<html><head><title>Budget</title></head><body><h1>Council news</h1><p>By Jane Doe</p></body></html>"
    batch = PageBatch.of([Cleaner.load().read_page(html, Options(input_format="html"))])
    assert drop_bylines(decisions_of([0.9] * len(batch.texts)), batch).kept.all()


def test_a_kept_picture_caption_is_dropped():
    html = (
        f"<html><body><p>{STORY[0]}</p><figure><img src='a.jpg'><figcaption>The council chamber on Tuesday "
        f"night. <span>Photo: Jane Doe</span></figcaption></figure><p>{STORY[1]}</p></body></html>"
    )
    batch = PageBatch.of([Cleaner.load().read_page(html, Options(input_format="html"))])
    found = drop_captions(decisions_of([0.9] * len(batch.texts)), batch)
    assert [text for text, kept in zip(batch.texts, found.kept) if kept] == list(STORY)
    caption = [i for i, text in enumerate(batch.texts) if text not in STORY]
    assert caption and found.parts[caption].tolist() == [CAPTION] * len(caption)
    assert part_explanations(found.parts, None)[caption[0]] == (CAPTION_DROPPED, 1.0)


CELLS = "".join(
    f"<tr><td><code>r.{name}</code></td><td>{what}</td></tr>"
    for name, what in [
        ("status_code", "The HTTP status code of the response"),
        ("headers", "A case-insensitive dictionary of headers"),
        ("json()", "Decodes the JSON body"),
    ]
)
PARAGRAPH = "Now, let us try to get a web page. For this example, we fetch the public timeline of a site: {}."
DOC_PAGE = f"""<html><head><title>Quickstart</title></head><body>
<ul class="nav">{"".join(f'<li><a href="/p{i}">Page {i}</a></li>' for i in range(12))}</ul>
<div class="body" role="main"><h1>Quickstart</h1>
{"".join(f"<p>{PARAGRAPH.format(i)}</p>" for i in range(4))}
<table><thead><tr><th>Attribute</th><th>Description</th></tr></thead><tbody>{CELLS}</tbody></table>
<p>{PARAGRAPH.format("again")}</p>
<pre>&gt;&gt;&gt; r = requests.post('https://httpbin.org/post', data={{'key': 'value'}})
&gt;&gt;&gt; r = requests.put('https://httpbin.org/put', data={{'key': 'value'}})
&gt;&gt;&gt; r = requests.delete('https://httpbin.org/delete')</pre>
<p>{PARAGRAPH.format("at last")}</p></div>
<div class="footer">Copyright 2024. All rights reserved.</div></body></html>"""


def test_a_documentation_page_keeps_its_table_whole_from_the_containers_threshold():
    shipped = Cleaner.load()
    cells = ["Attribute", "Description", "r.status_code", "r.json()", "Decodes the JSON body"]
    # The shipped model rates this table well below its main container's threshold: left alone.
    results = {r.text: r for r in shipped.classify_html(DOC_PAGE, Options(explain=True))}
    assert not any(results[cell].kept for cell in cells)
    assert results["Quickstart"].kept and results[PARAGRAPH.format("again")].kept
    mean = np.mean([results[cell].keep_probability for cell in cells])
    # With a container's threshold under the table's rating, the table is kept whole, and says why.
    lowered = Cleaner(shipped.text_model, replace(shipped.html_model, main_threshold=float(mean) / 2))
    results = {r.text: r for r in lowered.classify_html(DOC_PAGE, Options(explain=True))}
    for cell in cells:
        assert results[cell].kept and results[cell].explanation[0][0] == KEPT_AS_GROUP
    code = [r for r in results.values() if r.text.startswith(">>>")]
    assert len(code) == 3 and len({r.kept for r in code}) == 1
    assert not any(r.explanation[0][0] == PRE_DECIDED_WHOLE for r in results.values() if not r.text.startswith(">>>"))
    # The user's dial moves what the rules decided: above every cell's keep-probability it drops the
    # table, saying so; below the model's threshold it keeps the table whole still.
    dial = {r.text: r for r in lowered.classify_html(DOC_PAGE, Options(threshold=0.99, explain=True))}
    assert not any(dial[cell].kept for cell in cells)
    assert all(dial[cell].explanation[0] == (DROPPED_BY_DIAL, 0.99) for cell in cells)
    low = {r.text: r for r in lowered.classify_html(DOC_PAGE, Options(threshold=0.05, explain=True))}
    assert all(low[cell].kept for cell in cells)
