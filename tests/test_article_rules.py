"""The article's head and asides rules (cleaner.decide.head, cleaner.decide.asides) on the pages that
could go wrong: batches with empty pages, story sentences that look like bylines, captions that hold
the story, the user's choice of labels, scripts written without spaces, timestamps."""

from __future__ import annotations

import numpy as np
import pytest

from cleaner import Cleaner, Options
from cleaner.decide.head import lede_lines
from cleaner.decide.notes import TIMESTAMP
from cleaner.decide.parts import html_rules
from cleaner.decide.threshold import Decisions
from cleaner.records import PageBatch

STORY = [
    "The city council approved a record budget for public schools on Tuesday, after months of debate.",
    "The budget, which totals 1.2 billion dollars, includes funds for new teachers and repairs to schools.",
    "The mayor is expected to sign the budget next week; critics say it will require higher taxes.",
]


def page(head: str = "", top: str = "", story: list[str] = STORY, title: str = "Council approves new budget") -> str:
    paragraphs = "".join(f"<p>{line}</p>" for line in story)
    return (
        f"<html><head><title>{title}</title>{head}</head><body>{top}<main><article><h1>{title}</h1>"
        f"{paragraphs}</article></main><footer><p>Copyright 2024 Daily Post.</p></footer></body></html>"
    )


def kept_lines(html: str, options: Options | None = None) -> list[str]:
    options = options or Options(input_format="html")
    return [line.text for line in Cleaner.load().classify(html, options) if line.kept]


@pytest.mark.parametrize(
    "empty", ["<html><body></body></html>", "<html><head><title>T</title></head></html>", "<p></p>"]
)
def test_a_batch_whose_first_page_has_no_text_is_cleaned(empty):
    cleaned = list(Cleaner.load().clean_many([empty, page()], Options(input_format="html")))
    assert cleaned[0] == "" and STORY[0] in cleaned[1]


@pytest.mark.parametrize(
    "sentence",
    [
        "By 2050, half of the world's people will live in water-stressed areas",
        "Par ailleurs, le ministre a annoncé une hausse des impôts locaux.",
        "Per capita use rose 3% on 12 March 2024 alone, the agency said.",
    ],
)
def test_a_story_sentence_under_the_title_is_no_byline(sentence):
    assert sentence in kept_lines(page(story=[sentence, *STORY]))


def test_the_byline_rule_never_takes_most_of_a_page():
    notes = ["2.3.2 (2024-03-12): a crash fixed", "2.3.1 (2024-02-28): files with a BOM", "2.3.0 (2024-02-01): plugins"]
    kept = kept_lines(page(story=notes, title="Release notes for Widget 2.3"))
    assert all(note in kept for note in notes)


def test_a_story_inside_an_unclosed_caption_stays():
    figure = "<figure><img src='a.jpg'><figcaption>Council members vote on Tuesday.</figure>"
    html = page().replace("<h1>", f"{figure.replace('</figure>', '')}<h1>").replace("</article>", "</figure></article>")
    assert all(line in kept_lines(html) for line in STORY)


def test_the_lede_rule_brings_back_no_line_the_content_rule_dropped():
    tagline = "The Daily Post brings you the latest news, sport and weather from the city and the whole region."
    html = page(head=f'<meta name="description" content="{tagline}">', top=f"<header><p>{tagline}</p></header>")
    assert tagline not in kept_lines(html)


def test_the_users_labels_stand():
    headed = page(story=[STORY[0], "<h2>What happens next</h2>", *STORY[1:]]).replace("<p><h2>", "<h2>")
    headed = headed.replace("</h2></p>", "</h2>")
    assert "What happens next" in kept_lines(headed)
    assert "What happens next" not in kept_lines(headed, Options(input_format="html", keep=("body",)))
    # A byline and a caption the model keeps: dropped, unless the user keeps what they are (meta).
    html = page(story=["By Jane Doe, City Hall", *STORY]).replace(
        "</article>", "<figure><img src='a.jpg'><figcaption>The council chamber.</figcaption></figure></article>"
    )
    batch = PageBatch.of([Cleaner.load().read_page(html, Options(input_format="html"))])
    keep = np.array([0.9 if "Copyright" not in text else 0.1 for text in batch.texts])
    decisions = Decisions(np.column_stack((keep, 1 - keep)), keep, keep >= 0.5)
    asides = [batch.texts.index("By Jane Doe, City Hall"), batch.texts.index("The council chamber.")]
    assert not html_rules(decisions, ["body", "nav"], batch, None, None).kept[asides].any()
    with_meta = html_rules(decisions, ["body", "nav"], batch, None, None, keep=("body", "heading", "meta"))
    assert with_meta.kept[asides].all()


@pytest.mark.parametrize(
    "lede",
    [
        "市议会周二批准了创纪录的公立学校预算，此前议员们经过了数月的辩论。",
        "市議会は火曜日、数か月にわたる議論の末、公立学校の過去最大の予算を承認した。",
    ],
)
def test_a_lede_without_spaces_is_found(lede):
    html = f'<html><head><meta name="description" content="{lede}"></head><body><h1>市议会</h1><p>{lede}</p><p>更多内容。</p></body></html>'
    batch = PageBatch.of([Cleaner.load().read_page(html, Options(input_format="html"))])
    kept = np.zeros(len(batch.texts), dtype=bool)
    kept[0] = True
    assert lede_lines(kept, batch).tolist() == [False, True, False]


THREAD = [
    "Elena July 26, 2012 at 7:58 am",
    "I changed the filter on the pump last weekend and it still cycles every ten seconds with a tap open.",
    "强图打榜 2024-05-23 09:41:17",
    "Check the air charge in the tank first: with the pump off it should read 2 psi below the cut-in.",
]
SCHEDULE = ["<li>12 March 2024, 10:00 Opening talk</li>", "<li>12 March 2024, 14:30 Workshops</li>"]


def all_kept(html: str, title: str = "Pump keeps cycling") -> tuple[PageBatch, Decisions]:
    batch = PageBatch.of([Cleaner.load().read_page(html, Options(input_format="html"))])
    keep = np.full(len(batch.texts), 0.9)
    return batch, Decisions(np.column_stack((keep, 1 - keep)), keep, keep >= 0.5)


def test_the_timestamps_of_posts_go_but_not_a_schedule_nor_the_title():
    # Far below the title (where the byline rule does not look), a post's header (a date and a time,
    # no sentence) goes; a schedule's items, a sentence that holds a date and a time, and a headline
    # that ends with its story's time stay.
    title = "Pump keeps cycling, 12 March 2024 10:00"
    sentence = "The pump was replaced on 12 March 2024 at 10:00, and it has run without trouble since then."
    story = [*STORY, *STORY, sentence, *THREAD, f"<ul>{''.join(SCHEDULE)}</ul>"]
    batch, decisions = all_kept(page(story=story, title=title).replace("<p><ul>", "<ul>").replace("</ul></p>", "</ul>"))
    found = html_rules(decisions, ["body", "nav"], batch, None, None)
    dropped = [
        batch.texts[i] for i in np.flatnonzero(decisions.kept & ~found.kept) if "Copyright" not in batch.texts[i]
    ]
    assert dropped == [THREAD[0], THREAD[2]]
    assert found.parts[[batch.texts.index(text) for text in dropped]].tolist() == [TIMESTAMP] * 2
    # The user who keeps meta keeps them; a page of timestamps keeps them (the rule never empties it).
    with_meta = html_rules(decisions, ["body", "nav"], batch, None, None, keep=("body", "heading", "meta"))
    assert with_meta.kept[[batch.texts.index(text) for text in dropped]].all()
    batch, decisions = all_kept(page(story=[*STORY, *STORY, THREAD[0], THREAD[2]], title="Pump"))
    stamps = [batch.texts.index(THREAD[0]), batch.texts.index(THREAD[2])]
    assert html_rules(decisions, ["body", "nav"], batch, None, None).parts[stamps].tolist() == [TIMESTAMP] * 2


def test_lead_ins_of_plain_text_go_by_their_length():
    # Text has no link text to measure: a lead-in and a headline go, a paragraph that opens with a
    # lead-in stays, and so does every line for the user who keeps related links.
    lead_in = "À lire aussi : Le conseil municipal vote le budget des écoles"
    paragraph = "Related: " + " ".join(STORY)
    texts = [STORY[0], lead_in, paragraph, STORY[1]]
    batch = PageBatch.one(texts, list(range(len(texts))))
    keep = np.full(len(texts), 0.9)
    decisions = Decisions(np.column_stack((keep, 1 - keep)), keep, keep >= 0.5)
    assert html_rules(decisions, ["body", "nav"], batch, None, None).kept.tolist() == [True, False, True, True]
    with_related = html_rules(decisions, ["body", "nav"], batch, None, None, keep=("body", "related"))
    assert with_related.kept.all()
